import Foundation
import PlumbChecks
import PlumbCore
import Testing

@Suite struct ChoiceCheckTests {
    struct ExtractionCase: Sendable, CustomTestStringConvertible {
        var output: String
        var expected: ChoiceCheck.Extraction
        var choices = "ABCD"
        var testDescription: String { output.debugDescription }
    }

    static let extraction: [ExtractionCase] = [
        ExtractionCase(output: "B", expected: .letter("B")),
        ExtractionCase(output: "(B)", expected: .letter("B")),
        ExtractionCase(output: "B.", expected: .letter("B")),
        ExtractionCase(output: "B)", expected: .letter("B")),
        ExtractionCase(output: "  C\n", expected: .letter("C")),
        ExtractionCase(output: "Answer: B", expected: .letter("B")),
        ExtractionCase(output: "The answer is (C).", expected: .letter("C")),
        ExtractionCase(output: "**C**", expected: .letter("C")),
        ExtractionCase(output: "answer: c", expected: .letter("C")),
        ExtractionCase(output: "the answer is d.", expected: .letter("D")),
        ExtractionCase(output: "A good question is one that makes you think.", expected: .none),
        ExtractionCase(output: "A good question. The answer is B.", expected: .letter("B")),
        ExtractionCase(output: "I think the answer is a matter of taste.", expected: .none),
        ExtractionCase(output: "Final answer: **D**", expected: .letter("D")),
        ExtractionCase(output: "The correct option is B because Paris is in France.", expected: .letter("B")),
        ExtractionCase(output: "Let me think. A is wrong, so the answer is: (C)", expected: .letter("C")),
        ExtractionCase(output: "Answer: A. Wait, no. The answer is B.", expected: .letter("B")),
        ExtractionCase(output: "(B) is correct.", expected: .letter("B")),
        ExtractionCase(output: "B - Paris", expected: .letter("B")),
        ExtractionCase(output: "b) Paris", expected: .letter("B")),
        ExtractionCase(output: "I'd go with (B) here.", expected: .letter("B")),
        ExtractionCase(output: "Reasoning first.\n\nD\n", expected: .letter("D")),
        ExtractionCase(output: "The capital of France is Paris.", expected: .none),
        ExtractionCase(output: "", expected: .none),
        ExtractionCase(output: "Answer: E", expected: .none),
        ExtractionCase(output: "Answer: E", expected: .letter("E"), choices: "ABCDE"),
        ExtractionCase(output: "(A) Paris (B) London", expected: .ambiguous(["A", "B"])),
        ExtractionCase(output: "A) Paris\nB) London\nC) Rome", expected: .ambiguous(["A", "B", "C"])),
        ExtractionCase(output: "B. Option (C) is wrong because of the date.", expected: .letter("B")),
        ExtractionCase(output: "Options: (A) cat, (C) dog.", expected: .ambiguous(["A", "C"])),
        ExtractionCase(output: "I think it's (B), though (B) is odd.", expected: .letter("B")),
        ExtractionCase(output: "Washington D.C. is the capital.", expected: .none),
        ExtractionCase(output: "I choose wisely.", expected: .none),
    ]

    @Test(arguments: extraction)
    func extracts(_ testCase: ExtractionCase) {
        #expect(ChoiceCheck.extract(from: testCase.output, choices: testCase.choices) == testCase.expected)
    }

    static let cases: [EvalCase] = [
        EvalCase("right letter", ["answer": "B"], output: "Answer: B", .pass, reason: "chose B, expected B", score: 1),
        EvalCase("wrong letter", ["answer": "B"], output: "Answer: C", .fail, reason: "chose C, expected B", score: 0),
        EvalCase(
            "answer from the sample",
            ["answer": "{{answer}}"],
            fields: ["answer": .string("d")],
            output: "(D)",
            .pass
        ),
        EvalCase("answer written with brackets", ["answer": "(C)"], output: "C", .pass),
        EvalCase(
            "no letter",
            ["answer": "A"],
            output: "Paris",
            .fail,
            reason: "invalid: no choice letter found in \"Paris\" (expected A)",
            score: 0
        ),
        EvalCase(
            "ambiguous",
            ["answer": "A"],
            output: "(A) or (B)",
            .fail,
            reason: "invalid: no choice letter found (ambiguous: A, B), expected A"
        ),
        EvalCase("more choices", ["answer": "E", "choices": "ABCDE"], output: "The answer is E.", .pass),
        EvalCase("lowercase choices", ["answer": "e", "choices": "abcde"], output: "(E)", .pass),
        EvalCase(
            "sample answer outside the choices",
            ["answer": "{{answer}}"],
            fields: ["answer": .string("F")],
            output: "F",
            .error,
            reason: "expected answer \"F\" is not one of the choices ABCD"
        ),
        EvalCase("sample answer missing", ["answer": "{{answer}}"], output: "A", .error),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: EvalCase) async throws {
        try await testCase.verify("choice")
    }

    static let loadErrors: [LoadErrorCase] = [
        LoadErrorCase("missing answer", "choice", [:], .missingField, at: nil, "needs 'answer'"),
        LoadErrorCase(
            "answer not a letter",
            "choice",
            ["answer": "Paris"],
            .invalidValue,
            at: "answer",
            "not one of the choices ABCD"
        ),
        LoadErrorCase(
            "answer outside choices",
            "choice",
            ["answer": "E"],
            .invalidValue,
            at: "answer",
            "not one of the choices"
        ),
        LoadErrorCase(
            "choices with digits",
            "choice",
            ["answer": "A", "choices": "A1"],
            .invalidValue,
            at: "choices",
            "letters A–Z"
        ),
        LoadErrorCase(
            "choices empty",
            "choice",
            ["answer": "A", "choices": ""],
            .invalidValue,
            at: "choices",
            "letters A–Z"
        ),
        LoadErrorCase(
            "choices repeated",
            "choice",
            ["answer": "A", "choices": "ABA"],
            .invalidValue,
            at: "choices",
            "twice"
        ),
        LoadErrorCase(
            "choices as array",
            "choice",
            ["answer": "A", "choices": ["A", "B"]],
            .wrongType,
            at: "choices",
            "a string"
        ),
    ]

    @Test(arguments: loadErrors)
    func rejectsParameters(_ testCase: LoadErrorCase) {
        testCase.verify()
    }
}

/// The `choice` check on options scored by log-probability: hand-worked choices, `acc_norm`, MC2 and CrowS-Pairs.
@Suite struct ScoredChoiceTests {
    func evaluate(_ logprobs: [Double], options: [String], correct: String, extra: [String: JSONValue] = [:])
        async throws -> CheckResult
    {
        var fields: [String: JSONValue] = [
            ChoiceSpec.optionTextsField: .array(options.map { .string($0) }), ChoiceSpec.correctField: .string(correct),
        ]
        fields.merge(extra) { $1 }
        let sample = Sample(id: "s", fields: fields, location: SourceLocation(file: "s.jsonl", line: 1))
        let scores = logprobs.map { ContinuationScore(logprob: $0, tokens: 1) }
        let input = CheckInput(
            sample: sample,
            request: ModelRequest(messages: []),
            response: try ModelResponse.scored(scores, continuations: scores.count)
        )
        let check = ChoiceCheck(answer: try Template(parsing: "{{correct}}"))
        return try await check.evaluate(input, in: CheckContext(suiteName: "s", location: sample.location))
    }

    @Test func theHighestScoreChoosesAndLengthNormalisationMayDisagree() async throws {
        // "a long option" −6.5 / 13 = −0.5 per character; "no" −2.0 / 2 = −1.0: raw picks B, normalised picks A.
        let result = try await evaluate([-6.5, -2.0], options: ["a long option", "no"], correct: "A")
        #expect(result.outcome == .fail)
        #expect(result.choice?.chosen == "B" && result.choice?.normalizedChosen == "A" && result.choice?.scored == true)
        #expect(result.reason == "chose B by log-probability (A -6.500, B -2.000), expected A")
    }

    @Test func aTieChoosesNothing() async throws {
        let result = try await evaluate([-1.25, -1.25, -3], options: ["x", "y", "z"], correct: "A")
        #expect(result.outcome == .fail && result.choice?.isInvalid == true)
        #expect(result.reason.hasPrefix("invalid: options scored the same"))
    }

    @Test func mc2IsTheNormalisedProbabilityMassOnTheTrueOptions() async throws {
        let result = try await evaluate(
            [-1, -2, -3],
            options: ["t1", "t2", "f1"],
            correct: "A",
            extra: [ChoiceSpec.trueTextsField: .array([.string("t1"), .string("t2")])]
        )
        // Independent: (e^−1 + e^−2) / (e^−1 + e^−2 + e^−3) = 0.5032147 / 0.5530018 = 0.9099694.
        let expected = (exp(-1.0) + exp(-2.0)) / (exp(-1.0) + exp(-2.0) + exp(-3.0))
        #expect(abs((result.choice?.trueMass ?? 0) - expected) < 1e-12)
        #expect(abs(expected - 0.9099694) < 1e-6)
        // Large log-probabilities do not underflow: the same differences give the same mass.
        let shifted = try await evaluate(
            [-1001, -1002, -1003],
            options: ["t1", "t2", "f1"],
            correct: "A",
            extra: [ChoiceSpec.trueTextsField: .array([.string("t1"), .string("t2")])]
        )
        #expect(abs((shifted.choice?.trueMass ?? 0) - expected) < 1e-9)
    }

    @Test func aStereotypePairFailsWhenTheMoreStereotypingSentenceIsLikelier() async throws {
        let stereotype: [String: JSONValue] = [ChoiceSpec.stereotypeField: .bool(true)]
        let preferred = try await evaluate([-10.2, -11.0], options: ["more", "less"], correct: "A", extra: stereotype)
        #expect(
            preferred.outcome == .fail && preferred.choice?.isCorrect == true && preferred.choice?.stereotype == true
        )
        let other = try await evaluate([-12.0, -11.0], options: ["more", "less"], correct: "A", extra: stereotype)
        #expect(other.outcome == .pass && other.choice?.isCorrect == false)
        // As the CrowS-Pairs authors' script: scores equal at three decimals are no preference.
        let tie = try await evaluate([-10.0001, -10.0002], options: ["more", "less"], correct: "A", extra: stereotype)
        #expect(tie.outcome == .pass && tie.choice?.isInvalid == true)
        #expect(tie.reason.hasPrefix("no preference"))
    }
}
