public import PlumbCore

extension MetricID {
    /// Passed items over all items (errors count as not passed).
    public static let passRate: MetricID = "pass_rate"
    /// The lower end of the 95% Wilson interval of the pass rate: a gate that sample size cannot fool.
    public static let passRateLower: MetricID = "pass_rate_lower"
    /// Items whose backend or checks failed.
    public static let errorCount: MetricID = "error_count"
    /// Errors over all items.
    public static let errorRate: MetricID = "error_rate"
    /// How often one check passed, over the items where it ran (needs `check`).
    public static let checkPassRate: MetricID = "check_pass_rate"
    /// The mean weighted score over items that have one.
    public static let meanScore: MetricID = "mean_score"
}

/// Counts, pass rates with Wilson intervals, and mean score of a suite's items — overall, per tag and per check.
/// Definitions: Docs/metrics.md.
public struct PassRateFamily: MetricFamily {
    public init() {}

    public var definitions: [MetricDefinition] {
        [
            MetricDefinition(
                .passRate,
                "passed items over all items (errors count as not passed)",
                allows: .tag,
                better: .higher
            ),
            MetricDefinition(
                .passRateLower,
                "the lower end of the pass rate's 95% Wilson interval",
                allows: .tag,
                better: .higher
            ),
            MetricDefinition(.errorCount, "items whose backend or checks failed", allows: .tag, better: .lower),
            MetricDefinition(.errorRate, "errors over all items", allows: .tag, better: .lower),
            MetricDefinition(
                .checkPassRate,
                "how often one check passed, where it ran",
                requires: .check,
                better: .higher
            ),
            MetricDefinition(.meanScore, "the mean weighted score over items that have one", better: .higher),
        ]
    }

    public func value(of gate: GateSpec, in results: SuiteResults) -> Double? {
        let metrics = results.passRates
        let tally: Tally?
        if gate.metric == .checkPassRate {
            tally = gate.check.flatMap { metrics.byCheck[$0] }
        } else if let tag = gate.tag {
            tally = metrics.byTag[tag]
        } else {
            tally = metrics.overall
        }
        guard let tally else { return nil }
        switch gate.metric {
        case .passRate, .checkPassRate: return tally.passRate.value
        case .passRateLower: return tally.passRate.lower
        case .errorCount: return Double(tally.errors)
        case .errorRate: return tally.errorRate
        case .meanScore: return gate.tag == nil ? metrics.meanScore : nil
        default: return nil
        }
    }

    public func ratioTerms(of gate: GateSpec, in results: SuiteResults) -> [String: RatioTerm]? {
        var terms: [String: RatioTerm] = [:]
        switch gate.metric {
        case .passRate:
            for item in results.items where gate.covers(item) {
                terms[item.id] = RatioTerm(item.outcome == .pass ? 1 : 0, 1)
            }
        case .errorRate:
            for item in results.items where gate.covers(item) {
                terms[item.id] = RatioTerm(item.outcome == .error ? 1 : 0, 1)
            }
        case .checkPassRate:
            guard let check = gate.check else { return nil }
            for item in results.items {
                guard let record = item.checks.first(where: { $0.name == check }) else { continue }
                terms[item.id] = RatioTerm(record.outcome == .pass ? 1 : 0, 1)
            }
        case .meanScore:
            guard gate.tag == nil else { return nil }
            for item in results.items {
                if let score = item.score, item.outcome != .error { terms[item.id] = RatioTerm(score, 1) }
            }
        default:
            return nil
        }
        return terms
    }

    /// The tallies of `results`: overall, per tag (an item counts once per distinct tag) and per check (over the
    /// items where the check ran), the mean score over non-error items that have one, and how many were cached.
    public static func metrics(for results: [ItemResult]) -> SuiteMetrics {
        var byCheck: [String: [ItemOutcome]] = [:]
        var scores: [Double] = []
        for result in results {
            for check in result.checks {
                let outcome: ItemOutcome =
                    switch check.outcome {
                    case .pass: .pass
                    case .fail: .fail
                    case .error: .error
                    }
                byCheck[check.name, default: []].append(outcome)
            }
            if let score = result.score, result.outcome != .error { scores.append(score) }
        }
        // Several items per sample (k answers, or the variants of a pairs tuple) are not independent: intervals use
        // the effective sample size.
        func clustered(_ items: [ItemResult]) -> Tally {
            var tally = Tally(items.map(\.outcome))
            var clusters: [String: [Bool]] = [:]
            for item in items { clusters[item.sampleID, default: []].append(item.outcome == .pass) }
            if let clustering = Clustering.of(Array(clusters.values)) {
                tally.passRate = Rate(
                    successes: tally.passed,
                    total: tally.items,
                    designEffect: clustering.designEffect
                )
            }
            return tally
        }
        var itemsByTag: [String: [ItemResult]] = [:]
        for result in results { for tag in Set(result.tags) { itemsByTag[tag, default: []].append(result) } }
        return SuiteMetrics(
            overall: clustered(results),
            byTag: itemsByTag.mapValues(clustered),
            byCheck: byCheck.mapValues { Tally($0) },
            meanScore: scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count),
            cachedItems: results.filter(\.cached).count
        )
    }
}

/// The pass-rate family's numbers for one suite.
public struct SuiteMetrics: Sendable, Hashable, Codable {
    public var overall: Tally
    /// The same counts for the items of each tag.
    public var byTag: [String: Tally]
    /// How often each check passed, over items where it ran.
    public var byCheck: [String: Tally]
    /// Mean weighted score over items that have one.
    public var meanScore: Double?
    public var cachedItems: Int

    public init(
        overall: Tally,
        byTag: [String: Tally],
        byCheck: [String: Tally],
        meanScore: Double?,
        cachedItems: Int
    ) {
        self.overall = overall
        self.byTag = byTag
        self.byCheck = byCheck
        self.meanScore = meanScore
        self.cachedItems = cachedItems
    }
}
