import PlumbChecks
import PlumbCore
import Testing

@Suite struct IsJSONCheckTests {
    static let cases: [EvalCase] = [
        EvalCase("object", [:], output: #"{"a": 1}"#, .pass, reason: "output is valid JSON (object)"),
        EvalCase("array with spaces around", [:], output: "\n [1, 2]\n", .pass, reason: "output is valid JSON (array)"),
        EvalCase("bare number", [:], output: "3.5", .pass, reason: "output is valid JSON (number)"),
        EvalCase("bare string", [:], output: #""hi""#, .pass, reason: "output is valid JSON (string)"),
        EvalCase("null", [:], output: "null", .pass, reason: "output is valid JSON (null)"),
        EvalCase("true", [:], output: "true", .pass, reason: "output is valid JSON (boolean)"),
        EvalCase("empty output", [:], output: "  ", .fail, reason: "output is empty, not JSON"),
        EvalCase("prose", [:], output: "Sure! {\"a\": 1}", .fail),
        EvalCase(
            "trailing comma in an object",
            [:],
            output: #"{"a": 1,}"#,
            .fail,
            reason: #"output is not valid JSON (trailing comma around character 7): "{"a": 1,}""#
        ),
        EvalCase("trailing comma in an array", [:], output: "[1, 2 ,\n ]", .fail),
        EvalCase("comma before a bracket inside a string is fine", [:], output: #"[",]", "a\",}"]"#, .pass),
        EvalCase("unquoted keys", [:], output: "{a: 1}", .fail),
        EvalCase("comments", [:], output: "// note\n1", .fail),
        EvalCase("two documents", [:], output: "{}{}", .fail),
        EvalCase("fenced block without extraction", [:], output: "```json\n{\"a\": 1}\n```", .fail),
        EvalCase(
            "extracts the json block",
            ["extractCodeBlock": true],
            output: "Here you go:\n```json\n{\"a\": 1}\n```\nDone.",
            .pass,
            reason: "code block is valid JSON (object)"
        ),
        EvalCase(
            "prefers the json block over an earlier plain block",
            ["extractCodeBlock": true],
            output: "```\nnot json\n```\n```JSON\n[1]\n```",
            .pass,
            reason: "code block is valid JSON (array)"
        ),
        EvalCase(
            "falls back to an unlabelled block",
            ["extractCodeBlock": true],
            output: "Result:\n```\n{\"b\": 2}\n```",
            .pass
        ),
        EvalCase("no block: the whole output", ["extractCodeBlock": true], output: #"{"a": 1}"#, .pass),
        EvalCase(
            "invalid json inside the block",
            ["extractCodeBlock": true],
            output: "```json\n{a: 1}\n```",
            .fail
        ),
        EvalCase(
            "schema passes",
            ["schema": ["type": "object", "required": ["name"]]],
            output: #"{"name": "Ada"}"#,
            .pass,
            reason: "output is valid JSON (object) matching the schema"
        ),
        EvalCase(
            "schema violation names the path",
            ["schema": ["type": "object", "properties": ["age": ["type": "integer"]]]],
            output: #"{"age": "ten"}"#,
            .fail,
            reason: "$.age: expected integer, found string"
        ),
        EvalCase(
            "schema with extraction",
            ["extractCodeBlock": true, "schema": ["type": "array", "items": ["type": "number"]]],
            output: "```json\n[1, \"x\"]\n```",
            .fail,
            reason: "$[1]: expected number, found string"
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: EvalCase) async throws {
        try await testCase.verify("is-json")
    }

    @Test func parseFailureReasonQuotesTheText() async throws {
        let result = try await CheckVerifier.evaluate("is-json", output: "{\"a\": }")
        #expect(result.outcome == .fail)
        // The detail in parentheses is Foundation's own wording.
        #expect(result.reason.hasPrefix("output is not valid JSON ("))
        #expect(result.reason.hasSuffix(#"): "{"a": }""#))
    }

    static let loadErrors: [LoadErrorCase] = [
        LoadErrorCase("schema is a string", "is-json", ["schema": "object"], .wrongType, at: "schema", "an object"),
        LoadErrorCase(
            "extractCodeBlock not a bool",
            "is-json",
            ["extractCodeBlock": "yes"],
            .wrongType,
            at: "extractCodeBlock",
            "true or false"
        ),
    ]

    @Test(arguments: loadErrors)
    func rejectsParameters(_ testCase: LoadErrorCase) {
        testCase.verify()
    }

    @Test func unsupportedKeywordPointsAtTheKeyword() {
        let (parameters, diagnostic) = CheckVerifier.loadError(
            params("is-json", ["schema": ["type": "object", "oneOf": [["type": "string"]]]])
        )
        guard case .object(let members) = parameters.members[0].value.value else {
            Issue.record("schema is not an object")
            return
        }
        #expect(diagnostic?.code == .unsupported)
        #expect(diagnostic?.location == members[1].keyPosition.in(testFile))
        #expect(diagnostic?.message.contains("JSON Schema keyword 'oneOf'") == true)
        #expect(diagnostic?.message.contains("is not supported") == true)
    }

    @Test func codeBlockExtraction() {
        #expect(IsJSONCheck.codeBlock(in: "a\n```json\n{}\n```") == "{}")
        #expect(IsJSONCheck.codeBlock(in: "```python\nx = 1\n```") == nil)
        #expect(IsJSONCheck.codeBlock(in: "```json\n[1,\n2]") == "[1,\n2]")
        #expect(IsJSONCheck.codeBlock(in: "```json\r\n[3]\r\n```") == "[3]")
        #expect(IsJSONCheck.codeBlock(in: "no fences") == nil)
    }
}
