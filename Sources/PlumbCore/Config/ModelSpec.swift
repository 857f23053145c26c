import Foundation

/// A model to evaluate, from `--model` or from `plumb.json5`. Data only: a `BackendRegistry` (in `PlumbBackends`)
/// turns it into a backend.
///
/// Inline syntax (Docs/backends.md):
/// - `builtin`
/// - `replay:PATH`
/// - `openai:MODEL` or `openai:MODEL@BASE_URL` (chat completions; base URL default `https://api.openai.com/v1`)
/// - `openai-completions:MODEL@BASE_URL` (the legacy completions endpoint)
/// - `anthropic:MODEL` or `anthropic:MODEL@BASE_URL` (base URL default `https://api.anthropic.com/v1`)
/// - `command:PROGRAM ARG…` (split on spaces; no shell. Use `plumb.json5` for arguments with spaces)
/// - `KIND:MODEL` or `KIND:MODEL@BASE_URL` for a kind a plug-in registered;
/// - any other word: a model named in `plumb.json5`.
public struct ModelSpec: Sendable, Hashable {
    /// What serves the model: an open set, like `BackendError.Code`, so a backend a plug-in registers adds a kind
    /// without editing Core.
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let builtin = Kind("builtin")
        public static let replay = Kind("replay")
        public static let openai = Kind("openai")
        public static let anthropic = Kind("anthropic")
        public static let command = Kind("command")
        /// The kinds Plumb ships backends for.
        public static let builtins: [Kind] = [.builtin, .replay, .openai, .anthropic, .command]
    }

    /// What reports call the model: the name in `plumb.json5`, or the inline spec as written.
    public var name: String
    public var kind: Kind
    public var model: String?
    public var baseURL: String?
    /// For `openai`: `chat` (default) or `completions`.
    public var endpoint: String?
    /// The NAME of the environment variable that holds the API key (never the key itself).
    public var apiKeyVariable: String?
    /// Extra HTTP headers; values may contain `${VAR}`, expanded from the environment when sending.
    public var headers: [String: String]
    /// For `command`: the program and its arguments.
    public var command: [String]
    /// For `replay`: the recording.
    public var path: String?
    /// Per-model overrides of the run's options.
    public var requestTimeout: Double?
    public var concurrency: Int?
    public var requestsPerMinute: Int?
    /// HTTP backends: reuse connections (nil: the platform default, off on Linux; see Docs/backends.md).
    public var keepAlive: Bool?
    /// What is served under this name: a checkpoint hash or tag, part of the model's identity (reports, the
    /// response cache, resume), so answers of one revision are never taken for another's.
    public var revision: String?
    /// Where the model was defined, for messages.
    public var location: SourceLocation?

    public init(
        name: String,
        kind: Kind,
        model: String? = nil,
        baseURL: String? = nil,
        endpoint: String? = nil,
        apiKeyVariable: String? = nil,
        headers: [String: String] = [:],
        command: [String] = [],
        path: String? = nil,
        requestTimeout: Double? = nil,
        concurrency: Int? = nil,
        requestsPerMinute: Int? = nil,
        location: SourceLocation? = nil
    ) {
        self.name = name
        self.kind = kind
        self.model = model
        self.baseURL = baseURL
        self.endpoint = endpoint
        self.apiKeyVariable = apiKeyVariable
        self.headers = headers
        self.command = command
        self.path = path
        self.requestTimeout = requestTimeout
        self.concurrency = concurrency
        self.requestsPerMinute = requestsPerMinute
        self.location = location
    }

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses an inline spec; nil when it is a bare word (a name to look up in `plumb.json5`). `kinds` are the kinds
    /// a backend registry serves; one beyond Plumb's own is written `KIND:MODEL[@BASE_URL]`.
    public static func parseInline(_ text: String, kinds: [Kind] = Kind.builtins) throws(ParseError) -> ModelSpec? {
        if text == "builtin" { return ModelSpec(name: text, kind: .builtin) }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let head = String(text[..<colon])
        let rest = String(text[text.index(after: colon)...])
        func modelAndURL(_ kindName: String) throws(ParseError) -> (String, String?) {
            let parts = rest.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let model = parts.first, !model.isEmpty else {
                throw ParseError(
                    message: "'\(text)' names no model; write \(kindName):MODEL or \(kindName):MODEL@BASE_URL"
                )
            }
            if parts.count == 2 {
                if let problem = problem(withBaseURL: parts[1]) {
                    throw ParseError(
                        message: problem.hasPrefix("'")
                            ? "'\(parts[1])' in '\(text)' is not an http(s) URL" : problem
                    )
                }
                return (model, parts[1])
            }
            return (model, nil)
        }
        switch head {
        case "replay":
            guard !rest.isEmpty else {
                throw ParseError(message: "'replay:' needs a path, e.g. replay:Reports/run/report.json")
            }
            return ModelSpec(name: text, kind: .replay, path: rest)
        case "openai", "openai-completions":
            let (model, url) = try modelAndURL(head)
            return ModelSpec(
                name: text,
                kind: .openai,
                model: model,
                baseURL: url,
                endpoint: head == "openai" ? "chat" : "completions"
            )
        case "anthropic":
            let (model, url) = try modelAndURL(head)
            return ModelSpec(name: text, kind: .anthropic, model: model, baseURL: url)
        case "command":
            let arguments = rest.split(separator: " ").map(String.init)
            guard !arguments.isEmpty else {
                throw ParseError(message: "'command:' needs a program, e.g. command:./serve-checkpoint --stdio")
            }
            return ModelSpec(name: text, kind: .command, model: arguments[0], command: arguments)
        case "http", "https":
            throw ParseError(message: "'\(text)' is a URL; write openai:MODEL@\(text) for an OpenAI-compatible server")
        case _ where kinds.contains(Kind(head)) && !Kind.builtins.contains(Kind(head)):
            let (model, url) = try modelAndURL(head)
            return ModelSpec(name: text, kind: Kind(head), model: model, baseURL: url)
        default:
            var names = kinds.map(\.rawValue)
            if let index = names.firstIndex(of: "openai") { names.insert("openai-completions", at: index + 1) }
            throw ParseError(
                message: "unknown model kind '\(head)'" + EditDistance.hint(for: head, among: names)
                    + " (kinds: \(names.joined(separator: ", ")))"
            )
        }
    }
}

extension ModelSpec {
    /// Words that mark a query parameter's value as a credential (`api_key`, `access_token`, `x-api-key`,
    /// `client_secret`, `sig` …), refused in a base URL.
    static let credentialWords = ["key", "token", "secret", "password", "passwd", "auth", "sig", "credential", "code"]

    /// Whether `text` could hold a credential and so must not be repeated in a message.
    static func mayHoldCredential(_ text: String) -> Bool {
        text.contains("@") || text.contains("?") || text.contains("=")
    }

    /// Why `text` cannot be a model's base URL, or nil when it can: it must be an `http://` or `https://` URL with a
    /// host and a port from 1 to 65535, and hold no credentials — a user or password, or a query parameter such as
    /// `api_key` — since the spec is written into reports, journals and logs. The message never repeats the URL
    /// (it may hold a key).
    public static func problem(withBaseURL text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            if mayHoldCredential(text) {
                return "the base URL is not an http(s) URL such as http://127.0.0.1:8000/v1 (it is not repeated here: "
                    + "it may hold a credential)"
            }
            return "'\(text)' is not an http(s) URL"
        }
        if components.user != nil || components.password != nil {
            return "the base URL holds a user name or password; keys come only from the environment: put the key "
                + "in a variable and name it with 'apiKeyEnv' in plumb.json5 (or set OPENAI_API_KEY / "
                + "ANTHROPIC_API_KEY)"
        }
        if let items = components.queryItems,
            let named = items.first(where: { item in credentialWords.contains { item.name.lowercased().contains($0) } })
        {
            return "the base URL has a '\(named.name)' query parameter; keys come only from the environment: put the "
                + "key in a variable and name it with 'apiKeyEnv' in plumb.json5 (or set OPENAI_API_KEY / "
                + "ANTHROPIC_API_KEY)"
        }
        if let port = components.port, !(1...65_535).contains(port) {
            return "port \(port) in the base URL '\(components.host ?? ""):\(port)' is out of range (1 to 65535)"
        }
        return nil
    }
}
