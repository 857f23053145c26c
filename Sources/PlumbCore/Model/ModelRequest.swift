/// What a backend is asked for: the rendered conversation and the generation parameters.
/// New fields always get defaults, so backends written against an older Plumb keep compiling.
public struct ModelRequest: Sendable, Hashable, Codable {
    public var messages: [Message]
    public var maxTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var seed: UInt64?
    public var stop: [String]
    /// Ask for per-token log-probabilities with this many top alternatives (0: chosen tokens only).
    public var logprobs: Int?
    /// Score these continuations of the prompt instead of generating: the backend answers with the
    /// log-probability of each text after the prompt (`ModelBackend.score(_:in:)`). Nil for generation.
    public var continuations: [String]?

    public init(
        messages: [Message],
        maxTokens: Int? = nil,
        temperature: Double? = nil,
        topP: Double? = nil,
        seed: UInt64? = nil,
        stop: [String] = [],
        logprobs: Int? = nil,
        continuations: [String]? = nil
    ) {
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.seed = seed
        self.stop = stop
        self.logprobs = logprobs
        self.continuations = continuations
    }

    /// The text of the last user message (what most rule-based backends answer).
    public var lastUserText: String {
        messages.last { $0.role == .user }?.content ?? ""
    }

    /// A canonical text form of the request, independent of platform JSON formatting.
    /// Used for item ids and cache keys; its format is part of the documented id scheme.
    public var canonicalText: String {
        var parts: [String] = []
        for message in messages {
            parts.append("m:\(message.role.rawValue)\u{1F}\(message.content)")
        }
        if let maxTokens { parts.append("max_tokens:\(maxTokens)") }
        if let temperature { parts.append("temperature:\(temperature)") }
        if let topP { parts.append("top_p:\(topP)") }
        if let seed { parts.append("seed:\(seed)") }
        for stop in self.stop { parts.append("stop:\(stop)") }
        if let logprobs { parts.append("logprobs:\(logprobs)") }
        for continuation in continuations ?? [] { parts.append("continuation:\(continuation)") }
        return parts.joined(separator: "\u{1E}")
    }
}

/// Where a request comes from, passed beside it so backends that replay or vary by repeat can use it.
public struct RequestContext: Sendable, Hashable {
    public var itemID: String
    public var suiteName: String
    public var sampleID: String
    public var repeatIndex: Int

    public init(itemID: String, suiteName: String, sampleID: String, repeatIndex: Int) {
        self.itemID = itemID
        self.suiteName = suiteName
        self.sampleID = sampleID
        self.repeatIndex = repeatIndex
    }
}
