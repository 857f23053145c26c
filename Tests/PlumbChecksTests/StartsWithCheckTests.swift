import PlumbChecks
import PlumbCore
import Testing

@Suite struct StartsWithCheckTests {
    static let cases: [EvalCase] = [
        EvalCase("starts with", ["value": "Yes"], output: "Yes, it is.", .pass, reason: "starts with \"Yes\""),
        EvalCase("leading whitespace ignored", ["value": "Yes"], output: " \n\t Yes", .pass),
        EvalCase(
            "starts otherwise",
            ["value": "Yes"],
            output: "No, yes.",
            .fail,
            reason: "expected to start with \"Yes\", got \"No, yes.\""
        ),
        EvalCase("case-sensitive by default", ["value": "Yes"], output: "yes", .fail),
        EvalCase("ignoreCase", ["value": "Yes", "ignoreCase": true], output: "YES!", .pass),
        EvalCase("value longer than output", ["value": "Yes indeed"], output: "Yes", .fail),
        EvalCase(
            "from the sample",
            ["value": "{{label}}:"],
            fields: ["label": .string("SAFE")],
            output: "SAFE: ok",
            .pass
        ),
        EvalCase(
            "renders empty",
            ["value": "{{label}}"],
            fields: [:],
            output: "x",
            .error,
            reason: "'value' rendered to an empty text for this sample"
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: EvalCase) async throws {
        try await testCase.verify("starts-with")
    }

    static let loadErrors: [LoadErrorCase] = [
        LoadErrorCase("missing value", "starts-with", ["ignoreCase": true], .missingField, at: nil, "needs 'value'"),
        LoadErrorCase("empty value", "starts-with", ["value": ""], .invalidValue, at: "value", "must not be empty"),
        LoadErrorCase("null value", "starts-with", ["value": nil], .wrongType, at: "value", "found null"),
    ]

    @Test(arguments: loadErrors)
    func rejectsParameters(_ testCase: LoadErrorCase) {
        testCase.verify()
    }
}
