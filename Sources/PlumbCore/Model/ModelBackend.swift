/// A model that Plumb can ask: a server, an executable, a recording or the built-in reference model.
///
/// Conformers implement one method. Keys, HTTP and process details stay inside the concrete type.
public protocol ModelBackend: Sendable {
    /// Who answers, as written into reports (never contains a secret).
    var identity: BackendIdentity { get }
    var capabilities: BackendCapabilities { get }
    /// Answers one request. Throw `BackendError` for failures; a refusal or a bad answer is a normal response.
    func complete(_ request: ModelRequest, in context: RequestContext) async throws -> ModelResponse

    /// Answers the same request `count` times (k samples per prompt). Backends whose server can return several
    /// choices in one call (OpenAI's `n`) override this and set `capabilities.multipleChoices`; the default asks
    /// `count` times, passing repeat indices `context.repeatIndex ..< context.repeatIndex + count`.
    func complete(_ request: ModelRequest, count: Int, in context: RequestContext) async throws -> [ModelResponse]

    /// Scores each of `request.continuations` after the prompt: the log-probability of the continuation's text given
    /// the rendered messages (`choice` suites with `method: "logprob"`). Backends that can set
    /// `capabilities.scoring`; the default throws a `configuration` error naming backends that can.
    func score(_ request: ModelRequest, in context: RequestContext) async throws -> [ContinuationScore]
}

extension ModelBackend {
    public var capabilities: BackendCapabilities { BackendCapabilities() }

    public func complete(_ request: ModelRequest, count: Int, in context: RequestContext) async throws
        -> [ModelResponse]
    {
        var responses: [ModelResponse] = []
        for offset in 0..<count {
            var repeated = context
            repeated.repeatIndex = context.repeatIndex + offset
            responses.append(try await complete(request, in: repeated))
        }
        return responses
    }

    public func score(_ request: ModelRequest, in context: RequestContext) async throws -> [ContinuationScore] {
        throw BackendError(.configuration, identity.cannotScore)
    }
}

extension BackendIdentity {
    /// Why this backend cannot run a log-probability suite, and which backends can.
    public var cannotScore: String {
        "model \(self) cannot score options by log-probability; use a backend that can: "
            + "openai-completions:MODEL@URL (a server whose /completions endpoint echoes prompt log-probabilities: "
            + "vLLM, llama-cpp-python's server), builtin, or replay:REPORT of such a run"
    }
}

/// A backend that holds resources (a child process, open connections) to release when a run ends.
public protocol ClosableBackend: ModelBackend {
    func close() async
}

/// The identity of a backend as reports record it: enough to tell two runs apart, no secrets.
public struct BackendIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `builtin`, `replay`, `openai`, `anthropic`, `command`, `scripted` …
    public var kind: String
    /// The name a user gave the model (`--model NAME`), or the spec itself.
    public var name: String
    /// The model id the backend asks for, when it has one.
    public var model: String?
    /// Other settings that change answers (base URL, endpoint …). Never secrets.
    public var settings: [String: String]

    public init(kind: String, name: String, model: String? = nil, settings: [String: String] = [:]) {
        self.kind = kind
        self.name = name
        self.model = model
        self.settings = settings
    }

    public var description: String {
        var text = name == kind || name.hasPrefix(kind + ":") ? name : "\(kind):\(name)"
        if let model, model != name { text += " (\(model))" }
        return text
    }
}

public struct BackendCapabilities: Sendable, Hashable, Codable {
    public var chat: Bool
    public var logProbabilities: Bool
    public var seed: Bool
    /// One call can return several independent choices (`complete(_:count:in:)` is efficient).
    public var multipleChoices: Bool
    /// Answers come from this process, at once and the same every time (the built-in model, a replay, a scripted
    /// test double): the response cache is not used for them, since asking again costs nothing.
    public var answersLocally: Bool
    /// `score(_:in:)` gives the log-probability of given text after a prompt (`method: "logprob"` suites).
    public var scoring: Bool

    public init(
        chat: Bool = true,
        logProbabilities: Bool = false,
        seed: Bool = false,
        multipleChoices: Bool = false,
        answersLocally: Bool = false,
        scoring: Bool = false
    ) {
        self.chat = chat
        self.logProbabilities = logProbabilities
        self.seed = seed
        self.multipleChoices = multipleChoices
        self.answersLocally = answersLocally
        self.scoring = scoring
    }
}

/// A failure to get an answer. Transient failures are retried; permanent ones fail fast.
public struct BackendError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
        public var rawValue: String
        public var isTransient: Bool
        public init(_ rawValue: String, transient: Bool) {
            self.rawValue = rawValue
            self.isTransient = transient
        }
        public var description: String { rawValue }

        public static let transport = Code("transport", transient: true)
        public static let timeout = Code("timeout", transient: true)
        public static let rateLimited = Code("rateLimited", transient: true)
        public static let serverError = Code("serverError", transient: true)
        public static let invalidResponse = Code("invalidResponse", transient: false)
        public static let badRequest = Code("badRequest", transient: false)
        public static let authentication = Code("authentication", transient: false)
        public static let notFound = Code("notFound", transient: false)
        public static let missingRecording = Code("missingRecording", transient: false)
        public static let processFailed = Code("processFailed", transient: true)
        public static let configuration = Code("configuration", transient: false)
        public static let cancelled = Code("cancelled", transient: false)
    }

    public var code: Code
    public var message: String
    /// Seconds the server asked us to wait (`Retry-After`), when it said.
    public var retryAfter: Double?

    public init(_ code: Code, _ message: String, retryAfter: Double? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var isTransient: Bool { code.isTransient }
    public var description: String { "\(code): \(message)" }
}
