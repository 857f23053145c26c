import Foundation
import PlumbCLI
import PlumbCore
import PlumbMetrics
import PlumbReports
import PlumbTestSupport
import Testing

/// `choice` suites scored by log-probability, run through the CLI against a real completions server on 127.0.0.1.
@Suite(.timeLimit(.minutes(2)))
struct LogprobRunTests {
    /// Five questions whose scores under `ToyCompletionsModel` are worked out by hand in the tests.
    static func suite(_ directory: TemporaryDirectory) -> String {
        directory.write(
            "lp.jsonl",
            """
            {"id": "a", "q": "Capital of France?", "options": ["Lyon", "Paris", "Marseille"], "answer": "B"}
            {"id": "b", "q": "2 + 2?", "options": ["4", "five"], "answer": 0}
            {"id": "c", "q": "Largest planet?", "options": ["Mars", "Jupiter"], "answer": "Jupiter"}
            {"id": "d", "q": "Which is longer?", "options": ["a b c d e f", "ok"], "answer": "A"}
            {"id": "e", "q": "Which?", "options": ["ab", "cd"], "answer": "A"}

            """
        )
        return directory.write(
            "lp.suite.json5",
            """
            { name: "lp", kind: "choice", samples: "lp.jsonl",
              choice: { options: "options", answer: "answer",
                        method: "logprob" },
              prompt: "Question: {{q}}\\nAnswer:",
              checks: [{ type: "choice", answer: "{{correct}}" }],
              gates: [{ metric: "accuracy", min: 0.5 }, { metric: "accuracy_norm", min: 0.75 }] }
            """
        )
    }

    @Test func accuracyAndLengthNormalisedAccuracyAreComputedFromTheServersLogprobs() async throws {
        let server = try LoopbackHTTPServer(handler: ToyCompletionsModel.handler(.echo))
        let directory = TemporaryDirectory()
        let model = "openai-completions:toy@\(server.baseURL.absoluteString)/v1"
        let result = await plumb(
            "run",
            Self.suite(directory),
            "--model",
            model,
            "--no-cache",
            "--out",
            directory.file("run")
        )
        #expect(result.code == 0, "\(result.err)")
        // By hand (−0.2 for a favoured word, −0.5 per character otherwise):
        // a: Lyon −2.0, Paris −0.2, Marseille −4.5 → B; per character −0.5, −0.04, −0.5 → B. Right both ways.
        // b: 4 −0.2, five −2.0 → A; A again per character. c: Mars −2.0, Jupiter −0.2 → B both ways.
        // d: "a b c d e f" −3.0 (six tokens), "ok" −1.0 → B, wrong; per character −3/11 and −1/2 → A, right.
        // e: ab −1.0, cd −1.0: a tie, invalid either way.
        let report = try loadReport(directory.file("run/report.json"))
        let choice = try #require(report.suites.first?.choice?.first)
        #expect(choice.method == "logprob")
        #expect(choice.correct == 3 && choice.answered == 5 && choice.invalid == 1)
        #expect(choice.accuracyNorm?.successes == 4 && choice.accuracyNorm?.total == 5)
        let d = try #require(report.items.first { $0.sampleID == "d" })
        #expect(d.output == "B")
        #expect(zip(d.optionScores?.map(\.logprob) ?? [], [-3.0, -1.0]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(d.checks.first?.choice?.normalizedChosen == "A")
        #expect(report.items.first { $0.sampleID == "e" }?.output == "(tie)")
        #expect(server.requests.count == 16, "one request per prompt and one per option")
        #expect(result.out.contains("by log-probability; length-normalised (acc_norm) 80.0%"), "\(result.out)")

        // A replay of the run gives the same numbers without a server.
        let replayed = await plumb(
            "run",
            directory.file("lp.suite.json5"),
            "--model",
            "replay:" + directory.file("run/report.json"),
            "--out",
            directory.file("replay"),
            "--format",
            "json"
        )
        #expect(replayed.code == 0, "\(replayed.err)")
        let again = try loadReport(directory.file("replay/report.json"))
        #expect(again.suites.first?.choice == report.suites.first?.choice)
    }

    @Test func aServerThatIgnoresEchoGivesErrorsNotChanceLevelNumbers() async throws {
        let server = try LoopbackHTTPServer(handler: ToyCompletionsModel.handler(.ignoreEcho))
        let directory = TemporaryDirectory()
        let result = await plumb(
            "run",
            Self.suite(directory),
            "--model",
            "openai-completions:toy@\(server.baseURL.absoluteString)/v1",
            "--no-cache",
            "--out",
            directory.file("run"),
            "--format",
            "json"
        )
        #expect(result.code == ExitCode.unavailable, "\(result.err)")
        let report = try loadReport(directory.file("run/report.json"))
        #expect(report.items.allSatisfy { $0.outcome == .error && $0.error?.code == "invalidResponse" })
        #expect(report.items.first?.error?.message.contains("llama-server") == true)
        #expect(report.suites.first?.choice == nil, "no accuracy is reported from answers that were never scored")
    }

    @Test func aChatOnlyBackendIsRefusedBeforeAnyRequestAtTheSuitesMethod() async throws {
        let server = try LoopbackHTTPServer(handler: ToyCompletionsModel.handler(.echo))
        let directory = TemporaryDirectory()
        let suite = Self.suite(directory)
        let result = await plumb(
            "run",
            suite,
            "--model",
            "openai:toy@\(server.baseURL.absoluteString)/v1",
            "--out",
            directory.file("run")
        )
        #expect(result.code == ExitCode.dataError, "\(result.err)")
        #expect(
            result.err.contains("\(suite):3:21: error: suite 'lp' scores options by log-probability"),
            "\(result.err)"
        )
        #expect(result.err.contains("openai-completions:MODEL@URL"))
        #expect(server.requests.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.file("run")))
    }
}
