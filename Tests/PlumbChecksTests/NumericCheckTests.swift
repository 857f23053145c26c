import PlumbChecks
import PlumbCore
import Testing

@Suite struct NumericCheckTests {
    static let cases: [EvalCase] = [
        EvalCase(
            "exact",
            ["value": 42],
            output: "The answer is 42.",
            .pass,
            reason: "found 42 (last number), expected 42"
        ),
        EvalCase("last number by default", ["value": 42], output: "6 times 7 is 42", .pass),
        EvalCase(
            "first number",
            ["value": 6, "pick": "first"],
            output: "6 times 7 is 42",
            .pass,
            reason: "found 6 (first number), expected 6"
        ),
        EvalCase(
            "wrong number",
            ["value": 42],
            output: "It is 41.",
            .fail,
            reason: "found 41 (last number), expected 42",
            score: 0
        ),
        EvalCase("negative", ["value": -3], output: "x = -3", .pass),
        EvalCase("unicode minus", ["value": -3], output: "−3", .pass),
        EvalCase("decimal", ["value": 3.14], output: "pi ≈ 3.14", .pass),
        EvalCase(
            "thousands separators",
            ["value": 1234567],
            output: "Total: 1,234,567 units",
            .pass,
            reason: "found 1,234,567 (last number), expected 1234567"
        ),
        EvalCase("scientific notation", ["value": 6.02e23], output: "about 6.02e23 atoms", .pass),
        EvalCase("negative exponent", ["value": 0.0015], output: "1.5E-3", .pass),
        EvalCase("hyphen between numbers is not a sign", ["value": 20], output: "pages 10-20", .pass),
        EvalCase("digits in words are skipped", ["value": 5], output: "5 molecules of H2O", .pass),
        EvalCase(
            "tolerance",
            ["value": 3.14, "tolerance": 0.01],
            output: "3.15",
            .pass,
            reason: "found 3.15 (last number), expected 3.14 ± 0.01"
        ),
        EvalCase("outside tolerance", ["value": 3.14, "tolerance": 0.01], output: "3.16", .fail),
        EvalCase(
            "relative tolerance",
            ["value": 200, "relativeTolerance": 0.05],
            output: "209",
            .pass,
            reason: "found 209 (last number), expected 200 (relative tolerance 0.05)"
        ),
        EvalCase("outside relative tolerance", ["value": 200, "relativeTolerance": 0.05], output: "211", .fail),
        EvalCase(
            "larger allowance wins",
            ["value": 10, "tolerance": 2, "relativeTolerance": 0.01],
            output: "11.9",
            .pass
        ),
        EvalCase(
            "value from the sample",
            ["value": "{{answer}}"],
            fields: ["answer": .number(12)],
            output: "12 apples",
            .pass
        ),
        EvalCase(
            "string field with separators",
            ["value": "{{answer}}"],
            fields: ["answer": .string("1,000")],
            output: "1000",
            .pass
        ),
        EvalCase(
            "no number",
            ["value": 1],
            output: "I don't know.",
            .fail,
            reason: "no number in the output: \"I don't know.\""
        ),
        EvalCase(
            "value renders to text",
            ["value": "{{answer}}"],
            fields: ["answer": .string("twelve")],
            output: "12",
            .error,
            reason: "expected value \"twelve\" is not a number"
        ),
        EvalCase("value renders empty", ["value": "{{answer}}"], output: "12", .error),
        EvalCase("value string literal", ["value": "2.5"], output: "2.50", .pass),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: EvalCase) async throws {
        try await testCase.verify("numeric")
    }

    struct ExtractionCase: Sendable, CustomTestStringConvertible {
        var text: String
        var numbers: [Double]
        var testDescription: String { text.debugDescription }
    }

    static let extraction: [ExtractionCase] = [
        ExtractionCase(text: "no numbers here", numbers: []),
        ExtractionCase(text: "1, 2 and 3.", numbers: [1, 2, 3]),
        ExtractionCase(text: "-1.5 +2 −3", numbers: [-1.5, 2, -3]),
        ExtractionCase(text: "1,234 and 1,234,567.89", numbers: [1234, 1_234_567.89]),
        ExtractionCase(text: "1,2,3", numbers: [1, 2, 3]),
        ExtractionCase(text: "12345,678", numbers: [12345, 678]),
        ExtractionCase(text: ".5 and 0.25", numbers: [0.5, 0.25]),
        ExtractionCase(text: "2e3, 2E-2, 3e", numbers: [2000, 0.02, 3]),
        ExtractionCase(text: "10-20", numbers: [10, 20]),
        ExtractionCase(text: "GPT-4 and mp3", numbers: [4]),
        ExtractionCase(text: "50% of $1,000", numbers: [50, 1000]),
        ExtractionCase(text: "x=-7", numbers: [-7]),
        ExtractionCase(text: "1e400 is too big", numbers: []),
    ]

    @Test(arguments: extraction)
    func extractsNumbers(_ testCase: ExtractionCase) {
        #expect(NumericCheck.numbers(in: testCase.text).map(\.value) == testCase.numbers)
    }

    @Test func keepsTheWrittenText() {
        #expect(NumericCheck.numbers(in: "cost: -1,234.5 EUR").map(\.text) == ["-1,234.5"])
    }

    @Test(arguments: [("42", 42.0), (" -1.5e2 ", -150), ("1,000", 1000)])
    func parsesExpectedValues(_ text: String, _ value: Double) {
        #expect(NumericCheck.number(from: text) == value)
    }

    @Test(arguments: ["", "abc", "1 2", "42km", "0x1F", "nan", "inf"])
    func rejectsExpectedValues(_ text: String) {
        #expect(NumericCheck.number(from: text) == nil)
    }

    static let loadErrors: [LoadErrorCase] = [
        LoadErrorCase("missing value", "numeric", ["tolerance": 1], .missingField, at: nil, "needs 'value'"),
        LoadErrorCase(
            "value not a number",
            "numeric",
            ["value": "ten"],
            .invalidValue,
            at: "value",
            "\"ten\" is not a number"
        ),
        LoadErrorCase(
            "negative tolerance",
            "numeric",
            ["value": 1, "tolerance": -0.1],
            .invalidValue,
            at: "tolerance",
            "0 or more"
        ),
        LoadErrorCase(
            "tolerance string",
            "numeric",
            ["value": 1, "tolerance": "1"],
            .wrongType,
            at: "tolerance",
            "a finite number"
        ),
        LoadErrorCase(
            "negative relative",
            "numeric",
            ["value": 1, "relativeTolerance": -1],
            .invalidValue,
            at: "relativeTolerance",
            "0 or more"
        ),
        LoadErrorCase(
            "unknown pick",
            "numeric",
            ["value": 1, "pick": "middle"],
            .invalidValue,
            at: "pick",
            "must be one of 'first', 'last'"
        ),
        LoadErrorCase(
            "pick typo hint",
            "numeric",
            ["value": 1, "pick": "frist"],
            .invalidValue,
            at: "pick",
            "did you mean 'first'?"
        ),
    ]

    @Test(arguments: loadErrors)
    func rejectsParameters(_ testCase: LoadErrorCase) {
        testCase.verify()
    }
}
