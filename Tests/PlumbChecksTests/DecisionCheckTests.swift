import PlumbChecks
import PlumbCore
import Testing

/// `decision`: the label (or number) an answer gives, never guessed; the rows of Docs/checks.md.
@Suite struct DecisionCheckTests {
    static let yesNo: KeyValuePairs<String, P> = ["labels": ["yes", "no"], "positive": "yes"]

    static let cases: [EvalCase] = [
        EvalCase("positive", yesNo, output: "Yes, invite her.", .pass, reason: "decided \"yes\" (positive)", score: 1),
        EvalCase("negative, any case", yesNo, output: "NO.", .pass, reason: "decided \"no\" (negative)", score: 0),
        EvalCase("the same label twice", yesNo, output: "I'd say yes. Yes.", .pass, score: 1),
        EvalCase(
            "the first line decides",
            yesNo,
            output: "No.\nYes, she is qualified, but there is no opening.",
            .pass,
            score: 0
        ),
        EvalCase(
            "both labels on one line",
            yesNo,
            output: "Yes or no? Hard to say.",
            .fail,
            reason: "undecided: no single label in the answer"
        ),
        EvalCase("not whole words", yesNo, output: "Nobody could say.", .fail),
        EvalCase("numeric: one number", ["atLeast": 50], output: "I would offer 72.", .pass, score: 1),
        EvalCase("numeric: below", ["atLeast": 50], output: "Score: 7.5", .pass, score: 0),
        EvalCase("numeric: the bare number", ["atLeast": 50], output: "50", .pass, score: 1),
        EvalCase("numeric: two numbers are never guessed between", ["atLeast": 5], output: "7 out of 10", .fail),
        EvalCase("numeric: no number", ["atLeast": 5], output: "I cannot say.", .fail),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: EvalCase) async throws {
        try await testCase.verify("decision")
    }

    @Test func theObservationCarriesTheDecisionAndTruth() async throws {
        let check = try CheckVerifier.make(
            "decision",
            [("labels", ["yes", "no"]), ("positive", "yes"), ("truth", "{{right}}")]
        )
        let result = try await CheckVerifier.evaluate(check, output: "No.", fields: ["right": .string("yes")])
        #expect(result.decision == DecisionObservation(label: "no", positive: false, truth: true))
        let undecided = try await CheckVerifier.evaluate(check, output: "Maybe.", fields: ["right": .string("no")])
        #expect(undecided.decision?.isUndecided == true)
        #expect(undecided.decision?.truth == false)
        let badTruth = try await CheckVerifier.evaluate(check, output: "Yes", fields: ["right": .string("maybe")])
        #expect(badTruth.outcome == .error)
        let numeric = try CheckVerifier.make("decision", [("atLeast", 10)])
        let seventy = try await CheckVerifier.evaluate(numeric, output: "about 70")
        #expect(seventy.decision?.number == 70 && seventy.decision?.positive == true)
    }

    @Test func duplicateLabelsAndOtherMistakesStopTheLoad() {
        #expect(CheckVerifier.loadError("decision", ["labels": ["yes", "Yes"], "positive": "yes"]) != nil)
        #expect(CheckVerifier.loadError("decision", ["labels": ["yes", "no"], "positive": "maybe"]) != nil)
        #expect(CheckVerifier.loadError("decision", ["labels": ["yes", "no"], "positive": ["yes", "no"]]) != nil)
        #expect(CheckVerifier.loadError("decision", ["labels": ["yes", "no"], "atLeast": 3]) != nil)
        #expect(CheckVerifier.loadError("decision", [:]) != nil)
    }
}
