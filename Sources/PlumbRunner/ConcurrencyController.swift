/// Adaptive concurrency: at most `limit` requests in flight, where the limit halves when the server answers
/// 429 (at most once per `cooldown` seconds, so one burst of 429s counts once) and grows by one after every
/// `limit` successes, back up to `maximum` (additive increase, multiplicative decrease, as TCP does).
public actor ConcurrencyController {
    public let maximum: Int
    public private(set) var limit: Int
    public private(set) var inFlight = 0
    /// How often the limit was lowered, for reports and tests.
    public private(set) var decreases = 0
    private var successesSinceChange = 0
    private var lastDecrease: ContinuousClock.Instant?
    private let cooldown: Duration
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(maximum: Int, cooldown: Duration = .seconds(1)) {
        self.maximum = max(1, maximum)
        self.limit = max(1, maximum)
        self.cooldown = cooldown
    }

    /// Waits for a free slot.
    public func acquire() async {
        if inFlight < limit {
            inFlight += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Frees a slot taken by `acquire`.
    public func release() {
        inFlight -= 1
        wakeWaiters()
    }

    public func recordSuccess() {
        guard limit < maximum else { return }
        successesSinceChange += 1
        if successesSinceChange >= limit {
            limit += 1
            successesSinceChange = 0
            wakeWaiters()
        }
    }

    public func recordRateLimited() {
        let now = ContinuousClock.now
        if let lastDecrease, now - lastDecrease < cooldown { return }
        lastDecrease = now
        limit = max(1, limit / 2)
        successesSinceChange = 0
        decreases += 1
    }

    private func wakeWaiters() {
        while inFlight < limit, !waiters.isEmpty {
            inFlight += 1
            waiters.removeFirst().resume()
        }
    }
}

/// Spaces request starts so no more than `perMinute` begin in any minute (evenly: one every 60/perMinute s).
public actor RequestRateLimiter {
    public let perMinute: Int
    private var next: ContinuousClock.Instant?

    public init(perMinute: Int) {
        self.perMinute = max(1, perMinute)
    }

    public func acquire() async throws {
        let interval = Duration.seconds(60.0 / Double(perMinute))
        let now = ContinuousClock.now
        let start = max(now, next ?? now)
        next = start + interval
        if start > now { try await Task.sleep(until: start, clock: .continuous) }
    }
}
