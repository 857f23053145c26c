import PlumbMetrics
import Foundation
import PlumbCLI
import PlumbClassifiers
import PlumbCore
import PlumbReports
import PlumbTestSupport
import Testing

func loadReport(_ path: String) throws -> RunReport {
    try RunReport.decode(from: try #require(FileManager.default.contents(atPath: path)))
}

/// Items without the fields that legitimately differ between runs (timings).
func comparable(_ items: [ItemResult]) -> [ItemResult] {
    items.map { item in
        var item = item
        item.latency = nil
        return item
    }
}

@Suite struct ShardAndMergeCLITests {
    @Test func shardsMergeIntoTheReportOfTheWholeRun() async throws {
        let directory = TemporaryDirectory()
        let whole = await plumb(
            "run",
            quickstart,
            "--model",
            "builtin",
            "--out",
            directory.file("whole"),
            "--format",
            "none"
        )
        #expect(whole.code == 1)
        var shardReports: [String] = []
        for index in 1...3 {
            let out = directory.file("shard\(index)")
            let result = await plumb(
                "run",
                quickstart,
                "--model",
                "builtin",
                "--shard",
                "\(index)/3",
                "--out",
                out,
                "--format",
                "none"
            )
            #expect(result.err.contains("shard \(index)/3"))
            shardReports.append(out + "/report.json")
        }
        let parts = try shardReports.map(loadReport)
        #expect(parts.map(\.items.count).reduce(0, +) == 48)
        #expect(parts.allSatisfy { $0.items.count > 5 })

        // Merge in a scrambled order: the result is in plan order anyway.
        let merged = await plumb(
            "merge",
            shardReports[2],
            shardReports[0],
            shardReports[1],
            "--out",
            directory.file("merged")
        )
        #expect(merged.code == 1, "\(merged.err)")
        let a = try loadReport(directory.file("whole/report.json"))
        let b = try loadReport(directory.file("merged/report.json"))
        #expect(comparable(a.items) == comparable(b.items))
        #expect(a.suites.map(\.metrics) == b.suites.map(\.metrics))
        #expect(a.suites.map(\.gates) == b.suites.map(\.gates))
        #expect(b.shard == nil)
    }

    @Test func mergeRefusesMissingOrDuplicateOrForeignShards() async throws {
        let directory = TemporaryDirectory()
        for index in 1...2 {
            _ = await plumb(
                "run",
                quickstart,
                "--model",
                "builtin",
                "--shard",
                "\(index)/2",
                "--out",
                directory.file("s\(index)"),
                "--format",
                "none"
            )
        }
        _ = await plumb(
            "run",
            quickstart + "/refusal.suite.json5",
            "--model",
            "builtin",
            "--shard",
            "1/2",
            "--out",
            directory.file("other"),
            "--format",
            "none"
        )
        let missing = await plumb("merge", directory.file("s1/report.json"), "--out", directory.file("m1"))
        #expect(missing.code == 65)
        #expect(missing.err.contains("shard 2/2 missing"))
        let twice = await plumb(
            "merge",
            directory.file("s1/report.json"),
            directory.file("s1/report.json"),
            "--out",
            directory.file("m2")
        )
        #expect(twice.err.contains("shard 1/2 is given twice"))
        let foreign = await plumb(
            "merge",
            directory.file("s1/report.json"),
            directory.file("other/report.json"),
            "--out",
            directory.file("m3")
        )
        #expect(foreign.err.contains("other suites"))
        #expect(!directory.exists("m1/report.json") && !directory.exists("m2/report.json"))
    }
}

@Suite struct ResumeCLITests {
    @Test("Rerunning into the --out of a run is refused; --resume finishes it, --overwrite starts afresh")
    func rerunningWithTheSameOutIsRefusedUnlessResumeOrOverwrite() async throws {
        let directory = TemporaryDirectory()
        let out = directory.file("run")
        let first = await plumb("run", quickstart, "--model", "builtin", "--out", out, "--format", "none")
        #expect(first.code == 1)
        let runID = try loadReport(out + "/report.json").runID
        let manifest = try #require(directory.read("run/run.json"))
        for extra in [[], ["--no-cache"], ["--tag", "harmful"]] {
            let again = await plumb(
                ["run", quickstart, "--model", "builtin", "--out", out, "--format", "none"] + extra
            )
            #expect(again.code == 64, "\(again.err)")
            #expect(directory.read("run/run.json") == manifest, "a refused rerun writes nothing, run.json included")
            guard extra.isEmpty || extra == ["--no-cache"] else {
                #expect(again.err.contains("holds another run (it asked the whole suites, not --tag harmful)"))
                continue
            }
            #expect(
                again.err.contains(
                    "'\(out)' holds run \(runID) (48 of 48 items finished); pass --resume \(out) to finish or "
                        + "report it again, or --overwrite to start afresh"
                ),
                "\(again.err)"
            )
            #expect(!again.err.contains("resumed"))
        }
        #expect(try loadReport(out + "/report.json").runID == runID, "the refused rerun changed nothing")
        let both = await plumb("run", "--resume", out, "--overwrite")
        #expect(
            both.code == 64 && both.err.contains("--resume takes no other arguments ('--overwrite')"),
            "\(both.err)"
        )
        let resumed = await plumb("run", "--resume", out)
        #expect(resumed.code == 1, "\(resumed.err)")
        #expect(resumed.err.contains("48 resumed"))
        #expect(try loadReport(out + "/report.json").runID == runID)
        let fresh = await plumb(
            "run",
            quickstart,
            "--model",
            "builtin",
            "--out",
            out,
            "--format",
            "none",
            "--overwrite"
        )
        #expect(fresh.code == 1 && fresh.err.contains("48 requests"), "\(fresh.err)")
        #expect(try loadReport(out + "/report.json").runID != runID)
    }

    @Test("--resume refuses a run whose outputs were scored by another classifier version, naming both")
    func resumeRefusesAnotherScoring() async throws {
        let directory = TemporaryDirectory()
        let out = directory.file("run")
        let first = await plumb("run", quickstart, "--model", "builtin", "--out", out, "--format", "none")
        #expect(first.code == 1)
        let journal = try #require(directory.read("run/journal.jsonl"))
        let header = try #require(journal.split(separator: "\n").first.map(String.init))
        let version = try ToxicityClassifier.shipped().identity.version
        #expect(header.contains("\"classifier toxicity\":\"plumb-toxicity \(version)\""), "\(header)")
        let older = header.replacingOccurrences(of: version, with: "1+000000000000")
        directory.write("run/journal.jsonl", journal.replacingOccurrences(of: header, with: older))
        let resumed = await plumb("run", "--resume", out)
        #expect(resumed.code == 64, "\(resumed.err)")
        #expect(
            resumed.err.contains(
                "holds another run (it was scored with classifier toxicity plumb-toxicity 1+000000000000, now "
                    + "plumb-toxicity \(version))"
            ),
            "\(resumed.err)"
        )
    }

    @Test func aJournalOfAnotherRunIsNotReusedSilently() async throws {
        let directory = TemporaryDirectory()
        let out = directory.file("run")
        _ = await plumb(
            "run",
            quickstart + "/refusal.suite.json5",
            "--model",
            "builtin",
            "--out",
            out,
            "--format",
            "none"
        )
        let other = await plumb("run", quickstart + "/accuracy.suite.json5", "--model", "builtin", "--out", out)
        #expect(other.code == 64)
        #expect(other.err.contains("holds another run"))
        let fresh = await plumb(
            "run",
            quickstart + "/accuracy.suite.json5",
            "--model",
            "builtin",
            "--out",
            out,
            "--overwrite",
            "--format",
            "none"
        )
        #expect(fresh.code == 0, "\(fresh.err)")
    }

    @Test func resumeTakesNoOtherArgumentsAndNeedsARunDirectory() async {
        let directory = TemporaryDirectory()
        let alone = await plumb("run", "--resume", directory.path, "--concurrency", "2")
        #expect(alone.code == 64)
        #expect(alone.err.contains("--resume takes no other arguments"))
        let notRun = await plumb("run", "--resume", directory.path)
        #expect(notRun.err.contains("is not a run directory"))
    }
}

@Suite struct ModelsCLITests {
    @Test func severalModelsEachGetTheirOwnReport() async throws {
        let directory = TemporaryDirectory()
        _ = await plumb("run", quickstart, "--model", "builtin", "--out", directory.file("base"), "--format", "none")
        let recording = "replay:" + directory.file("base/report.json")
        let result = await plumb(
            "run",
            quickstart,
            "--model",
            "builtin",
            "--model",
            recording,
            "--out",
            directory.file("both")
        )
        #expect(result.code == 1, "\(result.err)")
        #expect(result.out.contains("== builtin"))
        #expect(result.out.contains("== " + recording))
        let builtin = try loadReport(directory.file("both/builtin/report.json"))
        #expect(builtin.backend.kind == "builtin")
        let replayDirectory = "both/" + recording.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" }
        let replayed = try loadReport(directory.file(String(replayDirectory) + "/report.json"))
        #expect(replayed.backend.kind == "replay")
        #expect(replayed.items.map(\.output) == builtin.items.map(\.output))
    }

    @Test func namedModelsComeFromTheConfigFile() async throws {
        let directory = TemporaryDirectory()
        let config = directory.write(
            "plumb.json5",
            """
            {
              models: {
                reference: { type: "builtin" },
                again: { type: "replay", path: "\(directory.file("first/report.json"))" },
              },
            }
            """
        )
        let first = await plumb(
            "run",
            quickstart,
            "--config",
            config,
            "--model",
            "reference",
            "--out",
            directory.file("first"),
            "--format",
            "none"
        )
        #expect(first.code == 1, "\(first.err)")
        #expect(try loadReport(directory.file("first/report.json")).backend.name == "builtin")
        let second = await plumb(
            "run",
            quickstart,
            "--config",
            config,
            "--model",
            "again",
            "--out",
            directory.file("second"),
            "--format",
            "none"
        )
        #expect(second.code == 1, "\(second.err)")
        #expect(try loadReport(directory.file("second/report.json")).backend.kind == "replay")
        let unknown = await plumb("run", quickstart, "--config", config, "--model", "refrence")
        #expect(unknown.code == 64)
        #expect(unknown.err.contains("unknown model 'refrence'; did you mean 'reference'?"))
    }

    @Test func aBrokenConfigFileIsReportedWithItsLocation() async {
        let directory = TemporaryDirectory()
        let config = directory.write(
            "plumb.json5",
            """
            {
              models: {
                local: { type: "opnai", model: "x" },
                remote: { type: "openai", model: "m", baseURL: "localhost:8000", apiKeyEnv: "sk-live-123" },
              },
            }
            """
        )
        let result = await plumb("run", quickstart, "--config", config, "--model", "local")
        #expect(result.code == 65)
        #expect(result.err.contains("plumb.json5:3:20: error: unknown model type 'opnai'; did you mean 'openai'?"))
        #expect(result.err.contains("plumb.json5:4:52: error: 'baseURL' of model 'remote' must be an http(s) URL"))
        #expect(
            result.err.contains("'apiKeyEnv' names the environment variable that holds the key, not the key itself")
        )
    }

    @Test(arguments: [
        ("openai:", "names no model"),
        ("openai:m@localhost", "is not an http(s) URL"),
        ("opnai:m", "unknown model kind 'opnai'; did you mean 'openai'?"),
        ("http://127.0.0.1:8000/v1", "is a URL; write openai:MODEL@http://127.0.0.1:8000/v1"),
        ("command:", "'command:' needs a program"),
    ])
    func inlineSpecsAreCheckedBeforeAnythingRuns(_ spec: String, _ message: String) async {
        let result = await plumb("run", quickstart, "--model", spec)
        #expect(result.code == 64 || result.code == 65)
        #expect(result.err.contains(message), "\(result.err)")
    }

    @Test func withinTheErrorBudgetGatesDecideBeyondItTheRunStops() async throws {
        let directory = TemporaryDirectory()
        // A recording with the first sample of the refusal suite missing.
        _ = await plumb(
            "run",
            quickstart + "/refusal.suite.json5",
            "--model",
            "builtin",
            "--out",
            directory.file("rec"),
            "--format",
            "none"
        )
        var report = try loadReport(directory.file("rec/report.json"))
        report.items.removeFirst()
        try report.jsonData().write(to: URL(fileURLWithPath: directory.file("partial.json")))
        let spec = "replay:" + directory.file("partial.json")
        let tolerated = await plumb(
            "run",
            quickstart + "/refusal.suite.json5",
            "--model",
            spec,
            "--max-errors",
            "1",
            "--out",
            directory.file("a"),
            "--format",
            "none"
        )
        #expect(tolerated.code == 1)
        let strict = await plumb(
            "run",
            quickstart + "/refusal.suite.json5",
            "--model",
            spec,
            "--max-errors",
            "0",
            "--concurrency",
            "1",
            "--out",
            directory.file("b"),
            "--format",
            "none"
        )
        #expect(strict.code == 69)
        #expect(strict.err.contains("errors exceeded --max-errors 0"))
        let stopped = try loadReport(directory.file("b/report.json"))
        #expect(stopped.status == .aborted)
        #expect(stopped.items.filter { $0.error?.code == "notRun" }.count > 10)
    }
}
