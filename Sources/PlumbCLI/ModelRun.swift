import Foundation
import Synchronization
import PlumbBackends
import PlumbCore
import PlumbMetrics
import PlumbReports
import PlumbRunner

#if canImport(Glibc)
    import Glibc
#endif

/// One model's run of the suites, from start to report: resume from a journal of the same run or start afresh
/// (refusing a directory that holds another run), open the response cache when the backend's answers are worth
/// caching, run with progress and Ctrl-C, assemble the report, write report.json and report.html, and say what
/// happened. `plumb run` makes one per `--model`.
struct ModelRun {
    var suites: [Suite]
    var spec: ModelSpec
    var backend: any ModelBackend
    var options: RunCommand.Options
    var directory: String
    /// The id of a new run (`Reports/<run-id>` when no `--out` was given); a resumed run keeps its own.
    var runID: String
    /// The directory `plumb run --resume` takes to finish this run (`directory`, or its parent with several models).
    var runDirectory: String
    /// The journal to resume from, as `plumb run` read and checked it (``heldRun(in:runDirectory:expected:suites:options:)``)
    /// before writing anything; nil to start afresh.
    var held: RunJournal.Contents?
    var console: Console
    /// SIGINT and SIGTERM, caught since `plumb run` started.
    var interruption: Interruption

    struct Outcome {
        var report: RunReport
        var exitCode: Int32
    }

    func run() async throws -> Outcome {
        let reportPath = directory + "/report.json"
        let journalPath = directory + "/journal.jsonl"
        let manager = FileManager.default

        // Resume from a journal of the same run, or start afresh.
        var prior: [String: ItemResult] = [:]
        var runID = self.runID
        var startedAt = Date()
        var journal: RunJournal
        do {
            try FileOutput.createDirectory(directory)
            if let contents = held {
                prior = contents.results
                runID = contents.header.runID
                startedAt = contents.header.startedAt
                let usable = prior.values.filter { $0.outcome != .error }.count
                console.err("plumb: resuming run \(runID): \(usable) finished items in the journal\n")
                if !contents.skippedLines.isEmpty {
                    console.err(
                        "plumb: skipped unreadable journal line(s) \(contents.skippedLines.map(String.init).joined(separator: ", ")) (a torn write from a kill)\n"
                    )
                }
                journal = try RunJournal(appendingTo: journalPath)
            } else {
                if manager.fileExists(atPath: reportPath) && !options.overwrite {
                    throw UsageError(
                        "'\(reportPath)' already exists; choose another --out or pass --overwrite",
                        command: "run"
                    )
                }
                let header = Self.header(
                    runID: runID,
                    startedAt: startedAt,
                    backend: backend,
                    suites: suites,
                    options: options
                )
                journal = try RunJournal.create(at: journalPath, header: header)
            }
        } catch let error as UsageError {
            throw error
        } catch {
            throw CommandFailure(exitCode: ExitCode.cannotCreate, message: "cannot write to '\(directory)': \(error)")
        }

        var cache: ResponseCache?
        if let cacheDirectory = options.cacheDirectory, !backend.capabilities.answersLocally {
            cache = try? ResponseCache(
                directory: cacheDirectory,
                identity: backend.identity,
                maxAge: options.cacheMaxAge
            )
            if cache == nil {
                console.err("plumb: warning: cannot open the cache in '\(cacheDirectory)'; running without\n")
            }
        }

        let configuration = RunConfiguration(
            concurrency: spec.concurrency ?? options.concurrency,
            adaptiveConcurrency: options.adaptive,
            requestTimeout: spec.requestTimeout ?? options.timeout,
            retry: RetryPolicy(maxAttempts: options.retries + 1),
            requestsPerMinute: spec.requestsPerMinute ?? options.rpm,
            errorBudget: options.errorBudget,
            cache: cache,
            journal: journal,
            priorResults: prior
        )
        let plan = Runner.plan(suites, shard: options.shard)
        let shardText = options.shard.map { ", shard \($0)" } ?? ""
        console.err(
            "plumb: \(suites.count) suite\(suites.count == 1 ? "" : "s"), \(plan.count) items\(shardText), model \(backend.identity)\n"
        )
        let progress = ProgressPrinter(console: console, label: "plumb:")
        let runner = Runner(backend: backend, configuration: configuration)
        let runTask = Task { await runner.run(suites, plan: plan, progress: { progress.update($0) }) }
        interruption.onSignal { runTask.cancel() }
        let outcome = await runTask.value
        progress.finish()
        if let closing = backend as? any ClosableBackend { await closing.close() }

        let status: RunStatus = outcome.interrupted ? .interrupted : outcome.aborted ? .aborted : .completed
        var report = try RunReport.assemble(
            runID: runID,
            suites: suites,
            results: outcome.results,
            backend: backend.identity,
            status: status,
            startedAt: startedAt,
            finishedAt: outcome.finishedAt,
            shard: options.shard,
            statistics: outcome.statistics,
            errorBudget: options.errorBudget
        )
        if let whole = options.wholeItemCount {
            report.subset = options.selection.description
            report.subsetOf = whole
        }
        // With --baseline: compare, and add the regression gates to the report (so its verdict has them).
        var comparison: Comparison?
        var incomparable: String?
        if let baseline = options.baselineReport, let label = options.baseline {
            do {
                let compared = try Comparison.compare(
                    baseline: baseline,
                    candidate: report,
                    baselineLabel: label,
                    candidateLabel: directory,
                    options: Comparison.Options(maxDrops: options.maxDrops)
                )
                comparison = compared
                report = report.adding(regressionGates: compared)
            } catch {
                incomparable = error.message
            }
        }
        do {
            try report.writeJSON(toFile: reportPath)
            try report.writeHTML(toFile: directory + "/report.html")
            try comparison?.writeDocuments(in: directory)
        } catch {
            throw CommandFailure(
                exitCode: ExitCode.cannotCreate,
                message: "cannot write the report to '\(directory)': \(error)"
            )
        }
        let stats = outcome.statistics
        let age = stats.oldestCached.map { " (oldest \(NumberText.duration(Date().timeIntervalSince($0))) old)" } ?? ""
        console.err(
            "plumb: \(stats.requests) requests, \(stats.retries) retries, \(stats.rateLimited) rate-limited, "
                + "\(stats.cacheHits) from cache\(age), \(stats.resumed) resumed\n"
        )
        if let drift = Self.servedDrift(report.items) { console.err("plumb: warning: \(drift)\n") }
        console.err("plumb: wrote \(reportPath) and \(directory)/report.html\n")
        if let comparison {
            let flips = comparison.suites.flatMap(\.flips)
            let lost = flips.filter { $0.direction == "pass→fail" }.count
            console.err(
                "plumb: compared with \(options.baseline ?? ""): \(lost) pass→fail, \(flips.count - lost) fail→pass; "
                    + "\(comparison.headline); wrote \(directory)/comparison.json, .html and .md\n"
            )
        }
        var exitCode = Self.exitCode(for: report, budget: options.errorBudget, resume: runDirectory, console: console)
        if let incomparable {
            console.err("plumb: cannot compare with the baseline: \(incomparable)\n")
            // 65 unless the run itself ended worse (interrupted, or errors beyond the budget).
            exitCode = RunCommand.moreSevere(exitCode, ExitCode.dataError)
        }
        return Outcome(report: report, exitCode: exitCode)
    }

    /// Why a journal's header does not belong to this run, or nil when it does.
    /// When answers taken from the cache were served as something else than this run's live answers (a checkpoint
    /// redeployed under the same URL), what to say; nil otherwise.
    ///
    /// A different model name means another checkpoint; the same model with another system fingerprint means
    /// another backend configuration (OpenAI changes it with infrastructure too), which may change answers and is
    /// said as such.
    static func servedDrift(_ items: [ItemResult]) -> String? {
        func model(_ served: String) -> String {
            served.range(of: " (").map { String(served[..<$0.lowerBound]) } ?? served
        }
        let live = Set(items.filter { !$0.cached }.compactMap(\.served))
        let stale = items.filter(\.cached).filter { $0.served.map { !live.contains($0) } ?? false }
        guard !live.isEmpty, !stale.isEmpty else { return nil }
        let old = Set(stale.compactMap(\.served)).sorted().joined(separator: ", ")
        let otherModel = stale.contains { item in !live.map(model).contains(model(item.served ?? "")) }
        return "\(stale.count) answer\(stale.count == 1 ? "" : "s") from the cache were served as \(old); this run's "
            + "live answers as \(live.sorted().joined(separator: ", ")) — "
            + (otherModel
                ? "the cache holds another model's answers"
                : "the same model under another system fingerprint (backend configuration), which can change answers")
            + ": run without --cache, or with --cache-max-age"
    }

    /// The journal header of a run of `suites` by `backend` with `options`.
    static func header(
        runID: String,
        startedAt: Date,
        backend: any ModelBackend,
        suites: [Suite],
        options: RunCommand.Options
    ) -> RunJournal.Header {
        RunJournal.Header(
            runID: runID,
            startedAt: startedAt,
            backend: backend.identity,
            suites: Dictionary(uniqueKeysWithValues: suites.map { ($0.name, $0.contentHash) }),
            shard: options.shard?.description,
            scoring: scoring(suites),
            subset: options.selection.isEmpty ? nil : options.selection.description
        )
    }

    /// The journal in `directory` to resume from, or nil when there is none (or `--overwrite` discards it). Throws
    /// the usage error that refuses it: unreadable, of another run (naming what differs), or — without `--resume`
    /// — held by a run this command would otherwise silently reuse. `plumb run` calls it for every model before
    /// writing anything and hands each ``ModelRun`` what it read.
    static func heldRun(
        in directory: String,
        runDirectory: String,
        expected header: RunJournal.Header,
        suites: [Suite],
        options: RunCommand.Options
    ) throws -> RunJournal.Contents? {
        let journalPath = directory + "/journal.jsonl"
        guard FileManager.default.fileExists(atPath: journalPath), !options.overwrite else { return nil }
        let contents: RunJournal.Contents
        do {
            contents = try RunJournal.read(journalPath)
        } catch {
            throw UsageError("\(error); pass --overwrite to start afresh in '\(directory)'", command: "run")
        }
        if let mismatch = mismatch(contents.header, header) {
            throw UsageError(
                "'\(directory)' holds another run (\(mismatch)); choose another --out or pass --overwrite",
                command: "run"
            )
        }
        guard options.resuming else {
            let plan = Runner.plan(suites, shard: options.shard)
            let finished = plan.filter { contents.results[$0.item.id].map { $0.outcome != .error } ?? false }.count
            throw UsageError(
                "'\(directory)' holds run \(contents.header.runID) (\(finished) of \(plan.count) items finished); "
                    + "pass --resume \(runDirectory) to finish or report it again, or --overwrite to start afresh",
                command: "run"
            )
        }
        return contents
    }

    /// The header's `scoring`: Plumb's version and the identity of every classifier the suites' checks use
    /// (`classifier` checks, and `refusal` checks with the scored detector).
    static func scoring(_ suites: [Suite]) -> [String: String] {
        var scoring = ["plumb": PlumbVersion.current]
        let registry = CheckSetup.classifiers()
        for binding in suites.flatMap(\.checks) {
            var name: String?
            if binding.type == "classifier", case .string(let named)? = binding.parameters["classifier"] {
                name = named
            } else if binding.type == "refusal", case .string("scored")? = binding.parameters["detector"] {
                name = "refusal"
            }
            guard let name, scoring["classifier " + name] == nil else { continue }
            let identity = (try? registry.classifier(named: name))?.map { "\($0.identity.name) \($0.identity.version)" }
            scoring["classifier " + name] = identity ?? "unavailable"
        }
        return scoring
    }

    static func mismatch(_ found: RunJournal.Header, _ expected: RunJournal.Header) -> String? {
        if found.backend != expected.backend { return "its model is \(found.backend), not \(expected.backend)" }
        if found.shard != expected.shard {
            return "it is shard \(found.shard ?? "none"), not \(expected.shard ?? "none")"
        }
        if found.subset != expected.subset {
            return "it asked \(found.subset ?? "the whole suites"), not \(expected.subset ?? "the whole suites")"
        }
        if found.scoring != expected.scoring {
            let old = found.scoring ?? [:]
            let new = expected.scoring ?? [:]
            guard found.scoring != nil else {
                return "its journal does not record what scored it (an earlier Plumb wrote it)"
            }
            let changed = Set(old.keys).union(new.keys).sorted().filter { old[$0] != new[$0] }
            return "it was scored with "
                + changed.map { "\($0) \(old[$0] ?? "none"), now \(new[$0] ?? "none")" }.joined(separator: "; ")
        }
        if found.suites != expected.suites {
            let changed = Set(found.suites.keys).symmetricDifference(expected.suites.keys).union(
                found.suites.keys.filter { expected.suites[$0] != nil && expected.suites[$0] != found.suites[$0] }
            )
            return
                "suite\(changed.count == 1 ? "" : "s") \(changed.sorted().map { "'\($0)'" }.joined(separator: ", ")) changed"
        }
        return nil
    }

    /// The run's exit code (from its verdict), with a line on stderr that says what to do when it is not a pass.
    static func exitCode(for report: RunReport, budget: ErrorBudget?, resume: String, console: Console) -> Int32 {
        let name = report.backend.name
        let verdict = report.verdict
        switch verdict {
        case .interrupted:
            console.err("plumb: interrupted; resume with 'plumb run --resume \(resume)' (\(name))\n")
        case .aborted:
            console.err("plumb: stopped: errors exceeded --max-errors \(budget?.description ?? "") (\(name))\n")
        case .incomplete(let errors, _):
            console.err(
                "plumb: \(errors) item\(errors == 1 ? "" : "s") could not be answered (\(name)); see the report, "
                    + (budget == nil ? "or allow some with --max-errors\n" : "more than --max-errors \(budget!)\n")
            )
        case .held, .gatesFailed:
            break
        }
        return ExitCode.of(verdict)
    }
}

/// SIGINT and SIGTERM, caught from the first moment of `plumb run` (before anything is read or written), so a
/// signal at any point ends the run with exit code 130 — before the run starts, with nothing written; during it,
/// with the report of what finished — never with the process killed by the signal. A second signal ends the
/// process at once with 130 (the journal is kept, so `--resume` finishes the run).
///
/// The signals are caught by a C handler that writes the signal's number to a pipe (the self-pipe pattern), not
/// ignored: an ignored signal stays ignored in the programs a command backend starts, which could then not be
/// stopped with SIGTERM; a caught one returns to its default action in them.
final class Interruption: Sendable {
    final class Shared: Sendable {
        let state = Mutex<(signals: Int, handlers: [@Sendable () -> Void])>((0, []))
    }

    let shared = Shared()
    // @unchecked: created in `init`, cancelled once in `stop()`.
    struct UncheckedSource: @unchecked Sendable {
        var source: any DispatchSourceRead
    }
    let reader: UncheckedSource

    init() {
        let pipe = SignalPipe.shared  // made before the handler can run: the handler only writes to it
        let shared = self.shared
        let source = DispatchSource.makeReadSource(fileDescriptor: pipe.read, queue: .global())
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 16)
            let count = read(pipe.read, &buffer, buffer.count)
            guard count > 0 else { return }
            let (signals, handlers) = shared.state.withLock { state in
                state.signals += count
                return (state.signals, state.handlers)
            }
            if signals > 1 { _exit(130) }  // a second Ctrl-C: stop now
            for handler in handlers { handler() }
        }
        source.resume()
        reader = UncheckedSource(source: source)
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, plumbSignalHandler)
        }
    }

    /// True once SIGINT or SIGTERM arrived.
    var isSignalled: Bool { shared.state.withLock { $0.signals > 0 } }

    /// Calls `handler` when a signal arrives — at once when one already has.
    func onSignal(_ handler: @escaping @Sendable () -> Void) {
        let already = shared.state.withLock { state in
            state.handlers.append(handler)
            return state.signals > 0
        }
        if already { handler() }
    }

    /// Stops catching signals (their default action returns).
    func stop() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        reader.source.cancel()
    }
}

/// The pipe the signal handler writes to: made once, never closed.
struct SignalPipe: Sendable {
    let read: Int32
    let write: Int32

    static let shared: SignalPipe = {
        var descriptors: [Int32] = [0, 0]
        _ = pipe(&descriptors)
        _ = fcntl(descriptors[1], F_SETFL, fcntl(descriptors[1], F_GETFL) | O_NONBLOCK)
        _ = fcntl(descriptors[0], F_SETFL, fcntl(descriptors[0], F_GETFL) | O_NONBLOCK)
        return SignalPipe(read: descriptors[0], write: descriptors[1])
    }()
}

/// Async-signal-safe: writes one byte to the already-made pipe.
private func plumbSignalHandler(_ signalNumber: Int32) {
    var byte = UInt8(truncatingIfNeeded: signalNumber)
    _ = write(SignalPipe.shared.write, &byte, 1)
}
