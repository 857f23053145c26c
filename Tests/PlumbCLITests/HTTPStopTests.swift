import Foundation
import PlumbCLI
import PlumbCore
import PlumbReports
import PlumbTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Stopping a run against an HTTP server — SIGINT, SIGTERM, or an error budget that trips — ends it with its exit
/// code and its report within seconds, every time, as a real child process (0.1 hung in about one stop in eight:
/// a lock-order inversion between URLSession's cancellation and its completion). A few trials run here on every
/// CI run; `Benchmarks/stop-trials.sh` runs the full count.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct HTTPStopTests {
    static var trials: Int { Int(ProcessInfo.processInfo.environment["PLUMB_STOP_TRIALS"] ?? "") ?? 4 }

    func plumbBinary() throws -> String {
        try #require(BuiltProducts.path(of: "plumb"), "build with `swift build --build-tests`")
    }

    /// 50 ms per answer; 30% of answers are malformed JSON (a permanent error).
    func faultyServer(seed: UInt64) throws -> LoopbackHTTPServer {
        let plan = LoopbackHTTPServer.FaultPlan(faultRate: 0.3, seed: seed, faults: [.malformedJSON])
        let inner = plan.handler(echoCompletion)
        return try LoopbackHTTPServer { request in .delay(0.05, then: inner(request)) }
    }

    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try plumbBinary())
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for the process to exit; false (and a SIGKILL) when it is still running after `seconds`.
    func exits(_ process: Process, within seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return false
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    func journalLines(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        return data.split(separator: UInt8(ascii: "\n")).count
    }

    @Test func aSignalAtAnyPointEndsTheRunWithItsReport() async throws {
        defer { print("stop trials: \(Self.trials) SIGINT/SIGTERM stops") }
        for trial in 0..<Self.trials {
            let server = try faultyServer(seed: UInt64(trial))
            let directory = TemporaryDirectory()
            let out = directory.file("run")
            let process = try start([
                "run", echoSuite(directory, count: 300), "--model", "openai:m@\(server.baseURL.absoluteString)/v1",
                "--concurrency", "8", "--retries", "0", "--no-cache", "--out", out, "--format", "none",
            ])
            // Wait until requests are in flight, then stop it part way through.
            let wanted = 2 + trial * 7 % 30
            let deadline = Date().addingTimeInterval(30)
            while journalLines(out + "/journal.jsonl") < wanted, process.isRunning, Date() < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            kill(process.processIdentifier, trial % 2 == 0 ? SIGINT : SIGTERM)
            let ended = await exits(process, within: 10)
            #expect(ended, "trial \(trial): plumb did not exit within 10 s of the signal")
            guard ended else { continue }
            #expect(process.terminationStatus == 130, "trial \(trial)")
            #expect(try loadReport(out + "/report.json").status == .interrupted, "trial \(trial)")
        }
    }

    @Test func anErrorBudgetThatTripsEndsTheRunWithItsReport() async throws {
        defer { print("stop trials: \(Self.trials) error-budget stops") }
        for trial in 0..<Self.trials {
            let server = try faultyServer(seed: 100 + UInt64(trial))
            let directory = TemporaryDirectory()
            let out = directory.file("run")
            let process = try start([
                "run", echoSuite(directory, count: 300), "--model", "openai:m@\(server.baseURL.absoluteString)/v1",
                "--concurrency", "8", "--retries", "0", "--max-errors", "1", "--no-cache", "--out", out, "--format",
                "none",
            ])
            let ended = await exits(process, within: 20)
            #expect(ended, "trial \(trial): plumb did not exit within 20 s")
            guard ended else { continue }
            #expect(process.terminationStatus == 69, "trial \(trial)")
            #expect(try loadReport(out + "/report.json").status == .aborted, "trial \(trial)")
        }
    }

    /// A signal in the first fraction of a second — while suites load — ends the run with 130, not a killed process.
    @Test func aSignalWhileSuitesLoadIsAnInterruptionNotAKill() async throws {
        let directory = TemporaryDirectory()
        // Enough samples that loading takes a while.
        let samples = (0..<150_000).map { "{\"id\": \"s\($0)\", \"q\": \"question \($0)\"}" }.joined(separator: "\n")
        directory.write("big.jsonl", samples + "\n")
        let suite = directory.write(
            "big.suite.json5",
            "{ name: \"big\", kind: \"generation\", samples: \"big.jsonl\", prompt: \"{{q}}\", "
                + "checks: [{ type: \"contains\", value: \"x\" }] }"
        )
        let process = try start([
            "run", suite, "--model", "builtin", "--out", directory.file("run"), "--format", "none",
        ])
        try await Task.sleep(for: .milliseconds(150))
        kill(process.processIdentifier, SIGINT)
        let ended = await exits(process, within: 20)
        #expect(ended)
        #expect(process.terminationReason == .exit, "killed by the signal instead of handling it")
        #expect(process.terminationStatus == 130)
    }

    /// `--timeout` is honoured to within a second, from the flag as from plumb.json5, above 60 s as below.
    @Test func theTimeoutFlagReachesTheHTTPClient() async throws {
        let server = try LoopbackHTTPServer { request in .delay(8, then: echoCompletion(request)) }
        let directory = TemporaryDirectory()
        let start = Date()
        let result = await plumb(
            "run",
            echoSuite(directory, count: 1),
            "--model",
            "openai:m@\(server.baseURL.absoluteString)/v1",
            "--timeout",
            "1",
            "--retries",
            "0",
            "--no-cache",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        let elapsed = Date().timeIntervalSince(start)
        #expect(result.code == 69)
        // Not before the 1 s timeout, and long before the server's answer at 8 s (room for a loaded CI machine).
        #expect(elapsed >= 0.9 && elapsed < 6, "timed out after \(elapsed) s")
        let item = try #require(try loadReport(directory.file("run/report.json")).items.first)
        #expect(item.error?.code == "timeout")
    }
}
