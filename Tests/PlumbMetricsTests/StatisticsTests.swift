import PlumbMetrics
import Foundation
import PlumbCore
import PlumbTestSupport
import Testing

@Suite struct StatisticsTests {
    /// Newcombe (1998), "Two-sided confidence intervals for the single proportion", Stat. Med. 17:857–872,
    /// Table I, method 3 (Wilson score interval without continuity correction).
    @Test(arguments: [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ])
    func wilsonMatchesNewcombe(_ successes: Int, _ total: Int, _ lower: Double, _ upper: Double) throws {
        let interval = try #require(Statistics.wilsonInterval(successes: successes, total: total))
        #expect(abs(interval.lower - lower) < 0.00005)
        #expect(abs(interval.upper - upper) < 0.00005)
    }

    @Test func noItemsNoInterval() {
        #expect(Statistics.wilsonInterval(successes: 0, total: 0) == nil)
        #expect(Rate(successes: 0, total: 0).value == nil)
    }

    @Test(arguments: [(0.95, 1.959963984540054), (0.975, 2.241402727604947), (0.8, 1.2815515655446004)])
    func zScores(_ confidence: Double, _ expected: Double) {
        #expect(abs(Statistics.zScore(confidence: confidence) - expected) < 1e-8)
    }
}

@Suite struct AggregationTests {
    func item(_ outcome: ItemOutcome, tags: [String] = [], checks: [(String, CheckOutcome)] = []) -> ItemResult {
        ItemResult(
            id: UUID().uuidString,
            suite: "s",
            sampleID: "x",
            repeatIndex: 0,
            tags: tags,
            request: ModelRequest(messages: []),
            checks: checks.map {
                CheckRecord(name: $0.0, type: "t", outcome: $0.1, score: nil, reason: "", weight: 1)
            },
            outcome: outcome
        )
    }

    @Test func errorsCountAgainstThePassRate() {
        let metrics = PassRateFamily.metrics(for: [item(.pass), item(.pass), item(.fail), item(.error)])
        #expect(metrics.overall.items == 4)
        #expect(metrics.overall.passRate.value == 0.5)
        #expect(metrics.overall.errorRate == 0.25)
    }

    @Test func tagsAndChecksAreBrokenDown() {
        let metrics = PassRateFamily.metrics(for: [
            item(.pass, tags: ["a"], checks: [("c1", .pass)]),
            item(.fail, tags: ["a", "b"], checks: [("c1", .fail)]),
            item(.pass, tags: ["b"], checks: [("c1", .pass)]),
        ])
        #expect(metrics.byTag["a"]?.passed == 1)
        #expect(metrics.byTag["a"]?.items == 2)
        #expect(metrics.byTag["b"]?.passRate.value == 0.5)
        #expect(metrics.byCheck["c1"]?.passed == 2)
    }

    @Test(arguments: [
        (GateSpec(metric: .passRate, min: 0.5), true, "0.5 is within bounds"),
        (GateSpec(metric: .passRate, min: 0.6), false, "0.5 is below the minimum 0.6"),
        (GateSpec(metric: .errorCount, max: 0), false, "1 is above the maximum 0"),
        (GateSpec(metric: .passRate, tag: "a", min: 1), true, "1 is within bounds"),
        (GateSpec(metric: .passRate, tag: "missing", min: 0), false, "no value: no items in scope"),
        (GateSpec(metric: .passRateLower, min: 0.2), false, "0.15 is below the minimum 0.2"),
    ])
    func gates(_ gate: GateSpec, _ passes: Bool, _ message: String) throws {
        let results = SuiteResults(items: [item(.pass, tags: ["a"]), item(.fail), item(.pass), item(.error)])
        let outcome = try Gates.evaluate(gate, in: results, families: .builtins)
        #expect(outcome.passed == passes)
        #expect(outcome.message == message)
    }
}

/// Issue 12's defects: the Wilson bounds at 0 and n of n must be exactly 0 and 1, so a `pass_rate_lower` gate with a
/// tiny minimum cannot pass a model with no passes.
@Suite struct WilsonEdgeTests {
    @Test func noSuccessesGiveALowerBoundOfExactlyZeroAndAllGiveAnUpperBoundOfOne() throws {
        for n in [1, 7, 10, 100, 12_345] {
            let none = try #require(Statistics.wilsonInterval(successes: 0, total: n))
            #expect(none.lower == 0, "n = \(n): \(none.lower)")
            let all = try #require(Statistics.wilsonInterval(successes: n, total: n))
            #expect(all.upper == 1, "n = \(n): \(all.upper)")
            #expect(Rate(successes: 0, total: n).lower == 0 && Rate(successes: n, total: n).upper == 1)
        }
        #expect(Statistics.wilsonInterval(proportion: 0, size: 3.5)?.lower == 0)
        #expect(Statistics.wilsonInterval(proportion: 1, size: 3.5)?.upper == 1)
        let failing = (0..<10).map { index in
            ItemResult(
                id: "i\(index)",
                suite: "s",
                sampleID: "i\(index)",
                repeatIndex: 0,
                tags: [],
                request: ModelRequest(messages: []),
                outcome: .fail
            )
        }
        let gate = try Gates.evaluate(
            GateSpec(metric: .passRateLower, min: 1e-20),
            in: SuiteResults(items: failing),
            families: .builtins
        )
        #expect(!gate.passed, "\(gate.message)")
    }
}
