public import Foundation
public import PlumbCore

/// Turns model specs (from `--model` or `plumb.json5`) into backends.
public enum BackendFactory {
    public static let specSummary = """
          builtin                          the built-in rule-based reference model (no server; demos and tests)
          replay:PATH                      answers recorded in a report.json or a JSONL file of {"id", "output"} lines
          openai:MODEL[@BASE_URL]          an OpenAI-compatible chat server (OpenAI, vLLM, llama.cpp, Ollama, LM Studio,
                                           TGI); key from $OPENAI_API_KEY when set; default https://api.openai.com/v1
          openai-completions:MODEL@URL     the same servers' /completions endpoint
          anthropic:MODEL[@BASE_URL]       Anthropic Messages; key from $ANTHROPIC_API_KEY
          command:PROGRAM ARG...           any executable speaking JSON lines on stdin/stdout (Docs/command-protocol.md)
          NAME                             a model defined in plumb.json5 (or --config FILE)
        """

    /// Resolves `text` against inline syntax first, then the config's names.
    public static func spec(for text: String, config: ModelConfig?) throws -> ModelSpec {
        do {
            if let inline = try ModelSpec.parseInline(text) { return inline }
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

    /// Kept for callers that have only a spec string.
    public static func make(spec text: String) throws -> any ModelBackend {
        try make(try spec(for: text, config: nil))
    }

    /// `connections`: how many requests may be in flight at once (HTTP backends size their connection pool to it).
    public static func make(
        _ spec: ModelSpec,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        connections: Int = 16
    ) throws -> any ModelBackend {
        switch spec.kind {
        case .builtin:
            return BuiltinModel()
        case .replay:
            guard let path = spec.path else {
                throw BackendError(.configuration, "replay model '\(spec.name)' has no path")
            }
            return try ReplayBackend(path: path)
        case .openai, .anthropic, .command:
            return try makeRemote(spec, environment: environment, connections: connections)
        }
    }
}
