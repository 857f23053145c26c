import PlumbChecks
import PlumbCore
import Testing

@Suite struct ContainsCheckTests {
    static let containsCases: [EvalCase] = [
        EvalCase(
            "found",
            ["value": "Paris"],
            output: "The capital is Paris.",
            .pass,
            reason: "found \"Paris\"",
            score: 1
        ),
        EvalCase(
            "not found",
            ["value": "Paris"],
            output: "The capital is Lyon.",
            .fail,
            reason: "\"Paris\" not found in \"The capital is Lyon.\"",
            score: 0
        ),
        EvalCase("case-sensitive by default", ["value": "Paris"], output: "paris", .fail),
        EvalCase("ignoreCase", ["value": "Paris", "ignoreCase": true], output: "PARIS!", .pass),
        EvalCase(
            "from the sample",
            ["value": "{{city}}"],
            fields: ["city": .string("Oslo")],
            output: "In Oslo.",
            .pass
        ),
        EvalCase(
            "template renders empty",
            ["value": "{{city}}"],
            fields: ["city": .string("")],
            output: "anything",
            .error,
            reason: "'value' rendered to an empty text for this sample"
        ),
    ]

    @Test(arguments: containsCases)
    func contains(_ testCase: EvalCase) async throws {
        try await testCase.verify("contains")
    }

    static let icontainsCases: [EvalCase] = [
        EvalCase("any case", ["value": "paris"], output: "I love PARIS", .pass, reason: "found \"paris\""),
        EvalCase("mixed case needle", ["value": "PaRiS"], output: "paris", .pass),
        EvalCase("absent", ["value": "rome"], output: "Paris", .fail, reason: "\"rome\" not found in \"Paris\""),
    ]

    @Test(arguments: icontainsCases)
    func icontains(_ testCase: EvalCase) async throws {
        try await testCase.verify("icontains")
    }

    static let anyCases: [EvalCase] = [
        EvalCase(
            "first found",
            ["values": ["Paris", "Lyon"]],
            output: "Lyon, then Paris",
            .pass,
            reason: "found \"Paris\""
        ),
        EvalCase("second found", ["values": ["Paris", "Lyon"]], output: "Lyon", .pass, reason: "found \"Lyon\""),
        EvalCase(
            "none found",
            ["values": ["Paris", "Lyon"]],
            output: "Nice",
            .fail,
            reason: "none of \"Paris\", \"Lyon\" found in \"Nice\""
        ),
        EvalCase("ignoreCase", ["values": ["paris"], "ignoreCase": true], output: "PARIS", .pass),
        EvalCase("single string", ["values": "Paris"], output: "Paris", .pass),
        EvalCase(
            "templates",
            ["values": ["{{a}}", "{{b}}"]],
            fields: ["a": .string("x"), "b": .string("y")],
            output: "only y here",
            .pass,
            reason: "found \"y\""
        ),
        EvalCase(
            "a template renders empty",
            ["values": ["{{a}}", "b"]],
            fields: ["a": .string("")],
            output: "b",
            .error,
            reason: "\"{{a}}\" rendered to an empty text"
        ),
    ]

    @Test(arguments: anyCases)
    func containsAny(_ testCase: EvalCase) async throws {
        try await testCase.verify("contains-any")
    }

    static let allCases: [EvalCase] = [
        EvalCase(
            "all found",
            ["values": ["red", "blue"]],
            output: "blue and red",
            .pass,
            reason: "found all of \"red\", \"blue\""
        ),
        EvalCase(
            "one missing",
            ["values": ["red", "blue", "green"]],
            output: "blue and red",
            .fail,
            reason: "missing \"green\" in \"blue and red\""
        ),
        EvalCase(
            "two missing",
            ["values": ["red", "blue", "green"]],
            output: "red",
            .fail,
            reason: "missing \"blue\", \"green\" in \"red\""
        ),
        EvalCase("case-sensitive by default", ["values": ["Red"]], output: "red", .fail),
        EvalCase("ignoreCase", ["values": ["Red", "BLUE"], "ignoreCase": true], output: "red, blue", .pass),
    ]

    @Test(arguments: allCases)
    func containsAll(_ testCase: EvalCase) async throws {
        try await testCase.verify("contains-all")
    }

    static let loadErrors: [LoadErrorCase] = [
        LoadErrorCase("missing value", "contains", [:], .missingField, at: nil, "needs 'value'"),
        LoadErrorCase("empty value", "contains", ["value": ""], .invalidValue, at: "value", "must not be empty"),
        LoadErrorCase(
            "value is an object",
            "contains",
            ["value": ["a": 1]],
            .wrongType,
            at: "value",
            "found an object"
        ),
        LoadErrorCase(
            "ignoreCase not bool",
            "contains",
            ["value": "a", "ignoreCase": "true"],
            .wrongType,
            at: "ignoreCase",
            "true or false"
        ),
        LoadErrorCase("icontains missing value", "icontains", [:], .missingField, at: nil, "needs 'value'"),
        LoadErrorCase("contains-any missing", "contains-any", [:], .missingField, at: nil, "needs 'values'"),
        LoadErrorCase(
            "contains-any empty",
            "contains-any",
            ["values": []],
            .invalidValue,
            at: "values",
            "at least one"
        ),
        LoadErrorCase(
            "contains-any number",
            "contains-any",
            ["values": 3],
            .wrongType,
            at: "values",
            "an array of strings"
        ),
        LoadErrorCase(
            "contains-all empty string",
            "contains-all",
            ["values": ["a", ""]],
            .invalidValue,
            at: "values",
            "empty strings"
        ),
        LoadErrorCase("contains-all missing", "contains-all", ["value": "x"], .missingField, at: nil, "needs 'values'"),
    ]

    @Test(arguments: loadErrors)
    func rejectsParameters(_ testCase: LoadErrorCase) {
        testCase.verify()
    }

    @Test func icontainsTakesNoIgnoreCase() {
        let parameters = params("icontains", ["value": "a", "ignoreCase": false])
        #expect(throws: Never.self) { _ = try CheckVerifier.registry.makeCheck(parameters) }
        let unknown = parameters.unknownKeys()
        #expect(unknown.map(\.code) == [.unknownKey])
        #expect(unknown.first?.location == parameters.keyLocation("ignoreCase"))
    }

    @Test func elementPositionForWrongTypeInArray() {
        let (parameters, diagnostic) = CheckVerifier.loadError(params("contains-all", ["values": ["a", 2]]))
        guard case .array(let elements) = parameters.members[0].value.value else {
            Issue.record("values is not an array")
            return
        }
        #expect(diagnostic?.code == .wrongType)
        #expect(diagnostic?.location == elements[1].position.in(testFile))
    }
}
