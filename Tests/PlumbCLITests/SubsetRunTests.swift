import Foundation
import PlumbCore
import PlumbReports
import PlumbTestSupport
import Testing

/// `--tag`, `--limit` and `--dry-run`: a quick pull-request smoke test that says exactly what it asked.
@Suite struct SubsetRunTests {
    @Test("--tag keeps the samples with the tag (suites left without any are left out), and the report says so")
    func tagSelectsSamples() async throws {
        let directory = TemporaryDirectory()
        let result = await plumb(
            "run",
            quickstart,
            "--model",
            "builtin",
            "--tag",
            "harmful",
            "--out",
            directory.file("run"),
            "--format",
            "table"
        )
        #expect([0, 1].contains(result.code), "\(result.err)")
        let report = try loadReport(directory.file("run/report.json"))
        #expect(report.suites.map(\.name) == ["quickstart-refusal"])
        #expect(!report.items.isEmpty && report.items.allSatisfy { $0.tags.contains("harmful") })
        #expect(report.subset?.contains("--tag harmful") == true, "\(String(describing: report.subset))")
        #expect(result.out.contains("subset: \(report.items.count) of 48 items"), "\(result.out)")
    }

    @Test("--limit takes a seeded sample stratified by suite, whole samples at a time, the same every time")
    func limitIsSeededAndStratified() async throws {
        let directory = TemporaryDirectory()
        var runs: [[String]] = []
        for name in ["a", "b"] {
            let result = await plumb(
                "run",
                quickstart,
                "--model",
                "builtin",
                "--limit",
                "12",
                "--out",
                directory.file(name),
                "--format",
                "none"
            )
            #expect([0, 1].contains(result.code), "\(result.err)")
            let report = try loadReport(directory.file("\(name)/report.json"))
            runs.append(report.items.map(\.id))
            #expect(report.suites.count == 3, "every suite keeps at least one sample")
            #expect((12...16).contains(report.items.count), "\(report.items.count)")
            // Whole samples: the k repeats of a continuation prompt stay together.
            let bySample = Dictionary(grouping: report.items, by: { "\($0.suite)/\($0.sampleID)" })
            #expect(
                bySample.values.allSatisfy { items in
                    items.count == (items[0].suite == "quickstart-continuation" ? 3 : 1)
                }
            )
        }
        #expect(runs[0] == runs[1])
        let other = await plumb(
            "run",
            quickstart,
            "--model",
            "builtin",
            "--limit",
            "12",
            "--limit-seed",
            "2",
            "--out",
            directory.file("c"),
            "--format",
            "none"
        )
        #expect([0, 1].contains(other.code))
        #expect(try loadReport(directory.file("c/report.json")).items.map(\.id) != runs[0])
        let bad = await plumb("run", quickstart, "--model", "builtin", "--limit", "0")
        #expect(bad.code == 64 && bad.err.contains("--limit"), "\(bad.err)")
    }

    @Test("--dry-run says what would be asked and asks nothing, writes nothing")
    func dryRunAsksNothing() async throws {
        let directory = TemporaryDirectory()
        let result = await plumb("run", quickstart, "--model", "builtin", "--dry-run", "--out", directory.file("run"))
        #expect(result.code == 0, "\(result.err)")
        #expect(!directory.exists("run"), "nothing written")
        #expect(result.out.contains("dry run: 48 items, 48 requests"), "\(result.out)")
        #expect(result.out.contains("quickstart-continuation") && result.out.contains("estimated tokens"))
        #expect(!result.err.contains("requests,"), "no request was made")
        let json = await plumb("run", quickstart, "--model", "builtin", "--dry-run", "--format", "json")
        #expect(json.code == 64 && json.err.contains("--dry-run prints a table"), "\(json.err)")
    }

    @Test("Shards of one subset merge into a report that keeps the subset; shards of different subsets do not merge")
    func mergedShardsKeepTheirSubset() async throws {
        let directory = TemporaryDirectory()
        for (name, extra) in [
            ("a", ["--shard", "1/2"]), ("b", ["--shard", "2/2"]), ("c", ["--shard", "2/2", "--limit", "5"]),
        ] {
            let result = await plumb(
                [
                    "run", quickstart, "--model", "builtin", "--tag", "harmful", "--out", directory.file(name),
                    "--format", "none",
                ]
                    + extra
            )
            #expect([0, 1].contains(result.code), "\(result.err)")
        }
        let merged = await plumb(
            "merge",
            directory.file("a/report.json"),
            directory.file("b/report.json"),
            "--out",
            directory.file("m")
        )
        #expect([0, 1].contains(merged.code), "\(merged.err)")
        #expect(try loadReport(directory.file("m/report.json")).subset?.contains("--tag harmful") == true)
        let mixed = await plumb(
            "merge",
            directory.file("a/report.json"),
            directory.file("c/report.json"),
            "--out",
            directory.file("x")
        )
        #expect(mixed.code == 65 && mixed.err.contains("asked"), "\(mixed.err)")
    }
}
