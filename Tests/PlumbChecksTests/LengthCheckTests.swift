import PlumbChecks
import PlumbCore
import Testing

@Suite struct LengthCheckTests {
    static let lengthCases: [EvalCase] = [
        EvalCase(
            "within",
            ["min": 2, "max": 5],
            output: "abc",
            .pass,
            reason: "3 characters (expected 2…5)",
            score: 1
        ),
        EvalCase("too long", ["max": 5], output: "abcdef", .fail, reason: "6 characters, expected at most 5", score: 0),
        EvalCase("too short", ["min": 4], output: "abc", .fail, reason: "3 characters, expected at least 4"),
        EvalCase(
            "at the bounds",
            ["min": 3, "max": 3],
            output: "abc",
            .pass,
            reason: "3 characters (expected exactly 3)"
        ),
        EvalCase("surrounding whitespace is not counted", ["max": 3], output: "  abc \n", .pass),
        EvalCase("inner whitespace is counted", ["max": 3], output: "a bc", .fail),
        EvalCase(
            "grapheme clusters count once",
            ["max": 2],
            output: "é👍🏽",
            .pass,
            reason: "2 characters (expected at most 2)"
        ),
        EvalCase("empty output", ["min": 1], output: "", .fail, reason: "0 characters, expected at least 1"),
        EvalCase("one character", ["max": 0], output: "x", .fail, reason: "1 character, expected at most 0"),
    ]

    @Test(arguments: lengthCases)
    func length(_ testCase: EvalCase) async throws {
        try await testCase.verify("length")
    }

    static let wordCases: [EvalCase] = [
        EvalCase("within", ["min": 2, "max": 4], output: "one two three", .pass, reason: "3 words (expected 2…4)"),
        EvalCase("too many", ["max": 2], output: "one two three", .fail, reason: "3 words, expected at most 2"),
        EvalCase("too few", ["min": 2], output: "one", .fail, reason: "1 word, expected at least 2"),
        EvalCase("any whitespace separates", ["min": 4, "max": 4], output: " a\tb\n\nc  d ", .pass),
        EvalCase("hyphens and numbers are one word", ["max": 2], output: "well-known 3.14", .pass),
        EvalCase(
            "empty output has no words",
            ["max": 0],
            output: "  \n",
            .pass,
            reason: "0 words (expected at most 0)"
        ),
    ]

    @Test(arguments: wordCases)
    func wordCount(_ testCase: EvalCase) async throws {
        try await testCase.verify("word-count")
    }

    static let loadErrors: [LoadErrorCase] = [
        LoadErrorCase("neither bound", "length", [:], .missingField, at: nil, "check 'length' needs 'min'"),
        LoadErrorCase(
            "min above max",
            "length",
            ["min": 5, "max": 2],
            .invalidValue,
            at: "max",
            "must be at least 'min' (5)"
        ),
        LoadErrorCase("negative", "length", ["max": -1], .invalidValue, at: "max", "must be 0 or more"),
        LoadErrorCase("fraction", "length", ["min": 1.5], .wrongType, at: "min", "a whole number"),
        LoadErrorCase("string", "length", ["min": "3"], .wrongType, at: "min", "a whole number"),
        LoadErrorCase("word-count neither bound", "word-count", [:], .missingField, at: nil, "'max' or both"),
        LoadErrorCase(
            "word-count min above max",
            "word-count",
            ["min": 3, "max": 1],
            .invalidValue,
            at: "max",
            "'min' (3)"
        ),
    ]

    @Test(arguments: loadErrors)
    func rejectsParameters(_ testCase: LoadErrorCase) {
        testCase.verify()
    }

    @Test(arguments: [("", 0), ("one", 1), ("a b", 2), ("  a  \n b\t c ", 3), ("—", 1)])
    func countsWords(_ text: String, _ count: Int) {
        #expect(WordCountCheck.wordCount(text) == count)
    }
}
