import Foundation
import PlumbCore
import PlumbHTTP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A moderation service in the OpenAI moderation format, as a `TextClassifier`.
///
/// Each call POSTs `{"input": [texts…], "model": …}` (`model` only when configured) to `{baseURL}/moderations`
/// and reads `{"results": [{"flagged": bool, "categories": {…}, "category_scores": {…}}, …]}`, one result per
/// text, in order. The labels are `flagged` (score 1 when the service flagged the text, else 0) followed by the
/// configured `categories`, whose scores are read from `category_scores`.
///
/// Requests go through `HTTPCaller`, the HTTP client the model backends use. Failures are `ClassifierError`s:
/// transient for HTTP 408, 429 and 5xx, timeouts and lost connections (retried up to `retries` times on Plumb's
/// retry schedule, `RetryPolicy`: full-jitter backoff from 0.5 s, or as `Retry-After` asks up to 30 s), permanent
/// for other statuses and for answers that are not in the format (a missing result, a missing category). The API
/// key is read from the environment variable named by `apiKeyVariable` when the classifier is made, sent as
/// `Authorization: Bearer …`, and never appears in a message: whatever the server says is scrubbed of it.
public struct ModerationClassifier: TextClassifier, CustomStringConvertible, CustomReflectable {
    /// Where the service is and what to ask. Holds no secret (only the key's variable name).
    public struct Configuration: Sendable, Hashable {
        /// The API root, e.g. `https://api.openai.com/v1`; `moderations` is appended.
        public var baseURL: URL
        public var model: String?
        /// The environment variable holding the API key; nil, or a variable that is unset or empty, sends none.
        public var apiKeyVariable: String?
        /// The `category_scores` entries to read, after `flagged`.
        public var categories: [String]
        /// Seconds before a request times out (on Linux rounded up to whole seconds).
        public var timeout: Double
        /// How often a transient failure is retried.
        public var retries: Int

        public init(
            baseURL: URL,
            model: String? = nil,
            apiKeyVariable: String? = "OPENAI_API_KEY",
            categories: [String] = [],
            timeout: Double = 60,
            retries: Int = 2
        ) {
            self.baseURL = baseURL
            self.model = model
            self.apiKeyVariable = apiKeyVariable
            self.categories = categories
            self.timeout = timeout
            self.retries = retries
        }
    }

    public let configuration: Configuration
    public let identity: ClassifierIdentity
    /// Sends the requests: the HTTP client every Plumb HTTP client shares (timeouts, transport and status errors,
    /// secret redaction).
    let caller: HTTPCaller

    /// A classifier for the service described by `configuration`; reads the key from `environment`. Throws when
    /// the base URL is not an http(s) URL.
    public init(
        _ configuration: Configuration,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ClassifierError) {
        let scheme = configuration.baseURL.scheme?.lowercased()
        guard scheme == "http" || scheme == "https", configuration.baseURL.host != nil else {
            throw ClassifierError(
                "'\(HTTPText.displayURL(configuration.baseURL))' is not an http:// or https:// URL"
            )
        }
        self.configuration = configuration
        let endpoint = configuration.baseURL.appendingPathComponent("moderations")
        let displayURL = HTTPText.displayURL(endpoint)
        let key = configuration.apiKeyVariable.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : Secret($0) }
        var settings = ["url": displayURL]
        if let model = configuration.model { settings["model"] = model }
        identity = ClassifierIdentity(
            name: "moderation",
            version: configuration.model ?? "service-default",
            labels: ["flagged"] + configuration.categories,
            defaultThreshold: 0.5,
            settings: settings
        )
        caller = HTTPCaller(
            provider: "moderation service",
            url: endpoint,
            displayURL: displayURL,
            headers: key.map { ["Authorization": Secret("Bearer " + $0.value)] } ?? [:],
            secrets: key.map { [$0] } ?? [],
            timeout: configuration.timeout,
            transport: HTTPTransports.make(
                for: endpoint,
                connections: 4,
                timeout: configuration.timeout,
                reuseConnections: nil
            ),
            model: configuration.model ?? "service-default",
            keyVariable: configuration.apiKeyVariable,
            keySent: key != nil,
            notFoundHint: "check 'url' (the API root, e.g. https://api.openai.com/v1)",
            badRequestHint: "the server rejected the request: check 'model'"
        )
    }

    public var description: String { "ModerationClassifier(\(caller.displayURL))" }
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }

    /// Retries of transient failures: Plumb's one retry schedule (`RetryPolicy`), with `Retry-After` honoured up to
    /// 30 s.
    var retryPolicy: RetryPolicy {
        RetryPolicy(maxAttempts: configuration.retries + 1, baseDelay: 0.5, maxDelay: 30, maxRetryAfter: 30)
    }

    public func scores(for texts: [String]) async throws -> [[Double]] {
        guard !texts.isEmpty else { return [] }
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await send(texts)
            } catch let error as BackendError {
                if let wait = retryPolicy.delay(after: error, attempt: attempt, random: Double.random(in: 0..<1)) {
                    if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
                    continue
                }
                let tries = attempt == 1 ? "" : " (after \(attempt) attempts)"
                throw ClassifierError(error.message + tries, transient: error.isTransient)
            }
        }
    }

    func send(_ texts: [String]) async throws -> [[Double]] {
        var body: [String: Any] = ["input": texts]
        if let model = configuration.model { body["model"] = model }
        let exchange = try await caller.post(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
        if let error = caller.statusError(exchange) { throw error }
        return try parse(exchange, count: texts.count)
    }

    /// The parts of a moderation answer that are read; anything else is ignored.
    struct Body: Decodable {
        var results: [Item]?
    }

    struct Item: Decodable {
        var flagged: Bool?
        var scores: [String: Score]?

        enum CodingKeys: String, CodingKey {
            case flagged
            case scores = "category_scores"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            flagged = try? container.decode(Bool.self, forKey: .flagged)
            scores = try? container.decode([String: Score].self, forKey: .scores)
        }
    }

    /// A category score: nil when it is not a number.
    struct Score: Decodable {
        var value: Double?

        init(from decoder: any Decoder) throws {
            value = try? decoder.singleValueContainer().decode(Double.self)
        }
    }

    /// Reads one row of scores per text from a 2xx answer.
    func parse(_ exchange: HTTPExchange, count: Int) throws(BackendError) -> [[Double]] {
        func invalid(_ why: String) -> BackendError {
            caller.invalidResponse(exchange, expected: "a moderation result", detail: why)
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: exchange.body) else {
            throw invalid("not a JSON object of results")
        }
        guard let results = body.results else { throw invalid("no 'results' array") }
        guard results.count == count else { throw invalid("\(results.count) results for \(count) texts") }
        var rows: [[Double]] = []
        for (index, result) in results.enumerated() {
            guard let flagged = result.flagged else { throw invalid("result \(index) has no boolean 'flagged'") }
            var row = [flagged ? 1.0 : 0.0]
            if !configuration.categories.isEmpty {
                guard let scores = result.scores else { throw invalid("result \(index) has no 'category_scores'") }
                for category in configuration.categories {
                    guard let score = scores[category]?.value else {
                        let known = scores.keys.sorted().joined(separator: ", ")
                        throw invalid("result \(index) has no score for '\(category)' (it has: \(known))")
                    }
                    row.append(score)
                }
            }
            rows.append(row)
        }
        return rows
    }
}
