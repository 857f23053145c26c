import PlumbCore

/// A proportion with its Wilson score interval — at the effective sample size when the observations come in
/// clusters (k answers to one prompt), so the interval is not too narrow.
public struct Rate: Sendable, Hashable, Codable {
    public var successes: Int
    public var total: Int
    /// `successes / total`, or nil when `total` is 0.
    public var value: Double?
    public var lower: Double?
    public var upper: Double?
    public var confidence: Double
    /// When the observations are clustered: the design effect the interval's sample size was divided by (Wilson at
    /// `total / designEffect`); nil for independent observations.
    public var designEffect: Double?

    public init(successes: Int, total: Int, confidence: Double = 0.95, designEffect: Double? = nil) {
        self.successes = successes
        self.total = total
        self.confidence = confidence
        let effect = designEffect.flatMap { $0 > 1 ? $0 : nil }
        self.designEffect = effect
        guard total > 0 else { return }
        value = Double(successes) / Double(total)
        let interval =
            effect.map { effect in
                Statistics.wilsonInterval(
                    proportion: Double(successes) / Double(total),
                    size: Double(total) / effect,
                    confidence: confidence
                )
            } ?? Statistics.wilsonInterval(successes: successes, total: total, confidence: confidence)
        lower = interval?.lower
        upper = interval?.upper
    }
}

/// Counts and rates for a set of items.
public struct Tally: Sendable, Hashable, Codable {
    public var items: Int
    public var passed: Int
    public var failed: Int
    public var errors: Int
    /// Passed over all items: errors count as not passed.
    public var passRate: Rate

    public init(items: Int, passed: Int, failed: Int, errors: Int) {
        self.items = items
        self.passed = passed
        self.failed = failed
        self.errors = errors
        self.passRate = Rate(successes: passed, total: items)
    }

    public init(_ outcomes: some Sequence<ItemOutcome>) {
        var passed = 0
        var failed = 0
        var errors = 0
        for outcome in outcomes {
            switch outcome {
            case .pass: passed += 1
            case .fail: failed += 1
            case .error: errors += 1
            }
        }
        self.init(items: passed + failed + errors, passed: passed, failed: failed, errors: errors)
    }

    public var errorRate: Double? { items == 0 ? nil : Double(errors) / Double(items) }
}
