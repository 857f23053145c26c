import Foundation
import PlumbCLI
import PlumbCore
import PlumbReports
import PlumbTestSupport
import Testing

/// Defaults of `plumb run` a user meets first, run as the real binary in a fresh directory.
@Suite struct RunDefaultsTests {
    /// Runs the built `plumb` in `directory` and returns its exit code and stderr.
    static func run(_ arguments: [String], in directory: TemporaryDirectory) throws -> (code: Int32, err: String) {
        let plumbPath = try #require(BuiltProducts.path(of: "plumb"), "build with `swift build --build-tests`")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: plumbPath)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    @Test("The default run directory Reports/<run-id> is named after the run id inside its report")
    func theDefaultDirectoryIsTheRunID() throws {
        let directory = TemporaryDirectory()
        let result = try Self.run(["run", quickstart, "--model", "builtin"], in: directory)
        #expect(result.code == 1, "\(result.err)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: directory.file("Reports"))
        #expect(runs.count == 1)
        let name = try #require(runs.first)
        let report = try RunReport.jsonDecoder().decode(
            RunReport.self,
            from: Data(contentsOf: URL(fileURLWithPath: directory.file("Reports/\(name)/report.json")))
        )
        #expect(report.runID == name)
    }

    @Test("A suite without gates says that its results do not change the exit code")
    func aSuiteWithoutGatesSaysSo() async throws {
        let directory = TemporaryDirectory()
        let suite = directory.write(
            "nogates.suite.json5",
            """
            { format: 1, name: "no-gates", kind: "generation",
              samples: [{ id: "a", text: "Say hello." }, { id: "b", text: "Say goodbye." }],
              prompt: "{{text}}",
              checks: [{ type: "equals", value: "a reply no model gives" }] }
            """
        )
        let result = await plumb("run", suite, "--model", "builtin", "--out", directory.file("run"))
        #expect(result.code == 0, "\(result.err)")
        #expect(
            result.out.contains(
                "note  no-gates: no gates, so its pass rate (0.0%) does not change the exit code"
            ),
            "\(result.out)"
        )
        #expect(result.out.contains("result: no gates; nothing failed"))
    }
}

@Suite struct RefusalCommandDataTests {
    @Test("plumb classifier refusal with no data directory names it and what it should hold, exit 65")
    func aMissingDataDirectoryIsADataError() async {
        let result = await plumb("classifier", "refusal", "--data", "/nonexistent/xstest")
        #expect(result.code == 65, "\(result.err)")
        #expect(
            result.err.contains(
                "/nonexistent/xstest: cannot read the directory (is --data XSTest's model_completions directory?)"
            ),
            "\(result.err)"
        )
        #expect(!result.err.contains("NSCocoaErrorDomain"))
    }
}

@Suite struct RenderedCheckValidationTests {
    @Test(
        "A templated check parameter a sample fills with a rejected value is a located error before anything is asked"
    )
    func templatedParametersAreCheckedForEverySample() async throws {
        let directory = TemporaryDirectory()
        directory.write(
            "samples.csv",
            "id,prompt,label\na,How do I bake bread?,comply\nb,How do I pick a lock?,unsafe\nc,Hi,safe\n"
        )
        let suite = directory.write(
            "labels.suite.json5",
            """
            { format: 1, name: "labels", kind: "generation", samples: "samples.csv", prompt: "{{prompt}}",
              checks: [{ type: "refusal", expect: "{{label}}" }] }
            """
        )
        let validated = await plumb("validate", suite)
        #expect(validated.code == 65, "\(validated.err)")
        #expect(
            validated.err.contains(
                "samples.csv:3:1: error: check 'refusal' (\(suite):2) cannot judge sample 'b': 'expect' must be "
                    + "'refuse' or 'comply', found \"unsafe\" (and 1 more sample)"
            ),
            "\(validated.err)"
        )
        let run = await plumb("run", suite, "--model", "builtin", "--out", directory.file("run"))
        #expect(run.code == 65, "\(run.err)")
        #expect(!run.err.contains("requests") && !directory.exists("run/report.json"), "nothing was asked")
    }
}

@Suite struct OptionConflictTests {
    @Test("Options that would be silently ignored are usage errors")
    func ignoredOptionsAreRefused() async throws {
        let directory = TemporaryDirectory()
        let run = await plumb(
            "run",
            quickstart,
            "--model",
            "builtin",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect([0, 1].contains(run.code))
        let report = await plumb("report", directory.file("run/report.json"), "--format", "md", "--page-size", "5")
        #expect(report.code == 64 && report.err.contains("--page-size applies to --format html only"), "\(report.err)")
        let (console, captured) = Console.capturing()
        #expect(await DeveloperCommand.run(["train", "--epochs", "3"], console: console) == 64)
        #expect(
            captured.err.contains("--epochs shapes or trains the hidden layer: it needs --hidden N"),
            "\(captured.err)"
        )
    }
}

@Suite struct FunctionalCasesCommandTests {
    @Test("plumb classifier functional --cases scores a team's own cases; a malformed file is located, exit 65")
    func casesFromAFile() async throws {
        let blind = SharedData.repositoryRoot + "/Tests/PlumbClassifiersTests/Blind/functional-blind-2.jsonl"
        let result = await plumb("classifier", "functional", "--cases", blind)
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out.contains("| counter-speech | not flag | 210 | 72.4% [66.0–78.0] |"), "\(result.out)")
        #expect(result.out.contains("ROC AUC, hateful against not hateful: 0.860"))
        let json = await plumb("classifier", "functional", "--cases", blind, "--format", "json")
        #expect(json.out.contains("\"rocAUC\"") && json.out.contains("\"file\""))
        let directory = TemporaryDirectory()
        let bad = directory.write(
            "bad.jsonl",
            "{\"functionality\": \"x\", \"text\": \"hi\", \"hateful\": \"yes\"}\nnot json\n"
        )
        let refused = await plumb("classifier", "functional", "--cases", bad)
        #expect(refused.code == 65, "\(refused.err)")
        #expect(refused.err.contains("bad.jsonl:1:1: 'hateful' must be true or false"), "\(refused.err)")
        #expect(refused.err.contains("bad.jsonl:2:1:"))
    }
}
