import Foundation
import PlumbBackends
import PlumbCore
import PlumbTestSupport
import Testing

/// Equal within rounding: a score is a difference of two sums.
func close(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-9 }
}

/// Scoring options by log-probability over the completions endpoint (`echo`), against a real server on 127.0.0.1.
@Suite struct OpenAIScoringTests {
    func backend(_ server: LoopbackHTTPServer, endpoint: OpenAIBackend.Endpoint = .completions) throws
        -> OpenAIBackend
    {
        try OpenAIBackend(
            configuration: HTTPBackendConfiguration(
                name: "toy",
                baseURL: server.baseURL.appendingPathComponent("v1"),
                model: "toy-1"
            ),
            endpoint: endpoint,
            environment: [:]
        )
    }

    let request = ModelRequest(
        messages: [Message(role: .user, content: "Question: What is the capital of France?\nAnswer:")],
        continuations: [" Lyon", " Paris", " the city of Nice"]
    )

    @Test func eachOptionIsScoredByTheEchoedLogprobsOfItsOwnTokens() async throws {
        let server = try LoopbackHTTPServer(handler: ToyCompletionsModel.handler(.echo))
        let scores = try await backend(server).score(request, in: anyContext)
        // By hand: " Lyon" is 4 characters → −2.0; " Paris" is favoured → −0.2; " the city of Nice" → −0.5 × (3 + 4 +
        // 2 + 4) = −6.5 over 4 tokens.
        #expect(close(scores.map(\.logprob), [-2.0, -0.2, -6.5]))
        #expect(scores.map(\.tokens) == [1, 1, 4])
        #expect(close(scores.map(\.logprob), request.continuations!.map(ToyCompletionsModel.expectedScore)))
        #expect(server.requests.count == 4, "the prompt once, then each option after it")
        #expect(server.requests.first?.jsonObject?["prompt"] as? String == request.messages[0].content)
        let body = try #require(server.requests.last?.jsonObject)
        #expect(server.requests.last?.path == "/v1/completions")
        #expect(body["prompt"] as? String == "Question: What is the capital of France?\nAnswer: the city of Nice")
        #expect(body["echo"] as? Bool == true)
        #expect(body["logprobs"] as? Int == 1)
        #expect(body["max_tokens"] as? Int == 1)
        #expect(body["temperature"] as? Double == 0)
    }

    @Test func aBeginningOfTextTokenAndOffsetsThatCountItScoreTheSame() async throws {
        // vLLM echoes "<s>" first for Llama-family models and counts its characters in text_offset.
        let server = try LoopbackHTTPServer(handler: ToyCompletionsModel.handler(.echoWithBOS))
        let scores = try await backend(server).score(request, in: anyContext)
        #expect(close(scores.map(\.logprob), [-2.0, -0.2, -6.5]))
        #expect(scores.map(\.tokens) == [1, 1, 4])
    }

    @Test func aBeginningOfTextTokenCountedButNotReturnedScoresTheSame() async throws {
        // llama-cpp-python: prompt_tokens counts <s>, tokens leave it out. The generated token must not be taken
        // for the prompt's last (it would add log P(x | prompt + option) − log P(x | prompt) to every score).
        let server = try LoopbackHTTPServer(handler: ToyCompletionsModel.handler(.echoDroppingBOS))
        let scores = try await backend(server).score(request, in: anyContext)
        #expect(close(scores.map(\.logprob), [-2.0, -0.2, -6.5]))
        let bare = ModelRequest(messages: [Message(role: .user, content: "")], continuations: ["Women are bad."])
        #expect(try await backend(server).score(bare, in: anyContext) == [ContinuationScore(logprob: -6.0, tokens: 3)])
    }

    @Test func aServerWhoseTokenCountsDisagreeIsAnError() async throws {
        // The prompt echoed with one token too few for its own prompt_tokens (two short of what it counts).
        let server = try LoopbackHTTPServer { _ in
            .jsonObject([
                "choices": [
                    [
                        "index": 0, "text": "Q? Answer: yes x",
                        "logprobs": ["tokens": [" Answer:", " yes", " x"], "token_logprobs": [NSNull(), -0.25, -3]],
                    ]
                ],
                "usage": ["prompt_tokens": 4, "completion_tokens": 1],
            ])
        }
        let question = ModelRequest(messages: [Message(role: .user, content: "Q? Answer")], continuations: [": yes"])
        let error = await backendError { _ = try await backend(server).score(question, in: anyContext) }
        #expect(error?.message.contains("it gave 2 log-probabilities for a prompt of 4 tokens") == true, "\(error!)")
    }

    @Test func wholeSentencesAreScoredWhenTheModelAddsABeginningOfTextToken() async throws {
        // CrowS-Pairs: no prompt, the sentence is the option. By hand: "Women" −2.5 (first word, after <s>), " are"
        // −1.5, " bad." −2.0.
        let bare = ModelRequest(messages: [Message(role: .user, content: "")], continuations: ["Women are bad."])
        let withBOS = try LoopbackHTTPServer(handler: ToyCompletionsModel.handler(.echoWithBOS))
        let scores = try await backend(withBOS).score(bare, in: anyContext)
        #expect(scores == [ContinuationScore(logprob: -6.0, tokens: 3)])
        #expect(withBOS.requests.count == 1, "an empty prompt is not asked for")
        // Without one the first word has no log-probability: an error, never a score that leaves it out.
        let without = try LoopbackHTTPServer(handler: ToyCompletionsModel.handler(.echo))
        let error = await backendError { _ = try await backend(without).score(bare, in: anyContext) }
        #expect(error?.message.contains("no log-probability for the first word") == true, "\(error!)")
    }

    @Test func aServerThatIgnoresEchoIsAnErrorNeverAScore() async throws {
        // llama.cpp's llama-server: only the generated token comes back, so every option would score the same.
        let server = try LoopbackHTTPServer(handler: ToyCompletionsModel.handler(.ignoreEcho))
        let error = await backendError { _ = try await backend(server).score(request, in: anyContext) }
        #expect(error?.code == .invalidResponse)
        #expect(error?.message.contains("does not begin with the prompt ('echo' ignored)") == true, "\(error!)")
        #expect(error?.message.contains("llama-server") == true)
        #expect(server.requests.count == 1, "the first answer already shows the server cannot score")
    }

    @Test func echoedTextWithoutThePromptsLogprobsIsAnError() async throws {
        let server = try LoopbackHTTPServer(handler: ToyCompletionsModel.handler(.echoTextOnly))
        let error = await backendError { _ = try await backend(server).score(request, in: anyContext) }
        #expect(error?.code == .invalidResponse)
        #expect(error?.message.contains("it gave 0 log-probabilities for a prompt of") == true, "\(error!)")
    }

    @Test func theChatEndpointCannotScoreAndSaysWhichBackendCan() async throws {
        let server = try LoopbackHTTPServer(handler: ToyCompletionsModel.handler(.echo))
        let chat = try backend(server, endpoint: .chat)
        #expect(!chat.capabilities.scoring)
        #expect(try backend(server).capabilities.scoring)
        let error = await backendError { _ = try await chat.score(request, in: anyContext) }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("openai-completions:MODEL@URL") == true)
        #expect(server.requests.isEmpty)
    }

    @Test func builtinAndReplayScoreToo() async throws {
        let builtin = BuiltinModel()
        #expect(builtin.capabilities.scoring)
        let scores = try await builtin.score(
            ModelRequest(
                messages: [Message(role: .user, content: "The sky is blue. What colour is the sky?")],
                continuations: [" blue", " green"]
            ),
            in: anyContext
        )
        // By hand: "blue" occurs once in the 9 prompt words → log(2 / 50,009); "green" never → log(1 / 50,009).
        #expect(abs(scores[0].logprob - log(2.0 / 50_009)) < 1e-12)
        #expect(abs(scores[1].logprob - log(1.0 / 50_009)) < 1e-12)
        let directory = TemporaryDirectory()
        let path = directory.write(
            "r.jsonl",
            #"{"id": "item-1", "output": "B", "optionScores": [{"logprob": -3.5, "tokens": 2}, {"logprob": -1, "tokens": 1}]}"#
                + "\n" + #"{"id": "item-2", "output": "A"}"# + "\n"
        )
        let replay = try ReplayBackend(path: path)
        #expect(
            try await replay.score(request, in: anyContext)
                == [ContinuationScore(logprob: -3.5, tokens: 2), ContinuationScore(logprob: -1, tokens: 1)]
        )
        var other = anyContext
        other.itemID = "item-2"
        let missing = await backendError { _ = try await replay.score(request, in: other) }
        #expect(missing?.code == .missingRecording)
        // Found by suite, sample and repeat instead of id: only for the same options in the same order.
        let byKey = try ReplayBackend(
            path: directory.write(
                "k.jsonl",
                #"{"suite": "suite", "sampleID": "s1", "output": "B", "continuations": [" Lyon", " Paris", " the city of Nice"], "#
                    + #""optionScores": [{"logprob": -3, "tokens": 1}, {"logprob": -1, "tokens": 1}, {"logprob": -9, "tokens": 4}]}"#
                    + "\n"
            )
        )
        var elsewhere = anyContext
        elsewhere.itemID = "another-id"
        #expect(try await byKey.score(request, in: elsewhere).map(\.logprob) == [-3, -1, -9])
        var rotated = request
        rotated.continuations = [" Paris", " the city of Nice", " Lyon"]
        let mismatch = await backendError { _ = try await byKey.score(rotated, in: elsewhere) }
        #expect(mismatch?.code == .missingRecording)
        #expect(mismatch?.message.contains("scored other options") == true)
    }
}
