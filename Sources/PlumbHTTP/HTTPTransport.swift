public import Foundation

/// One HTTP request as a transport sends it: method, URL, headers (sent in order) and body.
package struct HTTPRequestMessage: Sendable {
    package var method: String
    package var url: URL
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package init(method: String = "POST", url: URL, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One HTTP response: status, headers (names lowercased), body.
package struct HTTPResponseMessage: Sendable {
    package var status: Int
    package var headers: [String: String]
    package var body: Data

    package init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A header's value, by case-insensitive name.
    package func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Why a transport got no HTTP response. `message` names no URL (the caller adds it) and holds no secret.
package struct HTTPTransportError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Hashable {
        /// No complete answer within the request's time limit.
        case timeout
        /// Nothing listens on that port.
        case connectionRefused
        /// The host name does not resolve.
        case cannotResolve
        /// The connection closed or reset before a complete answer arrived.
        case connectionLost
        /// The server answered with something that is not HTTP/1.x.
        case notHTTP
        /// The answer's headers or body are larger than Plumb reads.
        case tooLarge
        /// The URL cannot be requested (a scheme or host the transport does not serve).
        case badURL
        /// Anything else.
        case other
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}

/// Sends HTTP requests. Implementations never follow redirects (a 3xx is returned as it is, so an API key never
/// goes to another host), stop within `timeout` seconds, and stop at once when the calling task is cancelled,
/// throwing `CancellationError`.
package protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequestMessage, timeout: Double?) async throws -> HTTPResponseMessage
    /// Releases pooled connections.
    func shutdown()
}

extension HTTPTransport {
    package func shutdown() {}
}

/// Chooses the transport for a URL: Plumb's own HTTP/1.1 client for `http://` (local and in-cluster servers:
/// vLLM, llama.cpp, Ollama, TGI), URLSession for `https://` (TLS). Docs/backends.md says why.
package enum HTTPTransports {
    /// `reuseConnections` nil: the default for the scheme — on for `http://` (the socket client resends a request
    /// whose reused connection was closed under it); for `https://` on where URLSession resends bodies itself, off
    /// on Linux, where swift-corelibs-foundation cannot.
    package static func make(
        for url: URL,
        connections: Int,
        timeout: Double?,
        reuseConnections: Bool?
    ) -> any HTTPTransport {
        if url.scheme?.lowercased() == "http" {
            return SocketHTTPTransport(reuseConnections: reuseConnections ?? true)
        }
        return URLSessionTransport(
            connections: connections,
            timeout: timeout,
            reuseConnections: reuseConnections ?? URLSessionTransport.reuseConnectionsByDefault
        )
    }
}
