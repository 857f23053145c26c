public import Foundation
public import PlumbCore
import PlumbHTTP

#if canImport(FoundationNetworking)
    public import FoundationNetworking
#endif

/// A Claude model behind Anthropic's Messages API: `POST {baseURL}/messages` (base URL
/// `https://api.anthropic.com/v1`).
///
/// Headers: `x-api-key` from the configured key variable (``defaultKeyVariable`` when none is configured; the key
/// is required, so a missing key fails at init), `anthropic-version: 2023-06-01` and `Content-Type`. Extra headers
/// from the configuration win (use one to send `anthropic-beta`, or another `anthropic-version`).
///
/// Request: system messages are joined (blank line between) into the top-level `system` field; the other messages
/// become `messages`, where consecutive turns of the same role are merged (blank line between) because the API
/// wants user and assistant turns to alternate. `max_tokens` is required by the API: the request's `maxTokens`,
/// else ``defaultMaxTokens``. `stop` is sent as `stop_sequences`; `temperature` and `top_p` as they are. The API
/// has no seed and no log-probabilities, so `seed` and `logprobs` are not sent (see ``capabilities``).
///
/// Response: the text of every `text` block in `content`, joined; `stop_reason` as the finish reason;
/// `usage.input_tokens`/`output_tokens`.
///
/// Failures map as for ``OpenAIBackend``; in addition 529 (`overloaded_error`) is a transient `serverError`, and
/// the message quotes Anthropic's error type and message (`{"type": "error", "error": {"type", "message"}}`).
/// The key never appears in ``identity``, in any error message or in this value's description.
public struct AnthropicBackend: ModelBackend, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The `anthropic-version` header sent.
    public static let apiVersion = "2023-06-01"
    /// `max_tokens` when the request gives none.
    public static let defaultMaxTokens = 1024
    /// The key variable used when the configuration names none.
    public static let defaultKeyVariable = "ANTHROPIC_API_KEY"

    /// The configuration the backend was made with (it holds no secrets).
    public let configuration: HTTPBackendConfiguration
    let caller: HTTPCaller

    /// Makes a backend; reads the API key and expands `${VAR}` in header values from `environment` now.
    ///
    /// - Throws: `BackendError` `configuration` when the key variable is unset or empty (naming it), the base URL
    ///   is not http(s), the model id is empty or a header uses an unset variable.
    public init(
        configuration: HTTPBackendConfiguration,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        self.configuration = configuration
        let provider = "anthropic"
        try HTTPSupport.validate(configuration, provider: provider)
        let keyVariable = configuration.apiKeyVariable ?? Self.defaultKeyVariable
        guard let key = HTTPSupport.apiKey(keyVariable, environment: environment) else {
            throw BackendError(
                .configuration,
                "anthropic: no API key: set \(keyVariable) to your Anthropic API key"
            )
        }
        let (extra, secrets) = try HTTPSupport.expandHeaders(
            configuration.headers,
            environment: environment,
            provider: provider
        )
        var headers: [String: Secret] = ["x-api-key": key, "anthropic-version": Secret(Self.apiVersion)]
        let overridden = Set(extra.keys.map { $0.lowercased() })
        headers = headers.filter { !overridden.contains($0.key.lowercased()) }
        headers.merge(extra) { $1 }
        let url = configuration.baseURL.appendingPathComponent("messages")
        let base = HTTPText.displayURL(configuration.baseURL)
        caller = HTTPCaller(
            provider: provider,
            url: url,
            displayURL: HTTPText.displayURL(url),
            headers: headers,
            secrets: [key] + secrets,
            timeout: configuration.requestTimeout,
            transport: configuration.makeTransport(for: url),
            model: configuration.model,
            keyVariable: keyVariable,
            keySent: headers["x-api-key"] != nil,
            notFoundHint: "the model '\(configuration.model)' or the base URL '\(base)' may be wrong "
                + "(Anthropic's is https://api.anthropic.com/v1)"
        )
    }

    /// `kind: "anthropic"`, the configured name and model, and settings `baseURL` (without credentials or query),
    /// `anthropicVersion` and, when extra headers are configured, `headers` (their names, never their values).
    public var identity: BackendIdentity {
        var settings = [
            "baseURL": HTTPText.displayURL(configuration.baseURL), "anthropicVersion": Self.apiVersion,
        ]
        if !configuration.headers.isEmpty {
            settings["headers"] = configuration.headers.keys.sorted().joined(separator: ", ")
        }
        return BackendIdentity(
            kind: "anthropic",
            name: configuration.name,
            model: configuration.model,
            settings: settings
        )
    }

    /// Chat only: no log-probabilities, no seed, one choice per call.
    public var capabilities: BackendCapabilities {
        BackendCapabilities(chat: true, logProbabilities: false, seed: false, multipleChoices: false)
    }

    public var description: String { "AnthropicBackend(\(identity), \(caller.displayURL))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["identity": identity]) }

    public func complete(_ request: ModelRequest, in context: RequestContext) async throws -> ModelResponse {
        let body = try requestBody(request)
        let (decoded, exchange) = try await caller.post(
            body,
            decoding: AnthropicWire.Response.self,
            expected: "an Anthropic message"
        )
        if decoded.type == "error" {
            throw caller.invalidResponse(exchange, expected: "an Anthropic message", detail: "it is an error")
        }
        let blocks = decoded.content.filter { $0.type == "text" }.compactMap(\.text)
        guard !blocks.isEmpty else {
            // No text at all (a tool call, or a broken answer): an error, never an empty output.
            throw caller.invalidResponse(exchange, expected: "an Anthropic message", detail: "it has no text block")
        }
        let text = blocks.joined()
        var usage: TokenUsage?
        if let reported = decoded.usage {
            usage = TokenUsage(
                promptTokens: reported.inputTokens ?? 0,
                completionTokens: reported.outputTokens ?? 0
            )
        }
        return ModelResponse(
            text: text,
            finishReason: decoded.stopReason,
            usage: usage,
            latency: exchange.latency,
            served: decoded.model
        )
    }

    /// The JSON body sent for `request` (sorted keys).
    func requestBody(_ request: ModelRequest) throws -> Data {
        var system: [String] = []
        var turns: [AnthropicWire.Message] = []
        for message in request.messages {
            switch message.role {
            case .system:
                system.append(message.content)
            case .user, .assistant:
                if let last = turns.last, last.role == message.role.rawValue {
                    turns[turns.count - 1].content = last.content + "\n\n" + message.content
                } else {
                    turns.append(AnthropicWire.Message(role: message.role.rawValue, content: message.content))
                }
            default:
                throw BackendError(
                    .badRequest,
                    "anthropic: messages with role '\(message.role)' cannot be sent; use system, user or assistant"
                )
            }
        }
        guard !turns.isEmpty else {
            throw BackendError(.badRequest, "anthropic: the request has no user message")
        }
        let body = AnthropicWire.Request(
            model: configuration.model,
            maxTokens: request.maxTokens ?? Self.defaultMaxTokens,
            system: system.isEmpty ? nil : system.joined(separator: "\n\n"),
            messages: turns,
            temperature: request.temperature,
            topP: request.topP,
            stopSequences: request.stop.isEmpty ? nil : request.stop
        )
        do {
            return try HTTPSupport.encoder().encode(body)
        } catch {
            throw BackendError(.badRequest, "anthropic: cannot encode the request as JSON: \(error)")
        }
    }
}

/// Anthropic's Messages API wire format.
enum AnthropicWire {
    struct Message: Encodable {
        var role: String
        var content: String
    }

    struct Request: Encodable {
        var model: String
        var maxTokens: Int
        var system: String?
        var messages: [Message]
        var temperature: Double?
        var topP: Double?
        var stopSequences: [String]?

        enum CodingKeys: String, CodingKey {
            case model, system, messages, temperature
            case maxTokens = "max_tokens"
            case topP = "top_p"
            case stopSequences = "stop_sequences"
        }
    }

    struct Response: Decodable {
        var type: String?
        var content: [Block]
        var stopReason: String?
        var usage: Usage?
        /// The model that answered, as the API names it.
        var model: String?

        enum CodingKeys: String, CodingKey {
            case type, content, usage, model
            case stopReason = "stop_reason"
        }
    }

    struct Block: Decodable {
        var type: String
        var text: String?
    }

    struct Usage: Decodable {
        var inputTokens: Int?
        var outputTokens: Int?

        enum CodingKeys: String, CodingKey {
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
        }
    }
}
