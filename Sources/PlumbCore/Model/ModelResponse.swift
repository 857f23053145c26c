/// What a backend answered.
public struct ModelResponse: Sendable, Hashable, Codable {
    public var text: String
    /// `stop`, `length`, `content_filter` … as the backend reported it.
    public var finishReason: String?
    public var usage: TokenUsage?
    /// Seconds from sending the request to receiving the whole answer.
    public var latency: Double?
    /// Per-token log-probabilities, when the request asked for them and the backend gives them.
    public var logprobs: [TokenLogprob]?

    public init(
        text: String,
        finishReason: String? = nil,
        usage: TokenUsage? = nil,
        latency: Double? = nil,
        logprobs: [TokenLogprob]? = nil
    ) {
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.latency = latency
        self.logprobs = logprobs
    }
}

/// One generated (or echoed) token with its log-probability and, when asked, the most likely alternatives.
public struct TokenLogprob: Sendable, Hashable, Codable {
    public var token: String
    public var logprob: Double
    public var top: [TopLogprob]

    public init(token: String, logprob: Double, top: [TopLogprob] = []) {
        self.token = token
        self.logprob = logprob
        self.top = top
    }
}

public struct TopLogprob: Sendable, Hashable, Codable {
    public var token: String
    public var logprob: Double

    public init(token: String, logprob: Double) {
        self.token = token
        self.logprob = logprob
    }
}

public struct TokenUsage: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}
