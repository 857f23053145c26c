public import PlumbCore
import Synchronization

/// A backend for tests: answers from a closure, and records every request it was asked.
public final class ScriptedBackend: ModelBackend {
    public typealias Script = @Sendable (ModelRequest, RequestContext) async throws -> ModelResponse

    public let identity: BackendIdentity

    /// Answers from memory: never cached.
    public var capabilities: BackendCapabilities { BackendCapabilities(answersLocally: true) }
    let script: Script
    // A Mutex-guarded log; the class is Sendable because the Mutex is its only mutable state.
    let log = Mutex<[RequestContext]>([])

    public init(name: String = "scripted", script: @escaping Script) {
        self.identity = BackendIdentity(kind: "scripted", name: name)
        self.script = script
    }

    /// Answers every request with `text`.
    public convenience init(answering text: String) {
        self.init { _, _ in ModelResponse(text: text, finishReason: "stop") }
    }

    /// Answers by the last user message, from a table; anything else throws a permanent error.
    public convenience init(answers: [String: String]) {
        self.init { request, _ in
            guard let text = answers[request.lastUserText] else {
                throw BackendError(.badRequest, "scripted: no answer for '\(request.lastUserText)'")
            }
            return ModelResponse(text: text, finishReason: "stop")
        }
    }

    public func complete(_ request: ModelRequest, in context: RequestContext) async throws -> ModelResponse {
        log.withLock { $0.append(context) }
        return try await script(request, context)
    }

    /// The contexts of every request asked so far, in the order they arrived.
    public var requests: [RequestContext] { log.withLock { $0 } }
}
