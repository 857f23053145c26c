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
        let suiteHashes = Dictionary(uniqueKeysWithValues: suites.map { ($0.name, $0.contentHash) })
        let manager = FileManager.default

        // Resume from a journal of the same run, or start afresh.
        var prior: [String: ItemResult] = [:]
        var runID = RunCommand.makeRunID(Date())
        var startedAt = Date()
        var journal: RunJournal
        do {
            try FileOutput.createDirectory(directory)
            let header = RunJournal.Header(
                runID: runID,
                startedAt: startedAt,
                backend: backend.identity,
                suites: suiteHashes,
                shard: options.shard?.description
            )
            if manager.fileExists(atPath: journalPath) && !options.overwrite {
                let contents: RunJournal.Contents
                do {
                    contents = try RunJournal.read(journalPath)
                } catch {
                    throw UsageError("\(error); pass --overwrite to start afresh in '\(directory)'", command: "run")
                }
                if let mismatch = Self.mismatch(contents.header, header) {
                    throw UsageError(
                        "'\(directory)' holds another run (\(mismatch)); choose another --out or pass --overwrite",
                        command: "run"
                    )
                }
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
                journal = try RunJournal.create(at: journalPath, header: header)
            }
        } catch let error as UsageError {
            throw error
        } catch {
            throw CommandFailure(exitCode: ExitCode.cannotCreate, message: "cannot write to '\(directory)': \(error)")
        }

        var cache: ResponseCache?
        if let cacheDirectory = options.cacheDirectory, !backend.capabilities.answersLocally {
            cache = try? ResponseCache(directory: cacheDirectory, identity: backend.identity)
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
        let report = try RunReport.assemble(
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
        do {
            try report.writeJSON(toFile: reportPath)
            try FileOutput.writeAtomically(report.renderHTML(), to: directory + "/report.html")
        } catch {
            throw CommandFailure(
                exitCode: ExitCode.cannotCreate,
                message: "cannot write the report to '\(directory)': \(error)"
            )
        }
        let stats = outcome.statistics
        console.err(
            "plumb: \(stats.requests) requests, \(stats.retries) retries, \(stats.rateLimited) rate-limited, "
                + "\(stats.cacheHits) from cache, \(stats.resumed) resumed\n"
        )
        console.err("plumb: wrote \(reportPath) and \(directory)/report.html\n")
        return Outcome(
            report: report,
            exitCode: Self.exitCode(for: report, budget: options.errorBudget, console: console)
        )
    }

    /// Why a journal's header does not belong to this run, or nil when it does.
    static func mismatch(_ found: RunJournal.Header, _ expected: RunJournal.Header) -> String? {
        if found.backend != expected.backend { return "its model is \(found.backend), not \(expected.backend)" }
        if found.shard != expected.shard {
            return "it is shard \(found.shard ?? "none"), not \(expected.shard ?? "none")"
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
    static func exitCode(for report: RunReport, budget: ErrorBudget?, console: Console) -> Int32 {
        let name = report.backend.name
        let verdict = report.verdict
        switch verdict {
        case .interrupted:
            console.err("plumb: interrupted; resume with 'plumb run --resume <out>' (\(name))\n")
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
/// with the report of what finished — never with the process killed by the signal.
final class Interruption: Sendable {
    final class Shared: Sendable {
        let state = Mutex<(signalled: Bool, handlers: [@Sendable () -> Void])>((false, []))
    }

    let shared = Shared()
    // @unchecked: the sources are created in `init` and only cancelled in `stop()`, which the owner calls once.
    let sources: UncheckedSources

    struct UncheckedSources: @unchecked Sendable {
        var sources: [any DispatchSourceSignal]
    }

    init() {
        var sources: [any DispatchSourceSignal] = []
        let shared = self.shared
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                let handlers = shared.state.withLock { state in
                    state.signalled = true
                    return state.handlers
                }
                for handler in handlers { handler() }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = UncheckedSources(sources: sources)
    }

    /// True once SIGINT or SIGTERM arrived.
    var isSignalled: Bool { shared.state.withLock { $0.signalled } }

    /// Calls `handler` when a signal arrives — at once when one already has.
    func onSignal(_ handler: @escaping @Sendable () -> Void) {
        let already = shared.state.withLock { state in
            state.handlers.append(handler)
            return state.signalled
        }
        if already { handler() }
    }

    /// Stops catching signals (their default action returns).
    func stop() {
        for source in sources.sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
