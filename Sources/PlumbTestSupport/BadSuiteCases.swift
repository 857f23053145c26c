import Foundation

/// A suite that loads, used as the base the bad-input cases break.
public let validSuite = """
    {
      name: "demo",
      kind: "generation",
      samples: [
        { id: "a", question: "What is 2 + 2?", answer: "4", tags: ["math"] },
        { id: "b", question: "Capital of France?", answer: "Paris" },
      ],
      prompt: { system: "Be brief.", template: "{{question}}" },
      generation: { temperature: 0, maxTokens: 20, samplesPerPrompt: 2, seed: 42 },
      checks: [{ type: "contains", value: "{{answer}}" }],
      gates: [{ metric: "pass_rate", min: 0.5 }],
    }
    """

public struct BadSuiteCase: Sendable, CustomStringConvertible {
    public var name: String
    public var files: [String: [UInt8]]
    /// The diagnostic expected, with `DIR` standing for the temporary directory.
    public var expected: String

    public init(_ name: String, _ files: [String: String], expected: String) {
        self.name = name
        self.files = files.mapValues { Array($0.utf8) }
        self.expected = expected
    }

    public init(_ name: String, bytes files: [String: [UInt8]], expected: String) {
        self.name = name
        self.files = files
        self.expected = expected
    }

    public var description: String { name }
}

public func suite(replacing old: String, with new: String) -> String {
    precondition(validSuite.contains(old), "fixture does not contain \(old)")
    return validSuite.replacingOccurrences(of: old, with: new)
}

public let badSuiteCases: [BadSuiteCase] = [
    BadSuiteCase(
        "malformed JSON5",
        ["s.suite.json5": "{\n  name: \"x\",\n  kind: generation\n}"],
        expected: "DIR/s.suite.json5:3:9: error:"
    ),
    BadSuiteCase(
        "unknown check with suggestion",
        ["s.suite.json5": suite(replacing: "type: \"contains\"", with: "type: \"contians\"")],
        expected:
            "DIR/s.suite.json5:10:20: error: unknown check 'contians'; did you mean 'contains'? [unknownCheck]"
    ),
    BadSuiteCase(
        "unknown template variable",
        ["s.suite.json5": suite(replacing: "template: \"{{question}}\"", with: "template: \"{{questoin}}\"")],
        expected:
            "DIR/s.suite.json5:8:44: error: unknown template variable 'questoin': no sample has a field 'questoin'; "
            + "did you mean 'question'? [unknownVariable]"
    ),
    BadSuiteCase(
        "variable missing from one sample",
        ["s.suite.json5": suite(replacing: "answer: \"Paris\"", with: "reply: \"Paris\"")],
        expected: "unknown template variable 'answer': sample 'b' (DIR/s.suite.json5:6) has no field 'answer'"
    ),
    BadSuiteCase(
        "unknown top-level key",
        ["s.suite.json5": suite(replacing: "generation:", with: "genration:")],
        expected:
            "DIR/s.suite.json5:9:3: error: unknown key 'genration' in suite; did you mean 'generation'? [unknownKey]"
    ),
    BadSuiteCase(
        "invalid regex",
        [
            "s.suite.json5": suite(
                replacing: "type: \"contains\", value: \"{{answer}}\"",
                with: "type: \"regex\", pattern: \"(unclosed\""
            )
        ],
        expected:
            "DIR/s.suite.json5:10:38: error: 'pattern' of check 'regex' is not a valid regular expression: expected ')' [invalidRegex]"
    ),
    BadSuiteCase(
        "duplicate sample ids",
        ["s.suite.json5": suite(replacing: "id: \"b\"", with: "id: \"a\"")],
        expected:
            "DIR/s.suite.json5:6:5: error: duplicate sample id 'a' (first used at line 5); sample ids must be unique [duplicateID]"
    ),
    BadSuiteCase(
        "empty suite",
        [
            "s.suite.json5":
                "{ name: \"e\", kind: \"generation\", samples: [], prompt: \"{{q}}\", checks: [{ type: \"contains\", value: \"x\" }] }"
        ],
        expected: "DIR/s.suite.json5:1:43: error: 'samples' is empty; a suite needs at least one sample [empty]"
    ),
    BadSuiteCase(
        "missing samples file",
        ["s.suite.json5": suite(replacing: validSamplesInline, with: "samples: \"nope.jsonl\",")],
        expected: "DIR/s.suite.json5:4:12: error: no such file 'DIR/nope.jsonl' [missingFile]"
    ),
    BadSuiteCase(
        "malformed JSONL record",
        [
            "s.suite.json5": suite(replacing: validSamplesInline, with: "samples: \"s.jsonl\","),
            "s.jsonl":
                "{\"id\": \"a\", \"question\": \"q\", \"answer\": \"x\"}\n{\"id\": \"b\", \"question\": \"q\" \"answer\": \"y\"}\n",
        ],
        expected: "DIR/s.jsonl:2:"
    ),
    BadSuiteCase(
        "malformed CSV record",
        [
            "s.suite.json5": suite(replacing: validSamplesInline, with: "samples: \"s.csv\","),
            "s.csv": "id,question,answer\na,q,x\nb,\"unclosed,y\n",
        ],
        expected: "DIR/s.csv:3:"
    ),
    BadSuiteCase(
        "CSV without id column",
        [
            "s.suite.json5": suite(replacing: validSamplesInline, with: "samples: \"s.csv\","),
            "s.csv": "key,question,answer\na,q,x\n",
        ],
        expected:
            "DIR/s.csv:1:1: error: CSV header has no 'id' column; columns are: key, question, answer [missingField]"
    ),
    BadSuiteCase(
        "invalid UTF-8 in the suite",
        bytes: ["s.suite.json5": Array("{ name: \"caf".utf8) + [0xC3, 0x28] + Array("\" }".utf8)],
        expected: "DIR/s.suite.json5:1:13: error: invalid UTF-8 (byte 0xC3) [invalidEncoding]"
    ),
    BadSuiteCase(
        "10 MB JSONL line",
        bytes: [
            "s.suite.json5": Array(suite(replacing: validSamplesInline, with: "samples: \"s.jsonl\",").utf8),
            "s.jsonl": Array(
                "{\"id\": \"a\", \"question\": \"q\", \"answer\": \"x\"}\n{\"id\": \"b\", \"question\": \"".utf8
            )
                + [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20) + Array("\", \"answer\": \"y\"}\n".utf8),
        ],
        expected: "DIR/s.jsonl:2:1: error: line is 10485802 bytes; the limit is 1048576 [tooLarge]"
    ),
    BadSuiteCase(
        "gate on an unknown metric",
        ["s.suite.json5": suite(replacing: "metric: \"pass_rate\"", with: "metric: \"passrate\"")],
        expected: "DIR/s.suite.json5:11:21: error: unknown metric 'passrate'; did you mean 'pass_rate'?"
    ),
    BadSuiteCase(
        "wrong type for a generation parameter",
        ["s.suite.json5": suite(replacing: "maxTokens: 20", with: "maxTokens: \"20\"")],
        expected:
            "DIR/s.suite.json5:9:44: error: 'maxTokens' in generation must be a whole number, found a string [wrongType]"
    ),
    BadSuiteCase(
        "missing prompt",
        ["s.suite.json5": suite(replacing: "prompt: { system: \"Be brief.\", template: \"{{question}}\" },", with: "")],
        expected: "DIR/s.suite.json5:1:1: error: suite needs 'prompt'"
    ),
]

public let validSamplesInline = """
    samples: [
        { id: "a", question: "What is 2 + 2?", answer: "4", tags: ["math"] },
        { id: "b", question: "Capital of France?", answer: "Paris" },
      ],
    """
