public import Foundation
public import PlumbCore

/// How a run behaves. Every default is documented in `plumb run --help` and Docs/runner.md.
public struct RunConfiguration: Sendable {
    /// The most requests in flight at once.
    public var concurrency: Int
    /// Halve the concurrency when the server answers 429, and grow it back after successes.
    public var adaptiveConcurrency: Bool
    /// Seconds one attempt may take before it counts as a (transient) timeout; nil: no limit.
    public var requestTimeout: Double?
    public var retry: RetryPolicy
    /// At most this many requests start per minute; nil: no cap.
    public var requestsPerMinute: Int?
    /// Beyond this many errors the run stops, keeps what finished, and is `aborted`; nil: never stop early.
    public var errorBudget: ErrorBudget?
    public var cache: ResponseCache?
    public var journal: RunJournal?
    /// Results already in a journal (a resumed run): items among them that did not error are not asked again.
    public var priorResults: [String: ItemResult]
    /// A uniform random number in [0, 1), for retry jitter. Tests make it deterministic.
    public var random: @Sendable () -> Double

    public init(
        concurrency: Int = 4,
        adaptiveConcurrency: Bool = true,
        requestTimeout: Double? = 120,
        retry: RetryPolicy = RetryPolicy(),
        requestsPerMinute: Int? = nil,
        errorBudget: ErrorBudget? = nil,
        cache: ResponseCache? = nil,
        journal: RunJournal? = nil,
        priorResults: [String: ItemResult] = [:],
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.concurrency = max(1, concurrency)
        self.adaptiveConcurrency = adaptiveConcurrency
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.requestsPerMinute = requestsPerMinute
        self.errorBudget = errorBudget
        self.cache = cache
        self.journal = journal
        self.priorResults = priorResults
        self.random = random
    }
}

/// Where a run stands, for progress lines.
public struct RunProgress: Sendable, Hashable {
    public var finished: Int
    public var total: Int
    public var passed: Int
    public var failed: Int
    public var errors: Int
    public var retries: Int
    public var elapsed: Double

    public init(finished: Int, total: Int, passed: Int, failed: Int, errors: Int, retries: Int = 0, elapsed: Double) {
        self.finished = finished
        self.total = total
        self.passed = passed
        self.failed = failed
        self.errors = errors
        self.retries = retries
        self.elapsed = elapsed
    }
}

/// What a run produced: one result per planned item, in plan order.
public struct RunOutcome: Sendable {
    public var results: [ItemResult]
    /// Cancelled before every item finished; unfinished items are errors with code `notRun`.
    public var interrupted: Bool
    /// Stopped because errors exceeded the budget; unfinished items are errors with code `notRun`.
    public var aborted: Bool
    public var statistics: RunStatistics
    public var startedAt: Date
    public var finishedAt: Date
}

/// One item of a plan, with the suite it belongs to and its position in the whole plan.
public struct PlannedItem: Sendable {
    public var suite: Int
    public var index: Int
    public var item: EvalItem

    public init(suite: Int, index: Int, item: EvalItem) {
        self.suite = suite
        self.index = index
        self.item = item
    }
}

/// Asks the backend for every item with bounded (adaptive) concurrency, retries transient failures, scores each
/// answer, journals it, and keeps results in plan order whatever order they finish in.
public struct Runner: Sendable {
    public var backend: any ModelBackend
    public var configuration: RunConfiguration

    public init(backend: any ModelBackend, configuration: RunConfiguration = RunConfiguration()) {
        self.backend = backend
        self.configuration = configuration
    }

    /// Every item of `suites`, in order, optionally only one shard's.
    public static func plan(_ suites: [Suite], shard: Shard? = nil) -> [PlannedItem] {
        var planned: [PlannedItem] = []
        var index = 0
        for (suiteIndex, suite) in suites.enumerated() {
            for item in Planner.items(for: suite) {
                if shard?.contains(itemID: item.id) ?? true {
                    planned.append(PlannedItem(suite: suiteIndex, index: index, item: item))
                }
                index += 1
            }
        }
        return planned
    }

    public func run(
        _ suites: [Suite],
        shard: Shard? = nil,
        progress: (@Sendable (RunProgress) -> Void)? = nil
    ) async -> RunOutcome {
        await run(suites, plan: Self.plan(suites, shard: shard), progress: progress)
    }

    public func run(
        _ suites: [Suite],
        plan: [PlannedItem],
        progress: (@Sendable (RunProgress) -> Void)? = nil
    ) async -> RunOutcome {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        var results = [ItemResult?](repeating: nil, count: plan.count)
        var statistics = RunStatistics()
        var counts = (passed: 0, failed: 0, errors: 0)
        var finished = 0
        var aborted = false

        func record(_ position: Int, _ result: ItemResult) {
            results[position] = result
            finished += 1
            switch result.outcome {
            case .pass: counts.passed += 1
            case .fail: counts.failed += 1
            case .error: counts.errors += 1
            }
        }

        // Items finished in an earlier attempt at this run are kept as they were.
        var units: [[Int]] = []
        for (position, planned) in plan.enumerated() {
            if let prior = configuration.priorResults[planned.item.id], prior.outcome != .error {
                var kept = prior
                kept.index = planned.index
                record(position, kept)
                statistics.resumed += 1
                continue
            }
            let previous = units.last?.last.map { plan[$0] }
            if backend.capabilities.multipleChoices, let previous, previous.suite == planned.suite,
                previous.item.sampleIndex == planned.item.sampleIndex, previous.item.request == planned.item.request,
                previous.item.repeatIndex + 1 == planned.item.repeatIndex
            {
                units[units.count - 1].append(position)
            } else {
                units.append([position])
            }
        }

        let controller = ConcurrencyController(maximum: configuration.concurrency)
        let rateLimiter = configuration.requestsPerMinute.map { RequestRateLimiter(perMinute: $0) }
        let context = ExecutionContext(
            backend: backend,
            configuration: configuration,
            controller: controller,
            rateLimiter: rateLimiter
        )

        await withTaskGroup(of: ([Int], [ItemResult], RunStatistics).self) { group in
            var next = 0
            func startNext() {
                guard next < units.count, !Task.isCancelled, !aborted else { return }
                let unit = units[next]
                next += 1
                let items = unit.map { plan[$0] }
                group.addTask {
                    let (unitResults, unitStatistics) = await context.execute(items, suites: suites)
                    return (unit, unitResults, unitStatistics)
                }
            }
            for _ in 0..<min(configuration.concurrency, units.count) { startNext() }
            while let (unit, unitResults, unitStatistics) = await group.next() {
                statistics.add(unitStatistics)
                for (position, result) in zip(unit, unitResults) where result.error?.code != "notRun" {
                    record(position, result)
                    try? configuration.journal?.append(result)
                }
                if let budget = configuration.errorBudget, !aborted,
                    budget.isExceeded(errors: counts.errors, planned: plan.count)
                {
                    aborted = true
                    group.cancelAll()
                }
                let elapsed = clock.now - start
                progress?(
                    RunProgress(
                        finished: finished,
                        total: plan.count,
                        passed: counts.passed,
                        failed: counts.failed,
                        errors: counts.errors,
                        retries: statistics.retries,
                        elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                    )
                )
                startNext()
            }
        }
        statistics.concurrencyDecreases = await controller.decreases

        var interrupted = false
        let complete: [ItemResult] = plan.enumerated().map { position, planned in
            if let result = results[position] { return result }
            if !aborted { interrupted = true }
            let sample = planned.item.sample(in: suites[planned.suite])
            var result = Self.emptyResult(planned, sample: sample)
            result.attempts = 0
            result.error = ItemError(
                code: "notRun",
                message: aborted
                    ? "not run: the run stopped when errors exceeded the budget" : "not run: the run was interrupted",
                transient: true
            )
            return result
        }
        return RunOutcome(
            results: complete,
            interrupted: interrupted,
            aborted: aborted,
            statistics: statistics,
            startedAt: startedAt,
            finishedAt: Date()
        )
    }

    static func emptyResult(_ planned: PlannedItem, sample: Sample) -> ItemResult {
        ItemResult(
            id: planned.item.id,
            index: planned.index,
            suite: planned.item.suiteName,
            sampleID: planned.item.sampleID,
            slot: planned.item.variant?.slot,
            group: planned.item.variant?.group,
            tuple: planned.item.variant.map { "\(planned.item.sampleID)/\($0.tupleKey)/r\(planned.item.repeatIndex)" },
            optionRotation: planned.item.optionRotation == 0 ? nil : planned.item.optionRotation,
            repeatIndex: planned.item.repeatIndex,
            tags: sample.tags,
            request: planned.item.request,
            attempts: 0,
            outcome: .error
        )
    }
}
