import Foundation
import PlumbCLI
import PlumbCore
import PlumbMetrics
import PlumbReports
import PlumbTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Defects of 0.1's HTTP layer and command backend, found by running it as users do (issue 8). Each failed before
/// the fix.
@Suite(.timeLimit(.minutes(3)))
struct HTTPLayerDefectTests {
    /// A suite whose check passes an empty output, so an answer that is not an answer would pass it.
    func lenientSuite(_ directory: TemporaryDirectory, count: Int = 1) -> String {
        let samples = (0..<count).map { "{\"id\": \"s\($0)\", \"q\": \"question \($0)\"}" }.joined(separator: "\n")
        directory.write("lenient.jsonl", samples + "\n")
        return directory.write(
            "lenient.suite.json5",
            """
            { name: "lenient", kind: "generation", samples: "lenient.jsonl", prompt: "{{q}}",
              checks: [{ type: "not-contains", value: "forbidden" }] }
            """
        )
    }

    @Test func aChoiceWithoutContentIsAnErrorNeverAnEmptyOutput() async throws {
        for body in [
            #"{"choices": [{"index": 0, "message": {"role": "assistant", "content": null}, "finish_reason": "stop"}]}"#,
            #"{"choices": [{"index": 0, "message": {"role": "assistant"}, "finish_reason": "stop"}]}"#,
        ] {
            let bytes = Array(body.utf8)
            let server = try LoopbackHTTPServer { _ in .rawJSON(bytes) }
            let directory = TemporaryDirectory()
            let result = await plumb(
                "run",
                lenientSuite(directory),
                "--model",
                "openai:m@\(server.baseURL.absoluteString)/v1",
                "--no-cache",
                "--retries",
                "0",
                "--out",
                directory.file("run"),
                "--format",
                "none"
            )
            #expect(result.code == 69, "\(result.err)")
            let item = try #require(try loadReport(directory.file("run/report.json")).items.first)
            #expect(item.outcome == .error)
            #expect(item.output == nil)
            #expect(item.error?.code == "invalidResponse", "\(String(describing: item.error))")
        }
        let completions = try LoopbackHTTPServer { _ in
            .jsonObject(["choices": [["index": 0, "finish_reason": "stop"]]])
        }
        let directory = TemporaryDirectory()
        let result = await plumb(
            "run",
            lenientSuite(directory),
            "--model",
            "openai-completions:m@\(completions.baseURL.absoluteString)/v1",
            "--no-cache",
            "--retries",
            "0",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect(result.code == 69)
        #expect(try loadReport(directory.file("run/report.json")).items.first?.error?.code == "invalidResponse")
    }

    @Test func aRedirectIsNeverFollowedAndTheKeyNeverLeavesForAnotherHost() async throws {
        let other = try LoopbackHTTPServer { _ in .jsonObject(["choices": [["message": ["content": "from elsewhere"]]]])
        }
        let server = try LoopbackHTTPServer { _ in
            .text("", status: 307, headers: ["Location": "http://localhost:\(other.port)/v1/chat/completions"])
        }
        let directory = TemporaryDirectory()
        let variable = "PLUMB_REDIRECT_TEST_KEY"
        setenv(variable, "redirect-canary-key-0123456789", 1)
        directory.write(
            "plumb.json5",
            "{ models: { m: { type: \"openai\", model: \"m\", baseURL: \"\(server.baseURL.absoluteString)/v1\", "
                + "apiKeyEnv: \"\(variable)\" } } }"
        )
        let result = await plumb(
            "run",
            lenientSuite(directory),
            "--model",
            "m",
            "--config",
            directory.file("plumb.json5"),
            "--no-cache",
            "--retries",
            "0",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect(result.code == 69, "\(result.err)")
        #expect(other.requests.isEmpty, "the redirect was followed")
        let item = try #require(try loadReport(directory.file("run/report.json")).items.first)
        #expect(item.outcome == .error)
        #expect(item.error?.message.contains("redirect") == true, "\(String(describing: item.error))")
        #expect(server.requests.first?.headers["Authorization"] == "Bearer redirect-canary-key-0123456789")
    }

    @Test func aServerThatDoesNotSpeakHTTPIsNamedAsSuch() async throws {
        let server = try LoopbackHTTPServer { _ in .raw(Array("SSH-2.0-OpenSSH_9.2\r\n".utf8)) }
        let directory = TemporaryDirectory()
        let result = await plumb(
            "run",
            lenientSuite(directory),
            "--model",
            "openai:m@\(server.baseURL.absoluteString)/v1",
            "--no-cache",
            "--retries",
            "0",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect(result.code == 69)
        let item = try #require(try loadReport(directory.file("run/report.json")).items.first)
        #expect(item.error?.message.contains("not HTTP") == true, "\(String(describing: item.error))")
    }

    @Test func connectionsAreKeptAliveByDefault() async throws {
        let server = try LoopbackHTTPServer(handler: echoCompletion)
        let directory = TemporaryDirectory()
        let result = await plumb(
            "run",
            echoSuite(directory, count: 40),
            "--model",
            "openai:m@\(server.baseURL.absoluteString)/v1",
            "--concurrency",
            "2",
            "--no-cache",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect(result.code == 0, "\(result.err)")
        #expect(server.requests.count == 40)
        #expect(server.connectionCount <= 4, "\(server.connectionCount) connections for 40 requests")
    }

    /// uvicorn, llama.cpp and load balancers close idle connections without a word; a request sent on such a
    /// connection must be sent again on a new one at once, never wait for its timeout.
    @Test func aServerThatClosesIdleConnectionsNeverStallsARequest() async throws {
        let server = try LoopbackHTTPServer(idleTimeout: 0.05, handler: echoCompletion)
        let directory = TemporaryDirectory()
        let start = Date()
        let result = await plumb(
            "run",
            echoSuite(directory, count: 30),
            "--model",
            "openai:m@\(server.baseURL.absoluteString)/v1",
            "--concurrency",
            "2",
            "--rpm",
            "600",
            "--retries",
            "0",
            "--timeout",
            "20",
            "--no-cache",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect(result.code == 0, "\(result.err)")
        #expect(Date().timeIntervalSince(start) < 15, "a request stalled")
        #expect(try loadReport(directory.file("run/report.json")).items.allSatisfy { $0.outcome == .pass })
    }

    @Test func aKeyWrittenInTheModelURLIsRefused() async throws {
        for spec in [
            "openai:m@http://user:SECRETKEY0123456789@127.0.0.1:8000/v1",
            "openai:m@http://127.0.0.1:8000/v1?api_key=SECRETKEY0123456789",
        ] {
            let directory = TemporaryDirectory()
            let result = await plumb("run", lenientSuite(directory), "--model", spec, "--out", directory.file("run"))
            #expect(result.code == 64, "\(spec): \(result.err)")
            #expect(result.err.contains("environment"), "\(result.err)")
            #expect(!result.err.contains("SECRETKEY0123456789"))
            #expect(!directory.exists("run/run.json"))
        }
        let directory = TemporaryDirectory()
        directory.write(
            "plumb.json5",
            "{ models: { m: { type: \"openai\", model: \"m\", baseURL: \"http://u:SECRETKEY0123456789@h:1/v1\" } } }"
        )
        let result = await plumb(
            "run",
            lenientSuite(directory),
            "--model",
            "m",
            "--config",
            directory.file("plumb.json5"),
            "--out",
            directory.file("run")
        )
        #expect(result.code == 65, "\(result.err)")
        #expect(!result.err.contains("SECRETKEY0123456789"))
    }

    @Test func aPortOutOfRangeIsAUsageError() async {
        let directory = TemporaryDirectory()
        let result = await plumb(
            "run",
            lenientSuite(directory),
            "--model",
            "openai:m@http://127.0.0.1:99999/v1",
            "--out",
            directory.file("run")
        )
        #expect(result.code == 64, "\(result.err)")
        #expect(result.err.contains("99999"))
    }

    @Test func aStderrTailIsScrubbedOfTheKeysPlumbPassedOn() async throws {
        let fake = try #require(BuiltProducts.path(of: "plumb-fake-model"), "build with `swift build --build-tests`")
        let variable = "PLUMB_SCRUB_TEST_API_KEY"
        let canary = "scrub-canary-key-0123456789abcdef"
        setenv(variable, canary, 1)
        let directory = TemporaryDirectory()
        let result = await plumb(
            "run",
            lenientSuite(directory),
            "--model",
            "command:\(fake) --stderr-env \(variable) --crash-on-start",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect(result.code == 69)
        let report = try #require(directory.read("run/report.json"))
        #expect(report.contains("fatal: cannot load weights"), "the stderr tail is quoted")
        #expect(!report.contains(canary))
        #expect(!result.err.contains(canary))
        #expect(!(directory.read("run/report.html") ?? "").contains(canary))
    }

    @Test func aProgramThatNeverEndsALineGetsAnErrorNotUnboundedMemory() async throws {
        let fake = try #require(BuiltProducts.path(of: "plumb-fake-model"), "build with `swift build --build-tests`")
        let directory = TemporaryDirectory()
        let start = Date()
        let result = await plumb(
            "run",
            lenientSuite(directory),
            "--model",
            "command:\(fake) --spew-bytes 70000000",
            "--timeout",
            "30",
            "--retries",
            "0",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect(result.code == 69)
        #expect(Date().timeIntervalSince(start) < 20)
        let item = try #require(try loadReport(directory.file("run/report.json")).items.first)
        #expect(item.error?.message.contains("longer than") == true, "\(String(describing: item.error))")
    }

    @Test func aSamplesFileThatIsNotARegularFileIsRefusedWithItsName() async throws {
        let directory = TemporaryDirectory()
        let fifo = directory.file("pipe.jsonl")
        #expect(mkfifo(fifo, 0o600) == 0)
        for samples in ["pipe.jsonl", "/dev/zero"] {
            directory.write(
                "s.suite.json5",
                "{ name: \"s\", kind: \"generation\", samples: \"\(samples)\", prompt: \"{{q}}\", "
                    + "checks: [{ type: \"contains\", value: \"x\" }] }"
            )
            let result = await plumb("validate", directory.file("s.suite.json5"))
            #expect(result.code == 65, "\(samples): \(result.err)")
            #expect(result.err.contains("not a regular file"), "\(samples): \(result.err)")
        }
    }
}
