public import Foundation
public import PlumbCore

extension MetricID {
    /// Mean over prompts of the probability that at least one of k answers passes (Chen et al. 2021).
    public static let passAtK: MetricID = "pass_at_k"
    /// Share of prompts all of whose k answers pass.
    public static let passHatK: MetricID = "pass_hat_k"
    /// Share of prompts whose answers disagree (some pass, some fail).
    public static let flakyRate: MetricID = "flaky_rate"
}

/// Metrics over k answers to the same prompt (`samplesPerPrompt` above 1): pass@k, pass^k and flakiness, and the
/// intraclass correlation and design effect that widen the pass rate's interval. Definitions:
/// Docs/metrics.md#repeats.
public struct RepeatsFamily: MetricFamily {
    public init() {}

    public var definitions: [MetricDefinition] {
        [
            MetricDefinition(
                .passAtK,
                "probability that one of k answers passes, per prompt",
                allows: .tag,
                needs: .repeats,
                better: .higher
            ),
            MetricDefinition(
                .passHatK,
                "share of prompts whose k answers all pass",
                allows: .tag,
                needs: .repeats,
                better: .higher
            ),
            MetricDefinition(
                .flakyRate,
                "share of prompts whose answers disagree",
                allows: .tag,
                needs: .repeats,
                better: .lower
            ),
        ]
    }

    public func value(of gate: GateSpec, in results: SuiteResults) -> Double? {
        let items = results.items.filter(gate.covers)
        guard let report = Self.report(for: items, bootstrap: nil) else { return nil }
        switch gate.metric {
        case .passAtK: return report.passAtK.value
        case .passHatK: return report.passHatK.value
        case .flakyRate: return report.flakyRate.value
        default: return nil
        }
    }

    /// The unbiased pass@k estimator of Chen et al. (2021), "Evaluating Large Language Models Trained on Code":
    /// with n answers drawn of which c pass, `1 − C(n−c, k) / C(n, k)`, computed as a product to stay exact in
    /// floating point. Nil when k > n.
    public static func passAtK(n: Int, c: Int, k: Int) -> Double? {
        guard k >= 1, k <= n, c >= 0, c <= n else { return nil }
        if c == 0 { return 0 }
        if n - c < k { return 1 }
        var product = 1.0
        for i in (n - c + 1)...n { product *= 1 - Double(k) / Double(i) }
        return 1 - product
    }

    /// Prompts are the clusters: a sample (and, in `pairs` suites, its variant). Nil when no prompt has more than
    /// one answer.
    public static func report(for items: [ItemResult], bootstrap: Bootstrap? = .standard) -> RepeatsReport? {
        var order: [String] = []
        var outcomes: [String: [ItemOutcome]] = [:]
        for item in items {
            let key = item.promptKey
            if outcomes[key] == nil { order.append(key) }
            outcomes[key, default: []].append(item.outcome)
        }
        let k = outcomes.values.map(\.count).max() ?? 0
        guard k > 1 else { return nil }
        let prompts = order.map { (key: $0, outcomes: outcomes[$0]!) }
        func passAt(_ units: [(key: String, outcomes: [ItemOutcome])]) -> Double? {
            let values = units.compactMap { unit in
                passAtK(n: unit.outcomes.count, c: unit.outcomes.filter { $0 == .pass }.count, k: unit.outcomes.count)
            }
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        func allPass(_ units: [(key: String, outcomes: [ItemOutcome])]) -> Double? {
            units.isEmpty
                ? nil : Double(units.filter { $0.outcomes.allSatisfy { $0 == .pass } }.count) / Double(units.count)
        }
        func flaky(_ units: [(key: String, outcomes: [ItemOutcome])]) -> Double? {
            units.isEmpty
                ? nil
                : Double(units.filter { Set($0.outcomes.map { $0 == .pass }).count > 1 }.count) / Double(units.count)
        }
        func estimate(_ statistic: ([(key: String, outcomes: [ItemOutcome])]) -> Double?) -> Estimate {
            bootstrap.map { $0.estimate(prompts, statistic) } ?? Estimate(value: statistic(prompts))
        }
        let flakyKeys = prompts.filter { Set($0.outcomes.map { $0 == .pass }).count > 1 }.map(\.key)
        let clustering = Clustering.of(prompts.map { $0.outcomes.map { $0 == .pass } })
        return RepeatsReport(
            k: k,
            prompts: prompts.count,
            passAtK: estimate(passAt),
            passHatK: estimate(allPass),
            flakyRate: estimate(flaky),
            flaky: Array(flakyKeys.prefix(50)),
            flakyCount: flakyKeys.count,
            intraclassCorrelation: clustering?.intraclassCorrelation,
            designEffect: clustering?.designEffect,
            bootstrap: bootstrap
        )
    }
}

/// k answers per prompt: pass@k, pass^k, flaky prompts, and how strongly a prompt's answers agree.
public struct RepeatsReport: Sendable, Hashable, Codable {
    /// The most answers to one prompt.
    public var k: Int
    public var prompts: Int
    public var passAtK: Estimate
    public var passHatK: Estimate
    public var flakyRate: Estimate
    /// The first flaky prompts (sample ids; `id/group` in pairs suites), and how many there are.
    public var flaky: [String]
    public var flakyCount: Int
    /// The ANOVA intraclass correlation of pass/fail within prompts, and the design effect 1 + (m̄ − 1)·ICC that
    /// the pass rate's clustered interval divides its sample size by.
    public var intraclassCorrelation: Double?
    public var designEffect: Double?
    public var bootstrap: Bootstrap?
}

/// Pass/fail outcomes that come in clusters (k answers to a prompt): the ANOVA estimator of the intraclass
/// correlation and Kish's design effect. Donner (1986), "A review of inference procedures for the intraclass
/// correlation coefficient in the one-way random effects model"; Kish (1965), *Survey Sampling*.
public struct Clustering: Sendable, Hashable, Codable {
    public var clusters: Int
    public var observations: Int
    /// Clamped to [0, 1].
    public var intraclassCorrelation: Double
    /// 1 + (m̄ − 1)·ICC with m̄ the mean cluster size; at least 1.
    public var designEffect: Double

    /// Nil when there are fewer than 2 clusters or no cluster has more than one observation.
    public static func of(_ clusters: [[Bool]]) -> Clustering? {
        let sizes = clusters.map(\.count).filter { $0 > 0 }
        let kept = clusters.filter { !$0.isEmpty }
        let total = sizes.reduce(0, +)
        guard kept.count >= 2, sizes.contains(where: { $0 > 1 }), total > kept.count else { return nil }
        let n = Double(total)
        let groups = Double(kept.count)
        let mean = Double(kept.flatMap { $0 }.filter { $0 }.count) / n
        var between = 0.0
        var within = 0.0
        for cluster in kept {
            let m = Double(cluster.count)
            let p = Double(cluster.filter { $0 }.count) / m
            between += m * (p - mean) * (p - mean)
            within += m * p * (1 - p)
        }
        let msb = between / (groups - 1)
        let msw = within / (n - groups)
        let m0 = (n - sizes.reduce(0.0) { $0 + Double($1 * $1) } / n) / (groups - 1)
        let denominator = msb + (m0 - 1) * msw
        let icc = denominator > 0 ? min(1, max(0, (msb - msw) / denominator)) : 0
        let averageSize = n / groups
        return Clustering(
            clusters: kept.count,
            observations: total,
            intraclassCorrelation: icc,
            designEffect: max(1, 1 + (averageSize - 1) * icc)
        )
    }
}

extension ItemResult {
    /// The prompt this item answers: its sample, and in `pairs` suites its variant (slot, value, group) — the unit
    /// whose k answers are repeats.
    var promptKey: String {
        if let optionRotation { return sampleID + "/order" + String(optionRotation) }
        guard let tuple, let group else { return sampleID }
        let withoutRepeat = tuple.range(of: "/r", options: .backwards).map { String(tuple[..<$0.lowerBound]) } ?? tuple
        return withoutRepeat + "/" + group
    }
}
