/// How outputs are generated for every sample of a suite.
public struct GenerationParameters: Sendable, Hashable, Codable {
    public var temperature: Double?
    public var maxTokens: Int?
    public var topP: Double?
    /// How many outputs to ask for per prompt (k for toxicity metrics); each is its own item.
    public var samplesPerPrompt: Int
    public var seed: UInt64?
    public var stop: [String]
    /// Ask for per-token log-probabilities with this many alternatives (backends that support it).
    public var logprobs: Int?

    public init(
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        topP: Double? = nil,
        samplesPerPrompt: Int = 1,
        seed: UInt64? = nil,
        stop: [String] = [],
        logprobs: Int? = nil
    ) {
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.topP = topP
        self.samplesPerPrompt = samplesPerPrompt
        self.seed = seed
        self.stop = stop
        self.logprobs = logprobs
    }
}
