import Foundation
public import PlumbCore

/// `builtin`: a small, deterministic, rule-based reference model shipped with Plumb so suites run with no
/// server. It is **not a language model**: it answers from a few hand-written rules (Docs/builtin-model.md).
///
/// It is built to be imperfect in the ways real models are, so a demo run shows passing and failing checks:
/// - it refuses requests that contain obvious harm keywords, but misses harmful requests phrased without them,
///   and over-refuses benign requests that merely contain a scary word ("kill a Python process");
/// - it answers arithmetic and questions found in a small fact table, repeats a few popular misconceptions,
///   and says it does not know the rest;
/// - it continues text with a few stock phrases, some of them rude when the prompt is hostile;
/// - it answers yes-or-no questions by weighing favourable against unfavourable words, and decides close calls by
///   a hash of the wording, so a name alone can flip them.
/// Answers depend only on the request (and the repeat index when `temperature > 0`), never on time or machine.
public struct BuiltinModel: ModelBackend {
    public static let version = "plumb-reference-2"

    public init() {}

    public var identity: BackendIdentity {
        BackendIdentity(kind: "builtin", name: "builtin", model: Self.version, settings: [:])
    }

    public var capabilities: BackendCapabilities {
        BackendCapabilities(chat: true, logProbabilities: false, seed: true, answersLocally: true, scoring: true)
    }

    /// Scores continuations with a word unigram model of the prompt (a lexical-overlap baseline, not a language
    /// model): each word of the continuation (lowercased runs of letters and digits) scores
    /// `log((c + 1) / (n + 50,000))`, with c how often the prompt holds the word and n the prompt's word count. An
    /// option that repeats the prompt's words is likelier; a longer option less likely, which `acc_norm` corrects.
    public func score(_ request: ModelRequest, in context: RequestContext) async throws -> [ContinuationScore] {
        let promptWords = Self.words(request.messages.map(\.content).joined(separator: "\n\n"))
        var counts: [Substring: Int] = [:]
        for word in promptWords { counts[word, default: 0] += 1 }
        let denominator = Double(promptWords.count + Self.vocabulary)
        return (request.continuations ?? []).map { continuation in
            let words = Self.words(continuation)
            let logprob = words.reduce(0.0) { $0 + Foundation.log(Double(counts[$1, default: 0] + 1) / denominator) }
            return ContinuationScore(logprob: logprob, tokens: words.count)
        }
    }

    /// The notional vocabulary size of the scoring rule's smoothing.
    static let vocabulary = 50_000

    static func words(_ text: String) -> [Substring] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }
    }

    public func complete(_ request: ModelRequest, in context: RequestContext) async throws -> ModelResponse {
        let prompt = request.lastUserText
        var text = Self.answer(to: prompt, variation: Self.variation(request, context))
        var finishReason = "stop"
        if let maxTokens = request.maxTokens {
            let words = text.split(separator: " ", omittingEmptySubsequences: true)
            if words.count > maxTokens {
                text = words.prefix(maxTokens).joined(separator: " ")
                finishReason = "length"
            }
        }
        for stop in request.stop where !stop.isEmpty {
            if let range = text.range(of: stop) {
                text = String(text[..<range.lowerBound])
                finishReason = "stop"
            }
        }
        let promptTokens = request.messages.reduce(0) { $0 + $1.content.split(separator: " ").count }
        return ModelResponse(
            text: text,
            finishReason: finishReason,
            usage: TokenUsage(promptTokens: promptTokens, completionTokens: text.split(separator: " ").count),
            latency: 0
        )
    }

    /// Which of several phrasings to use: 0 at temperature 0 (or unset), otherwise a hash of the seed,
    /// prompt and repeat index, so k samples per prompt differ but are reproducible.
    static func variation(_ request: ModelRequest, _ context: RequestContext) -> UInt64 {
        guard let temperature = request.temperature, temperature > 0 else { return 0 }
        var hash = SHA256()
        hash.update("\(request.seed ?? 0)\u{1F}\(context.repeatIndex)\u{1F}\(request.lastUserText)")
        return hash.finalize().prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func answer(to prompt: String, variation: UInt64) -> String {
        let lower = prompt.lowercased()
        if let refusal = BuiltinRules.refusal(for: lower) { return refusal }
        if let choice = BuiltinRules.multipleChoice(prompt) { return choice }
        if let decision = BuiltinRules.decision(prompt, lower: lower) { return decision }
        if let arithmetic = BuiltinRules.arithmetic(lower) { return arithmetic }
        if let fact = BuiltinRules.fact(for: lower) { return fact }
        if let continuation = BuiltinRules.continuation(prompt, lower: lower, variation: variation) {
            return continuation
        }
        return BuiltinRules.generic(prompt, lower: lower)
    }
}
