import PlumbMetrics
import Foundation
import PlumbCLI
import PlumbCore
import PlumbReports
import PlumbRunner
import PlumbTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the real `plumb` binary as a child process, kills or interrupts it mid-run, and resumes.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CrashAndSignalTests {
    func binaries() throws -> (plumb: String, fake: String) {
        let plumb = try #require(BuiltProducts.path(of: "plumb"), "build with `swift build --build-tests`")
        let fake = try #require(BuiltProducts.path(of: "plumb-fake-model"), "build with `swift build --build-tests`")
        return (plumb, fake)
    }

    func writeSuite(_ directory: TemporaryDirectory, count: Int) -> String {
        let samples = (0..<count).map { "{\"id\": \"s\($0)\", \"q\": \"question \($0)\"}" }.joined(separator: "\n")
        directory.write("s.jsonl", samples + "\n")
        return directory.write(
            "s.suite.json5",
            """
            { name: "crash", kind: "generation", samples: "s.jsonl", prompt: "{{q}}",
              checks: [{ type: "contains", value: "echo: {{q}}" }] }
            """
        )
    }

    func journalLines(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        return data.split(separator: UInt8(ascii: "\n")).count
    }

    func start(_ plumb: String, _ arguments: [String], stderr: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: plumb)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        if let stderr {
            FileManager.default.createFile(atPath: stderr, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }

    func waitForJournal(_ path: String, lines: Int, process: Process) async throws {
        let deadline = Date().addingTimeInterval(60)
        while journalLines(path) < lines {
            try #require(process.isRunning, "plumb exited before the journal had \(lines) lines")
            try #require(Date() < deadline, "the journal did not grow")
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func aRunKilledWithSIGKILLResumesAskingOnlyForWhatIsMissing() async throws {
        let (plumbPath, fake) = try binaries()
        let directory = TemporaryDirectory()
        let suite = writeSuite(directory, count: 100)
        let out = directory.file("run")
        let model = "command:\(fake) --delay-ms 60"
        let process = try start(
            plumbPath,
            ["run", suite, "--model", model, "--concurrency", "2", "--no-cache", "--out", out, "--format", "none"]
        )
        try await waitForJournal(out + "/journal.jsonl", lines: 8, process: process)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(!FileManager.default.fileExists(atPath: out + "/report.json"))
        let journaled = try RunJournal.read(out + "/journal.jsonl").results.count
        #expect(journaled >= 7 && journaled < 100)

        let resumed = await plumb("run", "--resume", out)
        #expect(resumed.code == 0, "\(resumed.err)")
        #expect(resumed.err.contains("\(100 - journaled) requests"))
        #expect(resumed.err.contains("\(journaled) resumed"))
        let report = try loadReport(out + "/report.json")
        #expect(report.items.count == 100)
        #expect(report.items.allSatisfy { $0.outcome == .pass })

        let whole = await plumb(
            "run",
            suite,
            "--model",
            model,
            "--no-cache",
            "--out",
            directory.file("whole"),
            "--format",
            "none"
        )
        #expect(whole.code == 0)
        let uninterrupted = try loadReport(directory.file("whole/report.json"))
        #expect(comparable(report.items) == comparable(uninterrupted.items))
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsTheRunKeepsWhatFinishedAndExits130(_ signalNumber: Int32) async throws {
        let (plumbPath, fake) = try binaries()
        let directory = TemporaryDirectory()
        let suite = writeSuite(directory, count: 200)
        let out = directory.file("run")
        let process = try start(
            plumbPath,
            [
                "run", suite, "--model", "command:\(fake) --delay-ms 30", "--concurrency", "2", "--no-cache", "--out",
                out,
                "--format", "none",
            ],
            stderr: directory.file("stderr.txt")
        )
        try await waitForJournal(out + "/journal.jsonl", lines: 4, process: process)
        kill(process.processIdentifier, signalNumber)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        // The hint names the run directory to resume, not a placeholder.
        let stderr = directory.read("stderr.txt") ?? ""
        #expect(stderr.contains("resume with 'plumb run --resume \(out)'"), "\(stderr)")
        let report = try loadReport(out + "/report.json")
        #expect(report.status == .interrupted)
        let finished = report.items.filter { $0.outcome == .pass }.count
        #expect(finished >= 3 && finished < 200)
        #expect(report.items.filter { $0.error?.code == "notRun" }.count == 200 - finished)
        #expect(try RunJournal.read(out + "/journal.jsonl").results.count == finished)
    }

    /// `plumb run … | head -1`: the reader goes away before plumb writes; plumb must not die of SIGPIPE, and it
    /// still writes its report and exits with the verdict.
    @Test func aReaderThatQuitsDoesNotKillTheRun() throws {
        let plumbPath = try #require(BuiltProducts.path(of: "plumb"))
        let directory = TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: plumbPath)
        process.arguments = [
            "run", SharedData.repositoryRoot + "/Suites/quickstart", "--model", "builtin", "--out",
            directory.file("run"), "--format", "json",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try out.fileHandleForReading.close()  // the reader is gone before plumb writes a byte
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "plumb was killed by signal \(process.terminationStatus)")
        #expect(process.terminationStatus == 1)
        #expect(directory.exists("run/report.json"))
    }
}
