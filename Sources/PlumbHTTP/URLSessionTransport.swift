public import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    public import FoundationNetworking
#endif

/// URLSession for `https://` endpoints (TLS), used so that it cannot hang, cannot follow a redirect, and honours
/// the caller's timeout.
///
/// - **No hang on cancellation.** The async `data(for:)` cancels its task from inside the Swift task's status lock,
///   and `URLSessionTask.cancel()` on Linux waits on FoundationNetworking's queue, where a completing request may
///   itself be waiting on that lock: a lock-order inversion that hung 0.1 in about one stop in eight. Here the
///   request uses a completion handler, and cancellation is handed to another queue, so no lock is held while
///   `cancel()` waits.
/// - **No redirects.** A delegate declines every redirect, so the 3xx comes back as it is and the caller turns it
///   into an error: an API key never goes to another host, and another host's answer is never scored as the
///   model's.
/// - **The caller's timeout.** The session's own request timeout is the caller's (rounded up to whole seconds,
///   which is what swift-corelibs-foundation counts), never a 60 s default under it.
package final class URLSessionTransport: HTTPTransport {
    /// On Darwin URLSession resends a body when a reused connection turns out to be closed; on Linux
    /// swift-corelibs-foundation does not (the request waits for its whole timeout), so there connections are not
    /// reused by default.
    package static var reuseConnectionsByDefault: Bool {
        #if canImport(FoundationNetworking)
            false
        #else
            true
        #endif
    }

    struct State {
        var session: URLSession
        var inFlight = 0
        var lastActivity = ContinuousClock.now
    }

    package let reuseConnections: Bool
    /// Seconds without requests after which the session (its connection pool) is replaced, so a connection the
    /// server closed while idle is not reused.
    let idleReset: Duration
    let configuration: URLSessionConfiguration
    let delegate = RedirectRefuser()
    let state: Mutex<State>

    package init(connections: Int, timeout: Double?, reuseConnections: Bool, idleReset: Double = 2) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(6, connections)
        configuration.timeoutIntervalForRequest = Self.wholeSeconds(timeout ?? 3_600)
        configuration.timeoutIntervalForResource = max(configuration.timeoutIntervalForRequest, 7 * 86_400)
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        self.configuration = configuration
        self.reuseConnections = reuseConnections
        self.idleReset = .milliseconds(Int(idleReset * 1000))
        self.state = Mutex(
            State(session: URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil))
        )
    }

    deinit { shutdown() }

    package func shutdown() {
        state.withLock { $0.session.finishTasksAndInvalidate() }
    }

    /// swift-corelibs-foundation truncates timeouts to whole seconds (0.5 s would time out at once): rounded up,
    /// at least 1.
    static func wholeSeconds(_ seconds: Double) -> Double {
        #if canImport(FoundationNetworking)
            max(1, seconds.rounded(.up))
        #else
            max(0.001, seconds)
        #endif
    }

    func acquire() -> URLSession {
        state.withLock { state in
            if reuseConnections, state.inFlight == 0, ContinuousClock.now - state.lastActivity > idleReset {
                let old = state.session
                state.session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
                old.finishTasksAndInvalidate()
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

    package func send(_ message: HTTPRequestMessage, timeout: Double?) async throws -> HTTPResponseMessage {
        try Task.checkCancellation()
        var request = URLRequest(url: message.url)
        request.httpMethod = message.method
        request.httpBody = Data(message.body)
        if !reuseConnections { request.setValue("close", forHTTPHeaderField: "Connection") }
        for (name, value) in message.headers { request.setValue(value, forHTTPHeaderField: name) }
        if let timeout { request.timeoutInterval = Self.wholeSeconds(timeout) }
        let session = acquire()
        defer { release() }
        let box = TaskBox()
        let (data, response): (Data, URLResponse) = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let response {
                        continuation.resume(returning: (data ?? Data(), response))
                    } else {
                        continuation.resume(throwing: URLError(.badServerResponse))
                    }
                }
                box.start(task)
            }
        } onCancel: {
            // Never call `cancel()` here, inside the task's status lock: hand it to another queue.
            DispatchQueue.global().async { box.cancel() }
        }
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return HTTPResponseMessage(status: http.statusCode, headers: headers, body: data)
    }
}

/// The data task of one request, so that a cancellation that arrives before or after it starts stops it.
final class TaskBox: Sendable {
    let state = Mutex<(task: URLSessionDataTask?, cancelled: Bool)>((nil, false))

    func start(_ task: URLSessionDataTask) {
        let cancelled = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        task.resume()
        if cancelled { task.cancel() }
    }

    func cancel() {
        let task = state.withLock { state in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }
}

/// Declines every redirect: the 3xx answer is returned as it is.
final class RedirectRefuser: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
