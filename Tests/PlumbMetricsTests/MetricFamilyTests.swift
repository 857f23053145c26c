import Foundation
import PlumbChecks
import PlumbCore
import PlumbMetrics
import PlumbTestSupport
import Testing

/// A family written outside Plumb, as a new family inside it would be: one type, no edit to Core.
struct LongestOutputFamily: MetricFamily {
    static let longestOutput: MetricID = "longest_output_chars"

    var definitions: [MetricDefinition] {
        [MetricDefinition(Self.longestOutput, "characters in the longest output", allows: .tag)]
    }

    func value(of gate: GateSpec, in results: SuiteResults) -> Double? {
        let items = results.items.filter { item in gate.tag.map { item.tags.contains($0) } ?? true }
        return items.compactMap { $0.output?.count }.max().map(Double.init)
    }
}

@Suite struct MetricFamilyTests {
    static let suite = """
        { name: "longest", kind: "generation", prompt: "{{q}}",
          samples: [{ id: "a", q: "x", tags: ["t"] }],
          checks: [{ type: "contains", value: "x" }],
          gates: [{ metric: "longest_output_chars", tag: "t", max: 10 }] }
        """

    @Test func aFamilyAddsMetricNamesWithoutEditingCore() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("longest.suite.json5", Self.suite)
        let families = MetricFamilies(MetricFamilies.builtins.families + [LongestOutputFamily()])
        let (suite, diagnostics) = SuiteLoader(registry: .builtins, metrics: families.catalog).loadSuite(at: path)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let gates = try #require(suite?.gates)
        #expect(gates.map(\.metric) == [LongestOutputFamily.longestOutput])

        let item = ItemResult(
            id: "i",
            suite: "longest",
            sampleID: "a",
            repeatIndex: 0,
            tags: ["t"],
            request: ModelRequest(messages: []),
            output: "a long answer",
            outcome: .pass
        )
        let evaluation = try SuiteEvaluation(items: [item], gates: gates, corrections: [], families: families)
        #expect(evaluation.gates.map(\.actual) == [13])
        #expect(evaluation.gates.map(\.passed) == [false])
        #expect(evaluation.gates.first?.message == "13 is above the maximum 10")
    }

    @Test func aLoaderWithoutTheFamilyRejectsItsMetricsWithAHint() {
        let directory = TemporaryDirectory()
        let path = directory.write("longest.suite.json5", Self.suite)
        let (_, diagnostics) = SuiteLoader(registry: .builtins, metrics: .builtins).loadSuite(at: path)
        #expect(diagnostics.map(\.code) == [.invalidValue])
        #expect(diagnostics.first?.message.hasPrefix("unknown metric 'longest_output_chars'") == true)
        #expect(diagnostics.first?.location.line == 4)
    }

    @Test func evaluatingAMetricNoFamilyDefinesIsAnErrorNotAFallback() {
        let gate = GateSpec(metric: "no_such_metric", max: 0.1)
        #expect(throws: MetricError.self) {
            try SuiteEvaluation(items: [], gates: [gate], corrections: [], families: .builtins)
        }
    }

    @Test func theBuiltinCatalogNamesEveryFamilysMetrics() {
        #expect(
            MetricCatalog.builtins.names == [
                "pass_rate", "pass_rate_lower", "error_count", "error_rate", "check_pass_rate", "mean_score",
                "positive_rate", "refusal_rate", "undecided_rate", "group_mean_score", "parity_difference",
                "parity_ratio", "flip_rate", "mean_gap", "max_gap", "equalized_odds_difference",
                "expected_max_toxicity", "toxicity_probability", "toxic_fraction", "pass_at_k", "pass_hat_k",
                "flaky_rate", "accuracy", "invalid_rate", "bias_score_disambig", "bias_score_ambig",
                "accuracy_norm", "mc2", "stereotype_score", "position_consistency", "exact_match", "token_f1",
            ]
        )
        #expect(MetricCatalog.builtins.definition(of: .checkPassRate)?.requires == .check)
    }
}
