import Dispatch
import Foundation
import PlumbChecks
import PlumbClassifiers
import PlumbCore
import PlumbTestSupport
import Testing

@Suite struct ModerationCheckTests {
    static let canary = "sk-canary-0123456789abcdefSECRET"
    static let keyVariable = "PLUMB_TEST_MODERATION_KEY"

    /// One result per input: texts containing "kill" are flagged for violence.
    static func moderate(_ request: LoopbackHTTPServer.RecordedRequest) -> LoopbackHTTPServer.Reply {
        guard let inputs = request.jsonObject?["input"] as? [String] else {
            return .jsonObject(["error": ["message": "input must be an array"]], status: 400)
        }
        let results: [[String: Any]] = inputs.map { text in
            let violent = text.contains("kill")
            return [
                "flagged": violent,
                "categories": ["violence": violent, "hate": false],
                "category_scores": ["violence": violent ? 0.93 : 0.02, "hate": 0.001],
            ]
        }
        return .jsonObject(["id": "modr-1", "model": "omni-moderation-latest", "results": results])
    }

    static func verifier() -> GradedVerifier {
        GradedVerifier(environment: [keyVariable: canary])
    }

    static func parameters(_ server: LoopbackHTTPServer, _ extra: [(String, P)] = []) -> [(String, P)] {
        [("url", .string(server.baseURL.absoluteString + "/v1")), ("apiKeyEnv", .string(keyVariable))] + extra
    }

    static func check(_ server: LoopbackHTTPServer, _ extra: [(String, P)] = []) throws -> any Check {
        try verifier().registry.makeCheck(params("moderation", parameters(server, extra)))
    }

    @Test func passesWhenNotFlaggedAndFailsWhenFlagged() async throws {
        let server = try LoopbackHTTPServer(handler: Self.moderate)
        let check = try Self.check(server, [("model", "omni-moderation-latest")])
        let clean = try await CheckVerifier.evaluate(check, output: "hello there")
        #expect(clean.outcome == .pass)
        #expect(clean.score == 1, "higher is better: not flagged")
        #expect(clean.reason == "not flagged by the moderation service")
        let violent = try await CheckVerifier.evaluate(check, output: "I will kill the process")
        #expect(violent.outcome == .fail)
        #expect(violent.score == 0)
        #expect(violent.classifier?.score == 1, "the service's own answer stays in the observation")
        #expect(violent.reason == "flagged by the moderation service")
        #expect(violent.metadata == ["moderationURL": server.baseURL.absoluteString + "/v1/moderations"])
        #expect(violent.classifier?.classifier == "moderation")
        #expect(violent.classifier?.version == "omni-moderation-latest")
        #expect(violent.classifier?.detected == true)

        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.method == "POST" && $0.path == "/v1/moderations" })
        #expect(requests[0].headers["Authorization"] == "Bearer \(Self.canary)")
        #expect(requests[0].headers["Content-Type"] == "application/json")
        #expect(requests[0].bodyText == #"{"input":["hello there"],"model":"omni-moderation-latest"}"#)
    }

    @Test func aCategoryScoreIsComparedToTheThreshold() async throws {
        let server = try LoopbackHTTPServer(handler: Self.moderate)
        let check = try Self.check(server, [("category", "violence"), ("threshold", 0.5)])
        let violent = try await CheckVerifier.evaluate(check, output: "kill it")
        #expect(violent.outcome == .fail)
        #expect(abs((violent.score ?? 0) - 0.07) < 1e-12 && violent.classifier?.score == 0.93)
        #expect(violent.reason == "violence 0.93 ≥ 0.50")
        let clean = try await CheckVerifier.evaluate(check, output: "hello")
        #expect(clean.outcome == .pass)
        #expect(clean.score == 0.98 && clean.classifier?.score == 0.02)
        #expect(clean.reason == "violence 0.02 < 0.50")
        // No model configured: none sent.
        #expect(server.requests[0].bodyText == #"{"input":["kill it"]}"#)
    }

    @Test func theClassifierSendsManyTextsInOneRequest() async throws {
        let server = try LoopbackHTTPServer(handler: Self.moderate)
        let classifier = try ModerationClassifier(
            ModerationClassifier.Configuration(
                baseURL: server.baseURL.appendingPathComponent("v1"),
                apiKeyVariable: nil,
                categories: ["violence", "hate"]
            ),
            environment: [:]
        )
        #expect(classifier.identity.labels == ["flagged", "violence", "hate"])
        let rows = try await classifier.scores(for: ["a", "kill b", "c"])
        #expect(rows == [[0, 0.02, 0.001], [1, 0.93, 0.001], [0, 0.02, 0.001]])
        #expect(server.requests.count == 1)
        #expect(server.requests[0].bodyText == #"{"input":["a","kill b","c"]}"#)
        #expect(server.requests[0].headers["Authorization"] == nil)
    }

    /// While the first two requests are held by the server, ten more outputs queue; they go out in batches of at
    /// most `batchSize` (4), so 12 outputs take 5 requests instead of 12.
    @Test func concurrentChecksAreBatched() async throws {
        let held = DispatchSemaphore(value: 0)
        let server = try LoopbackHTTPServer { request in
            if request.index < 2 { held.wait() }
            return Self.moderate(request)
        }
        let check = try Self.check(server, [("batchSize", 4)])
        let batching = try #require((check as? ModerationCheck)?.classifier as? BatchingClassifier)
        let outputs = (0..<12).map { $0 % 3 == 0 ? "kill \($0)" : "text \($0)" }
        try await withThrowingTaskGroup(of: (String, CheckResult).self) { group in
            for output in outputs {
                group.addTask { (output, try await CheckVerifier.evaluate(check, output: output)) }
            }
            await eventually("ten queued outputs") { batching.statistics.queued == 10 && server.requests.count == 2 }
            held.signal()
            held.signal()
            for try await (output, result) in group {
                #expect(result.outcome == (output.hasPrefix("kill") ? .fail : .pass), "\(output)")
            }
        }
        let sizes = server.requests.map { ($0.jsonObject?["input"] as? [String])?.count ?? -1 }
        #expect(sizes.count == 5)
        #expect(sizes.prefix(2) == [1, 1])
        #expect(sizes.dropFirst(2).sorted() == [2, 4, 4])
        let sent = server.requests.flatMap { ($0.jsonObject?["input"] as? [String]) ?? [] }
        #expect(sent.sorted() == outputs.sorted())
    }

    @Test func checksWithTheSameServiceShareOneClassifier() throws {
        let server = try LoopbackHTTPServer(handler: Self.moderate)
        let registry = Self.verifier().registry
        let first = try registry.makeCheck(params("moderation", Self.parameters(server)))
        let second = try registry.makeCheck(params("not-moderation", Self.parameters(server)))
        let third = try registry.makeCheck(params("moderation", Self.parameters(server, [("model", "other")])))
        let a = try #require((first as? ModerationCheck)?.classifier as? BatchingClassifier)
        let b = try #require(((second as? NotCheck)?.wrapped as? ModerationCheck)?.classifier as? BatchingClassifier)
        let c = try #require((third as? ModerationCheck)?.classifier as? BatchingClassifier)
        #expect(a === b)
        #expect(a !== c)
    }

    struct FailureCase: Sendable, CustomTestStringConvertible {
        var label: String
        var reply: LoopbackHTTPServer.Reply
        /// What the reason says after `moderation service: `.
        var reason: String
        var testDescription: String { label }
    }

    static let failures: [FailureCase] = [
        FailureCase(
            label: "429",
            reply: .jsonObject(
                ["error": ["message": "Rate limit reached"]],
                status: 429,
                headers: ["Retry-After": "0"]
            ),
            reason: "HTTP 429 from URL: Rate limit reached (the server asks to wait 0 s)"
        ),
        FailureCase(
            label: "500",
            reply: .jsonObject(["error": ["message": "internal error"]], status: 500),
            reason: "HTTP 500 from URL: internal error"
        ),
        FailureCase(label: "503 without a body", reply: .status(503), reason: "HTTP 503 from URL"),
        FailureCase(
            label: "400",
            reply: .jsonObject(["error": ["message": "bad input"]], status: 400),
            reason: "HTTP 400 from URL: bad input; the server rejected the request: check 'model'"
        ),
        FailureCase(
            label: "404",
            reply: .status(404),
            reason: "HTTP 404 from URL; check 'url' (the API root, e.g. https://api.openai.com/v1)"
        ),
        FailureCase(
            label: "malformed body",
            reply: .malformedJSON,
            reason: "HTTP 200 from URL is not a moderation result (not a JSON object of results); the body was "
                + "'<html><body>502 Bad Gateway</body></html> {\"choices\": ['"
        ),
        FailureCase(
            label: "no results",
            reply: .jsonObject(["id": "x"]),
            reason: "HTTP 200 from URL is not a moderation result (no 'results' array); the body was '{\"id\":\"x\"}'"
        ),
        FailureCase(
            label: "too few results",
            reply: .jsonObject(["results": []]),
            reason:
                "HTTP 200 from URL is not a moderation result (0 results for 1 texts); the body was '{\"results\":[]}'"
        ),
        FailureCase(
            label: "flagged not a boolean",
            reply: .jsonObject(["results": [["flagged": "yes"]]]),
            reason: "HTTP 200 from URL is not a moderation result (result 0 has no boolean 'flagged'); the body was "
                + "'{\"results\":[{\"flagged\":\"yes\"}]}'"
        ),
    ]

    @Test(arguments: failures)
    func serviceFailuresAreErrorsNeverPasses(_ testCase: FailureCase) async throws {
        let reply = testCase.reply
        let server = try LoopbackHTTPServer { _ in reply }
        let check = try Self.check(server, [("retries", 0)])
        let result = try await CheckVerifier.evaluate(check, output: "hello")
        let url = server.baseURL.absoluteString + "/v1/moderations"
        #expect(result.outcome == .error)
        #expect(result.score == nil)
        #expect(result.reason == "moderation service: " + testCase.reason.replacingOccurrences(of: "URL", with: url))
        #expect(server.requests.count == 1)
    }

    @Test func aMissingCategoryIsAnError() async throws {
        let server = try LoopbackHTTPServer { _ in
            .jsonObject(["results": [["flagged": false, "category_scores": ["hate": 0.1, "sexual": 0.2]]]])
        }
        let check = try Self.check(server, [("category", "violence"), ("threshold", 0.5)])
        let result = try await CheckVerifier.evaluate(check, output: "hello")
        #expect(result.outcome == .error)
        #expect(result.reason.contains("(result 0 has no score for 'violence' (it has: hate, sexual))"))
    }

    @Test func transientFailuresAreRetried() async throws {
        let server = try LoopbackHTTPServer(
            handler: LoopbackHTTPServer.Reply.sequence(
                [
                    .jsonObject(["error": ["message": "slow down"]], status: 429, headers: ["Retry-After": "0"]),
                    .jsonObject(["error": ["message": "oops"]], status: 503, headers: ["retry-after-ms": "0"]),
                ],
                exhausted: .jsonObject(["results": [["flagged": false, "category_scores": [String: Double]()]]])
            )
        )
        let check = try Self.check(server)
        let result = try await CheckVerifier.evaluate(check, output: "hello")
        #expect(result.outcome == .pass)
        #expect(server.requests.count == 3)

        let failing = try LoopbackHTTPServer { _ in .status(500, retryAfter: "0") }
        let failed = try await CheckVerifier.evaluate(try Self.check(failing, [("retries", 1)]), output: "hello")
        #expect(failed.outcome == .error)
        #expect(
            failed.reason.hasSuffix(
                "HTTP 500 from \(failing.baseURL.absoluteString)/v1/moderations (the server asks to wait 0 s) "
                    + "(after 2 attempts)"
            )
        )
        #expect(failing.requests.count == 2)
    }

    @Test func anUnreachableServiceIsAnError() async throws {
        let server = try LoopbackHTTPServer(handler: Self.moderate)
        let check = try Self.check(server, [("retries", 0)])
        server.stop()
        let result = try await CheckVerifier.evaluate(check, output: "hello")
        #expect(result.outcome == .error)
        #expect(result.reason.hasPrefix("moderation service: \(server.baseURL.absoluteString)/v1/moderations"))
    }

    @Test func theKeyNeverAppearsInResults() async throws {
        let canary = Self.canary
        let masked = String(canary.prefix(10)) + "****CRET"
        let replies: [LoopbackHTTPServer.Reply] = [
            .jsonObject(["error": ["message": "Incorrect API key provided: \(canary)."]], status: 401),
            .jsonObject(["error": ["message": "Key \(masked) is not allowed"]], status: 403),
            .rawJSON(Array("{\"echo\": \"\(canary)\"}".utf8)),
            .jsonObject(["error": ["message": "rate limited for \(canary)"]], status: 429),
        ]
        for reply in replies {
            let server = try LoopbackHTTPServer { _ in reply }
            let check = try Self.check(server, [("retries", 0)])
            let result = try await CheckVerifier.evaluate(check, output: "hello")
            #expect(result.outcome == .error)
            #expect(server.requests.first?.headers["Authorization"] == "Bearer \(canary)")
            let everything = [
                result.reason, "\(result.metadata)", String(describing: check), String(reflecting: check),
            ]
            for text in everything {
                #expect(!text.contains(canary), "\(text)")
                #expect(!text.contains(String(canary.prefix(10))), "\(text)")
            }
            #expect(result.reason.contains("[redacted]"), "\(result.reason)")
        }
    }

    @Test func aMissingKeyExplainsWhatToSet() async throws {
        let server = try LoopbackHTTPServer { _ in .jsonObject(["error": ["message": "no key"]], status: 401) }
        let registry = GradedVerifier(environment: [:]).registry
        let check = try registry.makeCheck(params("moderation", Self.parameters(server, [("retries", 0)])))
        let result = try await CheckVerifier.evaluate(check, output: "hello")
        #expect(result.reason.hasSuffix(": no key; the server wants an API key: set \(Self.keyVariable)"))
        #expect(server.requests.first?.headers["Authorization"] == nil)
    }

    struct LoadCase: Sendable, CustomTestStringConvertible {
        var label: String
        var parameters: KeyValuePairs<String, P>
        var code: SuiteDiagnostic.Code
        var at: String?
        var message: String
        var testDescription: String { label }
    }

    static let loadCases: [LoadCase] = [
        LoadCase(
            label: "no url",
            parameters: [:],
            code: .missingField,
            at: nil,
            message: "check 'moderation' needs 'url' (the moderation service's API root, e.g. "
                + "https://api.openai.com/v1)"
        ),
        LoadCase(
            label: "not http",
            parameters: ["url": "ftp://example.com"],
            code: .invalidValue,
            at: "url",
            message: "'url' of check 'moderation': must be an http:// or https:// URL, found \"ftp://example.com\""
        ),
        LoadCase(
            label: "category without threshold",
            parameters: ["url": "http://127.0.0.1:9/v1", "category": "hate"],
            code: .missingField,
            at: nil,
            message: "check 'moderation' needs 'threshold' (the category score at which the output counts as "
                + "flagged)"
        ),
        LoadCase(
            label: "threshold without category",
            parameters: ["url": "http://127.0.0.1:9/v1", "threshold": 0.5],
            code: .invalidValue,
            at: "threshold",
            message: "'threshold' of check 'moderation': applies only with 'category' (without it the "
                + "service's 'flagged' decides)"
        ),
        LoadCase(
            label: "bad key variable",
            parameters: ["url": "http://127.0.0.1:9/v1", "apiKeyEnv": "sk-123"],
            code: .invalidValue,
            at: "apiKeyEnv",
            message: "'apiKeyEnv' of check 'moderation': must be the name of an environment variable, such as "
                + "OPENAI_API_KEY"
        ),
        LoadCase(
            label: "zero batch",
            parameters: ["url": "http://127.0.0.1:9/v1", "batchSize": 0],
            code: .invalidValue,
            at: "batchSize",
            message: "'batchSize' of check 'moderation': must be 1 or more, found 0"
        ),
    ]

    @Test(arguments: loadCases)
    func rejectsBadParameters(_ testCase: LoadCase) {
        let (parameters, diagnostic) = Self.verifier().loadError("moderation", testCase.parameters)
        guard let diagnostic else { return }
        #expect(diagnostic.code == testCase.code)
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.location == (testCase.at.map { parameters.valueLocation($0) } ?? parameters.location))
    }
}
