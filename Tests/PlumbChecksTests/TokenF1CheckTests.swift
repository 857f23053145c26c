import PlumbChecks
import PlumbCore
import Testing

@Suite struct TokenF1CheckTests {
    struct F1Case: Sendable, CustomTestStringConvertible {
        var prediction: String
        var reference: String
        var f1: Double
        var testDescription: String { "\(prediction.debugDescription) vs \(reference.debugDescription)" }
    }

    /// Values worked out by hand: precision p = shared / predicted tokens, recall r = shared / reference tokens,
    /// F1 = 2pr / (p + r).
    static let values: [F1Case] = [
        // identical after normalisation: case, punctuation and articles go.
        F1Case(prediction: "The Eiffel Tower!", reference: "eiffel tower", f1: 1),
        // pred [eiffel, tower, in, paris], ref [eiffel, tower]: p = 2/4, r = 2/2, F1 = 2·0.5·1/1.5 = 2/3.
        F1Case(prediction: "the Eiffel Tower in Paris", reference: "Eiffel Tower", f1: 2.0 / 3.0),
        // pred [paris], ref [paris, france]: p = 1, r = 1/2, F1 = 2/3.
        F1Case(prediction: "Paris", reference: "Paris, France", f1: 2.0 / 3.0),
        // nothing shared.
        F1Case(prediction: "London", reference: "Paris", f1: 0),
        // multiset: pred [a... ] → [red, red, blue], ref [red, blue, blue]: shared red×1, blue×1 = 2;
        // p = 2/3, r = 2/3, F1 = 2/3.
        F1Case(prediction: "red red blue", reference: "red blue blue", f1: 2.0 / 3.0),
        // pred [dont, know] (apostrophe removed, not split), ref [i, dont, know]: p = 1, r = 2/3, F1 = 0.8.
        F1Case(prediction: "don't know", reference: "I don't know", f1: 0.8),
        // only articles and punctuation: both empty → 1.
        F1Case(prediction: "The.", reference: "a", f1: 1),
        // one side empty → 0.
        F1Case(prediction: "", reference: "Paris", f1: 0),
        // articles only as whole words: "another" and "theory" stay.
        F1Case(prediction: "another theory", reference: "an other the ory", f1: 0),
        // pred [1990s, 1,2?] → "19901991" after removing the comma; ref [19901991]: F1 = 1.
        F1Case(prediction: "1990,1991", reference: "19901991", f1: 1),
    ]

    @Test(arguments: values)
    func computesF1(_ testCase: F1Case) {
        #expect(abs(TokenF1Check.f1(testCase.prediction, testCase.reference) - testCase.f1) < 1e-12)
    }

    @Test func tokenises() {
        #expect(TokenF1Check.tokens("The quick, brown fox—an animal!") == ["quick", "brown", "foxan", "animal"])
        #expect(TokenF1Check.tokens("  A  cat\tand   THE dog ") == ["cat", "and", "dog"])
        #expect(TokenF1Check.tokens("$5 + 3 = 8") == ["5", "3", "8"])
    }

    static let cases: [EvalCase] = [
        EvalCase(
            "above the default threshold",
            ["reference": "Eiffel Tower"],
            output: "the Eiffel Tower in Paris",
            .pass,
            reason: "token F1 0.67 ≥ 0.50 against \"Eiffel Tower\"",
            score: 2.0 / 3.0
        ),
        EvalCase(
            "below a higher threshold",
            ["reference": "Eiffel Tower", "threshold": 0.8],
            output: "the Eiffel Tower in Paris",
            .fail,
            reason: "token F1 0.67 < 0.80 against \"Eiffel Tower\"",
            score: 2.0 / 3.0
        ),
        EvalCase(
            "exactly at the threshold passes",
            ["reference": "I don't know", "threshold": 0.8],
            output: "don't know",
            .pass
        ),
        EvalCase("no overlap", ["reference": "Paris"], output: "London", .fail, score: 0),
        EvalCase(
            "reference from the sample",
            ["reference": "{{answer}}"],
            fields: ["answer": .string("Marie Curie")],
            output: "Curie",
            .pass,
            reason: "token F1 0.67 ≥ 0.50 against \"Marie Curie\""
        ),
        EvalCase("threshold 0 passes anything", ["reference": "x", "threshold": 0], output: "y", .pass, score: 0),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: EvalCase) async throws {
        try await testCase.verify("token-f1")
    }

    static let loadErrors: [LoadErrorCase] = [
        LoadErrorCase("missing reference", "token-f1", ["threshold": 0.5], .missingField, at: nil, "needs 'reference'"),
        LoadErrorCase(
            "threshold above 1",
            "token-f1",
            ["reference": "x", "threshold": 1.5],
            .invalidValue,
            at: "threshold",
            "between 0 and 1"
        ),
        LoadErrorCase(
            "threshold string",
            "token-f1",
            ["reference": "x", "threshold": "high"],
            .wrongType,
            at: "threshold",
            "a finite number"
        ),
    ]

    @Test(arguments: loadErrors)
    func rejectsParameters(_ testCase: LoadErrorCase) {
        testCase.verify()
    }
}
