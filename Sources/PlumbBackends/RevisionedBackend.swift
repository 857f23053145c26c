public import PlumbCore

/// A backend whose model names a `revision` in plumb.json5: the same backend, with `revision` in its identity's
/// settings, so reports, the response cache and resume tell two checkpoints served under one name apart.
public struct RevisionedBackend: ClosableBackend {
    public let base: any ModelBackend
    public let revision: String

    public init(_ base: any ModelBackend, revision: String) {
        self.base = base
        self.revision = revision
    }

    public var identity: BackendIdentity {
        var identity = base.identity
        identity.settings["revision"] = revision
        return identity
    }

    public var capabilities: BackendCapabilities { base.capabilities }

    public func complete(_ request: ModelRequest, in context: RequestContext) async throws -> ModelResponse {
        try await base.complete(request, in: context)
    }

    public func complete(_ request: ModelRequest, count: Int, in context: RequestContext) async throws
        -> [ModelResponse]
    {
        try await base.complete(request, count: count, in: context)
    }

    public func score(_ request: ModelRequest, in context: RequestContext) async throws -> [ContinuationScore] {
        try await base.score(request, in: context)
    }

    public func close() async {
        if let closing = base as? any ClosableBackend { await closing.close() }
    }
}
