import Foundation
import PlumbBackends
import PlumbChecks
import PlumbCore
import PlumbReports
import PlumbRunner

/// `plumb run PATH... --model SPEC`: evaluates suites and writes `report.json` and `report.html`.
enum RunCommand {
    static let usage = "plumb run <suite-or-directory>... --model <spec> [--out <dir>] [--concurrency <n>]"
    static let options: [OptionSpec] = [
        .value("--model", "SPEC", help: "the model to evaluate (required): builtin, replay:PATH"),
        .value("--out", "DIR", help: "where to write report.json and report.html (default: Reports/<run-id>)"),
        .value("--concurrency", "N", help: "requests in flight at once (default: 4)"),
        .value("--format", "FORMAT", help: "what to print on stdout: table (default), json, md, none"),
        .flag("--overwrite", help: "replace a report already in --out"),
        .flag("--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: Console) async throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: "run")
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary:
                        "Evaluate suites against a model, print a summary, write a report, gate with the exit code.",
                    options: options,
                    details: """
                        MODELS:
                        \(BackendFactory.specSummary)

                        The exit code is 0 when every gate held, 1 when a gate failed, 65 when a suite has errors
                        (nothing runs), 69 when items could not be answered (backend errors; the report is still
                        written), 130 when interrupted (what finished is written).
                        """
                )
            )
            return ExitCode.success
        }
        guard !parsed.positionals.isEmpty else {
            throw UsageError("give at least one suite file or directory", command: "run")
        }
        guard let modelSpec = parsed.value("--model") else {
            throw UsageError("--model is required (for example --model builtin)", command: "run")
        }
        let concurrency = try parsed.int("--concurrency", in: 1...1024, command: "run") ?? 4
        let format = parsed.value("--format") ?? "table"
        guard ["table", "json", "md", "none"].contains(format) else {
            throw UsageError("--format takes table, json, md or none, not '\(format)'", command: "run")
        }

        // Load everything before touching the output directory: a bad suite changes nothing on disk.
        let loader = SuiteLoader(registry: .builtins)
        let (suites, diagnostics) = loader.load(parsed.positionals)
        ValidateCommand.printDiagnostics(diagnostics, console: console)
        let errorCount = diagnostics.filter { $0.severity == .error }.count
        if errorCount > 0 {
            throw CommandFailure(
                exitCode: ExitCode.dataError,
                message: "\(errorCount) error\(errorCount == 1 ? "" : "s") in suite files; nothing was run"
            )
        }

        let backend: any ModelBackend
        do {
            backend = try BackendFactory.make(spec: modelSpec)
        } catch let error as BackendError {
            throw UsageError(error.message, command: "run")
        }

        let startedAt = Date()
        let runID = makeRunID(startedAt)
        let outDirectory = parsed.value("--out") ?? "Reports/\(runID)"
        let reportPath = outDirectory + "/report.json"
        if FileManager.default.fileExists(atPath: reportPath) && !parsed.flag("--overwrite") {
            throw UsageError(
                "'\(reportPath)' already exists; choose another --out or pass --overwrite",
                command: "run"
            )
        }

        let itemCount = suites.reduce(0) { $0 + $1.samples.count * $1.generation.samplesPerPrompt }
        console.err(
            "plumb: \(suites.count) suite\(suites.count == 1 ? "" : "s"), \(itemCount) items, model \(backend.identity)\n"
        )
        let progress = ProgressPrinter(console: console, label: "plumb:")
        let runner = Runner(backend: backend, configuration: RunConfiguration(concurrency: concurrency))
        let runTask = Task { await runner.run(suites, progress: { progress.update($0) }) }
        let signals = SignalTrap { runTask.cancel() }
        let outcome = await runTask.value
        signals.cancel()
        progress.finish()

        let status: RunStatus = outcome.interrupted ? .interrupted : .completed
        let report = Aggregation.report(
            runID: runID,
            suites: suites,
            results: outcome.results,
            backend: backend.identity,
            status: status,
            startedAt: outcome.startedAt,
            finishedAt: outcome.finishedAt
        )
        do {
            try FileOutput.createDirectory(outDirectory)
            try FileOutput.writeAtomically(try report.jsonData(), to: reportPath)
            try FileOutput.writeAtomically(Data(report.renderHTML().utf8), to: outDirectory + "/report.html")
        } catch {
            throw CommandFailure(
                exitCode: ExitCode.cannotCreate,
                message: "cannot write the report to '\(outDirectory)': \(error)"
            )
        }

        switch format {
        case "json": console.out(String(decoding: try report.jsonData(), as: UTF8.self) + "\n")
        case "md": console.out(report.renderMarkdown())
        case "none": break
        default: console.out(Summary.table(report))
        }
        console.err("plumb: wrote \(reportPath) and \(outDirectory)/report.html\n")
        return exitCode(for: report, console: console)
    }

    static func exitCode(for report: RunReport, console: Console) -> Int32 {
        if report.status == .interrupted {
            console.err("plumb: interrupted; the report holds what finished\n")
            return ExitCode.interrupted
        }
        let errors = report.totals.tally.errors
        if errors > 0 {
            console.err("plumb: \(errors) item\(errors == 1 ? "" : "s") could not be answered (see the report)\n")
            return ExitCode.unavailable
        }
        return report.gatesHeld ? ExitCode.success : ExitCode.gateFailed
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

/// Cancels the run on SIGINT or SIGTERM, so the runner stops starting items and the report keeps what finished.
final class SignalTrap {
    let sources: [any DispatchSourceSignal]

    init(_ handler: @escaping @Sendable () -> Void) {
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
