public import Foundation
import Synchronization
import PlumbCore
import PlumbHTTP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Where and how to reach a model served over HTTP (OpenAI-compatible servers, Anthropic).
///
/// Holds no secrets: the API key is named by its environment variable and read when the backend is made, and
/// extra header values may refer to environment variables as `${VAR}`.
public struct HTTPBackendConfiguration: Sendable, Hashable {
    /// What reports call the model (`--model NAME`).
    public var name: String
    /// The API root, including its version path: `http://127.0.0.1:8000/v1`, `https://api.openai.com/v1`,
    /// `https://api.anthropic.com/v1`. Endpoint paths (`chat/completions`, `messages` …) are appended to it.
    public var baseURL: URL
    /// The model id sent with every request.
    public var model: String
    /// The name of the environment variable holding the API key; nil means no key.
    public var apiKeyVariable: String?
    /// Extra request headers. Values may contain `${VAR}`, replaced by that environment variable when the backend
    /// is made (an unset variable is a configuration error). Reports may name these headers, never their values.
    public var headers: [String: String]
    /// Seconds to wait for an answer before the request fails with a `timeout` error; nil: no limit of the
    /// backend's own (the runner's `--timeout` still applies). Honoured to the millisecond over `http://` (Plumb's
    /// own client) and to the whole second over `https://` (URLSession on Linux counts whole seconds).
    public var requestTimeout: Double?
    /// Reuse HTTP connections between requests (keep-alive). nil: the default for the scheme — on for `http://`,
    /// where Plumb's own client sends a request again on a new connection when a kept-alive one turns out to be
    /// closed; for `https://` on where URLSession does the same (Darwin) and off on Linux, where
    /// swift-corelibs-foundation cannot resend the body and such a request would wait for its whole timeout.
    /// Docs/backends.md.
    public var reuseConnections: Bool?
    /// How many requests may be in flight at once (the connection pool's size for `https://`).
    public var connections: Int

    public init(
        name: String,
        baseURL: URL,
        model: String,
        apiKeyVariable: String? = nil,
        headers: [String: String] = [:],
        requestTimeout: Double? = nil,
        reuseConnections: Bool? = nil,
        connections: Int = 16
    ) {
        self.name = name
        self.baseURL = baseURL
        self.model = model
        self.apiKeyVariable = apiKeyVariable
        self.headers = headers
        self.requestTimeout = requestTimeout
        self.reuseConnections = reuseConnections
        self.connections = connections
    }

    /// The transport requests to `url` travel by (Plumb's HTTP/1.1 client for `http://`, URLSession for `https://`).
    func makeTransport(for url: URL) -> any HTTPTransport {
        HTTPTransports.make(
            for: url,
            connections: connections,
            timeout: requestTimeout,
            reuseConnections: reuseConnections
        )
    }
}

/// Helpers shared by the HTTP backends (what is generic to HTTP is in `PlumbHTTP`).
enum HTTPSupport {
    /// Reads the key from `variable`; nil when no variable is configured or it is unset or empty.
    static func apiKey(_ variable: String?, environment: [String: String]) -> Secret? {
        guard let variable, let value = environment[variable], !value.isEmpty else { return nil }
        return Secret(value)
    }

    /// Checks what can be checked before the first request.
    static func validate(_ configuration: HTTPBackendConfiguration, provider: String) throws {
        let scheme = configuration.baseURL.scheme?.lowercased()
        guard scheme == "http" || scheme == "https", configuration.baseURL.host != nil else {
            throw BackendError(
                .configuration,
                "\(provider): the base URL '\(HTTPText.displayURL(configuration.baseURL))' is not an http:// or https:// URL"
            )
        }
        guard !configuration.model.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw BackendError(.configuration, "\(provider): no model id given for '\(configuration.name)'")
        }
        if let timeout = configuration.requestTimeout, !(timeout > 0) {
            throw BackendError(.configuration, "\(provider): the request timeout must be more than 0 seconds")
        }
    }

    /// Expands `${VAR}` in every header value. Returns the headers and the values that came from the environment
    /// (secrets to scrub).
    static func expandHeaders(
        _ headers: [String: String],
        environment: [String: String],
        provider: String
    ) throws -> (headers: [String: Secret], secrets: [Secret]) {
        var expanded: [String: Secret] = [:]
        var secrets: [Secret] = []
        for (name, template) in headers {
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != ":" }) else {
                throw BackendError(.configuration, "\(provider): '\(name)' is not a valid HTTP header name")
            }
            let (value, used) = try expand(template, environment: environment) { variable in
                BackendError(
                    .configuration,
                    "\(provider): header '\(name)' uses ${\(variable)}, but the environment variable \(variable) "
                        + "is not set"
                )
            }
            expanded[name] = Secret(value)
            secrets += used.map(Secret.init)
        }
        return (expanded, secrets)
    }

    /// Replaces each `${NAME}` in `template` with the environment variable NAME. Text that is not a complete
    /// `${NAME}` (NAME: letters, digits, underscores) is kept as written. Returns the text and the substituted
    /// values.
    static func expand(
        _ template: String,
        environment: [String: String],
        missing: (String) -> any Error
    ) throws -> (String, [String]) {
        var result = ""
        var used: [String] = []
        var rest = Substring(template)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            guard let close = after.firstIndex(of: "}") else {
                result += rest[start.lowerBound...]
                rest = ""
                break
            }
            let name = after[..<close]
            let isName =
                !name.isEmpty && name.first.map { !$0.isNumber } == true
                && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            if isName {
                guard let value = environment[String(name)] else { throw missing(String(name)) }
                result += value
                if !value.isEmpty { used.append(value) }
            } else {
                result += rest[start.lowerBound...close]
            }
            rest = after[after.index(after: close)...]
        }
        result += rest
        return (result, used)
    }

    /// A JSON encoder with sorted keys, so request bodies are reproducible.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Splits `total` into `parts` whole numbers that differ by at most one and add up to `total`
    /// (the earlier parts get the remainder).
    static func split(_ total: Int, into parts: Int) -> [Int] {
        guard parts > 0 else { return [] }
        let base = total / parts
        let remainder = total % parts
        return (0..<parts).map { base + ($0 < remainder ? 1 : 0) }
    }
}
