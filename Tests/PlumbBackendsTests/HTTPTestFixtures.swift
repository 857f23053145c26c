import Foundation
import PlumbCore
import PlumbHTTP
import PlumbTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A fake API key: tests check it reaches the server and nothing else.
let canaryKey = "sk-canary-3f9c"

let anyContext = RequestContext(itemID: "item-1", suiteName: "suite", sampleID: "s1", repeatIndex: 0)

/// A chat completion body with one choice per text.
func chatCompletion(
    _ texts: [String],
    finishReason: String = "stop",
    usage: (prompt: Int, completion: Int)? = (12, 5),
    logprobs: Any? = nil,
    indices: [Int]? = nil
) -> LoopbackHTTPServer.Reply {
    var choices: [[String: Any]] = []
    for (offset, text) in texts.enumerated() {
        var choice: [String: Any] = [
            "index": indices?[offset] ?? offset,
            "message": ["role": "assistant", "content": text],
            "finish_reason": finishReason,
        ]
        choice["logprobs"] = logprobs ?? NSNull()
        choices.append(choice)
    }
    var body: [String: Any] = [
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000, "model": "m", "choices": choices,
    ]
    if let usage {
        body["usage"] = [
            "prompt_tokens": usage.prompt, "completion_tokens": usage.completion,
            "total_tokens": usage.prompt + usage.completion,
        ]
    }
    return .jsonObject(body)
}

/// An OpenAI-style error body.
func openAIError(_ status: Int, _ message: String, headers: [String: String] = [:]) -> LoopbackHTTPServer.Reply {
    .jsonObject(
        ["error": ["message": message, "type": "invalid_request_error", "param": NSNull(), "code": NSNull()]],
        status: status,
        headers: headers
    )
}

/// Runs `body` and returns the `BackendError` it throws (recording an issue when it throws anything else or
/// nothing).
func backendError(
    sourceLocation: Testing.SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> BackendError? {
    do {
        try await body()
        Issue.record("expected a BackendError, got an answer", sourceLocation: sourceLocation)
    } catch let error as BackendError {
        return error
    } catch {
        Issue.record("expected a BackendError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Records an issue when `secret` (or its first 8 characters) appears in any of `texts`.
func expectNoSecret(
    _ texts: [String],
    secret: String = canaryKey,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    for text in texts {
        #expect(!text.contains(secret), "secret leaked: \(text)", sourceLocation: sourceLocation)
        #expect(
            !text.contains(String(secret.prefix(8))),
            "secret prefix leaked: \(text)",
            sourceLocation: sourceLocation
        )
    }
}

/// Every way a value can be printed.
func printedForms(_ value: Any) -> [String] {
    var dumped = ""
    dump(value, to: &dumped)
    return [
        String(describing: value), String(reflecting: value), dumped,
        "\(Mirror(reflecting: value).children.map { $0 })",
    ]
}

/// Seconds elapsed since `start`.
func secondsSince(_ start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// Polls `condition` every 20 ms for up to `timeout` seconds.
func eventually(timeout: Double = 15, _ condition: () -> Bool) async -> Bool {
    let start = ContinuousClock.now
    while secondsSince(start) < timeout {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}
