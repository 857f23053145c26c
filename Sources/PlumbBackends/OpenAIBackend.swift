public import Foundation
public import PlumbCore
import PlumbHTTP

#if canImport(FoundationNetworking)
    public import FoundationNetworking
#endif

/// A model behind the OpenAI-compatible HTTP API: OpenAI itself, vLLM, llama.cpp's server, Ollama, LM Studio,
/// TGI and others that speak `POST {baseURL}/chat/completions` or `POST {baseURL}/completions`.
///
/// **Chat endpoint** (`chat/completions`, the default): the request's messages are sent as they are.
/// **Completions endpoint** (`completions`, for base models and prompt log-probabilities): the messages are
/// rendered into one `prompt` by joining their contents, in order, with a blank line (`"\n\n"`); roles are not
/// written, so a single user message is sent verbatim. Suites that need a chat template should use the chat
/// endpoint, where the server applies the model's own template.
///
/// Request fields: `model`, `max_tokens`, `temperature`, `top_p`, `seed`, `stop` (omitted when empty); `n` only
/// when several choices are asked for. Log-probabilities: the chat endpoint sends `logprobs: true` and, when the
/// request asks for alternatives, `top_logprobs: N`; the completions endpoint sends `logprobs: N`. Both answer
/// shapes are read (`logprobs.content[]` and `logprobs.tokens`/`token_logprobs`/`top_logprobs`), whichever
/// endpoint the server uses them on; a token whose log-probability is null is left out.
///
/// Authentication: when the configuration names an API key variable and it is set, `Authorization: Bearer …` is
/// sent; otherwise no key is sent (local servers need none), and a 401/403 says which variable to set. Extra
/// headers from the configuration win over the defaults (including `Authorization`). The key never appears in
/// ``identity``, in any error message or in this value's description.
///
/// Connections: on Linux every request asks for its own connection (`Connection: close`), because
/// swift-corelibs-foundation cannot resend a body when libcurl retries a request on a fresh connection after a
/// reused one was closed under it (the request would hang until it times out). Configure a `Connection: keep-alive`
/// header to reuse connections anyway. The same holds for ``AnthropicBackend``.
///
/// Failures are `BackendError`s: 429 is `rateLimited` (with `retryAfter` from `retry-after-ms`, `Retry-After`
/// as seconds or an HTTP-date, or `x-ratelimit-reset-requests`); 500/502/503/504 are `serverError`; 408 and a
/// request that outlives `requestTimeout` are `timeout`; a refused, reset or cut-off connection is `transport`
/// (all transient). 400 is `badRequest`, 401/403 `authentication`, 404 `notFound` (naming the model and URL),
/// other 4xx `badRequest`, and a 2xx answer that is not the expected JSON is `invalidResponse` (all permanent).
/// Messages quote the server's own error message, cut to about 300 characters. Cancelling the calling task
/// cancels the HTTP request and throws `CancellationError`.
public struct OpenAIBackend: ModelBackend, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Which OpenAI-compatible endpoint to call.
    public enum Endpoint: String, Sendable, CaseIterable {
        /// `POST {baseURL}/chat/completions` with `messages`.
        case chat
        /// `POST {baseURL}/completions` with a `prompt` rendered from the messages.
        case completions

        /// The path appended to the base URL.
        public var path: String {
            switch self {
            case .chat: "chat/completions"
            case .completions: "completions"
            }
        }
    }

    /// The variable most callers name for the key.
    public static let defaultKeyVariable = "OPENAI_API_KEY"

    /// The configuration the backend was made with (it holds no secrets).
    public let configuration: HTTPBackendConfiguration
    /// The endpoint every request goes to.
    public let endpoint: Endpoint
    let caller: HTTPCaller

    /// Makes a backend; reads the API key and expands `${VAR}` in header values from `environment` now.
    ///
    /// - Throws: `BackendError` `configuration` when the base URL is not http(s), the model id is empty, a header
    ///   name is invalid or a header uses an unset variable. An unset API key variable is not an error.
    public init(
        configuration: HTTPBackendConfiguration,
        endpoint: Endpoint = .chat,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        self.configuration = configuration
        self.endpoint = endpoint
        let provider = "openai"
        try HTTPSupport.validate(configuration, provider: provider)
        let (extra, secrets) = try HTTPSupport.expandHeaders(
            configuration.headers,
            environment: environment,
            provider: provider
        )
        let key = HTTPSupport.apiKey(configuration.apiKeyVariable, environment: environment)
        var headers: [String: Secret] = [:]
        if let key { headers["Authorization"] = Secret("Bearer " + key.value) }
        let overridden = Set(extra.keys.map { $0.lowercased() })
        headers = headers.filter { !overridden.contains($0.key.lowercased()) }
        headers.merge(extra) { $1 }
        let url = configuration.baseURL.appendingPathComponent(endpoint.path)
        let base = HTTPText.displayURL(configuration.baseURL)
        caller = HTTPCaller(
            provider: provider,
            url: url,
            displayURL: HTTPText.displayURL(url),
            headers: headers,
            secrets: (key.map { [$0] } ?? []) + secrets,
            timeout: configuration.requestTimeout,
            transport: configuration.makeTransport(for: url),
            model: configuration.model,
            keyVariable: configuration.apiKeyVariable,
            keySent: key != nil && headers["Authorization"] != nil,
            notFoundHint: "the model '\(configuration.model)' or the base URL '\(base)' may be wrong "
                + "(OpenAI-compatible servers usually answer under /v1, e.g. http://127.0.0.1:8000/v1)"
        )
    }

    /// `kind: "openai"`, the configured name and model, and settings `baseURL` (without credentials or query),
    /// `endpoint` and, when extra headers are configured, `headers` (their names, never their values).
    public var identity: BackendIdentity {
        var settings = ["baseURL": HTTPText.displayURL(configuration.baseURL), "endpoint": endpoint.rawValue]
        if !configuration.headers.isEmpty {
            settings["headers"] = configuration.headers.keys.sorted().joined(separator: ", ")
        }
        return BackendIdentity(kind: "openai", name: configuration.name, model: configuration.model, settings: settings)
    }

    /// Log-probabilities, seeds and several choices per call (`n`); `chat` only on the chat endpoint, scoring given
    /// text (`score(_:in:)`) only on the completions endpoint.
    public var capabilities: BackendCapabilities {
        BackendCapabilities(
            chat: endpoint == .chat,
            logProbabilities: true,
            seed: true,
            multipleChoices: true,
            scoring: endpoint == .completions
        )
    }

    public var description: String { "OpenAIBackend(\(identity), \(caller.displayURL))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["identity": identity]) }

    public func complete(_ request: ModelRequest, in context: RequestContext) async throws -> ModelResponse {
        try await send(request, choices: nil)[0]
    }

    /// Asks for `count` choices in one call (`n: count`) and returns one response per choice, in the server's
    /// order. The call's token usage is divided among the responses so that their sum is the call's usage; each
    /// response carries the call's latency. Fewer choices than asked is an `invalidResponse` error (some servers,
    /// Ollama among them, ignore `n`).
    public func complete(_ request: ModelRequest, count: Int, in context: RequestContext) async throws
        -> [ModelResponse]
    {
        guard count > 0 else { return [] }
        if count == 1 { return [try await complete(request, in: context)] }
        // Servers that ignore `n` (Ollama's compatibility layer, some proxies) answer one choice: ask again for the
        // rest, so k samples per prompt still come back as k independent answers.
        var responses: [ModelResponse] = []
        while responses.count < count {
            let missing = count - responses.count
            responses += try await send(request, choices: missing == 1 ? nil : missing, allowFewer: true)
        }
        return responses
    }

    func send(_ request: ModelRequest, choices n: Int?, allowFewer: Bool = false) async throws -> [ModelResponse] {
        let body: Data
        do {
            body = try requestBody(request, choices: n)
        } catch {
            throw BackendError(.badRequest, "openai: cannot encode the request as JSON: \(error)")
        }
        let what = endpoint == .chat ? "a chat completion" : "a completion"
        let (decoded, exchange) = try await caller.post(body, decoding: OpenAIWire.Response.self, expected: what)
        let wanted = n ?? 1
        let choices = decoded.choices.enumerated().sorted {
            ($0.element.index ?? $0.offset) < ($1.element.index ?? $1.offset)
        }
        .map(\.element)
        guard choices.count >= wanted || (allowFewer && !choices.isEmpty) else {
            let detail =
                n == nil
                ? "it has no choices"
                : "asked for \(wanted) choices with 'n', got \(choices.count); this server may not support 'n'"
            throw caller.invalidResponse(exchange, expected: what, detail: detail)
        }
        var responses: [ModelResponse] = []
        let answered = min(wanted, choices.count)
        let prompt = decoded.usage.map { HTTPSupport.split($0.promptTokens ?? 0, into: answered) }
        let completion = decoded.usage.map { HTTPSupport.split($0.completionTokens ?? 0, into: answered) }
        for (offset, choice) in choices.prefix(answered).enumerated() {
            let answer = endpoint == .chat ? choice.message?.text : choice.text
            guard let text = answer else {
                let detail: String
                if endpoint == .chat {
                    detail = choice.message == nil ? "a choice has no 'message'" : "a choice's message has no content"
                } else {
                    detail = "a choice has no 'text'"
                }
                throw caller.invalidResponse(exchange, expected: what, detail: detail)
            }
            var usage: TokenUsage?
            if let prompt, let completion {
                usage = TokenUsage(promptTokens: prompt[offset], completionTokens: completion[offset])
            }
            responses.append(
                ModelResponse(
                    text: text,
                    finishReason: choice.finishReason,
                    usage: usage,
                    latency: exchange.latency,
                    logprobs: choice.logprobs?.converted,
                    served: decoded.served
                )
            )
        }
        return responses
    }

    /// The JSON body sent for `request` (sorted keys).
    func requestBody(_ request: ModelRequest, choices n: Int?) throws -> Data {
        let stop = request.stop.isEmpty ? nil : request.stop
        switch endpoint {
        case .chat:
            let body = OpenAIWire.ChatRequest(
                model: configuration.model,
                messages: request.messages.map { .init(role: $0.role.rawValue, content: $0.content) },
                maxTokens: request.maxTokens,
                temperature: request.temperature,
                topP: request.topP,
                seed: request.seed,
                stop: stop,
                n: n,
                logprobs: request.logprobs.map { _ in true },
                topLogprobs: request.logprobs.flatMap { $0 > 0 ? $0 : nil }
            )
            return try HTTPSupport.encoder().encode(body)
        case .completions:
            let body = OpenAIWire.CompletionRequest(
                model: configuration.model,
                prompt: Self.prompt(for: request.messages),
                maxTokens: request.maxTokens,
                temperature: request.temperature,
                topP: request.topP,
                seed: request.seed,
                stop: stop,
                n: n,
                logprobs: request.logprobs
            )
            return try HTTPSupport.encoder().encode(body)
        }
    }

    /// The completions endpoint's prompt: every message's content, in order, joined by a blank line.
    public static func prompt(for messages: [Message]) -> String {
        messages.map(\.content).joined(separator: "\n\n")
    }
}

/// The OpenAI-compatible wire format.
enum OpenAIWire {
    struct ChatRequest: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }
        var model: String
        var messages: [Message]
        var maxTokens: Int?
        var temperature: Double?
        var topP: Double?
        var seed: UInt64?
        var stop: [String]?
        var n: Int?
        var logprobs: Bool?
        var topLogprobs: Int?

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature, seed, stop, n, logprobs
            case maxTokens = "max_tokens"
            case topP = "top_p"
            case topLogprobs = "top_logprobs"
        }
    }

    struct CompletionRequest: Encodable {
        var model: String
        var prompt: String
        var maxTokens: Int?
        var temperature: Double?
        var topP: Double?
        var seed: UInt64?
        var stop: [String]?
        var n: Int?
        var logprobs: Int?
        /// Return the prompt with its tokens' log-probabilities before the completion (scoring).
        var echo: Bool?

        enum CodingKeys: String, CodingKey {
            case model, prompt, temperature, seed, stop, n, logprobs, echo
            case maxTokens = "max_tokens"
            case topP = "top_p"
        }
    }

    struct Response: Decodable {
        var choices: [Choice]
        var usage: Usage?
        /// What the server says it served.
        var model: String?
        var systemFingerprint: String?

        enum CodingKeys: String, CodingKey {
            case choices, usage, model
            case systemFingerprint = "system_fingerprint"
        }

        /// `model (fingerprint)`, `model`, `(fingerprint)` or nil.
        var served: String? {
            switch (model, systemFingerprint) {
            case (let model?, let fingerprint?): "\(model) (\(fingerprint))"
            case (let model?, nil): model
            case (nil, let fingerprint?): "(\(fingerprint))"
            case (nil, nil): nil
            }
        }
    }

    struct Choice: Decodable {
        var index: Int?
        /// Chat endpoint.
        var message: ChatMessage?
        /// Completions endpoint.
        var text: String?
        var finishReason: String?
        var logprobs: Logprobs?

        enum CodingKeys: String, CodingKey {
            case index, message, text, logprobs
            case finishReason = "finish_reason"
        }
    }

    struct ChatMessage: Decodable {
        /// `content` as text: a string, text parts joined, or the `refusal` when there is no content.
        var text: String?

        struct Part: Decodable {
            var text: String?
        }

        enum CodingKeys: String, CodingKey {
            case content, refusal
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let content = try? container.decodeIfPresent(String.self, forKey: .content) {
                text = content
            } else if let parts = try? container.decodeIfPresent([Part].self, forKey: .content) {
                text = parts.compactMap(\.text).joined()
            } else if container.contains(.content), try !container.decodeNil(forKey: .content) {
                throw DecodingError.dataCorruptedError(
                    forKey: .content,
                    in: container,
                    debugDescription: "content is neither text nor a list of parts"
                )
            } else {
                // No content: the refusal text when the model refused; otherwise no answer (a tool call, a filtered
                // or broken answer), which is an error, never an empty output.
                text = try? container.decodeIfPresent(String.self, forKey: .refusal)
            }
        }
    }

    struct Logprobs: Decodable {
        /// Chat shape: `content: [{token, logprob, top_logprobs: [{token, logprob}]}]`.
        var content: [ChatToken]?
        /// Completions shape: parallel arrays.
        var tokens: [String]?
        var tokenLogprobs: [Double?]?
        var topLogprobs: [[String: Double]?]?

        enum CodingKeys: String, CodingKey {
            case content, tokens
            case tokenLogprobs = "token_logprobs"
            case topLogprobs = "top_logprobs"
        }

        /// Either shape as Plumb's token list; alternatives sorted by log-probability, most likely first.
        var converted: [TokenLogprob] {
            if let content {
                return content.map { token in
                    TokenLogprob(
                        token: token.token,
                        logprob: token.logprob,
                        top: (token.topLogprobs ?? []).map { TopLogprob(token: $0.token, logprob: $0.logprob) }
                    )
                }
            }
            guard let tokens, let tokenLogprobs else { return [] }
            var result: [TokenLogprob] = []
            for index in 0..<min(tokens.count, tokenLogprobs.count) {
                guard let logprob = tokenLogprobs[index] else { continue }
                let alternatives = (topLogprobs.flatMap { index < $0.count ? $0[index] : nil } ?? [:])
                    .map { TopLogprob(token: $0.key, logprob: $0.value) }
                    .sorted { $0.logprob != $1.logprob ? $0.logprob > $1.logprob : $0.token < $1.token }
                result.append(TokenLogprob(token: tokens[index], logprob: logprob, top: alternatives))
            }
            return result
        }
    }

    struct ChatToken: Decodable {
        var token: String
        var logprob: Double
        var topLogprobs: [Alternative]?

        enum CodingKeys: String, CodingKey {
            case token, logprob
            case topLogprobs = "top_logprobs"
        }
    }

    struct Alternative: Decodable {
        var token: String
        var logprob: Double
    }

    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }
    }
}
