import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plumb's own HTTP/1.1 client for `http://` endpoints, over POSIX sockets: keep-alive with a connection pool,
/// `Content-Length`, chunked and close-delimited bodies, a deadline on every step, and cancellation that closes the
/// socket at once.
///
/// Why not URLSession: on Linux (swift-corelibs-foundation over libcurl) cancelling an in-flight `data(for:)` can
/// deadlock against its completion, a reused connection the server closed is not retried with its body (the
/// request stalls until its timeout), and the session's own timeout caps the caller's. Docs/backends.md has the
/// details.
///
/// Each request runs on a thread of its own (`BlockingThreadPool`) with non-blocking sockets and `poll(2)`, never on
/// Swift's cooperative pool. A connection taken from the pool that turns out to be closed — the server gave up on it
/// while it was idle, as uvicorn, llama.cpp and load balancers do — fails before any byte of an answer arrives;
/// it is noticed before the request is sent (the connection reads as closed) and a new one is opened; and if the
/// close races the request so that sending it fails, the request is sent again, once, on a new connection. A request
/// the server may have received is never sent twice here: a connection that fails after the request went out is a
/// transient `transport` error, which the runner retries and counts. Redirects are not followed.
package final class SocketHTTPTransport: HTTPTransport {
    /// Reuse connections between requests.
    package let reuseConnections: Bool
    /// A pooled connection idle longer than this is closed rather than reused (shorter than common server
    /// keep-alive timeouts: uvicorn and llama.cpp 5 s).
    package let idleLimit: Double
    /// The most bytes of response headers read.
    package static let maxHeaderBytes = 64 << 10
    /// The most bytes of a response body read.
    package static let maxBodyBytes = 64 << 20

    let pool = Mutex<[String: [SocketConnection]]>([:])

    package init(reuseConnections: Bool = true, idleLimit: Double = 4) {
        self.reuseConnections = reuseConnections
        self.idleLimit = idleLimit
    }

    deinit { shutdown() }

    package func shutdown() {
        let idle = pool.withLock { pool in
            defer { pool = [:] }
            return pool.values.flatMap { $0 }
        }
        for connection in idle { connection.close() }
    }

    package func send(_ request: HTTPRequestMessage, timeout: Double?) async throws -> HTTPResponseMessage {
        try Task.checkCancellation()
        let deadline = timeout.map { Monotonic.now() + max(0, $0) }
        let job = SocketJob()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                BlockingThreadPool.shared.run {
                    continuation.resume(with: Result { try self.perform(request, deadline: deadline, job: job) })
                }
            }
        } onCancel: {
            job.cancel()
        }
    }

    // MARK: - One request

    func perform(_ request: HTTPRequestMessage, deadline: Double?, job: SocketJob) throws -> HTTPResponseMessage {
        guard let host = request.url.host, !host.isEmpty else {
            throw HTTPTransportError(.badURL, "the URL has no host")
        }
        let port = request.url.port ?? 80
        let endpoint = "\(host):\(port)"
        let bytes = Self.serialize(request, host: host, port: port, keepAlive: reuseConnections)
        var allowPooled = reuseConnections
        while true {
            if job.isCancelled { throw CancellationError() }
            let (connection, pooled) = try checkout(
                endpoint,
                host: host,
                port: port,
                allowPooled: allowPooled,
                deadline: deadline,
                job
            )
            job.attach(connection)
            do {
                let (response, reusable) = try connection.exchange(bytes, method: request.method, deadline: deadline)
                job.attach(nil)
                if job.isCancelled {
                    // A cancel shuts the socket down, which can end a close-delimited body early: never return it.
                    connection.close()
                    throw CancellationError()
                }
                if reusable && reuseConnections && !job.isCancelled {
                    checkin(connection, endpoint: endpoint)
                } else {
                    connection.close()
                }
                return response
            } catch let failure as ConnectionFailure {
                job.attach(nil)
                connection.close()
                if job.isCancelled { throw CancellationError() }
                if pooled && failure.requestNotSent {
                    // A kept-alive connection the server had closed: the request never got out; send it on a new one.
                    allowPooled = false
                    continue
                }
                throw failure.error
            } catch {
                job.attach(nil)
                connection.close()
                if job.isCancelled { throw CancellationError() }
                throw error
            }
        }
    }

    /// A pooled connection that is still open, or a new one.
    func checkout(
        _ endpoint: String,
        host: String,
        port: Int,
        allowPooled: Bool,
        deadline: Double?,
        _ job: SocketJob
    ) throws -> (SocketConnection, pooled: Bool) {
        if allowPooled {
            while let connection = pool.withLock({ $0[endpoint]?.popLast() }) {
                if Monotonic.now() - connection.idleSince <= idleLimit, connection.isOpenAndQuiet() {
                    return (connection, true)
                }
                connection.close()
            }
        }
        return (try SocketConnection.connect(host: host, port: port, deadline: deadline, job: job), false)
    }

    func checkin(_ connection: SocketConnection, endpoint: String) {
        connection.idleSince = Monotonic.now()
        pool.withLock { $0[endpoint, default: []].append(connection) }
    }

    /// Characters a header name cannot hold: line breaks, the colon, spaces and controls.
    static func forbiddenInName(_ scalar: Unicode.Scalar) -> Bool {
        scalar == ":" || scalar == " " || scalar.value < 0x21 || scalar.value == 0x7F
    }

    /// The request's bytes: request line, `Host`, the caller's headers, `Content-Length`, `Connection`, body.
    static func serialize(_ request: HTTPRequestMessage, host: String, port: Int, keepAlive: Bool) -> [UInt8] {
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        var target = components?.percentEncodedPath ?? "/"
        if target.isEmpty { target = "/" }
        if let query = components?.percentEncodedQuery { target += "?" + query }
        let hostText = host.contains(":") ? "[\(host)]" : host
        var head = "\(request.method) \(target) HTTP/1.1\r\nHost: \(hostText)\(port == 80 ? "" : ":\(port)")\r\n"
        var named = Set<String>()
        for (name, value) in request.headers {
            // Header names and values never carry line breaks (that would smuggle a header): dropped scalar by scalar,
            // since "\r\n" is one Character.
            let cleanName = String(String.UnicodeScalarView(name.unicodeScalars.filter { !Self.forbiddenInName($0) }))
            let cleanValue = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0 != "\r" && $0 != "\n" }))
            guard !cleanName.isEmpty else { continue }
            head += "\(cleanName): \(cleanValue)\r\n"
            named.insert(cleanName.lowercased())
        }
        if !named.contains("content-length") { head += "Content-Length: \(request.body.count)\r\n" }
        if !named.contains("connection") { head += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n" }
        head += "\r\n"
        return Array(head.utf8) + request.body
    }
}

/// The connection a request is using, so that cancelling the task closes it at once.
final class SocketJob: Sendable {
    let state = Mutex<(cancelled: Bool, connection: SocketConnection?)>((false, nil))

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    func attach(_ connection: SocketConnection?) {
        let abort: SocketConnection? = state.withLock { state in
            state.connection = connection
            return state.cancelled ? connection : nil
        }
        abort?.abort()
    }

    func cancel() {
        let connection = state.withLock { state in
            state.cancelled = true
            return state.connection
        }
        connection?.abort()
    }
}

/// A failure on a connection, and whether any byte of the answer had arrived, and whether the request could not
/// even be sent (a kept-alive connection the server had closed: the request can be sent again on a new one).
struct ConnectionFailure: Error {
    var error: HTTPTransportError
    var beforeAnyResponseByte: Bool
    var requestNotSent = false
}

/// Seconds on a monotonic clock.
enum Monotonic {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// One TCP connection. Its descriptor is shut down (`abort`, from any thread) or closed (`close`) only under the
/// lock, so a cancellation can never touch a descriptor number the system has given to another file.
// @unchecked: `buffer` and `idleSince` are touched only by the one thread that holds the connection (checked out
// of the pool, or putting it back under the pool's lock); the descriptor's lifetime is guarded by `state`.
final class SocketConnection: @unchecked Sendable {
    let fd: Int32
    let state = Mutex<Bool>(false)  // closed
    var buffer: [UInt8] = []
    var idleSince: Double = 0

    init(fd: Int32) { self.fd = fd }

    deinit { close() }

    /// Wakes any thread blocked on this connection; the request fails at once.
    func abort() {
        state.withLock { closed in
            if !closed { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    func close() {
        state.withLock { closed in
            if !closed {
                closed = true
                #if canImport(Glibc)
                    _ = Glibc.close(fd)
                #else
                    _ = Darwin.close(fd)
                #endif
            }
        }
    }

    /// True when an idle connection has nothing to read: the server has neither closed it nor sent anything.
    func isOpenAndQuiet() -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0 && buffer.isEmpty
    }

    // MARK: Connecting

    static func connect(host: String, port: Int, deadline: Double?, job: SocketJob) throws -> SocketConnection {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw HTTPTransportError(.cannotResolve, "cannot resolve the host name '\(host)'")
        }
        defer { freeaddrinfo(first) }
        var lastError = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            if job.isCancelled { throw CancellationError() }
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard fd >= 0 else {
                lastError = errno
                continue
            }
            let connection = SocketConnection(fd: fd)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var yes: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            #if canImport(Darwin)
                setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
            #endif
            job.attach(connection)
            defer { job.attach(nil) }
            if Glibc_connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                return connection
            }
            guard errno == EINPROGRESS else {
                lastError = errno
                connection.close()
                continue
            }
            // Connecting takes at most 10 s per address, and never past the request's deadline.
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let remaining = deadline.map { max(0, $0 - Monotonic.now()) } ?? 10
            let ready = Self.pollRetrying(&descriptor, milliseconds: Int32(min(10, remaining) * 1000))
            if job.isCancelled {
                connection.close()
                throw CancellationError()
            }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
            if ready > 0 && code == 0 { return connection }
            lastError = ready == 0 ? ETIMEDOUT : (code != 0 ? code : errno)
            connection.close()
        }
        if lastError == ECONNREFUSED {
            throw HTTPTransportError(.connectionRefused, "connection refused; is the server running on that port?")
        }
        if lastError == ETIMEDOUT {
            throw HTTPTransportError(.timeout, "could not connect in time")
        }
        throw HTTPTransportError(.other, "cannot connect (\(String(cString: strerror(lastError))))")
    }

    static func pollRetrying(_ descriptor: inout pollfd, milliseconds: Int32) -> Int32 {
        let end = Monotonic.now() + Double(milliseconds) / 1000
        while true {
            let remaining = Int32(max(0, (end - Monotonic.now()) * 1000))
            let ready = poll(&descriptor, 1, remaining)
            if ready < 0 && errno == EINTR { continue }
            return ready
        }
    }

    // MARK: One exchange

    /// Sends `request` and reads one response. Returns it and whether the connection can carry another request.
    func exchange(_ request: [UInt8], method: String, deadline: Double?) throws -> (HTTPResponseMessage, Bool) {
        let sentAll = try writeAll(request, deadline: deadline)
        var received = false
        while true {
            let head = try readHead(deadline: deadline, received: &received)
            let parsed = try Self.parseHead(head)
            if (100..<200).contains(parsed.status) { continue }  // 100 Continue, 103 Early Hints: skip
            let noBody = method == "HEAD" || parsed.status == 204 || parsed.status == 304
            let connectionTokens = Self.tokens(parsed.headers["connection"])
            var reusable = parsed.version == "HTTP/1.1" && !connectionTokens.contains("close")
            if parsed.headers["transfer-encoding"] != nil && parsed.headers["content-length"] != nil {
                reusable = false  // an ambiguous length: read it as chunked, then drop the connection
            }
            let body: [UInt8]
            if noBody {
                body = []
            } else if parsed.headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
                body = try readChunked(deadline: deadline)
            } else if let text = parsed.headers["content-length"] {
                // Repeated identical values (`12, 12`) are one length (RFC 9110 §8.6); differing ones are invalid.
                let values = Set(Self.tokens(text))
                guard values.count == 1, let length = Int(values.first!), length >= 0 else {
                    throw ConnectionFailure(
                        error: HTTPTransportError(.notHTTP, "the answer has an invalid Content-Length '\(text)'"),
                        beforeAnyResponseByte: false
                    )
                }
                guard length <= SocketHTTPTransport.maxBodyBytes else { throw Self.tooLarge(length) }
                body = try readExactly(length, deadline: deadline)
            } else {
                body = try readToEnd(deadline: deadline)
                reusable = false
            }
            if !buffer.isEmpty || !sentAll { reusable = false }  // bytes nobody asked for, or a request cut short
            return (HTTPResponseMessage(status: parsed.status, headers: parsed.headers, body: Data(body)), reusable)
        }
    }

    /// The comma-separated tokens of a header value, trimmed and lowercased.
    static func tokens(_ value: String?) -> [String] {
        (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
    }

    static func tooLarge(_ bytes: Int) -> ConnectionFailure {
        ConnectionFailure(
            error: HTTPTransportError(
                .tooLarge,
                "the answer is \(bytes) bytes; Plumb reads at most \(SocketHTTPTransport.maxBodyBytes)"
            ),
            beforeAnyResponseByte: false
        )
    }

    /// Sends `bytes`. Returns false when the server answered before taking all of them (a 413 to a long body, say):
    /// the answer is then read as usual, and the connection is not reused.
    @discardableResult
    func writeAll(_ bytes: [UInt8], deadline: Double?) throws -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                #if canImport(Glibc)
                    Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #else
                    Darwin.send(fd, raw.baseAddress! + offset, raw.count - offset, 0)
                #endif
            }
            if written > 0 {
                offset += written
                continue
            }
            if written < 0 && errno == EINTR { continue }
            if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                let ready = try wait(for: Int16(POLLOUT | POLLIN), deadline: deadline, received: false)
                if ready & Int16(POLLIN) != 0, hasAnswerBytes() { return false }
                continue
            }
            // The server closed the connection before taking the whole request. If it answered first (a 413), read
            // that answer; otherwise the request never reached it and can be sent again.
            if hasAnswerBytes() { return false }
            throw ConnectionFailure(
                error: HTTPTransportError(.connectionLost, "the connection was closed while the request was sent"),
                beforeAnyResponseByte: true,
                requestNotSent: true
            )
        }
        return true
    }

    /// Whether bytes of an answer are waiting to be read (peeked, not consumed).
    func hasAnswerBytes() -> Bool {
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return count > 0
    }

    /// Waits until the socket is ready for one of `events` (returned), or throws at the deadline.
    @discardableResult
    func wait(for events: Int16, deadline: Double?, received: Bool) throws -> Int16 {
        while true {
            var milliseconds: Int32 = 1_000
            if let deadline {
                let remaining = deadline - Monotonic.now()
                if remaining <= 0 {
                    throw ConnectionFailure(
                        error: HTTPTransportError(.timeout, "no complete answer within the time limit"),
                        beforeAnyResponseByte: false
                    )
                }
                milliseconds = Int32(min(1_000, max(1, (remaining * 1000).rounded(.up))))
            }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return descriptor.revents }
            if ready < 0 && errno != EINTR {
                throw ConnectionFailure(
                    error: HTTPTransportError(.connectionLost, "the connection failed"),
                    beforeAnyResponseByte: !received
                )
            }
        }
    }

    /// Reads more bytes into `buffer`; false at the end of the stream.
    func fill(deadline: Double?, received: Bool) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count == 0 { return false }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                try wait(for: Int16(POLLIN), deadline: deadline, received: received)
                continue
            }
            throw ConnectionFailure(
                error: HTTPTransportError(
                    .connectionLost,
                    "the connection failed (\(String(cString: strerror(errno))))"
                ),
                beforeAnyResponseByte: !received
            )
        }
    }

    func readHead(deadline: Double?, received: inout Bool) throws -> [UInt8] {
        var searchFrom = 0
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer, from: searchFrom) {
                guard end <= SocketHTTPTransport.maxHeaderBytes else {
                    throw ConnectionFailure(
                        error: HTTPTransportError(.tooLarge, "the answer's headers are larger than 64 KiB"),
                        beforeAnyResponseByte: false
                    )
                }
                let head = Array(buffer[..<end])
                buffer.removeFirst(end + 4)
                return head
            }
            if !buffer.isEmpty, !Self.looksLikeHTTP(buffer) {
                throw ConnectionFailure(
                    error: HTTPTransportError(.notHTTP, "the server's answer is not HTTP: it began '\(excerpt())'"),
                    beforeAnyResponseByte: false
                )
            }
            searchFrom = max(0, buffer.count - 3)
            if buffer.count > SocketHTTPTransport.maxHeaderBytes {
                throw ConnectionFailure(
                    error: HTTPTransportError(.tooLarge, "the answer's headers are larger than 64 KiB"),
                    beforeAnyResponseByte: false
                )
            }
            let more = try fill(deadline: deadline, received: received)
            if !more {
                let nothing = !received && buffer.isEmpty
                throw ConnectionFailure(
                    error: HTTPTransportError(
                        .connectionLost,
                        nothing
                            ? "the server closed the connection without answering"
                            : "the connection was closed before a complete answer arrived"
                    ),
                    beforeAnyResponseByte: nothing
                )
            }
            received = true
        }
    }

    /// Whether the bytes so far can be the start of `HTTP/1.x NNN`.
    static func looksLikeHTTP(_ bytes: [UInt8]) -> Bool {
        let prefix = Array("HTTP/1.".utf8)
        let count = min(bytes.count, prefix.count)
        return Array(bytes.prefix(count)) == Array(prefix.prefix(count))
    }

    func excerpt() -> String {
        let text = String(decoding: buffer.prefix(40), as: UTF8.self)
        return String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 }).trimmingCharacters(in: .whitespaces)
    }

    struct Head {
        var version: String
        var status: Int
        var headers: [String: String]
    }

    static func parseHead(_ head: [UInt8]) throws -> Head {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            let shown = String(statusLine.prefix(60))
            throw ConnectionFailure(
                error: HTTPTransportError(.notHTTP, "the server's answer is not HTTP: it began '\(shown)'"),
                beforeAnyResponseByte: false
            )
        }
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        return Head(version: String(parts[0]), status: status, headers: headers)
    }

    func readExactly(_ count: Int, deadline: Double?) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill(deadline: deadline, received: true) else {
                throw ConnectionFailure(
                    error: HTTPTransportError(
                        .connectionLost,
                        "the connection was closed after \(buffer.count) of \(count) bytes of the answer"
                    ),
                    beforeAnyResponseByte: false
                )
            }
        }
        let bytes = Array(buffer[..<count])
        buffer.removeFirst(count)
        return bytes
    }

    func readLine(deadline: Double?) throws -> String {
        while true {
            if let end = Self.find([13, 10], in: buffer, from: 0) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                return line
            }
            if buffer.count > 64 << 10 { throw Self.tooLarge(buffer.count) }
            guard try fill(deadline: deadline, received: true) else {
                throw ConnectionFailure(
                    error: HTTPTransportError(.connectionLost, "the connection was closed inside a chunked answer"),
                    beforeAnyResponseByte: false
                )
            }
        }
    }

    func readChunked(deadline: Double?) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine(deadline: deadline)
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                throw ConnectionFailure(
                    error: HTTPTransportError(.notHTTP, "the chunked answer has an invalid chunk size '\(line)'"),
                    beforeAnyResponseByte: false
                )
            }
            if size == 0 {
                while try !readLine(deadline: deadline).isEmpty {}  // trailers
                return body
            }
            guard size <= SocketHTTPTransport.maxBodyBytes - body.count else {
                throw Self.tooLarge(size > Int.max / 2 ? Int.max : body.count + size)
            }
            body += try readExactly(size, deadline: deadline)
            _ = try readExactly(2, deadline: deadline)  // CRLF after the chunk
        }
    }

    func readToEnd(deadline: Double?) throws -> [UInt8] {
        while try fill(deadline: deadline, received: true) {
            if buffer.count > SocketHTTPTransport.maxBodyBytes { throw Self.tooLarge(buffer.count) }
        }
        defer { buffer = [] }
        return buffer
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && Array(haystack[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}

#if canImport(Glibc)
    private func Glibc_connect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>!, _ length: socklen_t) -> Int32 {
        Glibc.connect(fd, address, length)
    }
#else
    private func Glibc_connect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>!, _ length: socklen_t) -> Int32 {
        Darwin.connect(fd, address, length)
    }
#endif
