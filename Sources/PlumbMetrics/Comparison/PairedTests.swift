public import Foundation
public import PlumbCore

/// The exact McNemar test on paired pass/fail outcomes (McNemar 1947): only the discordant pairs count — `b`
/// where the first run passed and the second did not, `c` the other way. Under "no difference" each discordant
/// pair goes either way with probability ½, so with n = b + c and k = min(b, c), X ~ Binomial(n, ½):
///
/// - exact two-sided p = min(1, 2 · P(X ≤ k));
/// - mid-p = min(1, 2 · (P(X < k) + ½ · P(X = k))) — the exact p minus the probability of the observed count, which
///   keeps the test's size near its nominal level instead of far below it (Fagerland, Lydersen and Laake 2013,
///   "The McNemar test for binary matched-pairs data: mid-p and asymptotic are better than exact conditional").
///
/// With no discordant pair both are 1. Plumb reports the mid-p (Docs/metrics.md#comparing-runs).
public enum McNemar {
    public struct Result: Sendable, Hashable, Codable {
        public var b: Int
        public var c: Int
        public var exact: Double
        public var midP: Double
    }

    public static func test(b: Int, c: Int) -> Result {
        let n = b + c
        guard n > 0, b >= 0, c >= 0 else { return Result(b: b, c: c, exact: 1, midP: 1) }
        let k = min(b, c)
        var below = 0.0  // P(X < k)
        for i in 0..<k { below += binomialHalf(n, i) }
        let at = binomialHalf(n, k)
        return Result(b: b, c: c, exact: min(1, 2 * (below + at)), midP: min(1, 2 * (below + at / 2)))
    }

    /// P(X = i) for X ~ Binomial(n, ½), through log-gamma so large n stays finite.
    static func binomialHalf(_ n: Int, _ i: Int) -> Double {
        let logChoose = lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1))
        return exp(logChoose - Double(n) * log(2.0))
    }
}

/// Holm's step-down correction for testing m hypotheses at once (Holm 1979): with the p-values sorted ascending,
/// the i-th (1-based) is multiplied by m − i + 1, capped at 1, and made no smaller than the one before it. The
/// family-wise error rate stays at most α for any dependence between the tests.
public enum Holm {
    /// The adjusted p-values, in the order given.
    public static func adjust(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}

/// A difference between two runs over the units they share, with its interval and p-value.
public struct PairedDifference: Sendable, Hashable, Codable {
    /// candidate − baseline.
    public var value: Double?
    /// The 95% percentile interval of the difference over resamples.
    public var lower: Double?
    public var upper: Double?
    /// Two-sided p-value of "no difference".
    public var pValue: Double?
    /// How the interval and p-value were computed: `paired bootstrap (N units, B resamples, seed S)`.
    public var method: String

    public init(value: Double?, lower: Double? = nil, upper: Double? = nil, pValue: Double? = nil, method: String) {
        self.value = value
        self.lower = lower
        self.upper = upper
        self.pValue = pValue
        self.method = method
    }
}

/// The paired bootstrap: both runs' values are computed on the **same** resampled units (samples, which hold a
/// prompt's k repeats, a `pairs` tuple's variants or a choice question's orders), so what the two runs share —
/// which questions are hard — cancels, and the interval is that of the difference itself (Efron and Tibshirani
/// 1993, §13; Koehn 2004 for the paired form in evaluation). Percentile interval at 95%; the two-sided p-value is
/// 2 · min(share of resampled differences ≤ 0, share ≥ 0), at least 1 ÷ (valid resamples + 1), and 1 when the
/// observed difference is 0. Seeded, so a report gives the same numbers on every machine.
extension Bootstrap {
    /// The difference `statistic` gives (candidate − baseline) on all `units` units, with its interval and p-value
    /// over resamples. `statistic` receives the drawn unit indices (with repeats) and returns both runs' values,
    /// or nil when either is undefined on that draw (such draws are left out).
    public func difference(units: Int, _ statistic: ([Int]) -> (baseline: Double, candidate: Double)?)
        -> PairedDifference
    {
        let method = "paired bootstrap (\(units) units, \(resamples) resamples, seed \(seed))"
        guard let observed = statistic(Array(0..<units)) else { return PairedDifference(value: nil, method: method) }
        let value = observed.candidate - observed.baseline
        guard units >= 2 else { return PairedDifference(value: value, method: method) }
        var generator = SplitMix64(seed: seed)
        var draws: [Double] = []
        draws.reserveCapacity(resamples)
        var drawn = [Int](repeating: 0, count: units)
        for _ in 0..<resamples {
            for index in 0..<units { drawn[index] = Int(generator.next() % UInt64(units)) }
            if let values = statistic(drawn) { draws.append(values.candidate - values.baseline) }
        }
        guard !draws.isEmpty else { return PairedDifference(value: value, method: method) }
        draws.sort()
        var pValue = 1.0
        if value != 0 {
            let atMost = Double(draws.count { $0 <= 0 })
            let atLeast = Double(draws.count { $0 >= 0 })
            pValue = min(1, max(2 * min(atMost, atLeast) / Double(draws.count), 1 / Double(draws.count + 1)))
        }
        return PairedDifference(
            value: value,
            lower: Bootstrap.percentile(draws, 0.025),
            upper: Bootstrap.percentile(draws, 0.975),
            pValue: pValue,
            method: method
        )
    }
}
