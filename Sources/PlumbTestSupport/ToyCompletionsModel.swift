import Foundation

/// A tiny deterministic "language model" behind an OpenAI-compatible `/completions` endpoint, for testing
/// log-probability scoring against a real HTTP server on 127.0.0.1.
///
/// Text is split into tokens the way byte-pair tokenizers usually split English: each token is a run of spaces or
/// line breaks followed by a run of other characters (`"Question:"`, `" Paris"`, `"\n"` + `"Answer:"`). A token's
/// log-probability is −0.2 when its visible text is one of ``favoured``, otherwise −0.5 per character of visible text;
/// the first token has none (nothing precedes it), as on real servers. With ``Behaviour/echoWithBOS`` a
/// beginning-of-text token `<s>` comes first, as vLLM echoes Llama-family prompts: it takes the missing
/// log-probability, and `text_offset` counts its three characters, so offsets no longer match the text.
public enum ToyCompletionsModel {
    /// Visible token texts the model finds likely.
    public static let favoured: Set<String> = ["Paris", "4", "Jupiter", "Earth"]

    /// How the server treats `echo`.
    public enum Behaviour: Sendable {
        /// As vLLM and llama-cpp-python's server: the prompt comes back with one log-probability per token.
        case echo
        /// As vLLM with a model that adds a beginning-of-text token.
        case echoWithBOS
        /// As llama-cpp-python's server: the beginning-of-text token is counted in `prompt_tokens` but left out of
        /// `tokens`, and the first token returned has its log-probability (after that token).
        case echoDroppingBOS
        /// As llama.cpp's `llama-server`: `echo` is ignored; only the generated token and its log-probability.
        case ignoreEcho
        /// The prompt's text comes back, but log-probabilities only for the generated token.
        case echoTextOnly
    }

    public static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var seenVisible = false
        for character in text {
            if character.isWhitespace {
                if seenVisible {
                    tokens.append(current)
                    current = ""
                    seenVisible = false
                }
                current.append(character)
            } else {
                current.append(character)
                seenVisible = true
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    public static func logprob(_ token: String) -> Double {
        let visible = token.trimmingCharacters(in: .whitespacesAndNewlines)
        return favoured.contains(visible) ? -0.2 : -0.5 * Double(visible.count)
    }

    /// The expected score of `continuation` after `prompt`: the sum over the continuation's tokens (when the
    /// continuation starts with a space, its tokens are exactly the joined text's last tokens).
    public static func expectedScore(_ continuation: String) -> Double {
        tokens(continuation).map(logprob).reduce(0, +)
    }

    /// A `/completions` handler behaving as `behaviour`.
    public static func handler(_ behaviour: Behaviour) -> LoopbackHTTPServer.Handler {
        { request in
            let body = request.jsonObject ?? [:]
            let prompt = body["prompt"] as? String ?? ""
            let echo = body["echo"] as? Bool ?? false
            let generated = " x"
            let promptTokens = tokens(prompt)
            var tokenTexts: [String] = []
            var values: [Any] = []
            var offsets: [Int] = []
            var text = generated
            if echo && behaviour != .ignoreEcho {
                text = prompt + generated
                var echoed = promptTokens
                if behaviour == .echoWithBOS { echoed.insert("<s>", at: 0) }
                var offset = 0
                for (index, token) in echoed.enumerated() where behaviour != .echoTextOnly {
                    tokenTexts.append(token)
                    values.append(index == 0 && behaviour != .echoDroppingBOS ? NSNull() : logprob(token) as Any)
                    offsets.append(offset)
                    offset += token.unicodeScalars.count
                }
            }
            tokenTexts.append(generated)
            values.append(-1.0)
            offsets.append(offsets.last.map { $0 + (tokenTexts.dropLast().last?.unicodeScalars.count ?? 0) } ?? 0)
            let promptCount = promptTokens.count + (behaviour == .echoWithBOS || behaviour == .echoDroppingBOS ? 1 : 0)
            return .jsonObject([
                "id": "cmpl-1", "object": "text_completion", "model": "toy",
                "choices": [
                    [
                        "index": 0, "text": text, "finish_reason": "length",
                        "logprobs": [
                            "tokens": tokenTexts, "token_logprobs": values, "text_offset": offsets,
                            "top_logprobs": NSNull(),
                        ],
                    ]
                ],
                "usage": [
                    "prompt_tokens": promptCount, "completion_tokens": 1, "total_tokens": promptCount + 1,
                ],
            ])
        }
    }
}
