import Foundation

/// Named models from `plumb.json5` at the project root (or `--config FILE`):
///
/// ```json5
/// {
///   models: {
///     base:    { type: "openai", model: "llama-3-8b", baseURL: "http://127.0.0.1:8000/v1" },
///     "ft-v3": { type: "openai", model: "llama-3-8b-ft-v3", baseURL: "http://127.0.0.1:8001/v1", apiKeyEnv: "VLLM_KEY" },
///     local:   { type: "command", command: ["./serve-checkpoint", "--ckpt", "runs/v3"] },
///   },
/// }
/// ```
public struct ModelConfig: Sendable {
    public static let defaultFile = "plumb.json5"

    public var file: String
    public var models: [String: ModelSpec]

    public init(file: String, models: [String: ModelSpec]) {
        self.file = file
        self.models = models
    }

    static let modelKeys = [
        "type", "model", "baseURL", "endpoint", "apiKeyEnv", "headers", "command", "path", "timeout", "concurrency",
        "requestsPerMinute", "keepAlive", "revision",
    ]

    /// Loads and validates a config file; every problem is returned, located.
    /// `kinds`: the model types a backend registry serves (`BackendRegistry.kinds`).
    public static func load(_ path: String, kinds: [ModelSpec.Kind] = ModelSpec.Kind.builtins)
        -> (ModelConfig?, [SuiteDiagnostic])
    {
        let sink = DiagnosticSink()
        let start = SourceLocation(file: path, line: 1)
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [SuiteDiagnostic(.missingFile, "cannot read the config file '\(path)'", at: start)])
        }
        let root: JSON5Node
        do {
            root = try JSON5Parser.parse([UInt8](data), json5: true)
        } catch {
            return (nil, [SuiteLoader.syntaxDiagnostic(error.message, at: error.position.in(path))])
        }
        guard let reader = ObjectReader(root, file: path, context: "config", sink: sink) else {
            return (nil, sink.diagnostics)
        }
        var models: [String: ModelSpec] = [:]
        if let modelsNode = reader.node("models") {
            if let modelsReader = ObjectReader(modelsNode, file: path, context: "'models'", sink: sink) {
                for member in modelsReader.members {
                    if let spec = model(named: member.key, member.value, file: path, sink: sink, kinds: kinds) {
                        models[member.key] = spec
                    }
                }
            }
        }
        reader.reportUnknownKeys(known: ["models"])
        let errors = sink.diagnostics.contains { $0.severity == .error }
        return (errors ? nil : ModelConfig(file: path, models: models), sink.diagnostics)
    }

    static func model(
        named name: String,
        _ node: JSON5Node,
        file: String,
        sink: DiagnosticSink,
        kinds known: [ModelSpec.Kind]
    ) -> ModelSpec? {
        guard let reader = ObjectReader(node, file: file, context: "model '\(name)'", sink: sink) else { return nil }
        let kinds = known.map(\.rawValue)
        guard let typeText = reader.string("type", required: "one of: " + kinds.joined(separator: ", ")) else {
            reader.reportUnknownKeys(known: modelKeys)
            return nil
        }
        let kind = ModelSpec.Kind(typeText)
        guard known.contains(kind) else {
            sink.add(
                .invalidValue,
                "unknown model type '\(typeText)'" + EditDistance.hint(for: typeText, among: kinds)
                    + " (types: \(kinds.joined(separator: ", ")))",
                at: reader.node("type")!.position.in(file)
            )
            return nil
        }
        var spec = ModelSpec(name: name, kind: kind, location: node.position.in(file))
        spec.model = reader.string("model")
        spec.baseURL = reader.string("baseURL")
        if let baseURL = spec.baseURL, let problem = ModelSpec.problem(withBaseURL: baseURL) {
            let message =
                problem.hasPrefix("'")
                ? "'baseURL' of model '\(name)' must be an http(s) URL, found '\(baseURL)'"
                : "'baseURL' of model '\(name)': \(problem)"
            sink.add(.invalidValue, message, at: reader.node("baseURL")!.position.in(file))
        }
        spec.endpoint = reader.string("endpoint")
        if let endpoint = spec.endpoint, !["chat", "completions"].contains(endpoint) {
            sink.add(
                .invalidValue,
                "'endpoint' of model '\(name)' must be \"chat\" or \"completions\", found '\(endpoint)'",
                at: reader.node("endpoint")!.position.in(file)
            )
        }
        spec.apiKeyVariable = reader.string("apiKeyEnv")
        if let variable = spec.apiKeyVariable, variable.hasPrefix("sk-") || variable.count > 64 {
            sink.add(
                .invalidValue,
                "'apiKeyEnv' names the environment variable that holds the key, not the key itself",
                at: reader.node("apiKeyEnv")!.position.in(file)
            )
        }
        if let headersNode = reader.node("headers"),
            let headers = ObjectReader(headersNode, file: file, context: "'headers'", sink: sink)
        {
            for member in headers.members {
                guard case .string(let value) = member.value.value else {
                    headers.wrongType(member.key, member.value, "a string")
                    continue
                }
                spec.headers[member.key] = value
            }
        }
        spec.command = reader.strings("command") ?? []
        spec.path = reader.string("path")
        spec.requestTimeout = reader.double("timeout", in: 0.001...86_400)
        spec.concurrency = reader.int("concurrency", min: 1)
        spec.requestsPerMinute = reader.int("requestsPerMinute", min: 1)
        spec.keepAlive = reader.bool("keepAlive")
        spec.revision = reader.string("revision")
        if let revision = spec.revision, revision.trimmingCharacters(in: .whitespaces).isEmpty {
            sink.add(
                .invalidValue,
                "'revision' of model '\(name)' is empty; name the checkpoint (a hash or tag) or leave it out",
                at: reader.node("revision")!.position.in(file)
            )
        }
        reader.reportUnknownKeys(known: modelKeys)

        let here = node.position.in(file)
        switch kind {
        case .openai, .anthropic:
            if spec.model == nil { reader.missing("model", "the model id the server expects") }
            if kind == .openai, spec.endpoint == nil { spec.endpoint = "chat" }
        case .command:
            if spec.command.isEmpty {
                sink.add(.missingField, "model '\(name)' needs 'command': the program and its arguments", at: here)
            } else if spec.model == nil {
                spec.model = spec.command[0]
            }
        case .replay:
            if spec.path == nil {
                sink.add(.missingField, "model '\(name)' needs 'path': a report.json or JSONL", at: here)
            }
        default:
            break
        }
        return spec
    }
}
