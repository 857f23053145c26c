public import Foundation
public import PlumbCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Turns model specs (from `--model` or `plumb.json5`) into backends: a value built by the CLI and passed down,
/// never a global. A new backend is one registration: its kind, a line of help, and a factory.
public struct BackendRegistry: Sendable {
    /// What a factory gets besides the spec.
    public struct Context: Sendable {
        /// Where API keys are read from.
        public var environment: [String: String]
        /// How many requests may be in flight at once (HTTP backends size their connection pool to it).
        public var connections: Int
        /// The run's time limit per request (`--timeout`), used when the spec sets none.
        public var requestTimeout: Double?

        public init(environment: [String: String], connections: Int, requestTimeout: Double? = nil) {
            self.environment = environment
            self.connections = connections
            self.requestTimeout = requestTimeout
        }
    }

    public typealias Factory = @Sendable (ModelSpec, Context) throws -> any ModelBackend

    struct Entry: Sendable {
        var kind: ModelSpec.Kind
        var usage: [(syntax: String, summary: String)]
        var make: Factory
    }

    var entries: [Entry] = []

    public init() {}

    /// Registers (or replaces) the backend for `kind`. `usage` pairs the inline syntax with a line for `--help`.
    public mutating func register(
        _ kind: ModelSpec.Kind,
        usage: [(syntax: String, summary: String)],
        make: @escaping Factory
    ) {
        entries.removeAll { $0.kind == kind }
        entries.append(Entry(kind: kind, usage: usage, make: make))
    }

    /// The kinds this registry serves, in registration order.
    public var kinds: [ModelSpec.Kind] { entries.map(\.kind) }

    /// The MODELS part of `plumb run --help`.
    public var specSummary: String {
        let rows = entries.flatMap(\.usage) + [("NAME", "a model defined in plumb.json5 (or --config FILE)")]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { syntax, summary in
            let lines = summary.split(separator: "\n", omittingEmptySubsequences: false)
            let pad = String(repeating: " ", count: width - syntax.count + 2)
            var text = "  " + syntax + pad + lines[0]
            for line in lines.dropFirst() { text += "\n" + String(repeating: " ", count: width + 4) + line }
            return text
        }.joined(separator: "\n")
    }

    /// Resolves `text` against inline syntax first, then the config's names.
    public func spec(for text: String, config: ModelConfig?) throws -> ModelSpec {
        do {
            if let inline = try ModelSpec.parseInline(text, kinds: kinds) { return inline }
        } catch {
            throw BackendError(.configuration, error.message)
        }
        if let spec = config?.models[text] { return spec }
        let names = config?.models.keys.sorted() ?? []
        var message = "unknown model '\(text)'" + EditDistance.hint(for: text, among: names + ["builtin"])
        if let config {
            message +=
                names.isEmpty
                ? "; \(config.file) defines no models" : "; \(config.file) defines: \(names.joined(separator: ", "))"
        } else {
            message += "; name one defined in plumb.json5, or write an inline spec such as builtin or openai:MODEL@URL"
        }
        throw BackendError(.configuration, message)
    }

    /// The backend for `spec`. `connections`: how many requests may be in flight at once.
    public func make(
        _ spec: ModelSpec,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        connections: Int = 16,
        requestTimeout: Double? = nil
    ) throws -> any ModelBackend {
        guard let entry = entries.first(where: { $0.kind == spec.kind }) else {
            throw BackendError(
                .configuration,
                "model '\(spec.name)': no backend serves kind '\(spec.kind)'"
                    + EditDistance.hint(for: spec.kind.rawValue, among: kinds.map(\.rawValue))
            )
        }
        let backend = try entry.make(
            spec,
            Context(environment: environment, connections: connections, requestTimeout: requestTimeout)
        )
        guard let revision = spec.revision else { return backend }
        return RevisionedBackend(backend, revision: revision)
    }

    /// The backends Plumb ships.
    public static let builtins: BackendRegistry = {
        var registry = BackendRegistry()
        registry.register(
            .builtin,
            usage: [("builtin", "the built-in rule-based reference model (no server; demos and tests)")]
        ) { _, _ in BuiltinModel() }
        registry.register(
            .replay,
            usage: [("replay:PATH", "answers recorded in a report.json or a JSONL file of {\"id\", \"output\"} lines")]
        ) { spec, _ in
            guard let path = spec.path else {
                throw BackendError(.configuration, "replay model '\(spec.name)' has no path")
            }
            return try ReplayBackend(path: path)
        }
        registry.register(
            .openai,
            usage: [
                (
                    "openai:MODEL[@BASE_URL]",
                    "an OpenAI-compatible chat server (OpenAI, vLLM, llama.cpp, Ollama, LM Studio,\n"
                        + "TGI); key from $OPENAI_API_KEY when set; default https://api.openai.com/v1"
                ),
                ("openai-completions:MODEL@URL", "the same servers' /completions endpoint"),
            ]
        ) { spec, context in
            let endpoint: OpenAIBackend.Endpoint = spec.endpoint == "completions" ? .completions : .chat
            return try OpenAIBackend(
                configuration: try httpConfiguration(spec, defaultURL: "https://api.openai.com/v1", context: context),
                endpoint: endpoint,
                environment: context.environment
            )
        }
        registry.register(
            .anthropic,
            usage: [("anthropic:MODEL[@BASE_URL]", "Anthropic Messages; key from $ANTHROPIC_API_KEY")]
        ) { spec, context in
            try AnthropicBackend(
                configuration: try httpConfiguration(
                    spec,
                    defaultURL: "https://api.anthropic.com/v1",
                    context: context
                ),
                environment: context.environment
            )
        }
        registry.register(
            .command,
            usage: [
                (
                    "command:PROGRAM ARG...",
                    "any executable speaking JSON lines on stdin/stdout (Docs/command-protocol.md)"
                )
            ]
        ) { spec, _ in
            try CommandBackend(name: spec.name, command: spec.command, options: CommandBackend.Options())
        }
        return registry
    }()

    static func httpConfiguration(_ spec: ModelSpec, defaultURL: String, context: Context) throws
        -> HTTPBackendConfiguration
    {
        let connections = context.connections
        let text = spec.baseURL ?? defaultURL
        guard let baseURL = URL(string: text) else {
            throw BackendError(.configuration, "model '\(spec.name)': '\(text)' is not a URL")
        }
        guard let model = spec.model else {
            throw BackendError(.configuration, "model '\(spec.name)' names no model id")
        }
        return HTTPBackendConfiguration(
            name: spec.name,
            baseURL: baseURL,
            model: model,
            apiKeyVariable: spec.apiKeyVariable
                ?? (spec.kind == .openai ? OpenAIBackend.defaultKeyVariable : AnthropicBackend.defaultKeyVariable),
            headers: spec.headers,
            requestTimeout: spec.requestTimeout ?? context.requestTimeout,
            reuseConnections: spec.keepAlive,
            connections: connections
        )
    }
}

extension CommandBackend: ClosableBackend {
    public func close() async { await shutdown() }
}
