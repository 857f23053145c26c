import Foundation
import PlumbCore

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
/// Failures are `ClassifierError`s: transient for HTTP 408, 429 and 5xx, timeouts and lost connections (retried
/// up to `retries` times, waiting as `Retry-After` asks, at most 30 s, or 0.5 s, 1 s, 2 s …), permanent for other
/// statuses and for answers that are not in the format (a missing result, a missing category). The API key is
/// read from the environment variable named by `apiKeyVariable` when the classifier is made, sent as
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

    /// The API key: never printed.
    struct Key: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        let value: String
        var description: String { "<redacted>" }
        var debugDescription: String { "<redacted>" }
        var customMirror: Mirror { Mirror(self, children: [:]) }
    }

    public let configuration: Configuration
    public let identity: ClassifierIdentity
    let endpoint: URL
    /// `endpoint` without user, password, query or fragment: what messages show.
    let displayURL: String
    let key: Key?
    let session: URLSession

    /// A classifier for the service described by `configuration`; reads the key from `environment`. Throws when
    /// the base URL is not an http(s) URL.
    public init(
        _ configuration: Configuration,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ClassifierError) {
        let scheme = configuration.baseURL.scheme?.lowercased()
        guard scheme == "http" || scheme == "https", configuration.baseURL.host != nil else {
            throw ClassifierError(
                "'\(ModerationClassifier.display(configuration.baseURL))' is not an http:// or https:// URL"
            )
        }
        self.configuration = configuration
        endpoint = configuration.baseURL.appendingPathComponent("moderations")
        displayURL = ModerationClassifier.display(endpoint)
        key = configuration.apiKeyVariable.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : Key(value: $0) }
        var settings = ["url": displayURL]
        if let model = configuration.model { settings["model"] = model }
        identity = ClassifierIdentity(
            name: "moderation",
            version: configuration.model ?? "service-default",
            labels: ["flagged"] + configuration.categories,
            defaultThreshold: 0.5,
            settings: settings
        )
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = ModerationClassifier.effectiveTimeout(configuration.timeout)
        session = URLSession(configuration: sessionConfiguration)
    }

    public var description: String { "ModerationClassifier(\(displayURL))" }
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }

    public func scores(for texts: [String]) async throws -> [[Double]] {
        guard !texts.isEmpty else { return [] }
        var attempt = 0
        while true {
            do {
                return try await send(texts)
            } catch let failure as Failure where failure.error.isTransient && attempt < configuration.retries {
                let wait = min(30, failure.retryAfter ?? 0.5 * Double(1 << min(attempt, 6)))
                attempt += 1
                if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            } catch let failure as Failure {
                let tries = attempt == 0 ? "" : " (after \(attempt + 1) attempts)"
                throw ClassifierError(failure.error.message + tries, transient: failure.error.isTransient)
            }
        }
    }

    /// A classifier error and the wait the server asked for.
    struct Failure: Error {
        var error: ClassifierError
        var retryAfter: Double?
    }

    func send(_ texts: [String]) async throws -> [[Double]] {
        try Task.checkCancellation()
        var body: [String: Any] = ["input": texts]
        if let model = configuration.model { body["model"] = model }
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue("plumb/\(PlumbVersion.current)", forHTTPHeaderField: "User-Agent")
        // One connection per request: swift-corelibs-foundation cannot resend a body on a reused connection that
        // the server closed (see HTTPBackendConfiguration.reuseConnections).
        request.setValue("close", forHTTPHeaderField: "Connection")
        if let key { request.setValue("Bearer \(key.value)", forHTTPHeaderField: "Authorization") }
        request.timeoutInterval = ModerationClassifier.effectiveTimeout(configuration.timeout)

        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let code = (error as? URLError)?.code
            if code == .cancelled { throw CancellationError() }
            let what = code == .timedOut ? "timed out" : "could not be reached (\(redact(error.localizedDescription)))"
            throw Failure(error: ClassifierError("\(displayURL) \(what)", transient: true))
        }
        guard let http = response as? HTTPURLResponse else {
            throw Failure(error: ClassifierError("\(displayURL) did not answer with an HTTP response", transient: true))
        }
        if let failure = statusFailure(http, body: data) { throw failure }
        return try parse(data, count: texts.count)
    }

    /// The failure for a non-2xx answer, or nil for 2xx.
    func statusFailure(_ response: HTTPURLResponse, body: Data) -> Failure? {
        let status = response.statusCode
        if (200..<300).contains(status) { return nil }
        let says = ModerationClassifier.serverMessage(body).map { ": " + redact(ModerationClassifier.clip($0, 300)) }
        let head = "HTTP \(status) from \(displayURL)\(says ?? "")"
        let retryAfter = ModerationClassifier.retryAfter(response)
        switch status {
        case 408, 429, 500..<600:
            return Failure(error: ClassifierError(head, transient: true), retryAfter: retryAfter)
        case 401, 403:
            let hint: String
            if let variable = configuration.apiKeyVariable {
                hint = key == nil ? "set \(variable) to the API key" : "check the API key in \(variable)"
            } else {
                hint = "name the environment variable holding the API key with 'apiKeyEnv'"
            }
            return Failure(error: ClassifierError(head + "; " + hint))
        case 404:
            return Failure(
                error: ClassifierError(head + "; check 'url' (the API root, e.g. https://api.openai.com/v1)")
            )
        default:
            return Failure(error: ClassifierError(head))
        }
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

    /// Reads one row of scores per text from a 2xx body.
    func parse(_ data: Data, count: Int) throws -> [[Double]] {
        func invalid(_ why: String) -> Failure {
            let text = String(decoding: data, as: UTF8.self)
            let quote = text.isEmpty ? "an empty body" : "'" + redact(ModerationClassifier.clip(text, 200)) + "'"
            return Failure(error: ClassifierError("\(displayURL) answered \(quote), not a moderation result: \(why)"))
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: data) else {
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

    func redact(_ text: String) -> String {
        guard let key, key.value.count >= 4 else { return text }
        var result = text.replacingOccurrences(of: key.value, with: "[redacted]")
        // Servers echo keys partly masked (`sk-abc123****wxyz`): drop any word holding the key's first 8 characters.
        if key.value.count >= 12 {
            let prefix = String(key.value.prefix(8))
            result = result.split(separator: " ", omittingEmptySubsequences: false)
                .map { $0.contains(prefix) ? "[redacted]" : String($0) }
                .joined(separator: " ")
        }
        return result
    }

    static func display(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "<url>" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "<url>"
    }

    /// swift-corelibs-foundation truncates timeouts to whole seconds, so on Linux they are rounded up (at least 1).
    static func effectiveTimeout(_ seconds: Double) -> Double {
        #if canImport(FoundationNetworking)
            max(1, seconds.rounded(.up))
        #else
            seconds
        #endif
    }

    /// Seconds from `retry-after-ms` or a numeric `Retry-After`.
    static func retryAfter(_ response: HTTPURLResponse) -> Double? {
        if let text = response.value(forHTTPHeaderField: "retry-after-ms"),
            let milliseconds = Double(text.trimmingCharacters(in: .whitespaces)), milliseconds >= 0
        {
            return milliseconds / 1000
        }
        if let text = response.value(forHTTPHeaderField: "Retry-After"),
            let seconds = Double(text.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds.isFinite
        {
            return seconds
        }
        return nil
    }

    /// What the server said went wrong: `{"error": {"message": …}}`, `{"error": "…"}`, `{"message": …}`,
    /// `{"detail": "…"}`, or a short non-HTML text body.
    static func serverMessage(_ body: Data) -> String? {
        guard !body.isEmpty else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty || text.hasPrefix("<") ? nil : text
        }
        if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
        if let error = object["error"] as? String { return error }
        if let message = object["message"] as? String { return message }
        if let detail = object["detail"] as? String { return detail }
        return nil
    }

    /// `text` on one line, cut to about `limit` characters.
    static func clip(_ text: String, _ limit: Int) -> String {
        let oneLine = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return oneLine.count <= limit ? oneLine : String(oneLine.prefix(limit)) + "…"
    }
}
