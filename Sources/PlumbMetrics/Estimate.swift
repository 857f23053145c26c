import PlumbCore
/// A number with its interval and how the interval was made.
public struct Estimate: Sendable, Hashable, Codable {
    /// Nil when the number is undefined (no data, a ratio over zero).
    public var value: Double?
    public var lower: Double?
    public var upper: Double?
    public var confidence: Double
    /// `wilson`, `bootstrap` (percentile, over the units named in the report), `wilson-clustered` …
    public var method: String?

    public init(
        value: Double?,
        lower: Double? = nil,
        upper: Double? = nil,
        confidence: Double = 0.95,
        method: String? = nil
    ) {
        self.value = value
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
        self.method = method
    }
}

/// Percentile bootstrap over independent units (tuples of a `pairs` suite, prompts of a toxicity suite), with a
/// seeded generator so the same report gives the same intervals on every machine. Docs/metrics.md.
public struct Bootstrap: Sendable, Hashable, Codable {
    public var resamples: Int
    public var seed: UInt64

    public init(resamples: Int = 1_000, seed: UInt64 = 1) {
        self.resamples = resamples
        self.seed = seed
    }

    public static let standard = Bootstrap()
    /// No resamples: values without intervals.
    public static let none = Bootstrap(resamples: 0)

    /// The mean of every value, the values grouped in units (one unit per sample: its answers); the interval
    /// resamples the units with `bootstrap`, or is absent without one. Nil value when there are no values.
    public static func mean(_ units: [[Double]], bootstrap: Bootstrap?) -> Estimate {
        let mean: ([[Double]]) -> Double? = { units in
            let all = units.joined()
            return all.isEmpty ? nil : all.reduce(0, +) / Double(all.count)
        }
        return bootstrap.map { $0.estimate(units, mean) } ?? Estimate(value: mean(units))
    }

    /// The statistic over `units`, with the 2.5th and 97.5th percentiles of its values over `resamples` resamples
    /// of the units drawn with replacement. Resamples whose statistic is undefined are left out; with fewer than 2
    /// units the interval is absent.
    public func estimate<Unit>(_ units: [Unit], _ statistic: ([Unit]) -> Double?) -> Estimate {
        let value = statistic(units)
        guard let value, units.count >= 2 else { return Estimate(value: value, method: "bootstrap") }
        var generator = SplitMix64(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(resamples)
        var sample = units
        for _ in 0..<resamples {
            for index in sample.indices { sample[index] = units[Int(generator.next() % UInt64(units.count))] }
            if let resampled = statistic(sample) { values.append(resampled) }
        }
        guard !values.isEmpty else { return Estimate(value: value, method: "bootstrap") }
        values.sort()
        return Estimate(
            value: value,
            lower: Self.percentile(values, 0.025),
            upper: Self.percentile(values, 0.975),
            method: "bootstrap"
        )
    }

    /// The `p` quantile of sorted `values`, linear between order statistics (R's type 7).
    public static func percentile(_ values: [Double], _ p: Double) -> Double {
        let position = p * Double(values.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(values.count - 1, low + 1)
        let fraction = position - Double(low)
        return values[low] + (values[high] - values[low]) * fraction
    }
}
