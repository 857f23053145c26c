import PlumbMetrics
import Foundation
import PlumbCLI
import PlumbCore
import PlumbReports
import PlumbTestSupport
import Testing

@Suite(.timeLimit(.minutes(2)))
struct JudgeCLITests {
    func judgeSuite(_ directory: TemporaryDirectory) -> String {
        directory.write(
            "judged.suite.json5",
            """
            { name: "judged", kind: "generation",
              samples: [{ id: "a", q: "What is the capital of France?" }, { id: "b", q: "What is 2 + 3?" }],
              prompt: "{{q}}",
              checks: [{ type: "judge", judge: "grader" }] }
            """
        )
    }

    /// A judge model on a loopback server: its verdicts decide the items, its answers are cached apart from the
    /// model's, and its identity is recorded.
    @Test func aJudgeModelGradesEveryAnswer() async throws {
        let judge = try LoopbackHTTPServer { request in
            let messages = (request.jsonObject?["messages"] as? [[String: Any]]) ?? []
            let prompt = (messages.last?["content"] as? String) ?? ""
            let verdict = prompt.contains("Paris") ? "VERDICT: PASS\nSCORE: 9" : "VERDICT: FAIL\nSCORE: 2"
            return .jsonObject([
                "id": "c", "object": "chat.completion", "model": "judge",
                "choices": [
                    ["index": 0, "message": ["role": "assistant", "content": verdict], "finish_reason": "stop"]
                ],
            ])
        }
        let directory = TemporaryDirectory()
        let suite = judgeSuite(directory)
        let spec = "grader=openai:judge@\(judge.baseURL.absoluteString)/v1"
        let result = await plumb(
            "run",
            suite,
            "--model",
            "builtin",
            "--judge",
            spec,
            "--judge-cache",
            directory.file("judge-cache"),
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect(result.code == 0, "\(result.err)")
        let report = try loadReport(directory.file("run/report.json"))
        #expect(report.items.map(\.outcome) == [.pass, .fail])
        #expect(judge.requests.count == 2)
        #expect(FileManager.default.fileExists(atPath: directory.file("judge-cache/judgments.jsonl")))

        // Run again: the judge's answers come from its own cache.
        let again = await plumb(
            "run",
            suite,
            "--model",
            "builtin",
            "--judge",
            spec,
            "--judge-cache",
            directory.file("judge-cache"),
            "--out",
            directory.file("again"),
            "--format",
            "none"
        )
        #expect(again.code == 0)
        #expect(judge.requests.count == 2)
    }

    @Test func anUnparseableJudgeAnswerIsAnErrorNeverAPass() async throws {
        let directory = TemporaryDirectory()
        let result = await plumb(
            "run",
            judgeSuite(directory),
            "--model",
            "builtin",
            "--judge",
            "grader=builtin",
            "--no-judge-cache",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect(result.code == 69)
        let report = try loadReport(directory.file("run/report.json"))
        #expect(report.items.allSatisfy { $0.outcome == .error })
    }

    @Test func aSuiteNamingAnUnknownJudgeDoesNotLoad() async {
        let directory = TemporaryDirectory()
        let result = await plumb("validate", judgeSuite(directory))
        #expect(result.code == 65)
        #expect(result.err.contains("grader"))
        let ok = await plumb("validate", judgeSuite(directory), "--judge", "grader=builtin")
        #expect(ok.code == 0, "\(ok.err)")
    }
}
