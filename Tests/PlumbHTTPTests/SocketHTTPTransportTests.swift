import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import PlumbTestSupport
import Testing

@testable import PlumbHTTP

/// Plumb's HTTP/1.1 client against a real loopback server, answer shape by answer shape.
@Suite struct SocketHTTPTransportTests {
    func post(_ server: LoopbackHTTPServer, timeout: Double? = 10, transport: SocketHTTPTransport = .init())
        async throws -> HTTPResponseMessage
    {
        try await transport.send(
            HTTPRequestMessage(
                url: server.baseURL.appendingPathComponent("v1/x"),
                headers: [("Content-Type", "application/json")],
                body: Array("{}".utf8)
            ),
            timeout: timeout
        )
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var raw: String
        var status: Int
        var body: String
        var testDescription: String { label }
    }

    static let answers: [Case] = [
        Case(
            label: "content-length",
            raw: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            status: 200,
            body: "hello"
        ),
        Case(
            label: "chunked, with an extension and a trailer",
            raw:
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n",
            status: 200,
            body: "hello world"
        ),
        Case(
            label: "delimited by the close",
            raw: "HTTP/1.1 200 OK\r\n\r\nuntil the end",
            status: 200,
            body: "until the end"
        ),
        Case(
            label: "100 Continue first",
            raw: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
            status: 201,
            body: "ok"
        ),
        Case(label: "HTTP/1.0", raw: "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n", status: 404, body: ""),
        Case(label: "204 has no body", raw: "HTTP/1.1 204 No Content\r\n\r\n", status: 204, body: ""),
    ]

    @Test(arguments: answers)
    func readsEveryShapeOfAnswer(_ testCase: Case) async throws {
        let bytes = Array(testCase.raw.utf8)
        let server = try LoopbackHTTPServer { _ in .raw(bytes) }
        let response = try await post(server)
        #expect(response.status == testCase.status)
        #expect(String(decoding: response.body, as: UTF8.self) == testCase.body)
    }

    @Test func sendsHostLengthAndKeepAlive() async throws {
        let server = try LoopbackHTTPServer { _ in .text("ok") }
        _ = try await post(server)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.target == "/v1/x")
        #expect(request.headers["Host"] == "127.0.0.1:\(server.port)")
        #expect(request.headers["Content-Length"] == "2")
        #expect(request.headers["Connection"] == "keep-alive")
        #expect(request.bodyText == "{}")
    }

    @Test func headerValuesCannotSmuggleHeaders() async throws {
        let server = try LoopbackHTTPServer { _ in .text("ok") }
        _ = try await SocketHTTPTransport().send(
            HTTPRequestMessage(url: server.baseURL, headers: [("X-A", "a\r\nX-Evil: 1")], body: []),
            timeout: 10
        )
        let request = try #require(server.requests.first)
        #expect(request.headers["X-Evil"] == nil)
        #expect(request.headers["X-A"] == "aX-Evil: 1")
    }

    @Test func failures() async throws {
        func kind(_ reply: LoopbackHTTPServer.Reply, timeout: Double? = 10) async throws -> HTTPTransportError.Kind? {
            let server = try LoopbackHTTPServer { _ in reply }
            do {
                _ = try await post(server, timeout: timeout)
                return nil
            } catch let error as HTTPTransportError {
                return error.kind
            }
        }
        #expect(try await kind(.raw(Array("SSH-2.0-OpenSSH_9.2\r\n".utf8))) == .notHTTP)
        #expect(
            try await kind(.raw(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort".utf8))) == .connectionLost
        )
        #expect(try await kind(.dropConnection) == .connectionLost)
        #expect(try await kind(.delay(5, then: .text("late")), timeout: 0.3) == .timeout)
        let huge = "HTTP/1.1 200 OK\r\nContent-Length: \(SocketHTTPTransport.maxBodyBytes + 1)\r\n\r\n"
        #expect(try await kind(.raw(Array(huge.utf8))) == .tooLarge)
        let longHeaders = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 70_000) + "\r\n\r\n"
        #expect(try await kind(.raw(Array(longHeaders.utf8))) == .tooLarge)
    }

    @Test func aTimeoutIsKeptToTheMillisecond() async throws {
        let server = try LoopbackHTTPServer { _ in .delay(30, then: .text("late")) }
        let start = ContinuousClock.now
        await #expect(throws: HTTPTransportError.self) { _ = try await post(server, timeout: 0.4) }
        let elapsed = ContinuousClock.now - start
        // Not early, and long before the server's answer at 30 s (the upper bound leaves room for a loaded machine).
        #expect(elapsed >= .milliseconds(390) && elapsed < .seconds(20))
    }

    @Test func cancellingTheTaskClosesTheConnectionAtOnce() async throws {
        let server = try LoopbackHTTPServer { _ in .delay(30, then: .text("late")) }
        let task = Task { try await post(server, timeout: 60) }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let start = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(ContinuousClock.now - start < .seconds(10), "long before the server's answer at 30 s")
        // The server sees the client hang up.
        let deadline = ContinuousClock.now + .seconds(10)
        while server.abandonedRequests.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(server.abandonedRequests == [0])
    }

    @Test func aRedirectIsReturnedNotFollowed() async throws {
        let other = try LoopbackHTTPServer { _ in .text("elsewhere") }
        let server = try LoopbackHTTPServer { _ in
            .text("", status: 307, headers: ["Location": "http://localhost:\(other.port)/v1/x"])
        }
        let response = try await post(server)
        #expect(response.status == 307)
        #expect(response.header("Location") == "http://localhost:\(other.port)/v1/x")
        #expect(other.requests.isEmpty)
    }

    @Test func urlSessionGetsTheCallersTimeoutNotA60SecondDefault() {
        let transport = URLSessionTransport(connections: 4, timeout: 90, reuseConnections: false)
        #expect(transport.configuration.timeoutIntervalForRequest == 90)
        #expect(transport.configuration.timeoutIntervalForResource >= 90)
    }
}
