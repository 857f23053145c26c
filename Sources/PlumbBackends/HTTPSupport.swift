public import Foundation
import Synchronization
import PlumbCore

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
    /// Seconds to wait for an answer before the request fails with a `timeout` error (`URLRequest.timeoutInterval`;
    /// on Linux, where URLSession counts whole seconds, rounded up to whole seconds). nil: the session's
    /// `timeoutIntervalForRequest` (60 s by default), which long generations can exceed.
    public var requestTimeout: Double?
    /// Reuse HTTP connections between requests (keep-alive). Off by default on Linux: there
    /// swift-corelibs-foundation cannot resend a request body when libcurl retries on a fresh connection because a
    /// reused one was closed under it (a server restart, a proxy reset), and such a request waits for its whole
    /// timeout before the runner retries it. With it off every request opens its own connection
    /// (`Connection: close`): slower (Docs/performance.md), never stuck. Turn it on (`keepAlive: true` in
    /// plumb.json5) for a dependable local server. Idle pools are renewed after `idleReset` seconds, so a
    /// connection the server closed while idle is not reused.
    public var reuseConnections: Bool
    /// Seconds without requests after which pooled connections are not reused (shorter than common server
    /// keep-alive timeouts: uvicorn and llama.cpp 5 s, Go servers 90 s or more).
    public var idleReset: Double

    public init(
        name: String,
        baseURL: URL,
        model: String,
        apiKeyVariable: String? = nil,
        headers: [String: String] = [:],
        requestTimeout: Double? = nil,
        reuseConnections: Bool = HTTPBackendConfiguration.reuseConnectionsByDefault,
        idleReset: Double = 2
    ) {
        self.name = name
        self.baseURL = baseURL
        self.model = model
        self.apiKeyVariable = apiKeyVariable
        self.headers = headers
        self.requestTimeout = requestTimeout
        self.reuseConnections = reuseConnections
        self.idleReset = idleReset
    }
}

extension HTTPBackendConfiguration {
    /// False on Linux (see `reuseConnections`), true where URLSession resends bodies itself.
    public static var reuseConnectionsByDefault: Bool {
        #if canImport(FoundationNetworking)
            false
        #else
            true
        #endif
    }
}

/// The URLSession an HTTP backend sends with: replaced by a fresh one (a new connection pool) when no request
/// has been in flight for `idleReset`, so a connection the server closed while idle is never reused.
final class SessionPool: Sendable {
    struct State {
        var session: URLSession
        var inFlight = 0
        var lastActivity = ContinuousClock.now
    }

    let reuseConnections: Bool
    let idleReset: Duration
    let state: Mutex<State>

    init(_ session: URLSession, reuseConnections: Bool, idleReset: Double) {
        self.reuseConnections = reuseConnections
        self.idleReset = .milliseconds(Int(idleReset * 1000))
        self.state = Mutex(State(session: session))
    }

    func acquire() -> URLSession {
        state.withLock { state in
            if reuseConnections, state.inFlight == 0, ContinuousClock.now - state.lastActivity > idleReset {
                let old = state.session
                state.session = URLSession(configuration: old.configuration)
                if old !== URLSession.shared { old.finishTasksAndInvalidate() }
            }
            state.inFlight += 1
            return state.session
        }
    }

    func release() {
        state.withLock { state in
            state.inFlight -= 1
            state.lastActivity = .now
        }
    }
}

/// A value that must never be printed: an API key, an expanded header value.
struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: String

    init(_ value: String) { self.value = value }

    var description: String { "<redacted>" }
    var debugDescription: String { "<redacted>" }
    var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// One finished HTTP exchange.
struct HTTPExchange: Sendable {
    var status: Int
    var response: HTTPURLResponse
    var body: Data
    /// Seconds from sending the request to receiving the whole body.
    var latency: Double

    func header(_ name: String) -> String? { response.value(forHTTPHeaderField: name) }
}

/// Sends JSON requests to one endpoint and turns every failure into a `BackendError` that says what to fix and
/// never contains a secret.
struct HTTPCaller: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `openai`, `anthropic`: the prefix of every message.
    let provider: String
    let url: URL
    /// `url` without user, password, query or fragment: what messages and reports show.
    let displayURL: String
    /// Every header sent, the API key's among them.
    let headers: [String: Secret]
    /// Values scrubbed from anything the server says before it reaches a message.
    let secrets: [Secret]
    let timeout: Double?
    let session: SessionPool
    let model: String
    let keyVariable: String?
    let keySent: Bool
    /// Appended to a 404's message: what may be wrong.
    let notFoundHint: String

    /// The timeout URLSession is given. swift-corelibs-foundation truncates it to whole seconds (0.5 s would
    /// time out at once), so on Linux it is rounded up to whole seconds, at least 1.
    var effectiveTimeout: Double? {
        #if canImport(FoundationNetworking)
            timeout.map { max(1, $0.rounded(.up)) }
        #else
            timeout
        #endif
    }

    var description: String { "HTTPCaller(\(provider), \(displayURL), headers: \(headers.keys.sorted()))" }
    var debugDescription: String { description }
    var customMirror: Mirror { Mirror(self, children: ["description": description]) }

    /// POSTs `body` as JSON. Returns any HTTP status; throws `BackendError` for transport failures and
    /// `CancellationError` when the task is cancelled (the HTTP request is cancelled with it).
    func post(_ body: Data) async throws -> HTTPExchange {
        try Task.checkCancellation()
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue("plumb/\(PlumbVersion.current)", forHTTPHeaderField: "User-Agent")
        if !session.reuseConnections {
            // Every request on its own connection (see `HTTPBackendConfiguration.reuseConnections`); a configured
            // `Connection` header wins.
            request.setValue("close", forHTTPHeaderField: "Connection")
        }
        for (name, value) in headers { request.setValue(value.value, forHTTPHeaderField: name) }
        if let timeout = effectiveTimeout { request.timeoutInterval = timeout }
        let clock = ContinuousClock()
        let start = clock.now
        let data: Data
        let response: URLResponse
        do {
            // On Linux (swift-corelibs-foundation) as on Darwin, cancelling the task cancels the data task at
            // once; it then throws URLError(.cancelled), turned into CancellationError below.
            let urlSession = session.acquire()
            defer { session.release() }
            (data, response) = try await urlSession.data(for: request)
        } catch {
            throw transportError(error)
        }
        let elapsed = clock.now - start
        guard let http = response as? HTTPURLResponse else {
            throw BackendError(.transport, "\(provider): \(displayURL) did not answer with an HTTP response")
        }
        return HTTPExchange(
            status: http.statusCode,
            response: http,
            body: data,
            latency: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        )
    }

    /// The error for a failure to get any HTTP answer.
    func transportError(_ error: any Error) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        guard let urlError = error as? URLError else {
            return BackendError(.transport, redact("\(provider): request to \(displayURL) failed: \(error)"))
        }
        let prefix = "\(provider): \(displayURL)"
        switch urlError.code {
        case .timedOut:
            let limit = effectiveTimeout.map { " within \(HTTPSupport.seconds($0))" } ?? ""
            return BackendError(.timeout, "\(prefix) did not answer\(limit) (timed out)")
        case .cannotConnectToHost:
            return BackendError(.transport, "\(prefix): connection refused; is the server running on that port?")
        case .cannotFindHost, .dnsLookupFailed:
            return BackendError(.transport, "\(prefix): cannot resolve the host name")
        case .notConnectedToInternet:
            return BackendError(.transport, "\(prefix): not connected to a network")
        case .networkConnectionLost, .badServerResponse, .unknown, .cannotParseResponse, .zeroByteResource,
            .cannotDecodeRawData, .cannotDecodeContentData, .resourceUnavailable:
            return BackendError(
                .transport,
                "\(prefix): the connection was closed before a complete answer arrived "
                    + "(URLError \(urlError.code.rawValue))"
            )
        case .badURL, .unsupportedURL:
            return BackendError(.configuration, "\(prefix) is not a URL that can be requested")
        case .cancelled:
            return BackendError(.transport, "\(prefix): the request was cancelled by the URL session")
        default:
            return BackendError(.transport, "\(prefix): request failed (URLError \(urlError.code.rawValue))")
        }
    }

    /// The error for a non-2xx answer, or nil for 2xx.
    func statusError(_ exchange: HTTPExchange) -> BackendError? {
        let status = exchange.status
        if (200..<300).contains(status) { return nil }
        let serverSays = HTTPSupport.serverMessage(exchange.body).map { ": " + redact(HTTPSupport.clip($0, 300)) }
        let head = "\(provider): HTTP \(status) from \(displayURL)\(serverSays ?? "")"
        let retryAfter = HTTPSupport.retryAfter(exchange.header)
        let waitNote = retryAfter.map { " (the server asks to wait \(HTTPSupport.seconds($0)))" } ?? ""
        switch status {
        case 429:
            return BackendError(.rateLimited, head + waitNote, retryAfter: retryAfter)
        case 408:
            return BackendError(.timeout, head + "; the server timed out waiting for the request")
        case 500, 502, 503, 504, 520...524, 529:
            return BackendError(.serverError, head + waitNote, retryAfter: retryAfter)
        case 401, 403:
            return BackendError(.authentication, head + "; " + authenticationHint(status))
        case 404:
            return BackendError(.notFound, head + "; " + notFoundHint)
        case 400, 422:
            return BackendError(
                .badRequest,
                head + "; the server rejected the request: check the generation settings and model '\(model)'"
            )
        case 413:
            return BackendError(.badRequest, head + "; the prompt is too large for the server")
        case 400..<500:
            return BackendError(.badRequest, head)
        case 501, 505:
            return BackendError(.badRequest, head + "; the server does not implement this endpoint")
        case 500..<600:
            return BackendError(.serverError, head + waitNote, retryAfter: retryAfter)
        default:
            return BackendError(.invalidResponse, head + "; expected a 2xx answer")
        }
    }

    func authenticationHint(_ status: Int) -> String {
        guard let keyVariable else {
            return "the server wants an API key: name the environment variable that holds it"
        }
        if !keySent { return "the server wants an API key: set \(keyVariable)" }
        if status == 403 {
            return "the API key in \(keyVariable) is not allowed to do this (check its project, organisation "
                + "and access to model '\(model)')"
        }
        return "the server rejected the API key in \(keyVariable): check its value"
    }

    /// The error for a 2xx answer whose body is not what was expected (never transient: asking again gets the
    /// same kind of answer).
    func invalidResponse(_ exchange: HTTPExchange, expected: String, detail: String? = nil) -> BackendError {
        let text = String(decoding: exchange.body, as: UTF8.self)
        let quote = text.isEmpty ? "an empty body" : "'" + redact(HTTPSupport.clip(text, 200)) + "'"
        let why = detail.map { " (\($0))" } ?? ""
        return BackendError(
            .invalidResponse,
            "\(provider): HTTP \(exchange.status) from \(displayURL) is not \(expected)\(why); the body was \(quote)"
        )
    }

    func redact(_ text: String) -> String {
        HTTPSupport.redact(text, secrets: secrets.map(\.value))
    }
}

/// Helpers shared by the HTTP backends.
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
                "\(provider): the base URL '\(displayURL(configuration.baseURL))' is not an http:// or https:// URL"
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

    /// `url` as reports and messages may show it: no user, password, query or fragment.
    static func displayURL(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "<url>" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "<url>"
    }

    /// Seconds to wait before retrying, from `retry-after-ms`, `Retry-After` (seconds or an HTTP-date),
    /// `x-ratelimit-reset-requests` or `x-ratelimit-reset-tokens` (durations such as `1s`, `6m0s`, `20ms`),
    /// in that order of preference.
    static func retryAfter(_ header: (String) -> String?, now: Date = Date()) -> Double? {
        if let text = header("retry-after-ms"), let milliseconds = Double(text.trimmingCharacters(in: .whitespaces)),
            milliseconds >= 0, milliseconds.isFinite
        {
            return milliseconds / 1000
        }
        if let text = header("Retry-After"), let seconds = parseRetryAfter(text, now: now) { return seconds }
        for name in ["x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"] {
            if let text = header(name), let seconds = parseDuration(text) { return seconds }
        }
        return nil
    }

    /// A `Retry-After` value: delay-seconds (`120`, also `1.5`) or an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`,
    /// read relative to `now`; a date in the past means 0).
    static func parseRetryAfter(_ text: String, now: Date = Date()) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) {
            return seconds >= 0 && seconds.isFinite ? seconds : nil
        }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) {
                return max(0, date.timeIntervalSince(now))
            }
        }
        return nil
    }

    /// A duration such as `1s`, `6m0s`, `20ms`, `1h2m3.5s` or a bare number of seconds.
    static func parseDuration(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return seconds >= 0 && seconds.isFinite ? seconds : nil }
        var total = 0.0
        var index = trimmed.startIndex
        var sawPart = false
        while index < trimmed.endIndex {
            let numberStart = index
            while index < trimmed.endIndex, trimmed[index].isNumber || trimmed[index] == "." {
                index = trimmed.index(after: index)
            }
            guard let value = Double(trimmed[numberStart..<index]) else { return nil }
            let unitStart = index
            while index < trimmed.endIndex, trimmed[index].isLetter { index = trimmed.index(after: index) }
            switch trimmed[unitStart..<index] {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            case "ms": total += value / 1000
            case "us", "µs": total += value / 1_000_000
            case "ns": total += value / 1_000_000_000
            default: return nil
            }
            sawPart = true
        }
        return sawPart ? total : nil
    }

    /// What the server said went wrong, from the error shapes OpenAI-compatible servers and Anthropic use:
    /// `{"error": {"message": …, "type": …}}`, `{"error": "…"}`, `{"message": …}`, `{"detail": …}`.
    /// A body that is not JSON is returned as text when it is short and printable.
    static func serverMessage(_ body: Data) -> String? {
        guard !body.isEmpty else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty || text.hasPrefix("<") ? nil : text
        }
        if let error = object["error"] as? [String: Any] {
            let message = error["message"] as? String
            let type = (error["type"] as? String) ?? (error["code"] as? String)
            switch (type, message) {
            case (let type?, let message?) where !message.contains(type): return "\(type): \(message)"
            case (_, let message?): return message
            case (let type?, nil): return type
            default: break
            }
        }
        if let error = object["error"] as? String { return error }
        if let message = object["message"] as? String { return message }
        if let detail = object["detail"] as? String { return detail }
        if let detail = object["detail"],
            let data = try? JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys])
        {
            return String(decoding: data, as: UTF8.self)
        }
        return nil
    }

    /// `text` on one line, cut to about `limit` characters with an ellipsis.
    static func clip(_ text: String, _ limit: Int) -> String {
        let oneLine = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return oneLine.count <= limit ? oneLine : String(oneLine.prefix(limit)) + "…"
    }

    /// `text` with every secret removed: each whole occurrence, and any word containing the first 8 characters of
    /// a long secret (servers echo keys partly masked, e.g. `sk-abc123****wxyz`).
    static func redact(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: "[redacted]")
            guard secret.count >= 12 else { continue }
            let prefix = String(secret.prefix(8))
            if "[redacted]".contains(prefix) { continue }
            while let range = result.range(of: prefix) {
                let isBoundary: (Character) -> Bool = { $0.isWhitespace || "\"'`,;()[]{}<>".contains($0) }
                var lower = range.lowerBound
                while lower > result.startIndex, !isBoundary(result[result.index(before: lower)]) {
                    lower = result.index(before: lower)
                }
                var upper = range.upperBound
                while upper < result.endIndex, !isBoundary(result[upper]) { upper = result.index(after: upper) }
                result.replaceSubrange(lower..<upper, with: "[redacted]")
            }
        }
        return result
    }

    /// `1.5 s`, `30 s`.
    static func seconds(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e9 { return "\(Int(value)) s" }
        return String(format: "%.2f s", value)
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
