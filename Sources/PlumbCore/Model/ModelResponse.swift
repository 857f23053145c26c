import Foundation

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
    /// For a request with `continuations`: each continuation's score, in the request's order.
    public var scores: [ContinuationScore]?
    /// What the server says it served: the response's model name and, where given, its system fingerprint
    /// (`gpt-4o-2024-08-06 (fp_6b68a8204b)`). Nil for backends that do not say.
    public var served: String?

    public init(
        text: String,
        finishReason: String? = nil,
        usage: TokenUsage? = nil,
        latency: Double? = nil,
        logprobs: [TokenLogprob]? = nil,
        scores: [ContinuationScore]? = nil,
        served: String? = nil
    ) {
        self.served = served
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.latency = latency
        self.logprobs = logprobs
        self.scores = scores
    }
}

extension ModelResponse {
    /// The answer to a request with `count` continuations that were scored: the letter of the highest-scoring option
    /// as its text (`(tie)` when several share the highest score), and the scores.
    ///
    /// - Throws: `BackendError` `invalidResponse` when the backend scored a different number of continuations.
    public static func scored(_ scores: [ContinuationScore], continuations count: Int) throws -> ModelResponse {
        guard scores.count == count else {
            throw BackendError(.invalidResponse, "asked to score \(count) options, got \(scores.count) scores")
        }
        let best = ContinuationScore.best(scores.map(\.logprob))
        let text = best.map { index in index < ChoiceSpec.letters.count ? String(ChoiceSpec.letters[index]) : "" }
        return ModelResponse(text: text ?? "(tie)", finishReason: "scored", scores: scores)
    }
}

/// How likely a model finds one continuation after a prompt: the sum of the log-probabilities (natural log) of
/// the continuation's tokens, each given everything before it, and how many tokens that was.
public struct ContinuationScore: Sendable, Hashable, Codable {
    public var logprob: Double
    public var tokens: Int

    public init(logprob: Double, tokens: Int) {
        self.logprob = logprob
        self.tokens = tokens
    }

    /// The index of the highest of `values`, or nil when two or more share it (a tie is never broken by position)
    /// or a value is not finite.
    public static func best(_ values: [Double]) -> Int? {
        guard !values.isEmpty, values.allSatisfy(\.isFinite), let top = values.max() else { return nil }
        let winners = values.indices.filter { values[$0] == top }
        return winners.count == 1 ? winners[0] : nil
    }

    /// lm-evaluation-harness's `acc_norm` values: each log-probability divided by its option's length in characters
    /// (Unicode scalars, as Python's `len`); an empty option divides by 1.
    public static func normalized(_ scores: [ContinuationScore], optionTexts: [String]) -> [Double] {
        zip(scores, optionTexts).map { $0.logprob / Double(max(1, $1.unicodeScalars.count)) }
    }

    /// TruthfulQA's MC2 (Lin et al. 2022): the probability mass on the true options, normalised over all options:
    /// Σ_true exp(lp) ÷ Σ_all exp(lp), computed stably (shifted by the largest log-probability).
    public static func trueMass(_ scores: [ContinuationScore], isTrue: [Bool]) -> Double? {
        guard scores.count == isTrue.count, let top = scores.map(\.logprob).max(), top.isFinite else { return nil }
        var all = 0.0
        var truths = 0.0
        for (score, truth) in zip(scores, isTrue) {
            let weight = Foundation.exp(score.logprob - top)
            all += weight
            if truth { truths += weight }
        }
        return all > 0 ? truths / all : nil
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
