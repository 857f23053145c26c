import Foundation
import PlumbBackends
import PlumbCore
import PlumbHTTP
import PlumbTestSupport
import Testing

@Suite struct AnthropicBackendTests {
    func backend(
        _ server: LoopbackHTTPServer,
        environment: [String: String] = ["ANTHROPIC_API_KEY": canaryKey],
        keyVariable: String? = nil,
        headers: [String: String] = [:],
        timeout: Double? = nil
    ) throws -> AnthropicBackend {
        try AnthropicBackend(
            configuration: HTTPBackendConfiguration(
                name: "claude",
                baseURL: server.baseURL.appendingPathComponent("v1"),
                model: "claude-test-1",
                apiKeyVariable: keyVariable,
                headers: headers,
                requestTimeout: timeout
            ),
            environment: environment
        )
    }

    static func message(
        _ blocks: [[String: Any]] = [["type": "text", "text": "Paris."]],
        stopReason: String = "end_turn",
        usage: (Int, Int) = (14, 3)
    ) -> LoopbackHTTPServer.Reply {
        .jsonObject([
            "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-test-1",
            "content": blocks, "stop_reason": stopReason, "stop_sequence": NSNull(),
            "usage": ["input_tokens": usage.0, "output_tokens": usage.1],
        ])
    }

    static func anthropicError(_ status: Int, type: String, _ message: String, headers: [String: String] = [:])
        -> LoopbackHTTPServer.Reply
    {
        .jsonObject(
            ["type": "error", "error": ["type": type, "message": message]],
            status: status,
            headers: headers
        )
    }

    let request = ModelRequest(
        messages: [
            Message(role: .system, content: "Be brief."), Message(role: .system, content: "Answer in English."),
            Message(role: .user, content: "Hi."), Message(role: .user, content: "Capital of France?"),
            Message(role: .assistant, content: "It is"),
        ],
        maxTokens: 64,
        temperature: 0.2,
        topP: 0.95,
        seed: 9,
        stop: ["\n\nHuman:"],
        logprobs: 2
    )

    @Test func requestBodyAndHeadersAreExact() async throws {
        let server = try LoopbackHTTPServer { _ in Self.message() }
        _ = try await backend(server).complete(request, in: anyContext)
        let recorded = try #require(server.requests.first)
        #expect(recorded.method == "POST")
        #expect(recorded.path == "/v1/messages")
        #expect(
            recorded.bodyText
                == #"{"max_tokens":64,"messages":[{"content":"Hi.\n\nCapital of France?","role":"user"},"#
                + #"{"content":"It is","role":"assistant"}],"model":"claude-test-1","#
                + #""stop_sequences":["\n\nHuman:"],"system":"Be brief.\n\nAnswer in English.","temperature":0.2,"#
                + #""top_p":0.95}"#
        )
        let json = try #require(recorded.jsonObject)
        #expect(json["seed"] == nil && json["logprobs"] == nil)
        #expect(recorded.headers["x-api-key"] == canaryKey)
        #expect(recorded.headers["anthropic-version"] == "2023-06-01")
        #expect(recorded.headers["content-type"] == "application/json")
        #expect(recorded.headers["Authorization"] == nil)
    }

    @Test func maxTokensDefaultsAndOptionalFieldsAreOmitted() async throws {
        let server = try LoopbackHTTPServer { _ in Self.message() }
        _ = try await backend(server).complete(
            ModelRequest(messages: [Message(role: .user, content: "hi")]),
            in: anyContext
        )
        #expect(
            server.requests.first?.bodyText
                == #"{"max_tokens":1024,"messages":[{"content":"hi","role":"user"}],"model":"claude-test-1"}"#
        )
        #expect(AnthropicBackend.defaultMaxTokens == 1024)
    }

    @Test func customKeyVariableAndHeaders() async throws {
        let server = try LoopbackHTTPServer { _ in Self.message() }
        let backend = try backend(
            server,
            environment: ["MY_CLAUDE_KEY": canaryKey, "BETA": "tools-2024"],
            keyVariable: "MY_CLAUDE_KEY",
            headers: ["anthropic-beta": "${BETA}"]
        )
        _ = try await backend.complete(request, in: anyContext)
        #expect(server.requests.first?.headers["x-api-key"] == canaryKey)
        #expect(server.requests.first?.headers["anthropic-beta"] == "tools-2024")
        #expect(backend.identity.settings["headers"] == "anthropic-beta")
    }

    @Test func aMissingKeyIsAConfigurationErrorNamingTheVariable() throws {
        let server = try LoopbackHTTPServer { _ in Self.message() }
        let missing = try #require(throws: BackendError.self) { try backend(server, environment: [:]) }
        #expect(missing.code == .configuration)
        #expect(missing.message.contains("ANTHROPIC_API_KEY"))
        let custom = try #require(throws: BackendError.self) {
            try backend(server, environment: ["ANTHROPIC_API_KEY": canaryKey], keyVariable: "TEAM_KEY")
        }
        #expect(custom.message.contains("TEAM_KEY"))
        let empty = try #require(throws: BackendError.self) {
            try backend(server, environment: ["ANTHROPIC_API_KEY": ""])
        }
        #expect(empty.code == .configuration)
    }

    @Test func parsesTextBlocksStopReasonAndUsage() async throws {
        let server = try LoopbackHTTPServer { _ in
            .delay(
                0.05,
                then: Self.message(
                    [
                        ["type": "text", "text": "Paris"],
                        ["type": "tool_use", "id": "t1", "name": "lookup", "input": [:] as [String: Any]],
                        ["type": "text", "text": " is the capital."],
                    ],
                    stopReason: "max_tokens",
                    usage: (21, 6)
                )
            )
        }
        let backend = try backend(server)
        #expect(backend.capabilities.logProbabilities == false && backend.capabilities.multipleChoices == false)
        let response = try await backend.complete(request, in: anyContext)
        #expect(response.text == "Paris is the capital.")
        #expect(response.finishReason == "max_tokens")
        #expect(response.usage == TokenUsage(promptTokens: 21, completionTokens: 6))
        #expect((response.latency ?? 0) >= 0.04)
        #expect(response.logprobs == nil)
    }

    @Test func severalSamplesAreSeveralCalls() async throws {
        let server = try LoopbackHTTPServer { request in Self.message([["type": "text", "text": "#\(request.index)"]]) }
        let responses = try await backend(server).complete(request, count: 3, in: anyContext)
        #expect(responses.map(\.text) == ["#0", "#1", "#2"])
        #expect(server.requests.allSatisfy { $0.jsonObject?["n"] == nil })
    }

    @Test func unsupportedRolesAndEmptyConversationsAreBadRequests() async throws {
        let server = try LoopbackHTTPServer { _ in Self.message() }
        let backend = try backend(server)
        let tool = await backendError {
            _ = try await backend.complete(
                ModelRequest(messages: [Message(role: Message.Role(rawValue: "tool"), content: "x")]),
                in: anyContext
            )
        }
        #expect(tool?.code == .badRequest && tool?.message.contains("'tool'") == true)
        let systemOnly = await backendError {
            _ = try await backend.complete(
                ModelRequest(messages: [Message(role: .system, content: "x")]),
                in: anyContext
            )
        }
        #expect(systemOnly?.code == .badRequest)
        #expect(server.requests.isEmpty)
    }

    // MARK: - Faults

    func failure(
        _ reply: LoopbackHTTPServer.Reply,
        timeout: Double? = nil,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws -> BackendError {
        let server = try LoopbackHTTPServer { _ in reply }
        let backend = try backend(server, timeout: timeout)
        let error = await backendError(sourceLocation: sourceLocation) {
            _ = try await backend.complete(request, in: anyContext)
        }
        #expect(server.requests.first?.headers["x-api-key"] == canaryKey, sourceLocation: sourceLocation)
        let found = try #require(error, sourceLocation: sourceLocation)
        expectNoSecret(
            [found.message, found.description, String(reflecting: found)] + printedForms(backend)
                + [backend.identity.description],
            sourceLocation: sourceLocation
        )
        return found
    }

    @Test func overloadedIsATransientServerError() async throws {
        let error = try await failure(Self.anthropicError(529, type: "overloaded_error", "Overloaded"))
        #expect(error.code == .serverError && error.isTransient)
        #expect(error.message.contains("HTTP 529") && error.message.contains("overloaded_error: Overloaded"))
        let withWait = try await failure(
            Self.anthropicError(529, type: "overloaded_error", "Overloaded", headers: ["retry-after": "4"])
        )
        #expect(withWait.retryAfter == 4)
    }

    @Test func rateLimitedHonoursRetryAfter() async throws {
        let error = try await failure(
            Self.anthropicError(
                429,
                type: "rate_limit_error",
                "Number of requests has exceeded your rate limit",
                headers: ["retry-after": "3"]
            )
        )
        #expect(error.code == .rateLimited && error.isTransient && error.retryAfter == 3)
        #expect(error.message.contains("rate_limit_error"))
    }

    @Test func serverErrorsAreTransient() async throws {
        let error = try await failure(Self.anthropicError(500, type: "api_error", "Internal server error"))
        #expect(error.code == .serverError && error.isTransient)
    }

    @Test func authenticationErrorsNameTheVariableAndHideTheKey() async throws {
        let error = try await failure(
            Self.anthropicError(401, type: "authentication_error", "invalid x-api-key \(canaryKey)")
        )
        #expect(error.code == .authentication && !error.isTransient)
        #expect(error.message.contains("ANTHROPIC_API_KEY"))
        #expect(error.message.contains("authentication_error"))
        let forbidden = try await failure(Self.anthropicError(403, type: "permission_error", "no access"))
        #expect(forbidden.code == .authentication && forbidden.message.contains("claude-test-1"))
    }

    @Test func notFoundAndBadRequestSayWhatToFix() async throws {
        let notFound = try await failure(Self.anthropicError(404, type: "not_found_error", "model: claude-test-1"))
        #expect(notFound.code == .notFound && !notFound.isTransient)
        #expect(notFound.message.contains("'claude-test-1'") && notFound.message.contains("api.anthropic.com/v1"))
        let bad = try await failure(
            Self.anthropicError(400, type: "invalid_request_error", "temperature: range: 0..1")
        )
        #expect(bad.code == .badRequest && bad.message.contains("temperature: range: 0..1"))
    }

    @Test func malformedAndCutOffAnswers() async throws {
        let malformed = try await failure(.malformedJSON)
        #expect(malformed.code == .invalidResponse && !malformed.isTransient)
        let wrongShape = try await failure(.jsonObject(["type": "message", "role": "assistant"]))
        #expect(wrongShape.code == .invalidResponse)
        let dropped = try await failure(.dropConnection)
        #expect(dropped.code == .transport && dropped.isTransient)
        let truncated = try await failure(.truncatedJSON(Array(#"{"type":"message","content":[]}"#.utf8)))
        #expect(truncated.code == .transport)
        let slow = try await failure(.delay(6, then: Self.message()), timeout: 1)
        #expect(slow.code == .timeout)
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        let server = try LoopbackHTTPServer { _ in .delay(20, then: Self.message()) }
        let backend = try backend(server)
        let task = Task { try await backend.complete(request, in: anyContext) }
        #expect(await eventually { server.requests.count == 1 })
        try await Task.sleep(for: .milliseconds(100))
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(secondsSince(cancelledAt) < 10)  // well before the 20 s reply (generous: CI may be busy)
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(await eventually { server.abandonedRequests == [0] })
    }

    @Test func identityNamesNoSecret() throws {
        let server = try LoopbackHTTPServer { _ in Self.message() }
        let backend = try backend(server)
        #expect(backend.identity.kind == "anthropic")
        #expect(backend.identity.name == "claude")
        #expect(backend.identity.model == "claude-test-1")
        #expect(backend.identity.settings["anthropicVersion"] == "2023-06-01")
        #expect(backend.identity.settings["baseURL"] == server.baseURL.appendingPathComponent("v1").absoluteString)
        let encoded = String(decoding: try JSONEncoder().encode(backend.identity), as: UTF8.self)
        expectNoSecret(printedForms(backend) + [backend.identity.description, encoded])
    }

    @Test("The default base URL has /v1, so anthropic:MODEL posts to https://api.anthropic.com/v1/messages")
    func defaultBaseURLHasTheVersion() throws {
        let spec = try #require(try ModelSpec.parseInline("anthropic:claude-3-5-haiku-latest"))
        let backend = try BackendRegistry.builtins.make(spec, environment: ["ANTHROPIC_API_KEY": "sk-ant-test"])
        #expect(backend.identity.settings["baseURL"] == "https://api.anthropic.com/v1")
    }
}
