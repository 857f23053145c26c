import Foundation
import PlumbChecks
import PlumbCore
import PlumbTestSupport
import Testing

/// A suite that loads, used as the base the bad-input cases break.
let validSuite = """
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

struct BadSuiteCase: CustomTestStringConvertible, Sendable {
    var name: String
    var files: [String: [UInt8]]
    /// The diagnostic expected, with `DIR` standing for the temporary directory.
    var expected: String

    init(_ name: String, _ files: [String: String], expected: String) {
        self.name = name
        self.files = files.mapValues { Array($0.utf8) }
        self.expected = expected
    }

    init(_ name: String, bytes files: [String: [UInt8]], expected: String) {
        self.name = name
        self.files = files
        self.expected = expected
    }

    var testDescription: String { name }
}

func suite(replacing old: String, with new: String) -> String {
    precondition(validSuite.contains(old), "fixture does not contain \(old)")
    return validSuite.replacingOccurrences(of: old, with: new)
}

let badSuiteCases: [BadSuiteCase] = [
    BadSuiteCase(
        "malformed JSON5",
        ["s.suite.json5": "{\n  name: \"x\",\n  kind: generation\n}"],
        expected: "DIR/s.suite.json5:3:9: error:"
    ),
    BadSuiteCase(
        "unknown check with suggestion",
        ["s.suite.json5": suite(replacing: "type: \"contains\"", with: "type: \"contians\"")],
        expected:
            "DIR/s.suite.json5:9:20: error: unknown check 'contians'; did you mean 'contains'? [unknownCheck]"
    ),
    BadSuiteCase(
        "unknown template variable",
        ["s.suite.json5": suite(replacing: "template: \"{{question}}\"", with: "template: \"{{questoin}}\"")],
        expected:
            "DIR/s.suite.json5:7:43: error: unknown template variable 'questoin': no sample has a field 'questoin'; "
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
        expected: "DIR/s.suite.json5:8:3: error: unknown key 'genration' in suite; did you mean 'generation'? [unknownKey]"
    ),
    BadSuiteCase(
        "invalid regex",
        ["s.suite.json5": suite(replacing: "type: \"contains\", value: \"{{answer}}\"", with: "type: \"regex\", pattern: \"(unclosed\"")],
        expected: "DIR/s.suite.json5:9:"
    ),
    BadSuiteCase(
        "duplicate sample ids",
        ["s.suite.json5": suite(replacing: "id: \"b\"", with: "id: \"a\"")],
        expected: "DIR/s.suite.json5:6:9: error: duplicate sample id 'a' (first used at line 5); sample ids must be unique [duplicateID]"
    ),
    BadSuiteCase(
        "empty suite",
        [
            "s.suite.json5":
                "{ name: \"e\", kind: \"generation\", samples: [], prompt: \"{{q}}\", checks: [{ type: \"contains\", value: \"x\" }] }"
        ],
        expected: "DIR/s.suite.json5:1:44: error: 'samples' is empty; a suite needs at least one sample [empty]"
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
            "s.jsonl": "{\"id\": \"a\", \"question\": \"q\", \"answer\": \"x\"}\n{\"id\": \"b\", \"question\": \"q\" \"answer\": \"y\"}\n",
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
        expected: "DIR/s.csv:1:1: error: CSV header has no 'id' column; columns are: key, question, answer [missingField]"
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
            "s.jsonl": Array("{\"id\": \"a\", \"question\": \"q\", \"answer\": \"x\"}\n{\"id\": \"b\", \"question\": \"".utf8)
                + [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20) + Array("\", \"answer\": \"y\"}\n".utf8),
        ],
        expected: "DIR/s.jsonl:2:1: error: line is 10485800 bytes; the limit is 1048576"
    ),
    BadSuiteCase(
        "gate on an unknown metric",
        ["s.suite.json5": suite(replacing: "metric: \"pass_rate\"", with: "metric: \"passrate\"")],
        expected: "DIR/s.suite.json5:10:21: error: unknown metric 'passrate'; did you mean 'pass_rate'?"
    ),
    BadSuiteCase(
        "wrong type for a generation parameter",
        ["s.suite.json5": suite(replacing: "maxTokens: 20", with: "maxTokens: \"20\"")],
        expected: "DIR/s.suite.json5:8:47: error: 'maxTokens' in generation must be a whole number, found a string [wrongType]"
    ),
    BadSuiteCase(
        "missing prompt",
        ["s.suite.json5": suite(replacing: "prompt: { system: \"Be brief.\", template: \"{{question}}\" },", with: "")],
        expected: "DIR/s.suite.json5:1:1: error: suite needs 'prompt'"
    ),
]

let validSamplesInline = """
    samples: [
        { id: "a", question: "What is 2 + 2?", answer: "4", tags: ["math"] },
        { id: "b", question: "Capital of France?", answer: "Paris" },
      ],
    """

@Suite struct SuiteLoaderTests {
    let loader = SuiteLoader(registry: .builtins)

    @Test func loadsAValidSuite() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("demo.suite.json5", validSuite)
        let (suites, diagnostics) = loader.load([path])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let suite = try #require(suites.first)
        #expect(suite.name == "demo")
        #expect(suite.samples.map(\.id) == ["a", "b"])
        #expect(suite.samples[0].tags == ["math"])
        #expect(suite.samples[0].location.line == 5)
        #expect(suite.generation.samplesPerPrompt == 2)
        #expect(suite.generation.seed == 42)
        #expect(suite.checks.map(\.name) == ["contains"])
        #expect(suite.gates.map(\.description) == ["pass_rate >= 0.5"])
        #expect(suite.contentHash.count == 64)
        let messages = suite.prompt.render(suite.samples[1])
        #expect(messages == [Message(role: .system, content: "Be brief."), Message(role: .user, content: "Capital of France?")])
    }

    @Test(arguments: badSuiteCases)
    func reportsBadInput(_ testCase: BadSuiteCase) throws {
        let directory = TemporaryDirectory()
        for (name, bytes) in testCase.files { directory.write(name, bytes: bytes) }
        let (suites, diagnostics) = loader.load([directory.file("s.suite.json5")])
        #expect(suites.isEmpty)
        let printed = diagnostics.map(\.description).joined(separator: "\n")
            .replacingOccurrences(of: directory.path, with: "DIR")
        #expect(printed.contains(testCase.expected), "got:\n\(printed)")
    }

    @Test func reportsEveryProblemInAFileSorted() {
        let directory = TemporaryDirectory()
        let text = suite(replacing: "type: \"contains\"", with: "type: \"contians\"")
            .replacingOccurrences(of: "generation:", with: "genration:")
            .replacingOccurrences(of: "metric: \"pass_rate\"", with: "metric: \"passrate\"")
        let path = directory.write("s.suite.json5", text)
        let (_, diagnostics) = loader.load([path])
        #expect(diagnostics.map(\.location.line) == [8, 9, 10])
    }

    @Test func directoryMeansEverySuiteInIt() {
        let directory = TemporaryDirectory()
        directory.write("b.suite.json5", validSuite.replacingOccurrences(of: "\"demo\"", with: "\"b\""))
        directory.write("sub/a.suite.json", validSuite.replacingOccurrences(of: "\"demo\"", with: "\"a\""))
        directory.write("notes.json5", "{}")
        let (suites, diagnostics) = loader.load([directory.path])
        #expect(diagnostics.isEmpty)
        #expect(suites.map(\.name) == ["b", "a"])
    }

    @Test func contentHashIgnoresLineEndings() throws {
        let directory = TemporaryDirectory()
        let lf = directory.write("lf.suite.json5", validSuite)
        let crlf = directory.write("crlf.suite.json5", validSuite.replacingOccurrences(of: "\n", with: "\r\n"))
        let a = try #require(loader.loadSuite(at: lf).0)
        let b = try #require(loader.loadSuite(at: crlf).0)
        #expect(a.contentHash == b.contentHash)
    }

    @Test func csvSamplesKeepTheirLinesAndTags() throws {
        let directory = TemporaryDirectory()
        directory.write("s.csv", "id,question,answer,tags\na,\"multi\nline\",x,one;two\nb,q,y,\n")
        let path = directory.write(
            "s.suite.json5",
            suite(replacing: validSamplesInline, with: "samples: \"s.csv\",")
        )
        let (suite, diagnostics) = loader.loadSuite(at: path)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let samples = try #require(suite?.samples)
        #expect(samples.map(\.location.line) == [2, 4])
        #expect(samples[0].tags == ["one", "two"])
        #expect(samples[0].fields["question"] == .string("multi\nline"))
    }
}
