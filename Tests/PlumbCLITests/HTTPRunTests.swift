import PlumbMetrics
import Foundation
import PlumbCLI
import PlumbCore
import PlumbReports
import PlumbTestSupport
import Testing

/// An OpenAI-style answer: "echo: <the last user message>".
func echoCompletion(_ request: LoopbackHTTPServer.RecordedRequest) -> LoopbackHTTPServer.Reply {
    let messages = (request.jsonObject?["messages"] as? [[String: Any]]) ?? []
    let text = "echo: " + ((messages.last?["content"] as? String) ?? "")
    return .jsonObject([
        "id": "c", "object": "chat.completion", "model": "m",
        "choices": [["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]],
        "usage": ["prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7],
    ])
}

func echoSuite(_ directory: TemporaryDirectory, count: Int) -> String {
    let samples = (0..<count).map { "{\"id\": \"s\($0)\", \"q\": \"question \($0)\"}" }.joined(separator: "\n")
    directory.write("echo.jsonl", samples + "\n")
    return directory.write(
        "echo.suite.json5",
        """
        { name: "echo", kind: "generation", samples: "echo.jsonl", prompt: "{{q}}",
          checks: [{ type: "contains", value: "echo: {{q}}" }] }
        """
    )
}

@Suite(.timeLimit(.minutes(3)))
struct HTTPRunTests {
    @Test func aTwentyPercentFaultRateStillScoresOrMarksEveryItem() async throws {
        let faults: [LoopbackHTTPServer.Reply] =
            LoopbackHTTPServer.FaultPlan.defaultFaults + [
                .malformedJSON,
                .truncatedJSON(Array("{\"choices\": [{\"message\": {\"content\": \"partial".utf8)),
                .jsonObject(["error": ["message": "bad request (injected)"]], status: 400),
            ]
        let plan = LoopbackHTTPServer.FaultPlan(faultRate: 0.2, seed: 7, faults: faults)
        let server = try LoopbackHTTPServer(handler: plan.handler(echoCompletion))
        let directory = TemporaryDirectory()
        let suite = echoSuite(directory, count: 120)
        let result = await plumb(
            "run",
            suite,
            "--model",
            "openai:m@\(server.baseURL.absoluteString)/v1",
            "--concurrency",
            "8",
            "--no-cache",
            "--max-errors",
            "25%",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        let report = try loadReport(directory.file("run/report.json"))
        #expect(report.status == .completed, "\(result.err)")
        #expect(report.items.count == 120)
        for item in report.items {
            switch item.outcome {
            case .pass:
                #expect(item.output == "echo: question \(item.sampleID.dropFirst())")
            case .error:
                // Only permanent faults end as errors; transient ones were retried.
                #expect(["invalidResponse", "badRequest"].contains(item.error?.code ?? ""), "\(item.error!)")
                #expect(item.output == nil)
            case .fail:
                Issue.record("\(item.sampleID) failed: \(item.checks)")
            }
        }
        let statistics = try #require(report.statistics)
        #expect(statistics.retries > 0)
        #expect(statistics.requests == server.requests.count)
        // Errors within the --max-errors budget leave the verdict to the gates (this suite has none).
        #expect(report.totals.tally.errors > 0)
        #expect(result.code == 0)
    }

    @Test func rateLimitsAreRetriedHonouringRetryAfter() async throws {
        let honoured = try LoopbackHTTPServer { request in
            request.index == 0 ? .status(429, retryAfter: "1") : echoCompletion(request)
        }
        let directory = TemporaryDirectory()
        let suite = echoSuite(directory, count: 1)
        let started = Date()
        let result = await plumb(
            "run",
            suite,
            "--model",
            "openai:m@\(honoured.baseURL.absoluteString)/v1",
            "--no-cache",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect(result.code == 0, "\(result.err)")
        #expect(Date().timeIntervalSince(started) >= 1)
        #expect(honoured.requests.count == 2)
        let report = try loadReport(directory.file("run/report.json"))
        #expect(report.items[0].attempts == 2)
        #expect(report.statistics?.rateLimited == 1)
    }

    @Test func aPermanentFailureSaysWhatToFix() async throws {
        let server = try LoopbackHTTPServer { _ in
            .jsonObject(["error": ["message": "Incorrect API key provided"]], status: 401)
        }
        let directory = TemporaryDirectory()
        let result = await plumb(
            "run",
            echoSuite(directory, count: 3),
            "--model",
            "openai:m@\(server.baseURL.absoluteString)/v1",
            "--no-cache",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect(result.code == 69)
        #expect(server.requests.count == 3)  // no retries for a permanent error
        let report = try loadReport(directory.file("run/report.json"))
        #expect(report.items.allSatisfy { $0.error?.code == "authentication" })
        #expect(report.items[0].error?.message.contains("OPENAI_API_KEY") == true)
    }

    /// The key is sent to the server, and appears in no file Plumb wrote and nowhere on stdout or stderr.
    @Test func theAPIKeyNeverLeavesTheRequest() async throws {
        let canary = "sk-canary-7d1e4f0a9b2c"
        let plan = LoopbackHTTPServer.FaultPlan(faultRate: 0.3, seed: 11)
        let server = try LoopbackHTTPServer(handler: plan.handler(echoCompletion))
        let plumbPath = try #require(BuiltProducts.path(of: "plumb"))
        let directory = TemporaryDirectory()
        let suite = echoSuite(directory, count: 30)
        directory.write(
            "plumb.json5",
            """
            { models: { canary: { type: "openai", model: "m", baseURL: "\(server.baseURL.absoluteString)/v1",
                                   apiKeyEnv: "PLUMB_TEST_KEY", headers: { "X-Org-Token": "${PLUMB_TEST_KEY}" } } } }
            """
        )
        for arguments in [
            ["run", suite, "--model", "canary", "--format", "json", "--out", "run"],
            [
                "run", suite, "--model", "openai:m@\(server.baseURL.absoluteString)/v1", "--format", "md", "--out",
                "inline",
            ],
            ["run", suite, "--model", "canary", "--shard", "1/2", "--out", "shard", "--retries", "0"],
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: plumbPath)
            process.arguments = arguments + ["--cache-dir", "cache"]
            process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
            var environment = ProcessInfo.processInfo.environment
            environment["PLUMB_TEST_KEY"] = canary
            environment["OPENAI_API_KEY"] = canary
            process.environment = environment
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect([0, 69].contains(process.terminationStatus), "\(String(decoding: stderr, as: UTF8.self))")
            #expect(!String(decoding: stdout, as: UTF8.self).contains(canary))
            #expect(!String(decoding: stderr, as: UTF8.self).contains(canary))
            #expect(!stdout.isEmpty || arguments.contains("shard"))
        }
        #expect(server.requests.contains { $0.headers["Authorization"] == "Bearer \(canary)" })
        #expect(server.requests.contains { $0.headers["X-Org-Token"] == canary })

        var written: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        while let name = enumerator?.nextObject() as? String {
            let path = directory.file(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                name != "plumb.json5"
            else { continue }
            written.append(name)
            let contents = try #require(FileManager.default.contents(atPath: path))
            #expect(!String(decoding: contents, as: UTF8.self).contains(canary), "the key leaked into \(name)")
        }
        for expected in [
            "run/report.json", "run/report.html", "run/journal.jsonl", "run/run.json", "inline/report.json",
        ] {
            #expect(written.contains(expected), "\(expected) was not written")
        }
        #expect(written.contains { $0.hasPrefix("cache/") })
    }
}
