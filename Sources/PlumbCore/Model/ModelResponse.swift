/// What a backend answered.
public struct ModelResponse: Sendable, Hashable, Codable {
    public var text: String
    /// `stop`, `length`, `content_filter` … as the backend reported it.
    public var finishReason: String?
    public var usage: TokenUsage?
    /// Seconds from sending the request to receiving the whole answer.
    public var latency: Double?

    public init(text: String, finishReason: String? = nil, usage: TokenUsage? = nil, latency: Double? = nil) {
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.latency = latency
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
