import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small, real HTTP/1.1 server for tests: POSIX sockets bound to 127.0.0.1 on an ephemeral port, one thread
/// per connection, keep-alive, `Content-Length` and chunked request bodies, `Expect: 100-continue`.
///
/// Each request is recorded (``requests``) and answered by a handler that returns a ``Reply``: a normal response,
/// a delayed one, a dropped connection or a truncated body. It never binds anything but 127.0.0.1, so tests never
/// leave the machine.
///
/// ```swift
/// let server = try LoopbackHTTPServer { request in
///     .json(["ok": true])
/// }
/// let url = server.baseURL.appendingPathComponent("v1/chat/completions")
/// ```
///
/// ``stop()`` closes every socket, wakes delayed replies and waits for the server's threads to finish; deinit
/// stops too. The handler runs on a connection's thread, so it may block (but prefer ``Reply/delay(_:then:)``,
/// which `stop()` can interrupt).
public final class LoopbackHTTPServer: Sendable {
    /// Answers one request. Called on the connection's thread, once per request, in arrival order per connection.
    public typealias Handler = @Sendable (RecordedRequest) -> Reply

    /// The header fields of a request, in the order received, with case-insensitive lookup.
    public struct Headers: Sendable, Hashable, Sequence, CustomStringConvertible {
        /// Name and value pairs exactly as received.
        public var fields: [(name: String, value: String)] {
            storage.map { (name: $0.name, value: $0.value) }
        }
        struct Field: Sendable, Hashable {
            var name: String
            var value: String
        }
        var storage: [Field]

        /// Headers from name and value pairs, kept in order.
        public init(_ fields: [(name: String, value: String)] = []) {
            storage = fields.map { Field(name: $0.name, value: $0.value) }
        }

        /// The value of the first field named `name` (case-insensitive), or nil.
        public subscript(_ name: String) -> String? {
            let lower = name.lowercased()
            return storage.first { $0.name.lowercased() == lower }?.value
        }

        /// Every value of fields named `name` (case-insensitive).
        public func values(_ name: String) -> [String] {
            let lower = name.lowercased()
            return storage.filter { $0.name.lowercased() == lower }.map(\.value)
        }

        /// Iterates the fields in the order received.
        public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
            fields.makeIterator()
        }

        /// One `Name: value` line per field.
        public var description: String {
            storage.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        }
    }

    /// One request as the server received it.
    public struct RecordedRequest: Sendable, Hashable {
        /// 0 for the first request the server received, then 1, 2 … across all connections.
        public var index: Int
        /// Which connection carried it: 0 for the first connection accepted, then 1, 2 …
        public var connection: Int
        /// `GET`, `POST` …
        public var method: String
        /// The request target as sent, e.g. `/v1/chat/completions?x=1`.
        public var target: String
        public var headers: Headers
        /// The body, after `Content-Length` or chunked framing is removed.
        public var body: [UInt8]
        /// When the whole request had been read.
        public var arrival: Date

        /// The target without its query string.
        public var path: String {
            String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        }

        /// The body decoded as UTF-8.
        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// The body parsed as a JSON object (`JSONSerialization`), or nil when it is not one.
        public var jsonObject: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        }

        /// The body decoded as `type` with `JSONDecoder`.
        public func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder().decode(type, from: Data(body))
        }
    }

    /// How the server answers one request.
    public indirect enum Reply: Sendable {
        /// A complete response. `Content-Length` is added; a header given here wins over the defaults.
        case response(status: Int, headers: [String: String], body: [UInt8])
        /// Waits `seconds` (interrupted by `stop()` or by the client hanging up), then answers with `then`.
        case delay(_ seconds: Double, then: Reply)
        /// Closes the connection without answering.
        case dropConnection
        /// Sends the status line and headers declaring `Content-Length: declaredLength`, then only `body`
        /// (which should be shorter), then closes the connection.
        case truncatedBody(status: Int, headers: [String: String], declaredLength: Int, body: [UInt8])
        /// Writes these bytes as they are (not HTTP, or HTTP written by hand), then closes the connection.
        case raw([UInt8])

        /// A response with a UTF-8 text body (`Content-Type: text/plain` unless `headers` says otherwise).
        public static func text(_ text: String, status: Int = 200, headers: [String: String] = [:]) -> Reply {
            .response(
                status: status,
                headers: ["Content-Type": "text/plain; charset=utf-8"].merging(headers) { $1 },
                body: Array(text.utf8)
            )
        }

        /// A response whose body is `value` encoded with `JSONEncoder` (sorted keys).
        public static func json<T: Encodable>(_ value: T, status: Int = 200, headers: [String: String] = [:])
            -> Reply
        {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            do {
                return .rawJSON(Array(try encoder.encode(value)), status: status, headers: headers)
            } catch {
                return .text("test fixture could not encode JSON: \(error)", status: 500)
            }
        }

        /// A response whose body is a JSON object or array built from dictionaries, arrays, strings, numbers,
        /// booleans and `NSNull` (`JSONSerialization`, sorted keys).
        public static func jsonObject(_ object: Any, status: Int = 200, headers: [String: String] = [:]) -> Reply {
            do {
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                return .rawJSON(Array(data), status: status, headers: headers)
            } catch {
                return .text("test fixture could not encode JSON: \(error)", status: 500)
            }
        }

        /// A response whose body is `bytes`, labelled `application/json`.
        public static func rawJSON(_ bytes: [UInt8], status: Int = 200, headers: [String: String] = [:]) -> Reply {
            .response(
                status: status,
                headers: ["Content-Type": "application/json"].merging(headers) { $1 },
                body: bytes
            )
        }

        /// Declares `bytes.count` bytes of `application/json` but sends only the first half, then closes.
        public static func truncatedJSON(_ bytes: [UInt8], status: Int = 200) -> Reply {
            .truncatedBody(
                status: status,
                headers: ["Content-Type": "application/json"],
                declaredLength: bytes.count,
                body: Array(bytes.prefix(bytes.count / 2))
            )
        }

        /// A `200 OK` labelled `application/json` whose body is not JSON.
        public static var malformedJSON: Reply {
            .rawJSON(Array("<html><body>502 Bad Gateway</body></html> {\"choices\": [".utf8))
        }

        /// An empty response with `status` and, when given, a `Retry-After` header.
        public static func status(_ status: Int, retryAfter: String? = nil, headers: [String: String] = [:])
            -> Reply
        {
            var all = headers
            if let retryAfter { all["Retry-After"] = retryAfter }
            return .response(status: status, headers: all, body: [])
        }

        /// Answers the n-th request the server receives (counting from 0, across connections) with `replies[n]`,
        /// and every later request with the last reply (or `exhausted` when given).
        public static func sequence(_ replies: [Reply], exhausted: Reply? = nil) -> Handler {
            precondition(!replies.isEmpty, "a sequence needs at least one reply")
            return { request in
                request.index < replies.count ? replies[request.index] : (exhausted ?? replies[replies.count - 1])
            }
        }
    }

    /// Injects faults into a fraction of requests, deterministically: whether (and how) the n-th request fails
    /// depends only on `seed` and n, so a run with the same seed and the same arrival order sees the same faults.
    public struct FaultPlan: Sendable {
        /// The fraction of requests that get a fault, from 0 to 1.
        public var faultRate: Double
        /// Chooses which requests fail and how; the same seed gives the same faults.
        public var seed: UInt64
        /// The faults to choose from, uniformly. Defaults to 429 (with `Retry-After: 0`), 500, 503 and a dropped
        /// connection.
        public var faults: [Reply]

        /// 429 (`Retry-After: 0`), 500, 503 (each with an OpenAI-style error body) and a dropped connection.
        public static let defaultFaults: [Reply] = [
            .jsonObject(
                ["error": ["message": "Rate limit reached (injected)", "type": "rate_limit"]],
                status: 429,
                headers: ["Retry-After": "0"]
            ),
            .jsonObject(["error": ["message": "internal error (injected)"]], status: 500),
            .jsonObject(["error": ["message": "service unavailable (injected)"]], status: 503),
            .dropConnection,
        ]

        /// A plan that fails `faultRate` of the requests with one of `faults`, chosen by `seed`.
        public init(faultRate: Double, seed: UInt64, faults: [Reply] = FaultPlan.defaultFaults) {
            precondition((0...1).contains(faultRate), "faultRate must be between 0 and 1")
            precondition(!faults.isEmpty, "a fault plan needs at least one fault")
            self.faultRate = faultRate
            self.seed = seed
            self.faults = faults
        }

        /// The fault for the request with this index, or nil when it should be answered normally.
        public func fault(forRequest index: Int) -> Reply? {
            var state = seed ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
            let first = Self.splitMix(&state)
            let second = Self.splitMix(&state)
            let unit = Double(first >> 11) / Double(1 << 53)
            guard unit < faultRate else { return nil }
            return faults[Int(second % UInt64(faults.count))]
        }

        /// A handler that injects this plan's faults and passes every other request to `handler`.
        public func handler(_ handler: @escaping Handler) -> Handler {
            let plan = self
            return { request in plan.fault(forRequest: request.index) ?? handler(request) }
        }

        static func splitMix(_ state: inout UInt64) -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The port the server listens on (127.0.0.1 only).
    public let port: Int
    let core: ServerCore

    /// Starts listening on 127.0.0.1 on a free port chosen by the system. With `idleTimeout`, a kept-alive
    /// connection that brings no new request within that many seconds is closed without a word, as uvicorn,
    /// llama.cpp and load balancers do.
    public init(idleTimeout: Double? = nil, handler: @escaping Handler) throws {
        core = try ServerCore(handler: handler, idleTimeout: idleTimeout)
        port = core.port
        core.start()
    }

    /// Starts listening; the n-th request is answered by `replies[n]`, later ones by the last reply.
    public convenience init(replies: [Reply]) throws {
        try self.init(handler: Reply.sequence(replies))
    }

    deinit {
        core.stop()
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    public var baseURL: URL {
        URL(string: "http://127.0.0.1:\(port)")!
    }

    /// Every request received so far, in arrival order.
    public var requests: [RecordedRequest] { core.state.withLock { $0.requests } }

    /// Indices of requests whose client hung up while the server was still delaying the reply (a cancelled
    /// request shows up here).
    public var abandonedRequests: [Int] { core.state.withLock { $0.abandoned } }

    /// How many connections the server has accepted.
    public var connectionCount: Int { core.state.withLock { $0.nextConnection } }

    /// How many connections are open right now.
    public var openConnectionCount: Int { core.state.withLock { $0.openSockets.count } }

    /// Stops accepting, closes every connection, interrupts delayed replies and waits (up to 5 s) for the server's
    /// threads to finish. Safe to call more than once.
    public func stop() {
        core.stop()
    }
}

/// The server's sockets, threads and records. Threads hold this, not the server, so the server's deinit runs.
final class ServerCore: Sendable {
    struct State {
        var stopped = false
        var requests: [LoopbackHTTPServer.RecordedRequest] = []
        var abandoned: [Int] = []
        var nextConnection = 0
        /// Connection sockets not yet closed. A socket is closed only while holding the lock and removing it
        /// here, so `stop()` never shuts down a reused descriptor.
        var openSockets: Set<Int32> = []
        var listening = true
    }

    static let maxHeaderBytes = 64 << 10
    static let maxBodyBytes = 64 << 20

    let listenSocket: Int32
    let port: Int
    let handler: LoopbackHTTPServer.Handler
    let idleTimeout: Double?
    let state = Mutex(State())
    let threads = DispatchGroup()

    init(handler: @escaping LoopbackHTTPServer.Handler, idleTimeout: Double? = nil) throws {
        TestProcess.setUp()
        self.handler = handler
        self.idleTimeout = idleTimeout
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw LoopbackServerError("socket() failed: errno \(errno)") }
        // No SO_REUSEADDR: the port is the kernel's choice (port 0), and with it Linux may hand a new server the
        // port of a stopped one whose socket still holds it (see `acceptLoop`), which refused connections to the
        // new server now and then.
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian  // 127.0.0.1, never any other address
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 512) == 0 else {
            let code = errno
            close(fd)
            throw LoopbackServerError("bind/listen on 127.0.0.1 failed: errno \(code)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            close(fd)
            throw LoopbackServerError("getsockname failed: errno \(errno)")
        }
        listenSocket = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(listenSocket)
    }

    func start() {
        threads.enter()
        let thread = Thread { [self] in
            acceptLoop()
            threads.leave()
        }
        thread.name = "LoopbackHTTPServer.accept"
        thread.start()
    }

    func stop() {
        state.withLock { state in
            guard !state.stopped else { return }
            state.stopped = true
            // Wakes the accept thread (accept() fails) and every connection thread (recv() returns 0).
            shutdown(listenSocket, Int32(SHUT_RDWR))
            for fd in state.openSockets { shutdown(fd, Int32(SHUT_RDWR)) }
        }
        _ = threads.wait(timeout: .now() + 5)
    }

    var isStopped: Bool { state.withLock { $0.stopped } }

    func acceptLoop() {
        while true {
            let fd = accept(listenSocket, nil, nil)
            if fd < 0 {
                if errno == EINTR, !isStopped { continue }
                break
            }
            var noDelay: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            let connection: Int? = state.withLock { state in
                guard !state.stopped else { return nil }
                state.openSockets.insert(fd)
                defer { state.nextConnection += 1 }
                return state.nextConnection
            }
            guard let connection else {
                close(fd)
                break
            }
            threads.enter()
            let thread = Thread { [self] in
                serve(fd, connection: connection)
                closeSocket(fd)
                threads.leave()
            }
            thread.name = "LoopbackHTTPServer.connection.\(connection)"
            thread.stackSize = 256 << 10
            thread.start()
        }
        // The listening socket stays open (shut down, so connections are refused) until the server is released:
        // its port stays reserved, so a test that stops the server and then connects gets "connection refused",
        // never another test's server that was given the same port.
        state.withLock { state in state.listening = false }
    }

    func closeSocket(_ fd: Int32) {
        state.withLock { state in
            if state.openSockets.remove(fd) != nil { close(fd) }
        }
    }

    // MARK: - One connection

    func serve(_ fd: Int32, connection: Int) {
        var reader = SocketReader(fd: fd)
        var served = 0
        while !isStopped {
            if let idleTimeout, served > 0, reader.buffer.isEmpty {
                var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&pollFD, 1, Int32(idleTimeout * 1000)) == 0 { return }  // idle: close without a word
            }
            served += 1
            guard let head = reader.readHead(limit: Self.maxHeaderBytes) else { return }
            guard let parsed = Self.parseHead(head) else {
                writeAll(fd, Self.responseBytes(status: 400, headers: ["Connection": "close"], body: []))
                return
            }
            let (method, target, version, headers) = parsed
            if headers["Expect"]?.lowercased() == "100-continue" {
                writeAll(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            }
            let body: [UInt8]
            if headers["Transfer-Encoding"]?.lowercased().contains("chunked") == true {
                guard let chunked = reader.readChunkedBody(limit: Self.maxBodyBytes) else { return }
                body = chunked
            } else if let lengthText = headers["Content-Length"] {
                guard let length = Int(lengthText.trimmingCharacters(in: .whitespaces)), length >= 0,
                    length <= Self.maxBodyBytes
                else {
                    writeAll(fd, Self.responseBytes(status: 400, headers: ["Connection": "close"], body: []))
                    return
                }
                guard let bytes = reader.readExactly(length) else { return }
                body = bytes
            } else {
                body = []
            }
            let request: LoopbackHTTPServer.RecordedRequest? = state.withLock { state in
                guard !state.stopped else { return nil }
                let request = LoopbackHTTPServer.RecordedRequest(
                    index: state.requests.count,
                    connection: connection,
                    method: method,
                    target: target,
                    headers: headers,
                    body: body,
                    arrival: Date()
                )
                state.requests.append(request)
                return request
            }
            guard let request else { return }
            let connectionHeader = headers["Connection"]?.lowercased() ?? ""
            let keepAlive =
                version == "HTTP/1.1" ? !connectionHeader.contains("close") : connectionHeader.contains("keep-alive")
            guard send(handler(request), on: fd, request: request.index, keepAlive: keepAlive), keepAlive else {
                return
            }
        }
    }

    /// Sends `reply`; returns false when the connection must be closed.
    func send(_ reply: LoopbackHTTPServer.Reply, on fd: Int32, request: Int, keepAlive: Bool) -> Bool {
        switch reply {
        case .response(let status, let headers, let body):
            var all = headers
            if !keepAlive { all["Connection"] = "close" }
            return writeAll(fd, Self.responseBytes(status: status, headers: all, body: body)) && keepAlive
        case .delay(let seconds, let then):
            guard waitWhileConnected(fd, seconds: seconds) else {
                state.withLock { state in
                    if !state.stopped { state.abandoned.append(request) }
                }
                return false
            }
            return send(then, on: fd, request: request, keepAlive: keepAlive)
        case .dropConnection:
            return false
        case .raw(let bytes):
            writeAll(fd, bytes)
            return false
        case .truncatedBody(let status, let headers, let declaredLength, let body):
            var all = headers
            all["Connection"] = "close"
            var bytes = Self.head(status: status, headers: all, contentLength: declaredLength)
            bytes += body.prefix(max(0, declaredLength - 1))  // always fewer bytes than declared
            writeAll(fd, bytes)
            return false
        }
    }

    /// Sleeps up to `seconds`; returns false early when the server stops or the client hangs up.
    func waitWhileConnected(_ fd: Int32, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if isStopped { return false }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return true }
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollFD, 1, Int32(min(remaining, 0.05) * 1000) + 1)
            if ready > 0 {
                if pollFD.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return false }
                // Readable: either a pipelined request (leave it) or end of stream (the client hung up).
                var byte: UInt8 = 0
                let peeked = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
                if peeked == 0 { return false }
                if peeked > 0 { usleep(10_000) }
            }
        }
    }

    @discardableResult
    func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                #if canImport(Glibc)
                    Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                #else
                    Darwin.send(fd, buffer.baseAddress! + offset, buffer.count - offset, 0)
                #endif
            }
            if written < 0, errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    // MARK: - HTTP text

    static func parseHead(_ head: [UInt8]) -> (String, String, String, LoopbackHTTPServer.Headers)? {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else { return nil }
        var fields: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields.append((name: name, value: value))
        }
        return (
            String(requestLine[0]), String(requestLine[1]), String(requestLine[2]),
            LoopbackHTTPServer.Headers(fields)
        )
    }

    static func head(status: Int, headers: [String: String], contentLength: Int) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(reason(status))\r\n"
        var names = Set<String>()
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            text += "\(name): \(value)\r\n"
            names.insert(name.lowercased())
        }
        if !names.contains("content-length") { text += "Content-Length: \(contentLength)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    static func responseBytes(status: Int, headers: [String: String], body: [UInt8]) -> [UInt8] {
        head(status: status, headers: headers, contentLength: body.count) + body
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 529: "Overloaded"
        default: "Status"
        }
    }
}

/// Buffered reads from one socket.
struct SocketReader {
    let fd: Int32
    var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// Reads more bytes into the buffer; false at end of stream or on error.
    mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer += chunk.prefix(count)
            return true
        }
    }

    /// The bytes up to (not including) the blank line that ends a request head.
    mutating func readHead(limit: Int) -> [UInt8]? {
        var searchFrom = 0
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer, from: searchFrom) {
                let head = Array(buffer[..<end])
                buffer.removeFirst(end + 4)
                return head
            }
            searchFrom = max(0, buffer.count - 3)
            if buffer.count > limit { return nil }
            guard fill() else { return nil }
        }
    }

    mutating func readLine() -> [UInt8]? {
        while true {
            if let end = Self.find([13, 10], in: buffer, from: 0) {
                let line = Array(buffer[..<end])
                buffer.removeFirst(end + 2)
                return line
            }
            if buffer.count > 64 << 10 { return nil }
            guard fill() else { return nil }
        }
    }

    mutating func readExactly(_ count: Int) -> [UInt8]? {
        while buffer.count < count {
            guard fill() else { return nil }
        }
        let bytes = Array(buffer[..<count])
        buffer.removeFirst(count)
        return bytes
    }

    mutating func readChunkedBody(limit: Int) -> [UInt8]? {
        var body: [UInt8] = []
        while true {
            guard let line = readLine() else { return nil }
            let sizeText = String(decoding: line, as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                return nil
            }
            if size == 0 {
                // Trailer fields, then a blank line.
                while let trailer = readLine(), !trailer.isEmpty {}
                return body
            }
            guard body.count + size <= limit, let chunk = readExactly(size), readLine() != nil else { return nil }
            body += chunk
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], Array(haystack[index..<index + needle.count]) == needle {
                return index
            }
            index += 1
        }
        return nil
    }
}

/// The loopback server could not start.
public struct LoopbackServerError: Error, Sendable, CustomStringConvertible {
    /// What failed, with the errno.
    public var description: String
    init(_ description: String) { self.description = description }
}
