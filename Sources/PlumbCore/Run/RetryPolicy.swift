/// How transient failures are retried: exponential backoff with full jitter, honouring `Retry-After`.
///
/// The delay before retry *n* (1-based) is a uniform random value in `[0, min(maxDelay, baseDelay · 2^(n−1))]`
/// ("full jitter", as in the AWS Architecture Blog's "Exponential Backoff And Jitter"). When the server said how
/// long to wait (`Retry-After`), that wait is used instead (plus up to 10% jitter so clients do not return in
/// lockstep), as long as it is at most `maxRetryAfter`; a longer demand ends the retries.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (1 = never retry).
    public var maxAttempts: Int
    /// Seconds.
    public var baseDelay: Double
    /// Seconds.
    public var maxDelay: Double
    /// The longest `Retry-After` (seconds) Plumb will wait for; beyond it the item is an error.
    public var maxRetryAfter: Double

    public init(maxAttempts: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 30, maxRetryAfter: Double = 300) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// Seconds to wait before the next attempt, or nil when the error must not be retried (permanent, attempts
    /// spent, or a `Retry-After` longer than `maxRetryAfter`). `random` is a uniform value in [0, 1).
    public func delay(after error: BackendError, attempt: Int, random: Double) -> Double? {
        guard error.isTransient, attempt < maxAttempts else { return nil }
        if let retryAfter = error.retryAfter {
            guard retryAfter <= maxRetryAfter else { return nil }
            return max(0, retryAfter) * (1 + 0.1 * random)
        }
        let exponent = Double(1 << min(attempt - 1, 30))
        return min(maxDelay, baseDelay * exponent) * random
    }
}
