import Foundation
import PlumbCore
import PlumbReports
import PlumbTestSupport
import Synchronization
import Testing

/// The response cache as a nightly job meets it: a checkpoint redeployed under the same URL must not be graded on
/// yesterday's answers.
@Suite(.timeLimit(.minutes(2)))
struct ResponseCacheCLITests {
    /// A server that says which checkpoint it serves (`model` and `system_fingerprint`) and answers with it.
    final class Deployment: Sendable {
        let fingerprint = Mutex("fp_night1")
        func handler(_ request: LoopbackHTTPServer.RecordedRequest) -> LoopbackHTTPServer.Reply {
            let fingerprint = self.fingerprint.withLock { $0 }
            let messages = (request.jsonObject?["messages"] as? [[String: Any]]) ?? []
            let text = "echo: " + ((messages.last?["content"] as? String) ?? "")
            return .jsonObject([
                "id": "c", "object": "chat.completion", "model": "m-served", "system_fingerprint": fingerprint,
                "choices": [["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]],
                "usage": ["prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7],
            ])
        }
    }

    func run(
        _ suite: String,
        _ server: LoopbackHTTPServer,
        _ directory: TemporaryDirectory,
        _ name: String,
        _ extra: [String]
    )
        async -> (code: Int32, out: String, err: String)
    {
        await plumb(
            [
                "run", suite, "--model", "openai:m@\(server.baseURL.absoluteString)/v1", "--out", directory.file(name),
                "--format", "none",
            ] + (extra.contains("--cache-dir") ? extra : extra + ["--cache-dir", directory.file("cache")])
        )
    }

    @Test("Without --cache nothing is reused: a redeployed checkpoint is asked again and its answers are graded")
    func theCacheIsOptIn() async throws {
        let deployment = Deployment()
        let server = try LoopbackHTTPServer(handler: deployment.handler)
        let directory = TemporaryDirectory()
        let suite = echoSuite(directory, count: 6)
        let first = await plumb(
            "run",
            suite,
            "--model",
            "openai:m@\(server.baseURL.absoluteString)/v1",
            "--out",
            directory.file("a"),
            "--format",
            "none"
        )
        #expect(first.code == 0, "\(first.err)")
        deployment.fingerprint.withLock { $0 = "fp_night2" }
        let second = await plumb(
            "run",
            suite,
            "--model",
            "openai:m@\(server.baseURL.absoluteString)/v1",
            "--out",
            directory.file("b"),
            "--format",
            "none"
        )
        #expect(second.code == 0, "\(second.err)")
        #expect(server.requests.count == 12, "both runs asked the server")
        #expect(second.err.contains("6 requests") && second.err.contains("0 from cache"), "\(second.err)")
        let report = try loadReport(directory.file("b/report.json"))
        #expect(report.items.allSatisfy { $0.served == "m-served (fp_night2)" && !$0.cached })
    }

    @Test(
        "With --cache the answers come from the cache, stderr says how many and how old, and a new fingerprint is named"
    )
    func theCacheSaysWhatItServed() async throws {
        let deployment = Deployment()
        let server = try LoopbackHTTPServer(handler: deployment.handler)
        let directory = TemporaryDirectory()
        let suite = echoSuite(directory, count: 6)
        let first = await run(suite, server, directory, "a", ["--cache"])
        #expect(first.code == 0, "\(first.err)")
        let second = await run(suite, server, directory, "b", ["--cache"])
        #expect(server.requests.count == 6)
        #expect(second.err.contains("0 requests") && second.err.contains("6 from cache (oldest "), "\(second.err)")
        let cached = try loadReport(directory.file("b/report.json"))
        #expect(cached.items.allSatisfy { $0.cached && $0.served == "m-served (fp_night1)" })
        // A lifetime of zero asks again.
        let expired = await run(suite, server, directory, "c", ["--cache", "--cache-max-age", "0s"])
        #expect(expired.err.contains("6 requests") && expired.err.contains("0 from cache"), "\(expired.err)")
        #expect(server.requests.count == 12)
        // After a redeploy, cached answers of another checkpoint are named on stderr: half the items cached by a
        // shard before the redeploy, the rest asked after it.
        let half = await run(
            suite,
            server,
            directory,
            "d",
            ["--cache-dir", directory.file("cache2"), "--shard", "1/2"]
        )
        #expect(half.code == 0, "\(half.err)")
        let cachedHalf = try loadReport(directory.file("d/report.json")).items.count
        deployment.fingerprint.withLock { $0 = "fp_night2" }
        let mixed = await run(suite, server, directory, "e", ["--cache-dir", directory.file("cache2")])
        #expect(
            mixed.err.contains(
                "warning: \(cachedHalf) answer\(cachedHalf == 1 ? "" : "s") from the cache were served as m-served "
                    + "(fp_night1); this run's live answers as m-served (fp_night2) — the same model under another "
                    + "system fingerprint"
            ),
            "\(mixed.err)"
        )
    }

    @Test("A model's revision in plumb.json5 is part of its identity: another revision never reads the cache")
    func aRevisionIsPartOfTheIdentity() async throws {
        let server = try LoopbackHTTPServer(handler: echoCompletion)
        let directory = TemporaryDirectory()
        let suite = echoSuite(directory, count: 4)
        for (name, revision) in [("a", "ckpt-1000"), ("b", "ckpt-1000"), ("c", "ckpt-2000")] {
            directory.write(
                "plumb.json5",
                """
                { models: { ft: { type: "openai", model: "m", baseURL: "\(server.baseURL.absoluteString)/v1",
                                   revision: "\(revision)" } } }
                """
            )
            let result = await plumb(
                "run",
                suite,
                "--model",
                "ft",
                "--config",
                directory.file("plumb.json5"),
                "--out",
                directory.file(name),
                "--cache",
                "--cache-dir",
                directory.file("cache"),
                "--format",
                "none"
            )
            #expect(result.code == 0, "\(result.err)")
            #expect(try loadReport(directory.file("\(name)/report.json")).backend.settings["revision"] == revision)
        }
        #expect(server.requests.count == 8, "the second run of ckpt-1000 came from the cache; ckpt-2000 was asked")
    }
}
