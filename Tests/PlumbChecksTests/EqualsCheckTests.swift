import PlumbChecks
import PlumbCore
import Testing

@Suite struct EqualsCheckTests {
    static let cases: [EvalCase] = [
        EvalCase("exact match", ["value": "Paris"], output: "Paris", .pass, reason: "output equals \"Paris\""),
        EvalCase("trims by default", ["value": "Paris"], output: "  Paris\n", .pass),
        EvalCase("trim off keeps spaces", ["value": "Paris", "trim": false], output: "Paris ", .fail),
        EvalCase(
            "different text",
            ["value": "Paris"],
            output: "London",
            .fail,
            reason: "expected \"Paris\", got \"London\"",
            score: 0
        ),
        EvalCase("case matters by default", ["value": "Paris"], output: "paris", .fail),
        EvalCase("ignoreCase", ["value": "Paris", "ignoreCase": true], output: "PARIS", .pass),
        EvalCase("punctuation matters by default", ["value": "Paris"], output: "Paris.", .fail),
        EvalCase("stripPunctuation", ["value": "Paris", "stripPunctuation": true], output: "\"Paris.\"", .pass),
        EvalCase(
            "stripPunctuation keeps letters",
            ["value": "Paris", "stripPunctuation": true],
            output: "Pa-ris!",
            .pass
        ),
        EvalCase("whitespace runs matter by default", ["value": "New York"], output: "New   York", .fail),
        EvalCase(
            "collapseWhitespace",
            ["value": "New York", "collapseWhitespace": true],
            output: "New \t\n York",
            .pass
        ),
        EvalCase("full-width letters differ by default", ["value": "ABC"], output: "ＡＢＣ", .fail),
        EvalCase("normalizeUnicode (NFKC)", ["value": "ABC", "normalizeUnicode": true], output: "ＡＢＣ", .pass),
        EvalCase("ligature under NFKC", ["value": "file", "normalizeUnicode": true], output: "ﬁle", .pass),
        EvalCase("canonical equivalents are always equal", ["value": "café"], output: "cafe\u{301}", .pass),
        EvalCase(
            "value from the sample",
            ["value": "{{answer}}"],
            fields: ["answer": .string("Rome")],
            output: "Rome",
            .pass,
            reason: "output equals \"Rome\""
        ),
        EvalCase(
            "numeric field renders without fraction",
            ["value": "{{n}}"],
            fields: ["n": .number(42)],
            output: "42",
            .pass
        ),
        EvalCase("number literal value", ["value": 7], output: "7", .pass),
        EvalCase(
            "all options together",
            [
                "value": "hello world", "ignoreCase": true, "collapseWhitespace": true, "stripPunctuation": true,
                "normalizeUnicode": true,
            ],
            output: "  Ｈello,   WORLD! ",
            .pass
        ),
        EvalCase("empty expected matches empty output", ["value": ""], output: "  ", .pass),
        EvalCase(
            "long output is truncated in the reason",
            ["value": "x"],
            output: String(repeating: "a", count: 100),
            .fail,
            reason: "expected \"x\", got \"" + String(repeating: "a", count: 80) + "…\""
        ),
        EvalCase(
            "line breaks are escaped in the reason",
            ["value": "x"],
            output: "a\nb",
            .fail,
            reason: "expected \"x\", got \"a\\nb\""
        ),
    ]

    @Test(arguments: cases)
    func evaluates(_ testCase: EvalCase) async throws {
        try await testCase.verify("equals")
    }

    static let loadErrors: [LoadErrorCase] = [
        LoadErrorCase("missing value", "equals", [:], .missingField, at: nil, "check 'equals' needs 'value'"),
        LoadErrorCase("value is an array", "equals", ["value": ["a"]], .wrongType, at: "value", "must be a string"),
        LoadErrorCase(
            "ignoreCase is a string",
            "equals",
            ["value": "a", "ignoreCase": "yes"],
            .wrongType,
            at: "ignoreCase",
            "true or false"
        ),
        LoadErrorCase(
            "trim is a number",
            "equals",
            ["value": "a", "trim": 1],
            .wrongType,
            at: "trim",
            "true or false"
        ),
        LoadErrorCase(
            "unclosed placeholder",
            "equals",
            ["value": "{{answer"],
            .invalidValue,
            at: "value",
            "not closed"
        ),
    ]

    @Test(arguments: loadErrors)
    func rejectsParameters(_ testCase: LoadErrorCase) {
        testCase.verify()
    }

    @Test func normalizationOrder() {
        let normalization = EqualsCheck.Normalization(
            ignoreCase: true,
            trim: true,
            collapseWhitespace: true,
            stripPunctuation: true,
            normalizeUnicode: true
        )
        #expect(normalization.apply("  Ｈi ,  THERE ! ") == "hi there")
        #expect(EqualsCheck.Normalization().apply("  A  b ") == "A  b")
    }
}
