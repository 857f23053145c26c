import Foundation
import PlumbCore
import PlumbMetrics
import Testing

/// McNemar, Holm and the paired bootstrap on hand-computed and published values, against independent
/// computations, and a simulation of the regression gate's false-alarm rate and power.
@Suite struct PairedStatisticsTests {
    /// Binomial(n, ½) probabilities by Pascal's triangle (exact in Double for n ≤ 50): independent of the
    /// log-gamma route the implementation takes.
    static func pascal(_ n: Int) -> [Double] {
        var row: [Double] = [1]
        for _ in 0..<n { row = zip([0] + row, row + [0]).map { $0 + $1 } }
        let total = pow(2.0, Double(n))
        return row.map { $0 / total }
    }

    @Test func mcnemarMatchesHandComputedAndPublishedValues() {
        // b = 1, c = 9: P(X ≤ 1) = 11/1024, exact p = 22/1024; mid-p = 2·(1/1024 + ½·10/1024) = 12/1024.
        let hand = McNemar.test(b: 1, c: 9)
        #expect(abs(hand.exact - 22.0 / 1024) < 1e-12 && abs(hand.midP - 12.0 / 1024) < 1e-12)
        // Fagerland, Lydersen and Laake (2013), the airway hyper-responsiveness example (b = 1, c = 7): exact
        // conditional p 0.070, mid-p 0.039.
        let published = McNemar.test(b: 1, c: 7)
        #expect(abs(published.exact - 0.0703125) < 1e-12 && (published.exact * 1000).rounded() == 70)
        #expect(abs(published.midP - 0.0390625) < 1e-12 && (published.midP * 1000).rounded() == 39)
        #expect(McNemar.test(b: 0, c: 0).midP == 1 && McNemar.test(b: 5, c: 5).exact == 1)
        let swapped = McNemar.test(b: 12, c: 3)
        #expect(McNemar.test(b: 3, c: 12).exact == swapped.exact && McNemar.test(b: 3, c: 12).midP == swapped.midP)
    }

    @Test func mcnemarAgreesWithAnIndependentComputation() {
        for n in 1...40 {
            let pmf = Self.pascal(n)
            for b in 0...n {
                let k = min(b, n - b)
                let below = pmf[0..<k].reduce(0, +)
                let exact = min(1, 2 * (below + pmf[k]))
                let midP = min(1, 2 * (below + pmf[k] / 2))
                let result = McNemar.test(b: b, c: n - b)
                #expect(abs(result.exact - exact) < 1e-9 && abs(result.midP - midP) < 1e-9, "b \(b), c \(n - b)")
            }
        }
        // Large n stays finite: b = 400, c = 600 is far from even.
        #expect(McNemar.test(b: 400, c: 600).midP < 1e-9)
    }

    @Test func holmMatchesRsPAdjust() {
        // p.adjust(c(0.01, 0.04, 0.03, 0.005), method = "holm") in R: 0.03 0.06 0.06 0.02.
        let adjusted = Holm.adjust([0.01, 0.04, 0.03, 0.005])
        #expect(zip(adjusted, [0.03, 0.06, 0.06, 0.02]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(Holm.adjust([0.5, 0.9]) == [1.0, 1.0])
        #expect(Holm.adjust([]) == [])
    }

    @Test func theBootstrapResamplesBothRunsTogether() {
        // Each unit: (baseline passes, candidate passes) of one item. Identical runs: a difference of exactly 0.
        let same = [(1, 1), (0, 0), (1, 1), (1, 1)]
        let none = Bootstrap().difference(units: same.count) { indices in
            (Double(indices.map { same[$0].0 }.reduce(0, +)), Double(indices.map { same[$0].1 }.reduce(0, +)))
        }
        #expect(none.value == 0 && none.lower == 0 && none.upper == 0 && none.pValue == 1)
        // Every unit one better: whatever is drawn, the difference is the number of units.
        let better = Bootstrap().difference(units: 10) { indices in (0, Double(indices.count)) }
        #expect(better.value == 10 && better.lower == 10 && better.upper == 10)
        #expect(better.pValue.map { $0 < 0.002 } == true)
        // Seeded: the same numbers every time.
        let data = (0..<50).map { ($0 % 3 == 0 ? 1.0 : 0.0, $0 % 4 == 0 ? 1.0 : 0.0) }
        func run() -> PairedDifference {
            Bootstrap().difference(units: data.count) { indices in
                (indices.map { data[$0].0 }.reduce(0, +) / 50, indices.map { data[$0].1 }.reduce(0, +) / 50)
            }
        }
        #expect(run() == run())
    }

    /// The regression gate on the pass rate (Docs/metrics.md#regression-gates): with a true drop exactly at the
    /// margin it fails about 2.5% of the time (one side of a 95% interval; 160 simulated pairs of runs, so up to 6%
    /// is allowed for simulation error), never without a drop, and at the recommended n = 1,000 it catches a real
    /// 5-point drop over a 2-point margin (82% by the normal approximation; at least 75% of 60 runs allowed).
    /// Docs/metrics.md has the measured figures from a larger simulation (`Benchmarks/regression-gate.sh`).
    @Test func theRegressionGateKeepsItsFalseAlarmRateAndCatchesARealDrop() async {
        // Seconds of arithmetic: on a thread of its own, not one of the few that run every test's async work.
        let (falseAlarms, noChange, power) = await Self.onOwnThread {
            (
                GateSimulation.failureRate(n: 1_000, drop: 0.02, margin: 0.02, runs: 160, resamples: 200),
                GateSimulation.failureRate(n: 1_000, drop: 0, margin: 0.02, runs: 40, resamples: 200),
                GateSimulation.failureRate(n: 1_000, drop: 0.05, margin: 0.02, runs: 60, resamples: 200)
            )
        }
        #expect(falseAlarms <= 0.06, "false-alarm rate \(falseAlarms)")
        #expect(noChange == 0, "no drop at all must practically never fail (\(noChange))")
        #expect(power >= 0.75, "power \(power)")
    }

    static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.qualityOfService = .utility
            thread.start()
        }
    }
}

/// Families' ratio terms (what comparisons resample) add up to the metric's value.
@Suite struct RatioTermsTests {
    static func ratio(_ family: any MetricFamily, _ gate: GateSpec, _ items: [ItemResult]) -> Double? {
        guard let terms = family.ratioTerms(of: gate, in: SuiteResults(items: items)) else { return nil }
        let numerator = terms.values.reduce(0) { $0 + $1.numerator }
        let denominator = terms.values.reduce(0) { $0 + $1.denominator }
        return denominator > 0 ? numerator / denominator : nil
    }

    @Test func choiceShortAnswerAndPassRateTermsEqualTheValues() throws {
        var choice = [
            ChoiceMetricsTests.item("q1", chosen: "A", correct: "A", tags: ["law"]),
            ChoiceMetricsTests.item("q2", chosen: "B", correct: "C", tags: ["law"]),
            ChoiceMetricsTests.item("q3", chosen: nil, correct: "B", tags: ["med"]),
            ChoiceMetricsTests.item("q4", chosen: "D", correct: "D", tags: ["med"]),
        ]
        for index in choice.indices {
            choice[index].checks[0].choice?.scored = true
            choice[index].checks[0].choice?.normalizedChosen = index == 1 ? "C" : "A"
            choice[index].checks[0].choice?.trueMass = Double(index) / 4
            choice[index].score = Double(index) / 3
        }
        let short = [
            ShortAnswerMetricsTests.item("a", matched: true, f1: 1, tags: ["x"]),
            ShortAnswerMetricsTests.item("b", matched: false, f1: 0.25, tags: ["x"]),
            ShortAnswerMetricsTests.item("c", matched: nil),
        ]
        let cases: [(any MetricFamily, GateSpec, [ItemResult])] = [
            (ChoiceFamily(), GateSpec(metric: .accuracy), choice),
            (ChoiceFamily(), GateSpec(metric: .accuracy, tag: "med"), choice),
            (ChoiceFamily(), GateSpec(metric: .invalidRate), choice),
            (ChoiceFamily(), GateSpec(metric: .accuracyNorm), choice),
            (ChoiceFamily(), GateSpec(metric: .mc2), choice),
            (
                ChoiceFamily(), GateSpec(metric: .positionConsistency),
                choice
                    + choice.map { item in
                        var again = item
                        again.id += "-2"
                        again.checks[0].choice?.chosen = item.sampleID == "q2" ? "A" : item.checks[0].choice?.chosen
                        again.checks[0].choice?.chosenText = item.sampleID == "q2" ? "other" : nil
                        return again
                    }
            ),
            (ShortAnswerFamily(), GateSpec(metric: .exactMatch), short),
            (ShortAnswerFamily(), GateSpec(metric: .tokenF1, tag: "x"), short),
            (PassRateFamily(), GateSpec(metric: .passRate, tag: "law"), choice),
            (PassRateFamily(), GateSpec(metric: .errorRate), short),
            (PassRateFamily(), GateSpec(metric: .checkPassRate, check: "choice"), choice),
            (PassRateFamily(), GateSpec(metric: .meanScore), choice),
        ]
        for (family, gate, items) in cases {
            let value = try #require(family.value(of: gate, in: SuiteResults(items: items)), "\(gate)")
            let summed = try #require(Self.ratio(family, gate, items), "\(gate)")
            #expect(abs(value - summed) < 1e-12, "\(gate): \(value) vs \(summed)")
        }
        #expect(
            ChoiceFamily().ratioTerms(of: GateSpec(metric: .stereotypeScore), in: SuiteResults(items: choice)) == nil
        )
        #expect(
            PassRateFamily().ratioTerms(of: GateSpec(metric: .passRateLower), in: SuiteResults(items: choice)) == nil
        )
    }
}
