public import PlumbCore

/// Everything Plumb computes from one suite's items: pass-rate metrics, gate outcomes and corrected rates.
///
/// The one place results become numbers: `plumb run` and `plumb merge` (and later `compare`) all call it, with the
/// gates and corrections the suite declared (recorded in reports), so they cannot disagree.
public struct SuiteEvaluation: Sendable, Hashable {
    public var metrics: SuiteMetrics
    public var gates: [GateOutcome]
    public var corrections: [CheckCorrection]?
    /// For `pairs` suites: fairness over tuples.
    public var fairness: FairnessReport?
    /// For suites with a toxicity classifier check: toxicity over k continuations.
    public var toxicity: [ToxicityReport]?
    /// For suites with several answers per prompt: pass@k, pass^k, flakiness, clustering.
    public var repeats: RepeatsReport?
    /// For suites with a `choice` check: multiple-choice accuracy and invalid answers.
    public var choice: [ChoiceReport]?
    /// For suites with an `equals` or `token-f1` check: short-answer accuracy.
    public var shortAnswer: [ShortAnswerReport]?

    /// - Throws: `MetricError` when a gate names a metric no family in `families` defines.
    public init(
        items: [ItemResult],
        gates: [GateSpec],
        corrections: [CorrectionSpec],
        families: MetricFamilies
    ) throws(MetricError) {
        let results = SuiteResults(items: items)
        var outcomes: [GateOutcome] = []
        // Absolute bounds only: a regression bound (`maxDrop`) needs a baseline (`Comparison`).
        for gate in gates.compactMap(\.absolute) {
            outcomes.append(try Gates.evaluate(gate, in: results, families: families))
        }
        self.metrics = results.passRates
        self.gates = outcomes
        self.corrections = Corrections.compute(corrections, items: items)
        self.fairness = results.fairness
        self.toxicity = ToxicityFamily.reports(for: items)
        self.repeats = RepeatsFamily.report(for: items)
        self.choice = ChoiceFamily.reports(for: items)
        self.shortAnswer = ShortAnswerFamily.reports(for: items)
    }
}
