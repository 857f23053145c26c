import Foundation
import PlumbCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension BackendFactory {
    static func makeRemote(
        _ spec: ModelSpec,
        environment: [String: String],
        connections: Int
    ) throws -> any ModelBackend {
        switch spec.kind {
        case .command:
            return try CommandBackend(name: spec.name, command: spec.command, options: CommandBackend.Options())
        case .openai, .anthropic:
            let defaultURL = spec.kind == .openai ? "https://api.openai.com/v1" : "https://api.anthropic.com"
            let text = spec.baseURL ?? defaultURL
            guard let baseURL = URL(string: text) else {
                throw BackendError(.configuration, "model '\(spec.name)': '\(text)' is not a URL")
            }
            guard let model = spec.model else {
                throw BackendError(.configuration, "model '\(spec.name)' names no model id")
            }
            let configuration = HTTPBackendConfiguration(
                name: spec.name,
                baseURL: baseURL,
                model: model,
                apiKeyVariable: spec.apiKeyVariable
                    ?? (spec.kind == .openai ? OpenAIBackend.defaultKeyVariable : AnthropicBackend.defaultKeyVariable),
                headers: spec.headers,
                requestTimeout: spec.requestTimeout,
                reuseConnections: spec.keepAlive ?? HTTPBackendConfiguration.reuseConnectionsByDefault
            )
            // One connection per request in flight (URLSession's default allows 6 per host).
            let sessionConfiguration = URLSessionConfiguration.default
            sessionConfiguration.httpMaximumConnectionsPerHost = max(6, connections)
            sessionConfiguration.timeoutIntervalForRequest = max(60, (spec.requestTimeout ?? 0).rounded(.up))
            sessionConfiguration.urlCache = nil
            let session = URLSession(configuration: sessionConfiguration)
            if spec.kind == .openai {
                let endpoint: OpenAIBackend.Endpoint = spec.endpoint == "completions" ? .completions : .chat
                return try OpenAIBackend(
                    configuration: configuration,
                    endpoint: endpoint,
                    environment: environment,
                    session: session
                )
            }
            return try AnthropicBackend(configuration: configuration, environment: environment, session: session)
        case .builtin, .replay:
            return try make(spec, environment: environment)
        }
    }
}

extension CommandBackend: ClosableBackend {
    public func close() async { await shutdown() }
}
