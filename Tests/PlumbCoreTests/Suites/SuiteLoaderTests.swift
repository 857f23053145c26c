import Foundation
import PlumbChecks
import PlumbCore
import PlumbMetrics
import PlumbTestSupport
import Testing

@Suite struct SuiteLoaderTests {
    let loader = SuiteLoader(registry: .builtins, metrics: .builtins)

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
        // Inline samples: the content hash is the SHA-256 of the suite file's bytes.
        #expect(suite.contentHash == SHA256.hex(Array(validSuite.utf8)))
        let messages = suite.prompt.render(suite.samples[1])
        #expect(
            messages == [
                Message(role: .system, content: "Be brief."), Message(role: .user, content: "Capital of France?"),
            ]
        )
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
        #expect(diagnostics.map(\.location.line) == [9, 10, 11])
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
