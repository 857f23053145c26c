public import Foundation
public import PlumbCore

/// How a run behaves.
public struct RunConfiguration: Sendable {
    /// How many requests are in flight at once.
    public var concurrency: Int

    public init(concurrency: Int = 4) {
        self.concurrency = max(1, concurrency)
    }
}

/// Where a run stands, for progress lines.
public struct RunProgress: Sendable, Hashable {
    public var finished: Int
    public var total: Int
    public var passed: Int
    public var failed: Int
    public var errors: Int
    public var elapsed: Double

    public init(finished: Int, total: Int, passed: Int, failed: Int, errors: Int, elapsed: Double) {
        self.finished = finished
        self.total = total
        self.passed = passed
        self.failed = failed
        self.errors = errors
        self.elapsed = elapsed
    }
}

/// What a run produced: one result per planned item, in plan order.
public struct RunOutcome: Sendable {
    public var results: [ItemResult]
    /// True when the run was cancelled before every item finished; unfinished items are errors with code
    /// `notRun`.
    public var interrupted: Bool
    public var startedAt: Date
    public var finishedAt: Date
}

/// Asks the backend for every item with bounded concurrency, scores each answer, and keeps results in plan order
/// whatever order they finish in.
public struct Runner: Sendable {
    public var backend: any ModelBackend
    public var configuration: RunConfiguration

    public init(backend: any ModelBackend, configuration: RunConfiguration = RunConfiguration()) {
        self.backend = backend
        self.configuration = configuration
    }

    /// The planned items of `suites`, with the suite each belongs to.
    public static func plan(_ suites: [Suite]) -> [(suite: Int, item: EvalItem)] {
        suites.enumerated().flatMap { index, suite in Planner.items(for: suite).map { (index, $0) } }
    }

    public func run(
        _ suites: [Suite],
        progress: (@Sendable (RunProgress) -> Void)? = nil
    ) async -> RunOutcome {
        let plan = Self.plan(suites)
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        var results = [ItemResult?](repeating: nil, count: plan.count)
        var counts = (passed: 0, failed: 0, errors: 0)
        var finished = 0

        await withTaskGroup(of: (Int, ItemResult).self) { group in
            var next = 0
            func startNext() {
                guard next < plan.count, !Task.isCancelled else { return }
                let index = next
                let (suiteIndex, item) = plan[index]
                let suite = suites[suiteIndex]
                next += 1
                group.addTask { [backend] in
                    (index, await Self.execute(item, suite: suite, backend: backend))
                }
            }
            for _ in 0..<min(configuration.concurrency, plan.count) { startNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                finished += 1
                switch result.outcome {
                case .pass: counts.passed += 1
                case .fail: counts.failed += 1
                case .error: counts.errors += 1
                }
                let elapsed = clock.now - start
                progress?(
                    RunProgress(
                        finished: finished,
                        total: plan.count,
                        passed: counts.passed,
                        failed: counts.failed,
                        errors: counts.errors,
                        elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                    )
                )
                startNext()
            }
        }

        var interrupted = false
        let complete: [ItemResult] = plan.enumerated().map { index, entry in
            if let result = results[index] { return result }
            interrupted = true
            let sample = suites[entry.suite].samples[entry.item.sampleIndex]
            return ItemResult(
                id: entry.item.id,
                suite: entry.item.suiteName,
                sampleID: entry.item.sampleID,
                repeatIndex: entry.item.repeatIndex,
                tags: sample.tags,
                request: entry.item.request,
                attempts: 0,
                outcome: .error,
                error: ItemError(code: "notRun", message: "not run: the run was interrupted", transient: true)
            )
        }
        return RunOutcome(results: complete, interrupted: interrupted, startedAt: startedAt, finishedAt: Date())
    }

    /// Asks for one item and scores the answer. Never throws: a backend failure is an error result.
    public static func execute(_ item: EvalItem, suite: Suite, backend: any ModelBackend) async -> ItemResult {
        let sample = suite.samples[item.sampleIndex]
        var result = ItemResult(
            id: item.id,
            suite: suite.name,
            sampleID: item.sampleID,
            repeatIndex: item.repeatIndex,
            tags: sample.tags,
            request: item.request,
            outcome: .error
        )
        let clock = ContinuousClock()
        let start = clock.now
        let response: ModelResponse
        do {
            response = try await backend.complete(item.request, in: item.context)
        } catch let error as BackendError {
            result.error = ItemError(code: error.code.rawValue, message: error.message, transient: error.isTransient)
            return result
        } catch is CancellationError {
            result.error = ItemError(code: "notRun", message: "not run: the run was interrupted", transient: true)
            return result
        } catch {
            result.error = ItemError(code: "backend", message: "\(error)", transient: false)
            return result
        }
        let elapsed = clock.now - start
        result.output = response.text
        result.finishReason = response.finishReason
        result.usage = response.usage
        result.latency =
            response.latency
            ?? (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        let scored = await Scorer.score(item: item, sample: sample, response: response, suite: suite)
        result.checks = scored.checks
        result.outcome = scored.outcome
        result.score = scored.score
        return result
    }
}
