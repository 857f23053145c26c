import Foundation
public import PlumbCore
import PlumbHTTP

extension OpenAIBackend {
    /// Scores each continuation by the log-probability the server gives it after the prompt, over an
    /// OpenAI-compatible completions endpoint that echoes prompt log-probabilities (vLLM, llama-cpp-python's server):
    /// `log P(prompt + continuation) − log P(prompt)`, each the sum of the echoed tokens' log-probabilities. One
    /// request for the prompt (none when it is empty) and one per continuation, each with `echo: true`,
    /// `logprobs: 1`, `max_tokens: 1`, `temperature: 0`; the generated token is ignored. Taking the difference of
    /// two sums needs no character offsets, so servers whose `text_offset` counts a beginning-of-text token's text
    /// (vLLM) and tokenizers whose pieces do not spell the text (byte pieces, SentencePiece) score the same. The
    /// number of tokens reported is the difference of the two token counts.
    ///
    /// The echoed tokens are the first `usage.prompt_tokens` entries. Every answer is checked before its score is
    /// used, because a server that ignores `echo` (llama.cpp's own `llama-server`) answers with the generated token's log-probability only, which would
    /// give every option the same score and a benchmark chance-level numbers. It is an `invalidResponse` error when
    /// the returned text does not start with the prompt, when `tokens` or `token_logprobs` are missing or of
    /// different lengths, when the echoed tokens do not number the server's own `prompt_tokens`, or when an echoed
    /// token after the first has no log-probability. The first token never has one; with an empty prompt
    /// (whole-sentence scoring, CrowS-Pairs) it must be a beginning-of-text token, not the sentence's first word,
    /// or the word would go unscored: that is an error too.
    ///
    /// Only the completions endpoint scores (`openai-completions:MODEL@URL`); the chat endpoint throws a
    /// `configuration` error saying so.
    public func score(_ request: ModelRequest, in context: RequestContext) async throws -> [ContinuationScore] {
        guard endpoint == .completions else {
            throw BackendError(.configuration, identity.cannotScore)
        }
        let prompt = Self.prompt(for: request.messages)
        let base =
            prompt.isEmpty ? EchoedText(logprob: 0, tokens: 0, firstWordUnscored: false) : try await echoed(prompt)
        var scores: [ContinuationScore] = []
        for continuation in request.continuations ?? [] {
            try Task.checkCancellation()
            let full = try await echoed(prompt + continuation)
            if prompt.isEmpty, full.firstWordUnscored {
                throw BackendError(
                    .invalidResponse,
                    "openai: the server gave no log-probability for the first word of \(Self.quoted(continuation)): "
                        + "nothing precedes it and the model adds no beginning-of-text token; give the suite a prompt"
                )
            }
            guard full.tokens > base.tokens || continuation.isEmpty else {
                throw BackendError(
                    .invalidResponse,
                    "openai: the option \(Self.quoted(continuation)) added no token to the prompt's \(base.tokens)"
                )
            }
            scores.append(ContinuationScore(logprob: full.logprob - base.logprob, tokens: full.tokens - base.tokens))
        }
        return scores
    }

    /// The sum of the echoed tokens' log-probabilities of one text, and how many tokens it has.
    struct EchoedText {
        var logprob: Double
        /// The tokens with a log-probability (all but a first one without).
        var tokens: Int
        /// The first token, which has no log-probability, is text of `text` (not a beginning-of-text token).
        var firstWordUnscored: Bool
    }

    func echoed(_ text: String) async throws -> EchoedText {
        let request = OpenAIWire.CompletionRequest(
            model: configuration.model,
            prompt: text,
            maxTokens: 1,
            temperature: 0,
            logprobs: 1,
            echo: true
        )
        let body: Data
        do {
            body = try HTTPSupport.encoder().encode(request)
        } catch {
            throw BackendError(.badRequest, "openai: cannot encode the request as JSON: \(error)")
        }
        let what = "a completion with the prompt's log-probabilities (echo)"
        let (decoded, exchange) = try await caller.post(body, decoding: OpenAIWire.Response.self, expected: what)
        do {
            return try Self.echoedText(decoded, text: text)
        } catch let problem as ScoringProblem {
            throw caller.invalidResponse(exchange, expected: what, detail: problem.message)
        }
    }

    struct ScoringProblem: Error {
        var message: String
    }

    /// The echoed sum of `text` from a completion answer; throws `ScoringProblem` saying what is wrong with it.
    static func echoedText(_ response: OpenAIWire.Response, text: String) throws -> EchoedText {
        let ignored =
            "the server does not return the prompt's log-probabilities, so every option would score alike; "
            + "llama.cpp's llama-server ignores 'echo' (llama.cpp issue #27174): serve the model with vLLM or "
            + "llama-cpp-python's server"
        guard let choice = response.choices.first, let answer = choice.text else {
            throw ScoringProblem(message: "it has no choice with 'text'")
        }
        // Compared scalar by scalar: a generated token may combine with the prompt's last character.
        guard answer.unicodeScalars.starts(with: text.unicodeScalars) else {
            throw ScoringProblem(
                message: "the answer's text does not begin with the prompt ('echo' ignored); " + ignored
            )
        }
        guard let logprobs = choice.logprobs, let tokens = logprobs.tokens, let values = logprobs.tokenLogprobs else {
            throw ScoringProblem(message: "its 'logprobs' lack 'tokens' or 'token_logprobs'; " + ignored)
        }
        guard tokens.count == values.count else {
            throw ScoringProblem(
                message: "'tokens' and 'token_logprobs' have different lengths (\(tokens.count), \(values.count))"
            )
        }
        // The generated tokens are the last `usage.completion_tokens` (one was asked for); the others are the
        // prompt's. A server may leave a beginning-of-text token out of `tokens` while counting it in
        // `prompt_tokens` (llama-cpp-python), so one fewer is accepted; any other count is not the prompt echoed.
        let generated = response.usage?.completionTokens ?? 1
        guard generated >= 0, generated <= tokens.count else {
            throw ScoringProblem(
                message: "it says it generated \(generated) tokens but returned \(tokens.count) in all"
            )
        }
        let echoed = tokens.count - generated
        if let promptTokens = response.usage?.promptTokens, echoed != promptTokens, echoed != promptTokens - 1 {
            throw ScoringProblem(
                message: "it gave \(echoed) log-probabilities for a prompt of \(promptTokens) tokens; " + ignored
            )
        }
        guard echoed > 0 || text.isEmpty else {
            throw ScoringProblem(message: "it gave no log-probabilities for the prompt; " + ignored)
        }
        var sum = 0.0
        for index in 1..<max(1, echoed) {
            guard let value = values[index] else {
                throw ScoringProblem(
                    message: "the prompt's token \(quoted(tokens[index])) (number \(index + 1)) has no "
                        + "log-probability; " + ignored
                )
            }
            guard value.isFinite else { throw ScoringProblem(message: "a log-probability is not a finite number") }
            sum += value
        }
        var firstWordUnscored = false
        var scored = max(0, echoed - 1)
        if echoed > 0, values[0] == nil {
            let first = tokens[0].trimmingCharacters(in: .whitespaces)
            firstWordUnscored = !first.isEmpty && text.trimmingCharacters(in: .whitespaces).hasPrefix(first)
        } else if echoed > 0, let value = values[0] {
            sum += value
            scored += 1
        }
        return EchoedText(logprob: sum, tokens: scored, firstWordUnscored: firstWordUnscored)
    }

    static func quoted(_ token: String) -> String {
        "'" + (token.count > 40 ? String(token.prefix(40)) + "…" : token) + "'"
    }
}
