import Foundation
import PlumbCore
import PlumbMetrics
import Testing

/// Fairness, toxicity and repeat metrics on small inputs worked out by hand (Docs/metrics.md).
@Suite struct FairnessMetricsTests {
    /// One variant: `treatment` is "yes", "no", "refused" or "undecided".
    static func variant(
        _ tuple: Int,
        _ group: String,
        _ treatment: String,
        truth: Bool? = nil,
        score: Double? = nil,
        slot: String = "name"
    ) -> ItemResult {
        var checks: [CheckRecord] = []
        let positive: Bool? = treatment == "yes" ? true : treatment == "no" ? false : nil
        checks.append(
            CheckRecord(
                name: "decision",
                type: "decision",
                outcome: positive == nil ? .fail : .pass,
                score: positive.map { $0 ? 1 : 0 },
                reason: "",
                weight: 1,
                decision: DecisionObservation(
                    label: positive.map { $0 ? "yes" : "no" },
                    positive: positive,
                    truth: truth
                )
            )
        )
        checks.append(
            CheckRecord(
                name: "refusal",
                type: "refusal",
                outcome: treatment == "refused" ? .fail : .pass,
                score: nil,
                reason: "",
                weight: 1,
                refused: treatment == "refused"
            )
        )
        if let score {
            checks.append(
                CheckRecord(
                    name: "regard",
                    type: "classifier",
                    outcome: .pass,
                    score: score,
                    reason: "",
                    weight: 1,
                    classifier: ClassifierObservation(
                        classifier: "sentiment",
                        version: "1",
                        label: "positive",
                        score: score,
                        threshold: 0.5,
                        detected: score >= 0.5
                    )
                )
            )
        }
        return ItemResult(
            id: "\(slot)-\(tuple)-\(group)",
            suite: "s",
            sampleID: "t\(tuple)",
            slot: slot,
            group: group,
            tuple: "t\(tuple)/\(slot)#0/r0",
            repeatIndex: 0,
            tags: [],
            request: ModelRequest(messages: []),
            output: treatment,
            checks: checks,
            outcome: positive == nil && treatment != "refused" ? .fail : .pass
        )
    }

    /// Four tuples over groups A and B:
    ///
    ///     tuple  A    B
    ///     0      yes  yes
    ///     1      yes  no      ← flipped
    ///     2      no   no
    ///     3      yes  refused ← flipped
    ///
    /// A: 3 of 4 decided positive → 0.75; B: 1 of 3 decided → 1/3 (one refusal of 4 answers).
    /// parity difference 0.75 − 1/3, ratio (1/3) / 0.75, flip rate 2 of 4 = 0.5.
    static let items: [ItemResult] = [
        variant(0, "A", "yes"), variant(0, "B", "yes"),
        variant(1, "A", "yes"), variant(1, "B", "no"),
        variant(2, "A", "no"), variant(2, "B", "no"),
        variant(3, "A", "yes"), variant(3, "B", "refused"),
    ]

    @Test func perGroupRatesGapsAndFlips() throws {
        let report = try #require(FairnessFamily.report(for: Self.items))
        #expect(report.measure == "decision")
        let slot = try #require(report.slots.first)
        #expect(slot.groups.map(\.group) == ["A", "B"])
        #expect(slot.groups[0].positiveRate?.value == 0.75)  // 3 of 4 decided: yes, yes, no, yes
        #expect(slot.groups[1].positiveRate?.value == 1.0 / 3.0)  // 1 of 3 decided (one refused)
        #expect(slot.groups[1].refusalRate?.value == 0.25)
        #expect(slot.groups[0].undecidedRate?.value == 0)
        #expect(abs((slot.parityDifference?.value ?? 0) - (0.75 - 1.0 / 3.0)) < 1e-12)
        #expect(abs((slot.parityRatio?.value ?? 0) - (1.0 / 3.0) / 0.75) < 1e-12)
        #expect(slot.flipRate?.value == 0.5)
        #expect(slot.flippedCount == 2)
        #expect(slot.flipped.map(\.sampleID) == ["t1", "t3"])
        // Wilson over 4 tuples, 2 flipped.
        let wilson = try #require(Statistics.wilsonInterval(successes: 2, total: 4))
        #expect(slot.flipRate?.lower == wilson.lower && slot.flipRate?.upper == wilson.upper)
        // Bootstrap intervals hold the point estimate and repeat exactly with the same seed.
        let difference = try #require(slot.parityDifference)
        #expect((difference.lower ?? 1) <= difference.value! && difference.value! <= (difference.upper ?? 0))
        #expect(FairnessFamily.report(for: Self.items) == report)
    }

    @Test func gatesReadTheWorstSlotAndNamedGroups() throws {
        let results = SuiteResults(items: Self.items)
        let family = FairnessFamily()
        #expect(family.value(of: GateSpec(metric: .flipRate, max: 0.1), in: results) == 0.5)
        #expect(family.value(of: GateSpec(metric: .positiveRate, group: "A", min: 0.5), in: results) == 0.75)
        #expect(family.value(of: GateSpec(metric: .refusalRate, group: "B", max: 0), in: results) == 0.25)
    }

    /// TPR and FPR by group with ground truth: A: truth yes → yes, yes (TPR 1); truth no → no (FPR 0).
    /// B: truth yes → yes, no (TPR 0.5); truth no → yes (FPR 1). Equalized odds difference = max(0.5, 1) = 1.
    @Test func equalizedOddsDifference() throws {
        let items = [
            Self.variant(0, "A", "yes", truth: true), Self.variant(0, "B", "yes", truth: true),
            Self.variant(1, "A", "yes", truth: true), Self.variant(1, "B", "no", truth: true),
            Self.variant(2, "A", "no", truth: false), Self.variant(2, "B", "yes", truth: false),
        ]
        let slot = try #require(FairnessFamily.report(for: items)?.slots.first)
        #expect(slot.equalizedOddsDifference?.value == 1)
    }

    /// Scores 0.9/0.5, 0.7/0.7, 0.2/0.8: gaps 0.4, 0, 0.6 → mean 1/3, max 0.6; means A 0.6, B 2/3.
    @Test func scoreGaps() throws {
        let items = [
            Self.variant(0, "A", "yes", score: 0.9), Self.variant(0, "B", "yes", score: 0.5),
            Self.variant(1, "A", "yes", score: 0.7), Self.variant(1, "B", "yes", score: 0.7),
            Self.variant(2, "A", "yes", score: 0.2), Self.variant(2, "B", "yes", score: 0.8),
        ]
        let slot = try #require(FairnessFamily.report(for: items)?.slots.first)
        #expect(abs((slot.meanGap?.value ?? 0) - (0.4 + 0 + 0.6) / 3) < 1e-9)
        #expect(abs((slot.maxGap ?? 0) - 0.6) < 1e-9)
        #expect(abs((slot.groups[0].meanScore?.value ?? 0) - 0.6) < 1e-9)
        #expect(abs((slot.groups[1].meanScore?.value ?? 0) - 2.0 / 3.0) < 1e-9)
    }
}

@Suite struct ToxicityMetricsTests {
    static func continuation(_ prompt: String, _ score: Double?, tags: [String] = []) -> ItemResult {
        let record: CheckRecord
        if let score {
            record = CheckRecord(
                name: "not-toxic",
                type: "classifier",
                outcome: score >= 0.5 ? .fail : .pass,
                score: score,
                reason: "",
                weight: 1,
                classifier: ClassifierObservation(
                    classifier: "plumb-toxicity",
                    version: "1",
                    label: "toxic",
                    score: score,
                    threshold: 0.5,
                    detected: score >= 0.5
                )
            )
        } else {
            record = CheckRecord(
                name: "not-toxic",
                type: "classifier",
                outcome: .error,
                score: nil,
                reason: "failed",
                weight: 1
            )
        }
        return ItemResult(
            id: UUID().uuidString,
            suite: "s",
            sampleID: prompt,
            repeatIndex: 0,
            tags: tags,
            request: ModelRequest(messages: []),
            output: "x",
            checks: [record],
            outcome: score == nil ? .error : score! >= 0.5 ? .fail : .pass
        )
    }

    /// p1: 0.1, 0.7 → max 0.7, toxic; p2: 0.2, 0.3 → max 0.3; p3: 0.6, (unscored) → max 0.6, toxic.
    /// EMT = (0.7 + 0.3 + 0.6) / 3; probability 2/3; fraction 2 of 5 scored; 1 unscored, never 0.
    @Test func expectedMaximumProbabilityAndFraction() throws {
        let items = [
            Self.continuation("p1", 0.1), Self.continuation("p1", 0.7),
            Self.continuation("p2", 0.2), Self.continuation("p2", 0.3),
            Self.continuation("p3", 0.6), Self.continuation("p3", nil),
        ]
        let report = try #require(ToxicityFamily.reports(for: items)?.first)
        #expect(abs((report.expectedMaxToxicity.value ?? 0) - 1.6 / 3) < 1e-12)
        #expect(report.toxicityProbability.value == 2.0 / 3.0)
        #expect(report.toxicFraction.value == 0.4)
        #expect(report.unscored == 1)
        #expect(report.k == 2 && report.prompts == 3 && report.continuations == 5)
        #expect(report.threshold == 0.5 && report.comparator == ">=" && report.classifier == "plumb-toxicity")
        let gate = GateSpec(metric: .toxicityProbability, max: 0.5)
        #expect(ToxicityFamily().value(of: gate, in: SuiteResults(items: items)) == 2.0 / 3.0)
    }
}

@Suite struct RepeatsMetricsTests {
    /// Chen et al. (2021): 1 − C(n−c, k) / C(n, k), checked against the binomial coefficients directly.
    @Test(arguments: [(5, 2, 2), (10, 3, 1), (10, 3, 5), (10, 0, 3), (10, 10, 3), (20, 1, 19), (3, 1, 3)])
    func passAtKIsTheUnbiasedEstimator(_ n: Int, _ c: Int, _ k: Int) throws {
        func choose(_ n: Int, _ k: Int) -> Double {
            guard k >= 0, k <= n else { return 0 }
            var result = 1.0
            for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
            return result
        }
        let expected = 1 - choose(n - c, k) / choose(n, k)
        let value = try #require(RepeatsFamily.passAtK(n: n, c: c, k: k))
        #expect(abs(value - expected) < 1e-12)
    }

    @Test func theHandWorkedCases() {
        #expect(RepeatsFamily.passAtK(n: 5, c: 2, k: 2) == 0.7)  // 1 − 3/10
        #expect(RepeatsFamily.passAtK(n: 3, c: 0, k: 3) == 0)
        #expect(RepeatsFamily.passAtK(n: 3, c: 4, k: 3) == nil)
    }

    /// Perfectly agreeing clusters: ICC 1, design effect = cluster size. Clusters no more alike than chance: ICC 0.
    @Test func intraclassCorrelationAndDesignEffect() throws {
        let alike = try #require(Clustering.of([[true, true, true], [false, false, false], [true, true, true]]))
        #expect(alike.intraclassCorrelation == 1)
        #expect(alike.designEffect == 3)
        let mixed = try #require(Clustering.of([[true, false], [true, false], [false, true]]))
        #expect(mixed.intraclassCorrelation == 0)
        #expect(mixed.designEffect == 1)
        #expect(Clustering.of([[true], [false]]) == nil)
    }

    /// The pass rate of clustered items uses Wilson at n / design effect: 6 items in 2 clusters that agree
    /// perfectly count as 2 observations.
    @Test func clusteredPassRatesAreWider() throws {
        let items = (0..<6).map { index in
            ItemResult(
                id: "\(index)",
                suite: "s",
                sampleID: index < 3 ? "a" : "b",
                repeatIndex: index % 3,
                tags: [],
                request: ModelRequest(messages: []),
                outcome: index < 3 ? .pass : .fail
            )
        }
        let rate = PassRateFamily.metrics(for: items).overall.passRate
        #expect(rate.designEffect == 3)
        let effective = try #require(Statistics.wilsonInterval(proportion: 0.5, size: 2))
        #expect(rate.lower == effective.lower && rate.upper == effective.upper)
        let naive = try #require(Statistics.wilsonInterval(successes: 3, total: 6))
        #expect(rate.lower! < naive.lower)
    }
}
