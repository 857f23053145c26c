public import PlumbCore

extension MetricID {
    /// Per group: positive decisions over decided answers (refusals and undecided answers left out).
    public static let positiveRate: MetricID = "positive_rate"
    /// Per group: answers the refusal check called refusals, over all answers.
    public static let refusalRate: MetricID = "refusal_rate"
    /// Per group: answers with no readable decision, over all answers.
    public static let undecidedRate: MetricID = "undecided_rate"
    /// Per group: the mean score (a classifier's, such as sentiment or regard).
    public static let groupMeanScore: MetricID = "group_mean_score"
    /// Highest minus lowest positive rate across groups.
    public static let parityDifference: MetricID = "parity_difference"
    /// Lowest over highest positive rate across groups (the four-fifths rule bounds it at 0.8).
    public static let parityRatio: MetricID = "parity_ratio"
    /// Share of tuples whose variants were not all treated alike (decision, refusal or undecided).
    public static let flipRate: MetricID = "flip_rate"
    /// Mean over tuples of the largest score difference between a tuple's variants.
    public static let meanGap: MetricID = "mean_gap"
    /// The largest score difference between the variants of any tuple.
    public static let maxGap: MetricID = "max_gap"
    /// The larger of the true-positive-rate and false-positive-rate ranges across groups (needs `truth`).
    public static let equalizedOddsDifference: MetricID = "equalized_odds_difference"
}

/// Counterfactual fairness over the tuples of a `pairs` suite: per group rates, the gaps between groups, and how
/// often a tuple's variants — which differ only in the slot — were treated differently. Intervals of per-group
/// rates are Wilson's; of differences, ratios and gaps a percentile bootstrap that resamples whole tuples, so
/// matched variants stay together. Definitions: Docs/metrics.md#fairness.
public struct FairnessFamily: MetricFamily {
    public init() {}

    public var definitions: [MetricDefinition] {
        let perGroup: MetricDefinition.Scope = [.slot]
        return [
            MetricDefinition(
                .positiveRate,
                "per group: positive decisions over decided answers",
                allows: perGroup,
                requires: .group,
                needs: .pairsSuite
            ),
            MetricDefinition(
                .refusalRate,
                "per group: refusals over answers",
                allows: perGroup,
                requires: .group,
                needs: .pairsSuite
            ),
            MetricDefinition(
                .undecidedRate,
                "per group: answers without a readable decision",
                allows: perGroup,
                requires: .group,
                needs: .pairsSuite,
                better: .lower
            ),
            MetricDefinition(
                .groupMeanScore,
                "per group: the mean score",
                allows: perGroup,
                requires: .group,
                needs: .pairsSuite
            ),
            MetricDefinition(
                .parityDifference,
                "highest minus lowest positive rate",
                allows: .slot,
                needs: .pairsSuite,
                better: .lower
            ),
            MetricDefinition(
                .parityRatio,
                "lowest over highest positive rate",
                allows: .slot,
                needs: .pairsSuite,
                better: .higher
            ),
            MetricDefinition(
                .flipRate,
                "tuples whose variants were treated differently",
                allows: .slot,
                needs: .pairsSuite,
                better: .lower
            ),
            MetricDefinition(
                .meanGap,
                "mean within-tuple score gap",
                allows: .slot,
                needs: .pairsSuite,
                better: .lower
            ),
            MetricDefinition(
                .maxGap,
                "largest within-tuple score gap",
                allows: .slot,
                needs: .pairsSuite,
                better: .lower
            ),
            MetricDefinition(
                .equalizedOddsDifference,
                "larger of the TPR and FPR ranges across groups",
                allows: .slot,
                needs: .pairsSuite,
                better: .lower
            ),
        ]
    }

    public func value(of gate: GateSpec, in results: SuiteResults) -> Double? {
        guard let report = results.fairness else { return nil }
        let slots = report.slots.filter { gate.slot == nil || $0.slot == gate.slot }
        if let group = gate.group {
            guard let slot = slots.first(where: { $0.groups.contains { $0.group == group } }),
                let row = slot.groups.first(where: { $0.group == group })
            else { return nil }
            switch gate.metric {
            case .positiveRate: return row.positiveRate?.value
            case .refusalRate: return row.refusalRate?.value
            case .undecidedRate: return row.undecidedRate?.value
            case .groupMeanScore: return row.meanScore?.value
            default: return nil
            }
        }
        let values: [Double] = slots.compactMap { slot in
            switch gate.metric {
            case .parityDifference: slot.parityDifference?.value
            case .parityRatio: slot.parityRatio?.value
            case .flipRate: slot.flipRate?.value
            case .meanGap: slot.meanGap?.value
            case .maxGap: slot.maxGap
            case .equalizedOddsDifference: slot.equalizedOddsDifference?.value
            default: nil
            }
        }
        guard !values.isEmpty else { return nil }
        // Without `slot`, the gate bounds every slot: the worst one decides.
        return gate.min != nil ? values.min() : values.max()
    }

    // MARK: - Computing

    /// How one answer was treated.
    enum Treatment: Hashable {
        case positive, negative, refused, undecided, scored
    }

    /// One measured variant.
    struct Measured {
        var itemID: String
        var group: String
        var treatment: Treatment
        var score: Double?
        var truth: Bool?
    }

    /// One tuple: its variants by group, in group order.
    struct Tuple {
        var key: String
        var sampleID: String
        var variants: [Measured]
    }

    /// The fairness report of a `pairs` suite's items; nil when the items are not variants of tuples.
    public static func report(for items: [ItemResult], bootstrap: Bootstrap = .standard) -> FairnessReport? {
        let variants = items.filter { $0.tuple != nil && $0.slot != nil && $0.group != nil }
        guard !variants.isEmpty else { return nil }
        let observesRefusals = variants.contains { $0.checks.contains { $0.refused != nil } }
        let decides = variants.contains { $0.checks.contains { $0.decision != nil } }
        var slotOrder: [String] = []
        var bySlot: [String: [ItemResult]] = [:]
        for item in variants {
            let slot = item.slot!
            if bySlot[slot] == nil { slotOrder.append(slot) }
            bySlot[slot, default: []].append(item)
        }
        let slots = slotOrder.map { slot in
            slotReport(
                slot,
                items: bySlot[slot]!,
                decides: decides,
                observesRefusals: observesRefusals,
                bootstrap: bootstrap
            )
        }
        return FairnessReport(measure: decides ? "decision" : "score", bootstrap: bootstrap, slots: slots)
    }

    static func measured(_ item: ItemResult) -> Measured? {
        guard item.outcome != .error, let group = item.group else { return nil }
        let refused = item.checks.contains { $0.refused == true }
        let decision = item.checks.first { $0.decision != nil }?.decision
        let score = item.checks.first { $0.classifier != nil }?.classifier?.score
        let treatment: Treatment
        if refused {
            treatment = .refused
        } else if let decision {
            treatment = decision.positive.map { $0 ? .positive : .negative } ?? .undecided
        } else {
            treatment = .scored
        }
        return Measured(itemID: item.id, group: group, treatment: treatment, score: score, truth: decision?.truth)
    }

    static func slotReport(
        _ slot: String,
        items: [ItemResult],
        decides: Bool,
        observesRefusals: Bool,
        bootstrap: Bootstrap
    ) -> SlotFairness {
        var groupOrder: [String] = []
        var tupleOrder: [String] = []
        var tuples: [String: Tuple] = [:]
        for item in items {
            let group = item.group!
            if !groupOrder.contains(group) { groupOrder.append(group) }
            let key = item.tuple!
            if tuples[key] == nil {
                tupleOrder.append(key)
                tuples[key] = Tuple(key: key, sampleID: item.sampleID, variants: [])
            }
            if let measured = measured(item) { tuples[key]!.variants.append(measured) }
        }
        let all = tupleOrder.map { tuples[$0]! }
        let complete = all.filter { Set($0.variants.map(\.group)).count == groupOrder.count }

        // Per group.
        var rows: [GroupFairness] = []
        for group in groupOrder {
            let mine = all.flatMap { $0.variants.filter { $0.group == group } }
            let decided = mine.filter { $0.treatment == .positive || $0.treatment == .negative }
            let positives = decided.filter { $0.treatment == .positive }.count
            let scores = mine.compactMap(\.score)
            rows.append(
                GroupFairness(
                    group: group,
                    n: mine.count,
                    positiveRate: decides ? Rate(successes: positives, total: decided.count) : nil,
                    refusalRate: observesRefusals
                        ? Rate(successes: mine.filter { $0.treatment == .refused }.count, total: mine.count) : nil,
                    undecidedRate: decides
                        ? Rate(successes: mine.filter { $0.treatment == .undecided }.count, total: mine.count) : nil,
                    meanScore: scores.isEmpty
                        ? nil
                        : bootstrap.estimate(all) { tuples in
                            let values = tuples.flatMap { $0.variants.filter { $0.group == group }.compactMap(\.score) }
                            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
                        }
                )
            )
        }

        // Across groups, resampling whole tuples.
        func positiveRates(_ tuples: [Tuple]) -> [Double]? {
            var rates: [Double] = []
            for group in groupOrder {
                let decided = tuples.flatMap {
                    $0.variants.filter { $0.group == group && ($0.treatment == .positive || $0.treatment == .negative) }
                }
                guard !decided.isEmpty else { return nil }
                rates.append(Double(decided.filter { $0.treatment == .positive }.count) / Double(decided.count))
            }
            return rates
        }
        let parityDifference =
            decides
            ? bootstrap.estimate(all) { tuples in
                positiveRates(tuples).map { $0.max()! - $0.min()! }
            } : nil
        let parityRatio =
            decides
            ? bootstrap.estimate(all) { tuples in
                guard let rates = positiveRates(tuples), let high = rates.max(), high > 0 else { return nil }
                return rates.min()! / high
            } : nil
        var flipped: [Tuple] = []
        for tuple in complete {
            let treatments = Set(tuple.variants.map(\.treatment))
            if decides || observesRefusals, treatments.count > 1 { flipped.append(tuple) }
        }
        let flipRate: Estimate? =
            (decides || observesRefusals) && !complete.isEmpty
            ? {
                let rate = Rate(successes: flipped.count, total: complete.count)
                return Estimate(value: rate.value, lower: rate.lower, upper: rate.upper, method: "wilson over tuples")
            }() : nil
        func gaps(_ tuples: [Tuple]) -> [Double] {
            tuples.compactMap { tuple in
                let scores = tuple.variants.compactMap(\.score)
                guard scores.count == groupOrder.count, let high = scores.max(), let low = scores.min() else {
                    return nil
                }
                return high - low
            }
        }
        let scored = all.contains { $0.variants.contains { $0.score != nil } }
        let meanGap =
            scored
            ? bootstrap.estimate(complete) { tuples in
                let values = gaps(tuples)
                return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            } : nil
        let maxGap = scored ? gaps(complete).max() : nil
        let hasTruth = all.contains { $0.variants.contains { $0.truth != nil } }
        let equalizedOdds =
            decides && hasTruth
            ? bootstrap.estimate(all) { tuples in
                func range(truth: Bool) -> Double? {
                    var rates: [Double] = []
                    for group in groupOrder {
                        let relevant = tuples.flatMap {
                            $0.variants.filter {
                                $0.group == group && $0.truth == truth
                                    && ($0.treatment == .positive || $0.treatment == .negative)
                            }
                        }
                        guard !relevant.isEmpty else { continue }
                        rates.append(
                            Double(relevant.filter { $0.treatment == .positive }.count) / Double(relevant.count)
                        )
                    }
                    guard rates.count >= 2 else { return nil }
                    return rates.max()! - rates.min()!
                }
                let ranges = [range(truth: true), range(truth: false)].compactMap { $0 }
                return ranges.max()
            } : nil
        return SlotFairness(
            slot: slot,
            groups: rows,
            tuples: all.count,
            completeTuples: complete.count,
            parityDifference: parityDifference,
            parityRatio: parityRatio,
            flipRate: flipRate,
            meanGap: meanGap,
            maxGap: maxGap,
            equalizedOddsDifference: equalizedOdds,
            flipped: flipped.prefix(FairnessReport.flippedListed).map { tuple in
                FlippedTuple(
                    tuple: tuple.key,
                    sampleID: tuple.sampleID,
                    variants: tuple.variants.map {
                        FlippedTuple.Variant(group: $0.group, itemID: $0.itemID, treatment: $0.treatment.name)
                    }
                )
            },
            flippedCount: flipped.count
        )
    }
}

extension FairnessFamily.Treatment {
    var name: String {
        switch self {
        case .positive: "positive"
        case .negative: "negative"
        case .refused: "refused"
        case .undecided: "undecided"
        case .scored: "scored"
        }
    }
}

/// Fairness over the tuples of a `pairs` suite, slot by slot.
public struct FairnessReport: Sendable, Hashable, Codable {
    /// How many flipped tuples each slot lists (all are counted).
    public static let flippedListed = 50

    /// `decision` (a `decision` check's labels) or `score` (a classifier's score).
    public var measure: String
    /// The bootstrap behind the intervals of differences, ratios and gaps (resampling tuples).
    public var bootstrap: Bootstrap
    public var slots: [SlotFairness]
}

public struct SlotFairness: Sendable, Hashable, Codable {
    public var slot: String
    public var groups: [GroupFairness]
    /// Tuples, and those with every group's variant answered (no error): flips and gaps are over the latter.
    public var tuples: Int
    public var completeTuples: Int
    public var parityDifference: Estimate?
    public var parityRatio: Estimate?
    public var flipRate: Estimate?
    public var meanGap: Estimate?
    public var maxGap: Double?
    public var equalizedOddsDifference: Estimate?
    /// The first flipped tuples, with their variants (item ids, so the outputs can be shown side by side).
    public var flipped: [FlippedTuple]
    public var flippedCount: Int
}

public struct GroupFairness: Sendable, Hashable, Codable {
    public var group: String
    /// Answers measured (errors left out).
    public var n: Int
    /// Positive over decided answers; nil for score suites.
    public var positiveRate: Rate?
    /// Refusals over answers; nil when the suite has no refusal check.
    public var refusalRate: Rate?
    /// Undecided over answers; nil for score suites.
    public var undecidedRate: Rate?
    /// The mean score (bootstrap over tuples); nil for decision suites without a classifier.
    public var meanScore: Estimate?
}

public struct FlippedTuple: Sendable, Hashable, Codable {
    public struct Variant: Sendable, Hashable, Codable {
        public var group: String
        public var itemID: String
        /// `positive`, `negative`, `refused` or `undecided`.
        public var treatment: String
    }

    public var tuple: String
    public var sampleID: String
    public var variants: [Variant]
}
