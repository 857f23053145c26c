import Foundation
import PlumbBackends
import PlumbChecks
import PlumbCore
import PlumbMetrics
import PlumbReports
import PlumbRunner

/// `plumb run PATH... --model SPEC`: evaluates suites and writes `report.json` and `report.html`.
enum RunCommand: Subcommand {
    static let name = "run"
    static let summary = "evaluate suites against a model and write a report"
    static let usage = "plumb run <suite-or-directory>... --model <spec> [--model <spec>...] [options]"
    static let options: [OptionSpec] = [
        .repeatable("--model", "SPEC", help: "a model to evaluate (required; repeat to compare several; see MODELS)"),
        .value("--config", "FILE", help: "named models (default: plumb.json5 in the current directory, if present)"),
        .value("--out", "DIR", help: "the run directory (default: Reports/<run-id>); one holding a run is refused"),
        .value(
            "--resume",
            "DIR",
            help: "finish a run (or write its report again): ask only for what its journal lacks"
        ),
        .value("--concurrency", "N", help: "most requests in flight (default: 4; lowered on 429s, then recovered)"),
        .value("--timeout", "SECONDS", help: "per-attempt timeout (default: 120)"),
        .value("--retries", "N", help: "retries of a transient failure: 429, 5xx, timeout, reset (default: 4)"),
        .value("--rpm", "N", help: "at most N requests start per minute (default: no cap)"),
        .value("--max-errors", "N|P%", help: "stop once more than N items (or P% of them) error; exit 69"),
        .value("--shard", "I/N", help: "run only slice I of N (1-based); join the parts with 'plumb merge'"),
        .repeatable("--judge", "NAME=SPEC", help: "a model 'judge' checks may name (spec as for --model)"),
        .value(
            "--judge-cache",
            "DIR",
            help: "cache of judge answers, apart from the model's (default: .plumb/judge-cache)"
        ),
        .flag("--no-judge-cache", help: "do not cache judge answers"),
        .flag("--cache", help: "reuse answers from the response cache (off by default: answers are asked for)"),
        .value("--cache-dir", "DIR", help: "where the response cache is (default .plumb/cache); implies --cache"),
        .value("--cache-max-age", "AGE", help: "with --cache, ask again when the answer is older (30m, 12h, 7d)"),
        .flag("--no-cache", help: "neither read nor write the response cache (the default)"),
        .flag("--fixed-concurrency", help: "keep --concurrency even when the server answers 429"),
        .value("--format", "FORMAT", help: "what to print on stdout: table (default), json, md, junit, none"),
        .value(
            "--baseline",
            "FILE|NAME",
            help: "compare with a baseline run (a report.json, a run directory or a blessed name) and apply the "
                + "regression gates"
        ),
        .repeatable(
            "--max-drop",
            "METRIC=MARGIN",
            help: "with --baseline: a regression gate on every suite with the metric (e.g. pass_rate=0.02)"
        ),
        .flag("--overwrite", help: "start afresh in --out even if it holds another run"),
        .repeatable("--tag", "TAG", help: "ask only the samples with this tag (repeatable: any of them)"),
        .value("--limit", "N", help: "ask about N items: a seeded sample of whole samples, stratified by suite"),
        .value("--limit-seed", "N", help: "the seed of --limit's sample (default 1)"),
        .flag("--dry-run", help: "say what would be asked (items, requests, estimated tokens) and ask nothing"),
        .flag("--help", help: "show this help"),
    ]

    static let help = PlumbCommand.help(
        usage: usage,
        summary: "Evaluate suites against models, print a summary, write reports, gate with the exit code.",
        options: options,
        details: """
            MODELS:
            \(BackendRegistry.builtins.specSummary)

            API keys come only from the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, or the variable a model in
            plumb.json5 names with apiKeyEnv); they never appear in reports, journals, caches or logs.

            OUTPUT: <out>/report.json, <out>/report.html and <out>/journal.jsonl (each finished item, appended as it
            finishes). With several --model options, each model gets <out>/<model>/. A run stopped by Ctrl-C, a
            kill or a crash is finished by 'plumb run --resume <out>': only missing items are asked, and the report
            is the one an uninterrupted run gives. An --out that holds a run is refused unless --resume (same
            model, suites, shard and classifier versions, or it says what differs) or --overwrite.

            EXIT CODES: 0 every gate held; 1 a gate failed; 64 usage; 65 suite or config errors (nothing ran);
            69 items could not be answered (errors beyond --max-errors, or any error without it); 130 interrupted.
            """
    )

    struct Options {
        var suitePaths: [String]
        var models: [String]
        var configPath: String?
        var out: String?
        var concurrency: Int
        var timeout: Double
        var retries: Int
        var rpm: Int?
        var errorBudget: ErrorBudget?
        var shard: Shard?
        var cacheDirectory: String?
        /// Seconds after which a cached answer is asked for again (`--cache-max-age`).
        var cacheMaxAge: Double?
        var adaptive: Bool
        var format: String
        var overwrite: Bool
        /// `--resume` was given: the run directory's journal is to be finished, not refused.
        var resuming = false
        /// `--baseline`: what the user named, and the regression gates given on the command line.
        var baseline: String? = nil
        var maxDrops: [GateSpec] = []
        /// The baseline's report, loaded before anything runs.
        var baselineReport: RunReport? = nil
        /// `--tag`, `--limit`: the part of the suites to ask.
        var selection = SuiteSelection()
        /// The items of the whole run when `selection` is not empty (for the report's `subset`).
        var wholeItemCount: Int? = nil
        var dryRun = false
    }

    static func parseOptions(_ parsed: ParsedArguments) throws -> Options {
        guard !parsed.positionals.isEmpty else {
            throw UsageError("give at least one suite file or directory", command: "run")
        }
        let models = parsed.all("--model")
        guard !models.isEmpty else {
            throw UsageError("--model is required (for example --model builtin)", command: "run")
        }
        if Set(models).count != models.count {
            throw UsageError("a model is named twice in --model", command: "run")
        }
        if parsed.flag("--dry-run"), let chosen = parsed.value("--format"), chosen != "table" {
            throw UsageError("--dry-run prints a table; --format \(chosen) does not apply to it", command: "run")
        }
        let format = try parsed.choice(
            "--format",
            among: ["table", "json", "md", "junit", "none"],
            default: "table",
            command: "run"
        )
        if (format == "json" || format == "junit") && models.count > 1 {
            throw UsageError(
                "--format \(format) prints one report; with several models use --format table or md",
                command: "run"
            )
        }
        let maxDrops = try ReportLocation.maxDrops(parsed.all("--max-drop"), command: "run")
        if !maxDrops.isEmpty && parsed.value("--baseline") == nil {
            throw UsageError("--max-drop needs --baseline (the run to compare with)", command: "run")
        }
        var timeout = 120.0
        if let text = parsed.value("--timeout") {
            guard let value = Double(text), value > 0, value <= 86_400 else {
                throw UsageError("--timeout takes seconds, more than 0, not '\(text)'", command: "run")
            }
            timeout = value
        }
        var budget: ErrorBudget?
        if let text = parsed.value("--max-errors") {
            guard let value = ErrorBudget(parsing: text) else {
                throw UsageError("--max-errors takes a count (10) or a percentage (5%), not '\(text)'", command: "run")
            }
            budget = value
        }
        var shard: Shard?
        if let text = parsed.value("--shard") {
            guard let value = Shard(parsing: text) else {
                throw UsageError("--shard takes I/N with 1 <= I <= N, such as 1/4, not '\(text)'", command: "run")
            }
            shard = value
        }
        var selection = SuiteSelection(tags: parsed.all("--tag"))
        selection.limit = try parsed.int("--limit", in: 1...100_000_000, command: "run")
        if let seedText = parsed.value("--limit-seed") {
            guard let seed = UInt64(seedText) else {
                throw UsageError("--limit-seed takes a whole number, not '\(seedText)'", command: "run")
            }
            guard selection.limit != nil else { throw UsageError("--limit-seed needs --limit", command: "run") }
            selection.seed = seed
        }
        let wantsCache = parsed.flag("--cache") || parsed.value("--cache-dir") != nil
        if wantsCache && parsed.flag("--no-cache") {
            throw UsageError("--no-cache cannot go with --cache or --cache-dir", command: "run")
        }
        let cacheDirectory = wantsCache ? (parsed.value("--cache-dir") ?? ".plumb/cache") : nil
        var cacheMaxAge: Double?
        if let text = parsed.value("--cache-max-age") {
            guard let age = NumberText.parseDuration(text) else {
                throw UsageError(
                    "--cache-max-age takes an age such as 90s, 30m, 12h or 7d, not '\(text)'",
                    command: "run"
                )
            }
            guard wantsCache else { throw UsageError("--cache-max-age needs --cache", command: "run") }
            cacheMaxAge = age
        }
        return Options(
            suitePaths: parsed.positionals,
            models: models,
            configPath: parsed.value("--config"),
            out: parsed.value("--out"),
            concurrency: try parsed.int("--concurrency", in: 1...1024, command: "run") ?? 4,
            timeout: timeout,
            retries: try parsed.int("--retries", in: 0...100, command: "run") ?? 4,
            rpm: try parsed.int("--rpm", in: 1...1_000_000, command: "run"),
            errorBudget: budget,
            shard: shard,
            cacheDirectory: cacheDirectory,
            cacheMaxAge: cacheMaxAge,
            adaptive: !parsed.flag("--fixed-concurrency"),
            format: format,
            overwrite: parsed.flag("--overwrite"),
            baseline: parsed.value("--baseline"),
            maxDrops: maxDrops,
            selection: selection,
            dryRun: parsed.flag("--dry-run")
        )
    }

    static func run(_ arguments: [String], console: Console) async throws -> Int32 {
        var arguments = arguments
        var parsed = try ArgumentParser.parse(arguments, options: options, command: "run")
        if parsed.flag("--help") {
            console.out(help)
            return ExitCode.success
        }
        let resuming = parsed.value("--resume") != nil
        if let directory = parsed.value("--resume") {
            arguments = try RunManifest.resumeArguments(directory: directory, extra: arguments)
            parsed = try ArgumentParser.parse(arguments, options: options, command: "run")
        }
        var options = try parseOptions(parsed)
        options.resuming = resuming
        // From here on a signal ends the run with 130 (and the report of what finished), never kills it.
        let interruption = Interruption()
        defer { interruption.stop() }

        // Load everything before touching the output directory: a bad suite or config changes nothing on disk.
        var allDiagnostics: [SuiteDiagnostic] = []
        var config: ModelConfig?
        let configPath =
            options.configPath
            ?? (FileManager.default.fileExists(atPath: ModelConfig.defaultFile) ? ModelConfig.defaultFile : nil)
        if let configPath {
            let (loaded, configDiagnostics) = ModelConfig.load(configPath)
            config = loaded
            allDiagnostics += configDiagnostics
        }
        let judgeSpecs = try CheckSetup.judges(parsed.all("--judge"), config: config, command: "run")
        let judges = try CheckSetup.makeJudges(judgeSpecs)
        var judgeCache: JudgeCache?
        if !parsed.flag("--no-judge-cache") && !judges.isEmpty && !options.dryRun {
            let directory = parsed.value("--judge-cache") ?? JudgeCache.defaultDirectory
            do {
                judgeCache = try JudgeCache(directory: directory)
            } catch {
                console.err(
                    "plumb: warning: cannot open the judge cache in '\(directory)': \(error); running without\n"
                )
            }
        }
        let loader = SuiteLoader(
            registry: CheckSetup.registry(judges: judges, judgeCache: judgeCache),
            metrics: .builtins
        )
        var (suites, diagnostics) = loader.load(options.suitePaths)
        allDiagnostics += diagnostics
        ValidateCommand.printDiagnostics(allDiagnostics, console: console)
        let errorCount = allDiagnostics.filter { $0.severity == .error }.count
        if errorCount > 0 {
            throw CommandFailure(
                exitCode: ExitCode.dataError,
                message: "\(errorCount) error\(errorCount == 1 ? "" : "s") in suite or config files; nothing was run"
            )
        }
        if !options.selection.isEmpty {
            options.wholeItemCount = Runner.plan(suites, shard: options.shard).count
            suites = options.selection.apply(suites)
            guard !suites.isEmpty else {
                throw UsageError(
                    "no sample carries \(options.selection.tags.map { "tag '\($0)'" }.joined(separator: " or "))",
                    command: "run"
                )
            }
        }

        var specs: [ModelSpec] = []
        for text in options.models {
            do {
                specs.append(try BackendRegistry.builtins.spec(for: text, config: config))
            } catch let error as BackendError {
                throw UsageError(error.message, command: "run")
            }
        }
        var backends: [any ModelBackend] = []
        for spec in specs {
            do {
                backends.append(
                    try BackendRegistry.builtins.make(spec, connections: spec.concurrency ?? options.concurrency)
                )
            } catch let error as BackendError {
                throw CommandFailure(exitCode: ExitCode.dataError, message: "model '\(spec.name)': \(error.message)")
            }
        }

        // The baseline is read before anything runs: a missing or unreadable one changes nothing on disk.
        if let baseline = options.baseline {
            options.baselineReport = try ReportLocation.load(baseline).report
        }

        // A log-probability suite needs a backend that scores: refused here, before any request or file.
        let unable = Self.scoringProblems(suites: suites, backends: backends)
        if !unable.isEmpty {
            ValidateCommand.printDiagnostics(unable, console: console)
            throw CommandFailure(
                exitCode: ExitCode.dataError,
                message: "a suite scores options by log-probability and a model cannot; nothing was run"
            )
        }

        if options.dryRun {
            console.out(DryRun.describe(suites: suites, options: options, backends: backends))
            return ExitCode.success
        }

        if interruption.isSignalled {
            throw CommandFailure(
                exitCode: ExitCode.interrupted,
                message: "interrupted before the run started; nothing was written"
            )
        }
        let startedAt = Date()
        let runID = makeRunID(startedAt)
        let runDirectory = options.out ?? "Reports/\(runID)"
        let directories =
            specs.count == 1
            ? [runDirectory] : specs.map { runDirectory + "/" + RunManifest.directoryName(for: $0.name) }
        // A run directory that holds a run is refused before anything is written (run.json included); one to resume
        // is read here, once.
        var held: [RunJournal.Contents?] = []
        for (index, backend) in backends.enumerated() {
            let header = ModelRun.header(
                runID: runID,
                startedAt: startedAt,
                backend: backend,
                suites: suites,
                options: options
            )
            held.append(
                try ModelRun.heldRun(
                    in: directories[index],
                    runDirectory: runDirectory,
                    expected: header,
                    suites: suites,
                    options: options
                )
            )
        }
        do {
            try FileOutput.createDirectory(runDirectory)
            try RunManifest(arguments: RunManifest.normalized(arguments, out: runDirectory)).write(to: runDirectory)
        } catch {
            throw CommandFailure(
                exitCode: ExitCode.cannotCreate,
                message: "cannot write to '\(runDirectory)': \(error)"
            )
        }

        var worst = ExitCode.success
        var reports: [RunReport] = []
        for (index, backend) in backends.enumerated() {
            let spec = specs[index]
            let outcome = try await ModelRun(
                suites: suites,
                spec: spec,
                backend: backend,
                options: options,
                directory: directories[index],
                runID: specs.count == 1 ? runID : runID + "-" + RunManifest.directoryName(for: spec.name),
                runDirectory: runDirectory,
                held: held[index],
                console: console,
                interruption: interruption
            ).run()
            reports.append(outcome.report)
            worst = moreSevere(worst, outcome.exitCode)
            if outcome.exitCode == ExitCode.interrupted { break }
        }

        for judge in judges.values {
            if let closing = judge as? any ClosableBackend { await closing.close() }
        }
        switch options.format {
        case "json": console.out(String(decoding: try reports[0].jsonData(), as: UTF8.self) + "\n")
        case "junit": console.out(reports[0].renderJUnit())
        case "md": for report in reports { console.out(report.renderMarkdown()) }
        case "none": break
        default:
            for report in reports {
                if reports.count > 1 { console.out("== \(report.backend.name)\n") }
                console.out(report.renderSummary())
                if reports.count > 1 { console.out("\n") }
            }
        }
        return worst
    }

    /// One error per suite scored by log-probability and model that cannot score (chat-only, Anthropic, command
    /// backends), located at the suite's `method`, naming backends that can.
    static func scoringProblems(suites: [Suite], backends: [any ModelBackend]) -> [SuiteDiagnostic] {
        var problems: [SuiteDiagnostic] = []
        for suite in suites {
            guard let choice = suite.choice, choice.method == .logprob else { continue }
            for backend in backends where !backend.capabilities.scoring {
                problems.append(
                    SuiteDiagnostic(
                        .unsupported,
                        "suite '\(suite.name)' scores options by log-probability (method: \"logprob\"), and "
                            + backend.identity.cannotScore,
                        at: choice.methodLocation ?? SourceLocation(file: suite.file, line: 1, column: 1)
                    )
                )
            }
        }
        return problems
    }

    /// Exit codes by severity: interrupted > could not complete > reports that cannot be compared > gate failed >
    /// success.
    static func moreSevere(_ a: Int32, _ b: Int32) -> Int32 {
        let order: [Int32] = [
            ExitCode.success, ExitCode.gateFailed, ExitCode.dataError, ExitCode.unavailable, ExitCode.interrupted,
        ]
        return (order.firstIndex(of: a) ?? 0) >= (order.firstIndex(of: b) ?? 0) ? a : b
    }

    /// `20261121-201530-3fa2c1`: sortable by time, unique enough for one machine's runs.
    static func makeRunID(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        var hash = SHA256()
        hash.update(
            "\(date.timeIntervalSince1970)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))"
        )
        return formatter.string(from: date) + "-" + String(SHA256.hexString(hash.finalize()).prefix(6))
    }
}
