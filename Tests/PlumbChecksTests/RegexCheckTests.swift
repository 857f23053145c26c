import Foundation
import PlumbChecks
import PlumbCore
import Testing

@Suite struct RegexCheckTests {
    static let cases: [EvalCase] = [
        EvalCase(
            "matches anywhere",
            ["pattern": #"\d{3}"#],
            output: "code 123 ok",
            .pass,
            reason: #"/\d{3}/ matched "123""#
        ),
        EvalCase("no match", ["pattern": #"^\d+$"#], output: "12a", .fail, reason: #"no match for /^\d+$/ in "12a""#),
        EvalCase("case-sensitive by default", ["pattern": "paris"], output: "Paris", .fail),
        EvalCase("flag i", ["pattern": "paris", "flags": "i"], output: "PARIS", .pass),
        EvalCase("without m, ^ is the start of the text", ["pattern": "^b$"], output: "a\nb\nc", .fail),
        EvalCase("flag m", ["pattern": "^b$", "flags": "m"], output: "a\nb\nc", .pass),
        EvalCase("without s, dot stops at line breaks", ["pattern": "a.b"], output: "a\nb", .fail),
        EvalCase("flag s", ["pattern": "a.b", "flags": "s"], output: "a\nb", .pass),
        EvalCase("flags combined", ["pattern": "^A.B$", "flags": "ims"], output: "x\na\nb", .pass),
        EvalCase("empty flags", ["pattern": "a", "flags": ""], output: "a", .pass),
        EvalCase(
            "pattern from the sample",
            ["pattern": #"\b{{word}}\b"#],
            fields: ["word": .string("cat")],
            output: "the cat sat",
            .pass,
            reason: #"/\bcat\b/ matched "cat""#
        ),
        EvalCase(
            "placeholder value keeps regex meaning",
            ["pattern": "^{{p}}$"],
            fields: ["p": .string("a+")],
            output: "aaa",
            .pass
        ),
        EvalCase(
            "invalid rendered pattern is an error",
            ["pattern": "x{{p}}"],
            fields: ["p": .string("(")],
            output: "x(",
            .error,
            reason: #"pattern "x(" is not a valid regular expression: expected ')'"#
        ),
        EvalCase("unicode text", ["pattern": "é+"], output: "caféé!", .pass, reason: #"/é+/ matched "éé""#),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: EvalCase) async throws {
        try await testCase.verify("regex")
    }

    static let loadErrors: [LoadErrorCase] = [
        LoadErrorCase(
            "missing pattern",
            "regex",
            ["flags": "i"],
            .missingField,
            at: nil,
            "check 'regex' needs 'pattern'"
        ),
        LoadErrorCase(
            "unbalanced group",
            "regex",
            ["pattern": "(ab"],
            .invalidRegex,
            at: "pattern",
            "'pattern' of check 'regex' is not a valid regular expression: expected ')'"
        ),
        LoadErrorCase("unclosed class", "regex", ["pattern": "[ab"], .invalidRegex, at: "pattern", "expected ']'"),
        LoadErrorCase(
            "dangling quantifier",
            "regex",
            ["pattern": "*a"],
            .invalidRegex,
            at: "pattern",
            "quantifier '*' must appear after expression"
        ),
        LoadErrorCase(
            "unknown flag",
            "regex",
            ["pattern": "a", "flags": "ix"],
            .invalidValue,
            at: "flags",
            "unknown flag 'x'"
        ),
        LoadErrorCase(
            "flags not a string",
            "regex",
            ["pattern": "a", "flags": ["i"]],
            .wrongType,
            at: "flags",
            "must be a string"
        ),
        LoadErrorCase(
            "pattern not a string",
            "regex",
            ["pattern": ["a"]],
            .wrongType,
            at: "pattern",
            "must be a string"
        ),
    ]

    @Test(arguments: loadErrors)
    func rejectsParameters(_ testCase: LoadErrorCase) {
        testCase.verify()
    }

    @Test func invalidRegexPointsAtThePatternLine() {
        let diagnostic = CheckVerifier.loadError("regex", ["flags": "i", "pattern": "a)"])
        #expect(diagnostic?.code == .invalidRegex)
        // flags on line 2, pattern on line 3; its value starts after `pattern: `, at column 5 + 7 + 2.
        #expect(diagnostic?.location == PlumbCore.SourceLocation(file: testFile, line: 3, column: 14))
        #expect(diagnostic?.message.contains("closing ')' does not balance") == true)
    }

    @Test func literalPatternCompiledOnce() throws {
        let check = try RegexCheck(pattern: Template(literal: "a+"), options: [.caseInsensitive])
        #expect(check.options == [.caseInsensitive])
        #expect(throws: RegexProblem.self) { try RegexCheck(pattern: Template(literal: "(")) }
        let templated = try RegexCheck(pattern: Template(parsing: "{{x}}"))
        #expect(templated.pattern.variables == ["x"])
    }
}
