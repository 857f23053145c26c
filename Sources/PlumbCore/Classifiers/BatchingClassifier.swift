import Synchronization

/// Wraps a classifier so that many concurrent callers share its calls: identical texts are scored once (a cache,
/// and one call for texts already on their way), and texts asked for while earlier calls are in flight are sent
/// together in the next call.
///
/// Batching needs no timer: a text is sent at once when fewer than `maxConcurrentBatches` calls are in flight;
/// otherwise it waits in a queue, and when a call returns the queue goes out as the next call (up to
/// `maxBatchSize` texts each). A lone caller therefore never waits for company, and under load (many items scored
/// at once) the batches grow by themselves.
///
/// Safe to call from any number of tasks. Errors are never cached: a failed text is asked for again by the next
/// caller. A row whose length does not match the labels, or holding a score that is not a number in 0…1, is an
/// error for that text alone. Calls run in their own tasks, so a caller that is cancelled does not cancel a call
/// other callers wait for; the cancelled caller waits for its call to return.
public final class BatchingClassifier: TextClassifier, Sendable {
    /// Counts, for tests and diagnostics.
    public struct Statistics: Sendable, Hashable {
        /// Texts asked for, counting repeats.
        public var requested = 0
        /// Texts answered from the cache.
        public var cacheHits = 0
        /// Texts that joined a call already made for the same text.
        public var joined = 0
        /// Calls made to the wrapped classifier.
        public var calls = 0
        /// Texts sent to the wrapped classifier, over all calls.
        public var textsSent = 0
        /// Texts waiting for a call right now.
        public var queued = 0
        /// Calls in flight right now.
        public var inFlight = 0
    }

    /// The classifier that does the scoring.
    public let wrapped: any TextClassifier
    public let identity: ClassifierIdentity
    /// The most texts sent in one call.
    public let maxBatchSize: Int
    /// The most calls in flight at once.
    public let maxConcurrentBatches: Int
    /// The most texts whose scores are kept; the oldest are forgotten first.
    public let cacheLimit: Int

    /// One text on its way: its result once known, and the callers waiting for it.
    final class Pending: Sendable {
        struct State {
            var result: Result<[Double], any Error>?
            var waiters: [CheckedContinuation<[Double], any Error>] = []
        }
        let state = Mutex(State())

        func value() async throws -> [Double] {
            try await withCheckedThrowingContinuation { continuation in
                let ready: Result<[Double], any Error>? = state.withLock { state in
                    if let result = state.result { return result }
                    state.waiters.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        }

        func resolve(_ result: Result<[Double], any Error>) {
            let waiters = state.withLock { state in
                state.result = result
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(with: result) }
        }
    }

    struct State {
        var cache: [String: [Double]] = [:]
        /// Cached texts in the order they were stored, from `cacheHead` on.
        var cacheOrder: [String] = []
        var cacheHead = 0
        var pending: [String: Pending] = [:]
        var queue: [String] = []
        var statistics = Statistics()
    }

    let state = Mutex(State())

    /// Wraps `classifier`. `maxBatchSize` and `maxConcurrentBatches` are at least 1; `cacheLimit` 0 turns the
    /// cache off (texts in flight are still shared).
    public init(
        _ classifier: any TextClassifier,
        maxBatchSize: Int = 64,
        maxConcurrentBatches: Int = 2,
        cacheLimit: Int = 10_000
    ) {
        self.wrapped = classifier
        self.identity = classifier.identity
        self.maxBatchSize = max(1, maxBatchSize)
        self.maxConcurrentBatches = max(1, maxConcurrentBatches)
        self.cacheLimit = max(0, cacheLimit)
    }

    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.queued = state.queue.count
            return statistics
        }
    }

    public func scores(for texts: [String]) async throws -> [[Double]] {
        var known: [String: [Double]] = [:]
        var waiting: [String: Pending] = [:]
        let batches: [[String]] = state.withLock { state in
            state.statistics.requested += texts.count
            for text in texts {
                if known[text] != nil || waiting[text] != nil {
                    state.statistics.joined += 1
                } else if let row = state.cache[text] {
                    known[text] = row
                    state.statistics.cacheHits += 1
                } else if let pending = state.pending[text] {
                    waiting[text] = pending
                    state.statistics.joined += 1
                } else {
                    let pending = Pending()
                    state.pending[text] = pending
                    state.queue.append(text)
                    waiting[text] = pending
                }
            }
            return takeBatches(&state)
        }
        for batch in batches { launch(batch) }
        for (text, pending) in waiting { known[text] = try await pending.value() }
        return texts.map { known[$0]! }
    }

    /// Takes batches off the queue while calls may start; counts them as in flight.
    func takeBatches(_ state: inout State) -> [[String]] {
        var batches: [[String]] = []
        while !state.queue.isEmpty, state.statistics.inFlight < maxConcurrentBatches {
            let count = min(maxBatchSize, state.queue.count)
            batches.append(Array(state.queue.prefix(count)))
            state.queue.removeFirst(count)
            state.statistics.inFlight += 1
            state.statistics.calls += 1
            state.statistics.textsSent += count
        }
        return batches
    }

    func launch(_ batch: [String]) {
        Task { await self.run(batch) }
    }

    func run(_ batch: [String]) async {
        let results: [Result<[Double], any Error>]
        do {
            let rows = try await wrapped.scores(for: batch)
            if rows.count == batch.count {
                results = rows.map { validate($0) }
            } else {
                let error = ClassifierError(
                    "classifier '\(identity.name)' returned \(rows.count) rows of scores for \(batch.count) texts"
                )
                results = Array(repeating: .failure(error), count: batch.count)
            }
        } catch {
            results = Array(repeating: .failure(error), count: batch.count)
        }
        let (pendings, next): ([Pending], [[String]]) = state.withLock { state in
            var pendings: [Pending] = []
            for (text, result) in zip(batch, results) {
                if let pending = state.pending.removeValue(forKey: text) { pendings.append(pending) }
                if case .success(let row) = result { store(row, for: text, in: &state) }
            }
            state.statistics.inFlight -= 1
            return (pendings, takeBatches(&state))
        }
        for (pending, result) in zip(pendings, results) { pending.resolve(result) }
        for batch in next { launch(batch) }
    }

    func validate(_ row: [Double]) -> Result<[Double], any Error> {
        let labels = identity.labels
        guard row.count == labels.count else {
            return .failure(
                ClassifierError(
                    "classifier '\(identity.name)' returned \(row.count) scores for \(labels.count) labels"
                )
            )
        }
        for (label, score) in zip(labels, row) where !(score >= 0 && score <= 1) {
            return .failure(
                ClassifierError(
                    "classifier '\(identity.name)' returned \(score) for '\(label)', not a number between 0 and 1"
                )
            )
        }
        return .success(row)
    }

    func store(_ row: [Double], for text: String, in state: inout State) {
        guard cacheLimit > 0, state.cache[text] == nil else { return }
        state.cache[text] = row
        state.cacheOrder.append(text)
        while state.cache.count > cacheLimit, state.cacheHead < state.cacheOrder.count {
            state.cache.removeValue(forKey: state.cacheOrder[state.cacheHead])
            state.cacheHead += 1
        }
        if state.cacheHead > 1_024, state.cacheHead * 2 > state.cacheOrder.count {
            state.cacheOrder.removeFirst(state.cacheHead)
            state.cacheHead = 0
        }
    }
}
