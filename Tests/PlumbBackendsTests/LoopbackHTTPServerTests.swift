import Foundation
import PlumbTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct LoopbackHTTPServerTests {
    @Test func answersAndRecordsARequest() async throws {
        let server = try LoopbackHTTPServer { request in
            .json(["echo": request.bodyText], status: 201, headers: ["X-Answer": "yes"])
        }
        #expect(server.baseURL.absoluteString == "http://127.0.0.1:\(server.port)")
        var request = URLRequest(url: server.baseURL.appendingPathComponent("v1/things"))
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"a":1}"#.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("hello", forHTTPHeaderField: "X-Custom")
        let before = Date()
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 201)
        #expect(http.value(forHTTPHeaderField: "x-answer") == "yes")
        #expect(String(decoding: data, as: UTF8.self) == #"{"echo":"{\"a\":1}"}"#)

        let recorded = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(recorded.index == 0)
        #expect(recorded.method == "POST")
        #expect(recorded.path == "/v1/things")
        #expect(recorded.headers["x-custom"] == "hello")
        #expect(recorded.headers["X-CUSTOM"] == "hello")
        #expect(recorded.headers["content-type"] == "application/json")
        #expect(recorded.body == Array(#"{"a":1}"#.utf8))
        #expect(recorded.jsonObject?["a"] as? Int == 1)
        #expect(recorded.arrival >= before.addingTimeInterval(-1) && recorded.arrival <= Date())
    }

    @Test func keepsConnectionsAlive() throws {
        let server = try LoopbackHTTPServer { request in .text("answer \(request.index)") }
        let client = try RawClient(port: server.port)
        for index in 0..<3 {
            try client.send("GET /x/\(index) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 200)
            #expect(response.bodyText == "answer \(index)")
        }
        #expect(server.connectionCount == 1)
        #expect(Set(server.requests.map(\.connection)) == [0])
        #expect(server.requests.map(\.path) == ["/x/0", "/x/1", "/x/2"])
    }

    @Test func urlSessionReusesItsConnection() async throws {
        let server = try LoopbackHTTPServer { _ in .text("ok") }
        let session = URLSession(configuration: .default)
        for _ in 0..<3 {
            let (data, _) = try await session.data(from: server.baseURL.appendingPathComponent("ping"))
            #expect(String(decoding: data, as: UTF8.self) == "ok")
        }
        #expect(server.requests.count == 3)
        #expect(server.connectionCount == 1)
    }

    @Test func servesSixtyFourConcurrentConnections() async throws {
        let clients = 64
        let arrived = Atomic<Int>(0)
        // Each request waits until all 64 have arrived: only a server that serves them at the same time answers
        // every one with "together".
        let server = try LoopbackHTTPServer { _ in
            arrived.add(1, ordering: .sequentiallyConsistent)
            let deadline = Date().addingTimeInterval(20)
            while arrived.load(ordering: .sequentiallyConsistent) < clients, Date() < deadline { usleep(5_000) }
            return .text(arrived.load(ordering: .sequentiallyConsistent) >= clients ? "together" : "alone")
        }
        let answers = Mutex<[String]>([])
        let threads = DispatchGroup()
        for index in 0..<clients {
            threads.enter()
            Thread {
                defer { threads.leave() }
                do {
                    let client = try RawClient(port: server.port)
                    try client.send("GET /c/\(index) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    let text = client.readResponse()?.bodyText ?? "no answer"
                    answers.withLock { $0.append(text) }
                } catch {
                    answers.withLock { $0.append("\(error)") }
                }
            }.start()
        }
        let finished = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: threads.wait(timeout: .now() + 30) == .success)
            }
        }
        #expect(finished)
        #expect(answers.withLock { $0 } == Array(repeating: "together", count: clients))
        #expect(server.connectionCount == clients)
    }

    @Test func handlesExpectContinueAndChunkedBodies() throws {
        let server = try LoopbackHTTPServer { request in .text("got \(request.bodyText)") }
        let client = try RawClient(port: server.port)
        try client.send(
            "POST /e HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
        )
        let interim = try #require(client.readResponse())
        #expect(interim.status == 100)
        try client.send("hello")
        let final = try #require(client.readResponse())
        #expect(final.status == 200)
        #expect(final.bodyText == "got hello")

        try client.send(
            "POST /c HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\nabcd\r\n3;ext=1\r\nefg\r\n0\r\n\r\n"
        )
        #expect(client.readResponse()?.bodyText == "got abcdefg")
        #expect(server.requests.map(\.bodyText) == ["hello", "abcdefg"])
    }

    @Test func dropsTheConnectionWithoutAnswering() throws {
        let server = try LoopbackHTTPServer { _ in .dropConnection }
        let client = try RawClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(client.readToEnd().isEmpty)
        #expect(server.requests.count == 1)
    }

    @Test func truncatesTheBody() throws {
        let body = Array(#"{"choices": [{"text": "a long answer"}]}"#.utf8)
        let server = try LoopbackHTTPServer { _ in .truncatedJSON(body) }
        let client = try RawClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let raw = client.readToEnd()
        let text = String(decoding: raw, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.contains("Content-Length: \(body.count)\r\n"))
        let received = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        #expect(received.utf8.count < body.count)
        #expect(!received.isEmpty)
    }

    @Test func delaysAndNoticesAClientThatHangsUp() async throws {
        let server = try LoopbackHTTPServer { _ in .delay(0.3, then: .text("late")) }
        let start = ContinuousClock.now
        let (data, _) = try await URLSession.shared.data(from: server.baseURL)
        #expect(String(decoding: data, as: UTF8.self) == "late")
        #expect(secondsSince(start) >= 0.25)

        let slow = try LoopbackHTTPServer { _ in .delay(30, then: .text("never")) }
        let client = try RawClient(port: slow.port)
        try client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(await eventually { slow.requests.count == 1 })
        client.close()
        #expect(await eventually { slow.abandonedRequests == [0] })
    }

    @Test func answersBySequenceAndStatusHelpers() async throws {
        let server = try LoopbackHTTPServer(replies: [
            .status(429, retryAfter: "3"), .malformedJSON, .json(["n": 3]),
        ])
        var results: [(Int, String, String?)] = []
        for _ in 0..<4 {
            let (data, response) = try await URLSession.shared.data(from: server.baseURL)
            let http = try #require(response as? HTTPURLResponse)
            results.append(
                (http.statusCode, String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Retry-After"))
            )
        }
        #expect(results[0].0 == 429 && results[0].1.isEmpty && results[0].2 == "3")
        #expect(results[1].0 == 200 && (try? JSONSerialization.jsonObject(with: Data(results[1].1.utf8))) == nil)
        #expect(results[2].0 == 200 && results[2].1 == #"{"n":3}"#)
        #expect(results[3].1 == #"{"n":3}"#)
    }

    @Test func faultPlanIsDeterministicAndRoughlyAtItsRate() throws {
        let plan = LoopbackHTTPServer.FaultPlan(faultRate: 0.2, seed: 42)
        let faulty = (0..<2000).filter { plan.fault(forRequest: $0) != nil }
        #expect((300...500).contains(faulty.count))
        let again = LoopbackHTTPServer.FaultPlan(faultRate: 0.2, seed: 42)
        #expect((0..<2000).filter { again.fault(forRequest: $0) != nil } == faulty)
        let other = LoopbackHTTPServer.FaultPlan(faultRate: 0.2, seed: 43)
        #expect((0..<2000).filter { other.fault(forRequest: $0) != nil } != faulty)
        let never = LoopbackHTTPServer.FaultPlan(faultRate: 0, seed: 1)
        #expect((0..<500).allSatisfy { never.fault(forRequest: $0) == nil })
        let always = LoopbackHTTPServer.FaultPlan(faultRate: 1, seed: 1, faults: [.status(503)])
        #expect((0..<500).allSatisfy { always.fault(forRequest: $0) != nil })

        // Served: the faulty requests get a fault, the others the normal answer.
        let server = try LoopbackHTTPServer(handler: plan.handler { _ in .text("fine") })
        var statuses: [Int] = []
        for index in 0..<40 {
            let client = try RawClient(port: server.port)
            try client.send("GET /\(index) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            statuses.append(client.readResponse()?.status ?? 0)
        }
        for (index, status) in statuses.enumerated() {
            #expect((status == 200) == (plan.fault(forRequest: index) == nil), "request \(index): \(status)")
        }
    }

    @Test func stopsCleanlyWithConnectionsOpenAndRepliesPending() async throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/slow" ? .delay(30, then: .text("never")) : .text("ok")
        }
        let port = server.port
        let idle = try RawClient(port: port)
        try idle.send("GET /fast HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(idle.readResponse()?.bodyText == "ok")
        let waiting = try RawClient(port: port)
        try waiting.send("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(await eventually { server.requests.count == 2 })
        #expect(server.openConnectionCount == 2)

        let start = ContinuousClock.now
        server.stop()
        #expect(secondsSince(start) < 3)
        #expect(server.openConnectionCount == 0)
        #expect(waiting.readToEnd().isEmpty)
        #expect(idle.readToEnd().isEmpty)
        #expect(throws: (any Error).self) { try RawClient(port: port) }
        server.stop()  // a second stop is harmless
    }

    @Test func deinitStops() throws {
        var port = 0
        do {
            let server = try LoopbackHTTPServer { _ in .text("ok") }
            port = server.port
            let client = try RawClient(port: port)
            try client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(client.readResponse()?.bodyText == "ok")
        }
        #expect(throws: (any Error).self) { try RawClient(port: port) }
    }
}

/// A blocking HTTP/1.1 client on one socket, for testing the server below what URLSession shows.
final class RawClient {
    struct Response {
        var status: Int
        var head: String
        var body: [UInt8]
        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32
    var buffer: [UInt8] = []
    var closed = false

    init(port: Int) throws {
        #if canImport(Glibc)
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else {
            closed = true
            throw Failure(description: "socket failed")
        }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            // Closed here, once: `deinit` runs for this object too and must not close the number again (by then it
            // may belong to another test's socket or pipe).
            closed = true
            closeDescriptor(fd)
            throw Failure(description: "connect to port \(port) failed: errno \(code)")
        }
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        closeDescriptor(fd)
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                sendBytes(fd, $0.baseAddress! + offset, $0.count - offset)
            }
            guard written > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            offset += written
        }
    }

    func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer += chunk.prefix(count)
        return true
    }

    /// One response (a `100 Continue` counts as one), or nil when the connection ends first.
    func readResponse() -> Response? {
        var end: Int?
        while true {
            if buffer.count >= 4 {
                end = (0...(buffer.count - 4)).first { buffer[$0..<$0 + 4].elementsEqual([13, 10, 13, 10]) }
            }
            if end != nil { break }
            guard fill() else { return nil }
        }
        guard let end else { return nil }
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeFirst(end + 4)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        var length = 0
        for line in head.components(separatedBy: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                length = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        while buffer.count < length {
            guard fill() else { return nil }
        }
        let body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return Response(status: status, head: head, body: body)
    }

    /// Everything until the server closes the connection.
    func readToEnd() -> [UInt8] {
        while fill() {}
        defer { buffer = [] }
        return buffer
    }
}

private func closeDescriptor(_ fd: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(fd)
    #else
        _ = Darwin.close(fd)
    #endif
}

private func sendBytes(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.send(fd, pointer, count, Int32(MSG_NOSIGNAL))
    #else
        Darwin.send(fd, pointer, count, 0)
    #endif
}
