public import Foundation
import PlumbCore
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A value that must never be printed: an API key, an expanded header value.
package struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package let value: String

    package init(_ value: String) { self.value = value }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// One finished HTTP exchange.
package struct HTTPExchange: Sendable {
    package var status: Int
    /// Header names lowercased.
    package var headers: [String: String]
    package var body: Data
    /// Seconds from sending the request to receiving the whole body.
    package var latency: Double

    package init(status: Int, headers: [String: String], body: Data, latency: Double) {
        self.status = status
        self.headers = headers
        self.body = body
        self.latency = latency
    }

    package func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Sends JSON requests to one endpoint and turns every failure into a `BackendError` that says what to fix and
/// never contains a secret.
package struct HTTPCaller: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `openai`, `anthropic`: the prefix of every message.
    package let provider: String
    package let url: URL
    /// `url` without user, password, query or fragment: what messages and reports show.
    package let displayURL: String
    /// Every header sent, the API key's among them.
    package let headers: [String: Secret]
    /// Values scrubbed from anything the server says before it reaches a message.
    package let secrets: [Secret]
    package let timeout: Double?
    /// How requests travel: `HTTPTransports.make(for:…)` chooses by scheme.
    package let transport: any HTTPTransport
    package let model: String
    package let keyVariable: String?
    package let keySent: Bool
    /// Appended to a 404's message: what may be wrong.
    package let notFoundHint: String
    /// Appended to a 400's or 422's message: what may be wrong.
    package let badRequestHint: String

    package init(
        provider: String,
        url: URL,
        displayURL: String,
        headers: [String: Secret],
        secrets: [Secret],
        timeout: Double?,
        transport: any HTTPTransport,
        model: String,
        keyVariable: String?,
        keySent: Bool,
        notFoundHint: String,
        badRequestHint: String? = nil
    ) {
        self.provider = provider
        self.url = url
        self.displayURL = displayURL
        self.headers = headers
        self.secrets = secrets
        self.timeout = timeout
        self.transport = transport
        self.model = model
        self.keyVariable = keyVariable
        self.keySent = keySent
        self.notFoundHint = notFoundHint
        self.badRequestHint =
            badRequestHint ?? "the server rejected the request: check the generation settings and model '\(model)'"
    }

    /// The time limit a message states: the socket transport keeps `timeout` to the millisecond; URLSession counts
    /// whole seconds on Linux.
    package var effectiveTimeout: Double? {
        guard let timeout else { return nil }
        return transport is URLSessionTransport ? URLSessionTransport.wholeSeconds(timeout) : timeout
    }

    package var description: String { "HTTPCaller(\(provider), \(displayURL), headers: \(headers.keys.sorted()))" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: ["description": description]) }

    /// POSTs `body` as JSON. Returns any HTTP status; throws `BackendError` for transport failures and
    /// `CancellationError` when the task is cancelled (the HTTP request is cancelled with it).
    package func post(_ body: Data) async throws -> HTTPExchange {
        try Task.checkCancellation()
        var fields: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("Accept", "application/json"),
            ("User-Agent", "plumb/\(PlumbVersion.current)"),
        ]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            fields.removeAll { $0.name.lowercased() == name.lowercased() }
            fields.append((name, value.value))
        }
        let request = HTTPRequestMessage(method: "POST", url: url, headers: fields, body: Array(body))
        let clock = ContinuousClock()
        let start = clock.now
        let response: HTTPResponseMessage
        do {
            response = try await transport.send(request, timeout: timeout)
        } catch {
            throw transportError(error)
        }
        let elapsed = clock.now - start
        return HTTPExchange(
            status: response.status,
            headers: response.headers,
            body: response.body,
            latency: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        )
    }

    /// The error for a failure to get any HTTP answer.
    package func transportError(_ error: any Error) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if let failure = error as? HTTPTransportError {
            let prefix = "\(provider): \(displayURL)"
            switch failure.kind {
            case .timeout:
                let limit = effectiveTimeout.map { " within \(NumberText.seconds($0))" } ?? ""
                return BackendError(.timeout, "\(prefix) did not answer\(limit) (timed out)")
            case .connectionRefused, .cannotResolve, .connectionLost, .other:
                return BackendError(.transport, redact("\(prefix): \(failure.message)"))
            case .notHTTP:
                return BackendError(
                    .invalidResponse,
                    redact("\(prefix): \(failure.message); is this the model server's port?")
                )
            case .tooLarge:
                return BackendError(.invalidResponse, redact("\(prefix): \(failure.message)"))
            case .badURL:
                return BackendError(.configuration, "\(prefix) is not a URL that can be requested")
            }
        }
        guard let urlError = error as? URLError else {
            return BackendError(.transport, redact("\(provider): request to \(displayURL) failed: \(error)"))
        }
        let prefix = "\(provider): \(displayURL)"
        switch urlError.code {
        case .timedOut:
            let limit = effectiveTimeout.map { " within \(NumberText.seconds($0))" } ?? ""
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
    package func statusError(_ exchange: HTTPExchange) -> BackendError? {
        let status = exchange.status
        if (200..<300).contains(status) { return nil }
        if (300..<400).contains(status) {
            let target = exchange.header("Location").flatMap { URL(string: $0, relativeTo: url) }
            let to = target.map { " to \(HTTPText.displayURL($0.absoluteURL))" } ?? ""
            return BackendError(
                .configuration,
                "\(provider): HTTP \(status) from \(displayURL) redirects\(to); Plumb does not follow redirects (the API "
                    + "key would go with it): use the address it redirects to as the base URL"
            )
        }
        let serverSays = HTTPText.serverMessage(exchange.body).map { ": " + redact(HTTPText.clip($0, 300)) }
        let head = "\(provider): HTTP \(status) from \(displayURL)\(serverSays ?? "")"
        let retryAfter = HTTPText.retryAfter(exchange.header)
        let waitNote = retryAfter.map { " (the server asks to wait \(NumberText.seconds($0)))" } ?? ""
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
            return BackendError(.badRequest, head + "; " + badRequestHint)
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

    package func authenticationHint(_ status: Int) -> String {
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

    /// POSTs `body` and decodes a 2xx answer as `Response`, returned with its exchange: the status error for any
    /// other status, `invalidResponse(expected:)` for a body that is not a `Response`.
    package func post<Response: Decodable>(
        _ body: Data,
        decoding type: Response.Type,
        expected: String
    ) async throws -> (response: Response, exchange: HTTPExchange) {
        let exchange = try await post(body)
        if let error = statusError(exchange) { throw error }
        do {
            return (try JSONDecoder().decode(type, from: exchange.body), exchange)
        } catch {
            throw invalidResponse(exchange, expected: expected)
        }
    }

    /// The error for a 2xx answer whose body is not what was expected (never transient: asking again gets the
    /// same kind of answer).
    package func invalidResponse(_ exchange: HTTPExchange, expected: String, detail: String? = nil) -> BackendError {
        let text = String(decoding: exchange.body, as: UTF8.self)
        let quote = text.isEmpty ? "an empty body" : "'" + redact(HTTPText.clip(text, 200)) + "'"
        let why = detail.map { " (\($0))" } ?? ""
        return BackendError(
            .invalidResponse,
            "\(provider): HTTP \(exchange.status) from \(displayURL) is not \(expected)\(why); the body was \(quote)"
        )
    }

    package func redact(_ text: String) -> String {
        HTTPText.redact(text, secrets: secrets.map(\.value))
    }
}
