import Foundation
public import PlumbCore
import PlumbHTTP

extension OpenAIBackend {
    /// Scores each continuation by the log-probability the server gives its tokens after the prompt, the way
    /// lm-evaluation-harness scores multiple choice over an OpenAI-compatible completions endpoint: one request per
    /// continuation, `prompt` = the rendered prompt followed by the continuation, `echo: true`, `logprobs: 1`,
    /// `max_tokens: 1`, `temperature: 0`. The continuation's tokens are found by `text_offset` (code points into
    /// the echoed text): every echoed token that ends after the prompt's last character, so a token that straddles
    /// the boundary counts with the continuation. The generated token is ignored.
    ///
    /// The answer is checked before any score is used, because a server that ignores `echo` (llama.cpp's own
    /// `llama-server`) answers with the generated token's log-probability only, which would give every option the
    /// same score and a benchmark chance-level numbers. It is an `invalidResponse` error when the returned text does
    /// not start with the prompt, when `tokens`, `token_logprobs` or `text_offset` are missing or of different
    /// lengths, when offsets go backwards, when fewer tokens come back than the server's own `prompt_tokens` count
    /// (one may be missing: a beginning-of-text token), or when a continuation token has no log-probability (the
    /// first token of a text has none when nothing precedes it: give the suite a prompt).
    ///
    /// Only the completions endpoint scores (`openai-completions:MODEL@URL`); the chat endpoint throws a
    /// `configuration` error saying so.
    public func score(_ request: ModelRequest, in context: RequestContext) async throws -> [ContinuationScore] {
        guard endpoint == .completions else {
            throw BackendError(.configuration, identity.cannotScore)
        }
        let prompt = Self.prompt(for: request.messages)
        var scores: [ContinuationScore] = []
        for continuation in request.continuations ?? [] {
            try Task.checkCancellation()
            scores.append(try await score(continuation, after: prompt))
        }
        return scores
    }

    func score(_ continuation: String, after prompt: String) async throws -> ContinuationScore {
        let full = prompt + continuation
        let request = OpenAIWire.CompletionRequest(
            model: configuration.model,
            prompt: full,
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
        let exchange = try await caller.post(body)
        if let error = caller.statusError(exchange) { throw error }
        let what = "a completion with the prompt's log-probabilities (echo)"
        let decoded: OpenAIWire.Response
        do {
            decoded = try JSONDecoder().decode(OpenAIWire.Response.self, from: exchange.body)
        } catch {
            throw caller.invalidResponse(exchange, expected: what)
        }
        do {
            return try Self.continuationScore(
                decoded,
                prompt: prompt,
                continuation: continuation,
                promptTokens: decoded.usage?.promptTokens
            )
        } catch let problem as ScoringProblem {
            throw caller.invalidResponse(exchange, expected: what, detail: problem.message)
        }
    }

    struct ScoringProblem: Error {
        var message: String
    }

    /// The continuation's score from an echoed completion; throws `ScoringProblem` saying what is wrong with it.
    static func continuationScore(
        _ response: OpenAIWire.Response,
        prompt: String,
        continuation: String,
        promptTokens: Int?
    ) throws -> ContinuationScore {
        let ignored =
            "the server does not return the prompt's log-probabilities, so every option would score alike; "
            + "llama.cpp's llama-server ignores 'echo' (llama.cpp issue #27174): serve the model with vLLM or "
            + "llama-cpp-python's server"
        guard let choice = response.choices.first, let text = choice.text else {
            throw ScoringProblem(message: "it has no choice with 'text'")
        }
        let full = prompt + continuation
        guard text.hasPrefix(full) else {
            throw ScoringProblem(message: "the answer's text does not begin with the prompt ('echo' ignored); " + ignored)
        }
        guard let logprobs = choice.logprobs, let tokens = logprobs.tokens, let values = logprobs.tokenLogprobs,
            let offsets = logprobs.textOffset
        else {
            throw ScoringProblem(
                message: "its 'logprobs' lack 'tokens', 'token_logprobs' or 'text_offset'; " + ignored
            )
        }
        guard tokens.count == values.count, offsets.count == tokens.count else {
            throw ScoringProblem(
                message: "'tokens', 'token_logprobs' and 'text_offset' have different lengths "
                    + "(\(tokens.count), \(values.count), \(offsets.count))"
            )
        }
        guard zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }), offsets.allSatisfy({ $0 >= 0 }) else {
            throw ScoringProblem(message: "its 'text_offset' values go backwards")
        }
        let promptEnd = prompt.unicodeScalars.count
        let fullEnd = full.unicodeScalars.count
        let echoed = offsets.indices.filter { offsets[$0] < fullEnd }
        if let promptTokens, echoed.count + 1 < promptTokens {
            throw ScoringProblem(
                message: "it gave \(echoed.count) log-probabilities for a prompt of \(promptTokens) tokens; " + ignored
            )
        }
        var logprob = 0.0
        var count = 0
        for (position, index) in echoed.enumerated() {
            let end = position + 1 < echoed.count ? offsets[echoed[position + 1]] : fullEnd
            guard end > promptEnd, end > offsets[index] else { continue }
            guard let value = values[index] else {
                let why =
                    offsets[index] == 0
                    ? "nothing precedes it; give the suite a prompt, or serve a model that adds a beginning-of-text "
                        + "token"
                    : ignored
                throw ScoringProblem(
                    message: "the option's token \(quoted(tokens[index])) at offset \(offsets[index]) has no "
                        + "log-probability: " + why
                )
            }
            guard value.isFinite || value == -.infinity else {
                throw ScoringProblem(message: "a log-probability is not a number")
            }
            logprob += value
            count += 1
        }
        guard count > 0 || continuation.isEmpty else {
            throw ScoringProblem(message: "no token of the option has a log-probability; " + ignored)
        }
        return ContinuationScore(logprob: logprob, tokens: count)
    }

    static func quoted(_ token: String) -> String {
        "'" + (token.count > 20 ? String(token.prefix(20)) + "…" : token) + "'"
    }
}
