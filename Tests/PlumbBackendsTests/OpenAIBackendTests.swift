import Foundation
import PlumbBackends
import PlumbCore
import PlumbHTTP
import PlumbTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite struct OpenAIBackendTests {
    let request = ModelRequest(
        messages: [Message(role: .system, content: "Be brief."), Message(role: .user, content: "What is 2 + 2?")],
        maxTokens: 50,
        temperature: 0.7,
        topP: 0.9,
        seed: 42,
        stop: ["\n\n", "END"],
        logprobs: 3
    )

    func backend(
        _ server: LoopbackHTTPServer,
        endpoint: OpenAIBackend.Endpoint = .chat,
        environment: [String: String] = ["OPENAI_API_KEY": canaryKey],
        headers: [String: String] = [:],
        timeout: Double? = nil,
        reuseConnections: Bool? = nil
    ) throws -> OpenAIBackend {
        try OpenAIBackend(
            configuration: HTTPBackendConfiguration(
                name: "local-llama",
                baseURL: server.baseURL.appendingPathComponent("v1"),
                model: "llama-3-8b",
                apiKeyVariable: "OPENAI_API_KEY",
                headers: headers,
                requestTimeout: timeout,
                reuseConnections: reuseConnections
            ),
            endpoint: endpoint,
            environment: environment
        )
    }

    // MARK: - Requests

    @Test func chatRequestBodyAndHeadersAreExact() async throws {
        let server = try LoopbackHTTPServer { _ in chatCompletion(["4"]) }
        let backend = try backend(
            server,
            environment: ["OPENAI_API_KEY": canaryKey, "ORG_ID": "org-77"],
            headers: ["X-Org": "${ORG_ID}-x", "X-Static": "plain $HOME ${not closed"]
        )
        _ = try await backend.complete(request, in: anyContext)
        let recorded = try #require(server.requests.first)
        #expect(recorded.method == "POST")
        #expect(recorded.path == "/v1/chat/completions")
        #expect(
            recorded.bodyText
                == #"{"logprobs":true,"max_tokens":50,"messages":[{"content":"Be brief.","role":"system"},"#
                + #"{"content":"What is 2 + 2?","role":"user"}],"model":"llama-3-8b","seed":42,"#
                + #""stop":["\n\n","END"],"temperature":0.7,"top_logprobs":3,"top_p":0.9}"#
        )
        let json = try #require(recorded.jsonObject)
        #expect(json["n"] == nil)
        #expect(json["model"] as? String == "llama-3-8b")
        #expect(
            json["messages"] as? [[String: String]] == [
                ["role": "system", "content": "Be brief."], ["role": "user", "content": "What is 2 + 2?"],
            ]
        )
        #expect(recorded.headers["Authorization"] == "Bearer \(canaryKey)")
        #expect(recorded.headers["Content-Type"] == "application/json")
        #expect(recorded.headers["X-Org"] == "org-77-x")
        #expect(recorded.headers["X-Static"] == "plain $HOME ${not closed")
    }

    @Test func minimalRequestOmitsUnsetFieldsAndSendsNoKeyWhenTheVariableIsUnset() async throws {
        let server = try LoopbackHTTPServer { _ in chatCompletion(["hi"]) }
        let backend = try backend(server, environment: [:])
        _ = try await backend.complete(ModelRequest(messages: [Message(role: .user, content: "hi")]), in: anyContext)
        let recorded = try #require(server.requests.first)
        #expect(recorded.bodyText == #"{"messages":[{"content":"hi","role":"user"}],"model":"llama-3-8b"}"#)
        #expect(recorded.headers["Authorization"] == nil)
    }

    @Test func logprobsZeroAsksForChosenTokensOnly() async throws {
        let server = try LoopbackHTTPServer { _ in chatCompletion(["hi"]) }
        var zero = request
        zero.logprobs = 0
        _ = try await backend(server).complete(zero, in: anyContext)
        let json = try #require(server.requests.first?.jsonObject)
        #expect(json["logprobs"] as? Bool == true)
        #expect(json["top_logprobs"] == nil)
    }

    @Test func configuredHeadersWinAndUnsetHeaderVariablesAreConfigurationErrors() async throws {
        let server = try LoopbackHTTPServer { _ in chatCompletion(["hi"]) }
        // ${TEAM_TOKEN} is unset: the backend is not made.
        let error = try #require(throws: BackendError.self) {
            try backend(server, headers: ["X-Team": "${TEAM_TOKEN}"])
        }
        #expect(error.code == .configuration)
        #expect(error.message.contains("TEAM_TOKEN") && error.message.contains("X-Team"))

        let overriding = try backend(
            server,
            environment: ["OPENAI_API_KEY": canaryKey, "OTHER": "t-1"],
            headers: ["authorization": "Token ${OTHER}"]
        )
        _ = try await overriding.complete(request, in: anyContext)
        #expect(server.requests.last?.headers.values("Authorization") == ["Token t-1"])
    }

    @Test func rejectsBadConfiguration() throws {
        let ftp = try #require(throws: BackendError.self) {
            try OpenAIBackend(
                configuration: HTTPBackendConfiguration(
                    name: "x",
                    baseURL: URL(string: "ftp://127.0.0.1/v1")!,
                    model: "m"
                )
            )
        }
        #expect(ftp.code == .configuration && ftp.message.contains("http"))
        let noModel = try #require(throws: BackendError.self) {
            try OpenAIBackend(
                configuration: HTTPBackendConfiguration(
                    name: "x",
                    baseURL: URL(string: "http://127.0.0.1:9/v1")!,
                    model: " "
                )
            )
        }
        #expect(noModel.code == .configuration)
    }

    @Test func completionsEndpointRendersOnePromptAndAsksForLogprobsAsANumber() async throws {
        let server = try LoopbackHTTPServer { _ in
            .jsonObject([
                "choices": [
                    [
                        "index": 0, "text": " 4", "finish_reason": "length",
                        "logprobs": [
                            "tokens": ["Q", " 4"],
                            "token_logprobs": [NSNull(), -0.25],
                            "top_logprobs": [NSNull(), [" 4": -0.25, " four": -2.0, " 5": -1.5]],
                            "text_offset": [0, 1],
                        ],
                    ]
                ],
                "usage": ["prompt_tokens": 9, "completion_tokens": 1, "total_tokens": 10],
            ])
        }
        let backend = try backend(server, endpoint: .completions)
        #expect(backend.capabilities.chat == false)
        let fewShot = ModelRequest(
            messages: [
                Message(role: .system, content: "Answer."), Message(role: .user, content: "Q: 1+1"),
                Message(role: .assistant, content: "2"), Message(role: .user, content: "Q: 2+2"),
            ],
            maxTokens: 1,
            stop: ["\n"],
            logprobs: 2
        )
        let response = try await backend.complete(fewShot, in: anyContext)
        let recorded = try #require(server.requests.first)
        #expect(recorded.path == "/v1/completions")
        #expect(
            recorded.bodyText
                == #"{"logprobs":2,"max_tokens":1,"model":"llama-3-8b","prompt":"Answer.\n\nQ: 1+1\n\n2\n\nQ: 2+2","#
                + #""stop":["\n"]}"#
        )
        #expect(OpenAIBackend.prompt(for: fewShot.messages) == "Answer.\n\nQ: 1+1\n\n2\n\nQ: 2+2")
        #expect(response.text == " 4")
        #expect(response.finishReason == "length")
        #expect(response.usage == TokenUsage(promptTokens: 9, completionTokens: 1))
        #expect(
            response.logprobs == [
                TokenLogprob(
                    token: " 4",
                    logprob: -0.25,
                    top: [
                        TopLogprob(token: " 4", logprob: -0.25), TopLogprob(token: " 5", logprob: -1.5),
                        TopLogprob(token: " four", logprob: -2.0),
                    ]
                )
            ]
        )
    }

    // MARK: - Responses

    @Test func parsesAChatAnswerWithLogprobs() async throws {
        let logprobs: [String: Any] = [
            "content": [
                [
                    "token": "4", "logprob": -0.01, "bytes": [52],
                    "top_logprobs": [
                        ["token": "4", "logprob": -0.01, "bytes": [52]], ["token": "5", "logprob": -4.6],
                    ],
                ],
                ["token": ".", "logprob": -0.5, "bytes": NSNull(), "top_logprobs": []],
            ]
        ]
        let reply = chatCompletion(["4."], finishReason: "stop", usage: (20, 2), logprobs: logprobs)
        let server = try LoopbackHTTPServer { _ in .delay(0.05, then: reply) }
        let response = try await backend(server).complete(request, in: anyContext)
        #expect(response.text == "4.")
        #expect(response.finishReason == "stop")
        #expect(response.usage == TokenUsage(promptTokens: 20, completionTokens: 2))
        #expect((response.latency ?? 0) >= 0.04)
        #expect(
            response.logprobs == [
                TokenLogprob(
                    token: "4",
                    logprob: -0.01,
                    top: [TopLogprob(token: "4", logprob: -0.01), TopLogprob(token: "5", logprob: -4.6)]
                ),
                TokenLogprob(token: ".", logprob: -0.5, top: []),
            ]
        )
    }

    @Test func toleratesMissingUsageNullContentAndContentParts() async throws {
        let server = try LoopbackHTTPServer(replies: [
            .jsonObject(["choices": [["index": 0, "message": ["role": "assistant", "content": "x"]]]]),
            .jsonObject([
                "choices": [
                    [
                        "index": 0, "finish_reason": "content_filter",
                        "message": ["role": "assistant", "content": NSNull(), "refusal": "I can't help with that."],
                    ]
                ]
            ]),
            .jsonObject([
                "choices": [
                    [
                        "index": 0, "finish_reason": "stop",
                        "message": ["content": [["type": "text", "text": "a"], ["type": "text", "text": "b"]]],
                    ]
                ]
            ]),
        ])
        let backend = try backend(server)
        let plain = try await backend.complete(request, in: anyContext)
        #expect(plain.text == "x" && plain.usage == nil && plain.finishReason == nil && plain.logprobs == nil)
        let refused = try await backend.complete(request, in: anyContext)
        #expect(refused.text == "I can't help with that." && refused.finishReason == "content_filter")
        let parts = try await backend.complete(request, in: anyContext)
        #expect(parts.text == "ab")
    }

    @Test func asksForSeveralChoicesWithN() async throws {
        let server = try LoopbackHTTPServer { _ in
            chatCompletion(["third", "first", "second"], usage: (10, 7), indices: [2, 0, 1])
        }
        let backend = try backend(server)
        #expect(backend.capabilities.multipleChoices)
        let responses = try await backend.complete(request, count: 3, in: anyContext)
        #expect(responses.map(\.text) == ["first", "second", "third"])
        #expect(server.requests.count == 1)
        #expect(server.requests.first?.jsonObject?["n"] as? Int == 3)
        #expect(responses.map { $0.usage?.promptTokens ?? -1 }.reduce(0, +) == 10)
        #expect(responses.map { $0.usage?.completionTokens ?? -1 }.reduce(0, +) == 7)
        #expect(responses.map { $0.usage?.completionTokens ?? -1 } == [3, 2, 2])

        let one = try await backend.complete(request, count: 1, in: anyContext)
        #expect(one.count == 1)
        #expect(server.requests.last?.jsonObject?["n"] == nil)
        #expect(try await backend.complete(request, count: 0, in: anyContext).isEmpty)
    }

    @Test func aServerThatIgnoresNIsAskedAgainForTheRest() async throws {
        let server = try LoopbackHTTPServer { recorded in chatCompletion(["answer \(recorded.index)"]) }
        let responses = try await backend(server).complete(request, count: 4, in: anyContext)
        #expect(responses.map(\.text) == ["answer 0", "answer 1", "answer 2", "answer 3"])
        #expect(server.requests.map { $0.jsonObject?["n"] as? Int } == [4, 3, 2, nil])
    }

    @Test func noChoicesAtAllIsAnInvalidResponse() async throws {
        let server = try LoopbackHTTPServer { _ in chatCompletion([]) }
        let error = await backendError { _ = try await backend(server).complete(request, count: 4, in: anyContext) }
        #expect(error?.code == .invalidResponse)
        #expect(error?.isTransient == false)
        #expect(error?.message.contains("asked for 4 choices") == true)
        expectNoSecret([error?.description ?? ""])
    }

    // MARK: - Faults

    /// Sends `request` to a server answering `reply`; returns the error, after checking the key was sent and
    /// appears nowhere in the error.
    func failure(
        _ reply: LoopbackHTTPServer.Reply,
        environment: [String: String] = ["OPENAI_API_KEY": canaryKey],
        timeout: Double? = nil,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws -> BackendError {
        let server = try LoopbackHTTPServer { _ in reply }
        let backend = try backend(server, environment: environment, timeout: timeout)
        let error = await backendError(sourceLocation: sourceLocation) {
            _ = try await backend.complete(request, in: anyContext)
        }
        if environment["OPENAI_API_KEY"] != nil {
            #expect(server.requests.first?.headers["Authorization"] == "Bearer \(canaryKey)")
        }
        let found = try #require(error, sourceLocation: sourceLocation)
        expectNoSecret(
            [found.message, found.description, "\(found)", String(reflecting: found)]
                + printedForms(backend) + [backend.identity.description, "\(backend.identity)"],
            sourceLocation: sourceLocation
        )
        return found
    }

    @Test func rateLimitedWithRetryAfterSeconds() async throws {
        let error = try await failure(
            openAIError(429, "Rate limit reached for requests", headers: ["Retry-After": "7"])
        )
        #expect(error.code == .rateLimited && error.isTransient)
        #expect(error.retryAfter == 7)
        #expect(error.message.contains("Rate limit reached for requests"))
    }

    @Test func rateLimitedWithRetryAfterDate() async throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: Date().addingTimeInterval(30))
        let error = try await failure(.status(429, retryAfter: date))
        #expect(error.code == .rateLimited)
        // Seconds from the answer to the date: at most 30, less by however long the test took to get there.
        #expect((1...31).contains(error.retryAfter ?? -1))
    }

    @Test func rateLimitedWithoutRetryAfterAndWithOpenAIResetHeaders() async throws {
        let bare = try await failure(.status(429))
        #expect(bare.code == .rateLimited && bare.retryAfter == nil)
        let milliseconds = try await failure(.status(429, headers: ["retry-after-ms": "1500", "Retry-After": "9"]))
        #expect(milliseconds.retryAfter == 1.5)
        let reset = try await failure(.status(429, headers: ["x-ratelimit-reset-requests": "6m0s"]))
        #expect(reset.retryAfter == 360)
    }

    @Test(arguments: [500, 502, 503, 504])
    func serverErrorsAreTransient(status: Int) async throws {
        let error = try await failure(openAIError(status, "upstream trouble", headers: ["Retry-After": "2"]))
        #expect(error.code == .serverError && error.isTransient)
        #expect(error.retryAfter == 2)
        #expect(error.message.contains("HTTP \(status)") && error.message.contains("upstream trouble"))
    }

    @Test func requestTimeoutStatusIsATimeout() async throws {
        let error = try await failure(.status(408))
        #expect(error.code == .timeout && error.isTransient)
    }

    @Test func badRequestQuotesTheServer() async throws {
        let error = try await failure(openAIError(400, "'temperature' must be at most 2"))
        #expect(error.code == .badRequest && !error.isTransient)
        #expect(error.message.contains("'temperature' must be at most 2"))
        #expect(error.message.contains("llama-3-8b"))
        let unprocessable = try await failure(.jsonObject(["detail": "bad field"], status: 422))
        #expect(unprocessable.code == .badRequest && unprocessable.message.contains("bad field"))
        let teapot = try await failure(.text("short and stout", status: 418))
        #expect(teapot.code == .badRequest && teapot.message.contains("short and stout"))
    }

    @Test func longServerMessagesAreCut() async throws {
        let error = try await failure(openAIError(400, String(repeating: "very long explanation ", count: 100)))
        #expect(error.message.count < 600)
        #expect(error.message.contains("…"))
    }

    @Test func unauthorizedWithoutAKeyNamesTheVariable() async throws {
        let error = try await failure(openAIError(401, "You didn't provide an API key."), environment: [:])
        #expect(error.code == .authentication && !error.isTransient)
        #expect(error.message.contains("set OPENAI_API_KEY"))
    }

    @Test func unauthorizedWithAKeyNeverEchoesIt() async throws {
        let error = try await failure(
            openAIError(401, "Incorrect API key provided: \(canaryKey). Also seen as sk-canar************3f9c.")
        )
        #expect(error.code == .authentication)
        #expect(error.message.contains("rejected the API key in OPENAI_API_KEY"))
        #expect(error.message.contains("Incorrect API key provided"))
        let forbidden = try await failure(openAIError(403, "not allowed"))
        #expect(forbidden.code == .authentication && forbidden.message.contains("OPENAI_API_KEY"))
    }

    @Test func notFoundNamesTheModelAndURL() async throws {
        let error = try await failure(openAIError(404, "The model `llama-3-8b` does not exist"))
        #expect(error.code == .notFound && !error.isTransient)
        #expect(error.message.contains("'llama-3-8b'"))
        #expect(error.message.contains("base URL 'http://127.0.0.1:"))
        #expect(error.message.contains("/v1'"))
    }

    @Test func malformedJSONIsAPermanentInvalidResponse() async throws {
        let error = try await failure(.malformedJSON)
        #expect(error.code == .invalidResponse && !error.isTransient)
        #expect(error.message.contains("<html><body>502 Bad Gateway"))
        let wrongShape = try await failure(.jsonObject(["object": "list", "data": []]))
        #expect(wrongShape.code == .invalidResponse && wrongShape.message.contains("\"object\""))
        let long = try await failure(.text(String(repeating: "x", count: 5000)))
        #expect(long.code == .invalidResponse && long.message.count < 500)
    }

    @Test func droppedAndTruncatedAnswersAreTransportErrors() async throws {
        let dropped = try await failure(.dropConnection)
        #expect(dropped.code == .transport && dropped.isTransient)
        let body = Array(#"{"choices":[{"index":0,"message":{"role":"assistant","content":"cut off"}}]}"#.utf8)
        let truncated = try await failure(.truncatedJSON(body))
        #expect(truncated.code == .transport && truncated.isTransient)
    }

    @Test func withoutConnectionReuseEveryRequestHasItsOwnConnection() async throws {
        let server = try LoopbackHTTPServer(replies: [chatCompletion(["a"]), chatCompletion(["b"]), .dropConnection])
        let backend = try backend(server, timeout: 20, reuseConnections: false)
        #expect(try await backend.complete(request, in: anyContext).text == "a")
        #expect(try await backend.complete(request, in: anyContext).text == "b")
        let start = ContinuousClock.now
        let error = await backendError { _ = try await backend.complete(request, in: anyContext) }
        #expect(error?.code == .transport)
        #expect(secondsSince(start) < 10)  // not the 20 s timeout (generous: CI may be busy)
        #expect(server.requests.allSatisfy { $0.headers["Connection"] == "close" })
        #expect(server.connectionCount == 3)
    }

    /// Gaps between consecutive requests long enough that the client's pool (idle limit 4 s) may rightly have opened
    /// a new connection: a machine busy enough to stall a test that long is not a reuse failure. Without such a gap
    /// exactly one connection is expected.
    static func idleGaps(_ server: LoopbackHTTPServer) -> Int {
        let arrivals = server.requests.map(\.arrival).sorted()
        return zip(arrivals, arrivals.dropFirst()).filter { $1.timeIntervalSince($0) > 3.5 }.count
    }

    @Test func connectionsAreKeptAlive() async throws {
        let server = try LoopbackHTTPServer { _ in chatCompletion(["a"]) }
        let backend = try backend(server, timeout: 20)
        for _ in 0..<5 { #expect(try await backend.complete(request, in: anyContext).text == "a") }
        #expect(
            (1...1 + Self.idleGaps(server)).contains(server.connectionCount),
            "one connection, renewed only after idling"
        )
        #expect(server.requests.allSatisfy { $0.headers["Connection"] == "keep-alive" })
    }

    @Test func aConnectionTheServerClosedWhileIdleIsReplacedAtOnce() async throws {
        let server = try LoopbackHTTPServer(idleTimeout: 0.2) { _ in chatCompletion(["a"]) }
        let backend = try backend(server, timeout: 20)
        #expect(try await backend.complete(request, in: anyContext).text == "a")
        // The server closes the idle connection without a word; the next request notices and opens a new one.
        let deadline = ContinuousClock.now + .seconds(10)
        while server.openConnectionCount > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(server.openConnectionCount == 0, "the server closed its idle connection")
        let start = ContinuousClock.now
        #expect(try await backend.complete(request, in: anyContext).text == "a")
        #expect(secondsSince(start) < 5)
        #expect(server.connectionCount == 2)
        #expect(server.requests.count == 2, "a request the server received is never sent twice")
    }

    @Test func withConnectionReuseADroppedRequestStillEndsAsATransientError() async throws {
        let server = try LoopbackHTTPServer(replies: [chatCompletion(["a"]), .dropConnection])
        let backend = try backend(server, timeout: 2, reuseConnections: true)
        #expect(try await backend.complete(request, in: anyContext).text == "a")
        let error = await backendError { _ = try await backend.complete(request, in: anyContext) }
        #expect(error?.isTransient == true)
    }

    @Test func aConfiguredConnectionHeaderWins() async throws {
        let server = try LoopbackHTTPServer { _ in chatCompletion(["a"]) }
        let backend = try backend(server, headers: ["Connection": "keep-alive"])
        for _ in 0..<3 { _ = try await backend.complete(request, in: anyContext) }
        #expect(server.requests.allSatisfy { $0.headers.values("Connection") == ["keep-alive"] })
        #expect((1...1 + Self.idleGaps(server)).contains(server.connectionCount))
    }

    @Test func aRefusedConnectionIsATransportError() async throws {
        let server = try LoopbackHTTPServer { _ in .text("never") }
        let backend = try backend(server)
        server.stop()
        let error = await backendError { _ = try await backend.complete(request, in: anyContext) }
        #expect(error?.code == .transport)
        #expect(error?.message.contains("connection refused") == true)
        expectNoSecret([error?.description ?? ""])
    }

    @Test func aSlowAnswerPastTheRequestTimeoutIsATimeout() async throws {
        let start = ContinuousClock.now
        let error = try await failure(.delay(20, then: chatCompletion(["late"])), timeout: 0.5)
        #expect(error.code == .timeout && error.isTransient)
        // Plumb's own client over http:// keeps the limit to the millisecond.
        #expect(error.message.contains("did not answer within 0.50 s"))
        #expect(secondsSince(start) >= 0.45)
        #expect(secondsSince(start) < 15)  // the timeout, not the 20 s reply (a generous bound: CI may be busy)
    }

    @Test func cancellingTheTaskCancelsTheRequestPromptly() async throws {
        let server = try LoopbackHTTPServer { _ in .delay(20, then: chatCompletion(["late"])) }
        let backend = try backend(server)
        let task = Task { try await backend.complete(request, in: anyContext) }
        #expect(await eventually { server.requests.count == 1 })
        try await Task.sleep(for: .milliseconds(100))
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(secondsSince(cancelledAt) < 10)  // well before the 20 s reply (generous: CI may be busy)
        #expect(throws: CancellationError.self) { try result.get() }
        // The HTTP request itself was cancelled: the server saw the client hang up.
        #expect(await eventually { server.abandonedRequests == [0] })
    }

    @Test func anAlreadyCancelledTaskSendsNothing() async throws {
        let server = try LoopbackHTTPServer { _ in chatCompletion(["x"]) }
        let backend = try backend(server)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await backend.complete(request, in: anyContext)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(server.requests.isEmpty)
    }

    @Test func identityNamesNoSecret() throws {
        let server = try LoopbackHTTPServer { _ in chatCompletion(["x"]) }
        let backend = try backend(
            server,
            environment: ["OPENAI_API_KEY": canaryKey, "ORG": "org-secret-value-1234"],
            headers: ["X-Org": "${ORG}"]
        )
        let identity = backend.identity
        #expect(identity.kind == "openai")
        #expect(identity.name == "local-llama")
        #expect(identity.model == "llama-3-8b")
        #expect(identity.settings["endpoint"] == "chat")
        #expect(identity.settings["baseURL"] == server.baseURL.appendingPathComponent("v1").absoluteString)
        #expect(identity.settings["headers"] == "X-Org")
        let encoded = String(decoding: try JSONEncoder().encode(identity), as: UTF8.self)
        let forms = printedForms(backend) + [identity.description, encoded]
        expectNoSecret(forms)
        expectNoSecret(forms, secret: "org-secret-value-1234")
    }

    @Test func credentialsInTheBaseURLAreNotShown() throws {
        let backend = try OpenAIBackend(
            configuration: HTTPBackendConfiguration(
                name: "x",
                baseURL: URL(string: "http://user:\(canaryKey)@127.0.0.1:9/v1?key=\(canaryKey)")!,
                model: "m"
            ),
            environment: [:]
        )
        #expect(backend.identity.settings["baseURL"] == "http://127.0.0.1:9/v1")
        expectNoSecret(printedForms(backend) + [backend.identity.description])
    }

    @Test func survivesAFaultPlanWithEveryFaultClassified() async throws {
        let plan = LoopbackHTTPServer.FaultPlan(faultRate: 0.5, seed: 7)
        let server = try LoopbackHTTPServer(handler: plan.handler { _ in chatCompletion(["ok"]) })
        let backend = try backend(server, timeout: 10)
        var answers = 0
        var codes: Set<String> = []
        for _ in 0..<20 {
            do {
                _ = try await backend.complete(request, in: anyContext)
                answers += 1
            } catch let error as BackendError {
                #expect(error.isTransient, "\(error)")
                codes.insert(error.code.rawValue)
                expectNoSecret([error.description])
            }
        }
        #expect(answers > 0)
        #expect(!codes.isEmpty)
        #expect(codes.isSubset(of: ["rateLimited", "serverError", "transport"]))
    }
}
