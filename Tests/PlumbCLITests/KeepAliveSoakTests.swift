import Foundation
import PlumbCLI
import PlumbCore
import PlumbMetrics
import PlumbReports
import PlumbTestSupport
import Testing

/// Keep-alive against a server that closes idle connections without a word (uvicorn, llama.cpp and load balancers
/// do): no request may stall until its timeout. 200 requests here; `Benchmarks/keepalive-soak.sh` runs 10,000.
@Suite(.timeLimit(.minutes(10)))
struct KeepAliveSoakTests {
    static var requests: Int { Int(ProcessInfo.processInfo.environment["PLUMB_SOAK_REQUESTS"] ?? "") ?? 200 }

    @Test func noRequestStallsWhenTheServerClosesIdleConnections() async throws {
        let count = Self.requests
        // Answers take 0–20 ms; a connection idle for 5 ms is closed. Connections returned to the pool wait
        // there while others are busy, so many are closed under the client.
        let server = try LoopbackHTTPServer(idleTimeout: 0.005) { request in
            .delay(Double(request.index % 21) / 1000, then: echoCompletion(request))
        }
        let directory = TemporaryDirectory()
        let start = Date()
        let result = await plumb(
            "run",
            echoSuite(directory, count: count),
            "--model",
            "openai:m@\(server.baseURL.absoluteString)/v1",
            "--concurrency",
            "16",
            "--fixed-concurrency",
            "--timeout",
            "30",
            "--no-cache",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        let elapsed = Date().timeIntervalSince(start)
        let report = try loadReport(directory.file("run/report.json"))
        let stalled = report.items.filter { ($0.latency ?? 0) > 5 }
        let statistics = try #require(report.statistics)
        print(
            "keep-alive soak: \(count) items in \(String(format: "%.1f", elapsed)) s, \(server.connectionCount) "
                + "connections, \(statistics.requests) requests (\(statistics.retries) retried), "
                + "\(report.totals.tally.errors) errors, \(stalled.count) stalled"
        )
        #expect(result.code == 0, "\(result.err)")
        #expect(stalled.isEmpty, "\(stalled.count) requests took more than 5 s")
        #expect(report.totals.tally.errors == 0)
        #expect(server.connectionCount > 1, "the server closed idle connections")
        #expect(server.connectionCount < count, "connections were reused")
    }
}
