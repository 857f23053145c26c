public import Foundation

/// Counters a run keeps about its own work.
public struct RunStatistics: Sendable, Hashable, Codable {
    /// Calls made to the backend (each retry counts).
    public var requests = 0
    public var retries = 0
    public var rateLimited = 0
    public var timeouts = 0
    public var cacheHits = 0
    /// Items taken from the journal of an earlier, interrupted attempt at this run.
    public var resumed = 0
    /// How often adaptive concurrency lowered the limit.
    public var concurrencyDecreases = 0
    /// When the oldest answer taken from the response cache was stored (nil: none, or stored before it was
    /// recorded).
    public var oldestCached: Date?

    public init() {}
}

extension RunStatistics {
    public mutating func add(_ other: RunStatistics) {
        requests += other.requests
        retries += other.retries
        rateLimited += other.rateLimited
        timeouts += other.timeouts
        cacheHits += other.cacheHits
        resumed += other.resumed
        concurrencyDecreases += other.concurrencyDecreases
        if let other = other.oldestCached { oldestCached = min(oldestCached ?? other, other) }
    }
}
