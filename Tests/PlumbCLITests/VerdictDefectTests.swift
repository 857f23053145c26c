import PlumbMetrics
import Foundation
import PlumbCLI
import PlumbCore
import PlumbReports
import PlumbTestSupport
import Testing

/// Defects found by reading 0.1: every command that reads a report must reach the run's verdict, and a merge must
/// give the whole run's suites. Each of these failed before the metrics reshaping.
@Suite struct VerdictDefectTests {
    /// Four questions; the fake model answers the one that says BOOM with an error. The gate always holds.
    func writeSuite(_ directory: TemporaryDirectory) -> String {
        directory.write(
            "s.jsonl",
            ["q1", "q2", "BOOM q3", "q4"].enumerated().map { "{\"id\": \"s\($0.offset)\", \"q\": \"\($0.element)\"}" }
                .joined(separator: "\n") + "\n"
        )
        return directory.write(
            "s.suite.json5",
            """
            { name: "verdicts", kind: "generation", samples: "s.jsonl", prompt: "{{q}}",
              checks: [{ type: "contains", value: "echo" }],
              gates: [{ metric: "pass_rate", min: 0 }] }
            """
        )
    }

    func fakeModel() throws -> String {
        let fake = try #require(BuiltProducts.path(of: "plumb-fake-model"), "build with `swift build --build-tests`")
        return "command:\(fake) --error-on BOOM"
    }

    @Test func aRunWithErrorsAndNoBudgetIsIncompleteInEveryOutput() async throws {
        let directory = TemporaryDirectory()
        let suite = writeSuite(directory)
        let run = await plumb("run", suite, "--model", try fakeModel(), "--out", directory.file("run"))
        #expect(run.code == 69, "\(run.err)")
        #expect(run.out.contains("incomplete"))

        let report = await plumb("report", directory.file("run/report.json"), "--format", "md")
        #expect(report.code == 69, "plumb report must give the run's verdict")
        #expect(!report.out.contains("gates held"), "the Markdown title must not say the gates held")
        #expect(report.out.contains("incomplete"))

        let html = try #require(directory.read("run/report.html"))
        #expect(!html.contains("gates held"), "the HTML header must not say the gates held")
        #expect(html.contains("incomplete"))
    }

    @Test func mergeKeepsTheErrorBudgetTheRunAllowed() async throws {
        let directory = TemporaryDirectory()
        let suite = writeSuite(directory)
        let run = await plumb(
            "run",
            suite,
            "--model",
            try fakeModel(),
            "--max-errors",
            "2",
            "--shard",
            "1/1",
            "--out",
            directory.file("run"),
            "--format",
            "none"
        )
        #expect(run.code == 0, "1 error within --max-errors 2, gates held: \(run.err)")
        let report = await plumb("report", directory.file("run/report.json"))
        #expect(report.code == 0)
        let merged = await plumb(
            "merge",
            directory.file("run/report.json"),
            "--out",
            directory.file("merged"),
            "--format",
            "none"
        )
        #expect(merged.code == 0, "merge must apply the budget the run recorded: \(merged.err)")
    }

    @Test(arguments: [1, 2, 3, 5])
    func mergingShardsGivesTheWholeRunsSuites(shards: Int) async throws {
        let directory = TemporaryDirectory()
        _ = await plumb(
            "run",
            quickstart,
            "--model",
            "builtin",
            "--out",
            directory.file("whole"),
            "--format",
            "none",
            "--no-cache"
        )
        var parts: [String] = []
        for index in 1...shards {
            _ = await plumb(
                "run",
                quickstart,
                "--model",
                "builtin",
                "--shard",
                "\(index)/\(shards)",
                "--out",
                directory.file("shard\(index)"),
                "--format",
                "none",
                "--no-cache"
            )
            parts.append(directory.file("shard\(index)/report.json"))
        }
        let merged = await plumb(
            ["merge"] + parts.shuffled() + ["--out", directory.file("merged"), "--format", "none"]
        )
        #expect(merged.code == 1, "\(merged.err)")
        let whole = try loadReport(directory.file("whole/report.json"))
        let joined = try loadReport(directory.file("merged/report.json"))
        #expect(joined.suites == whole.suites, "metrics, gates and corrections over every item")
        #expect(joined.totals == whole.totals)
    }

    @Test func mergeNeverTurnsAMetricItDoesNotKnowIntoPassRate() async throws {
        let directory = TemporaryDirectory()
        _ = await plumb(
            "run",
            quickstart + "/refusal.suite.json5",
            "--model",
            "builtin",
            "--shard",
            "1/1",
            "--out",
            directory.file("s"),
            "--format",
            "none"
        )
        let path = directory.file("s/report.json")
        let text = try #require(directory.read("s/report.json"))
        let edited = text.replacingOccurrences(
            of: "\"metric\" : \"pass_rate\"",
            with: "\"metric\" : \"no_such_metric\""
        )
        #expect(edited != text)
        try Data(edited.utf8).write(to: URL(fileURLWithPath: path))
        let merged = await plumb("merge", path, "--out", directory.file("m"), "--format", "none")
        #expect(merged.code == 65, "an unknown metric is an error, not pass_rate: \(merged.err)")
        #expect(merged.err.contains("no_such_metric"))
    }
}

@Suite struct RunStatisticsTests {
    @Test func addingStatisticsKeepsEveryCounter() {
        var a = RunStatistics()
        a.requests = 1
        a.retries = 2
        a.rateLimited = 3
        a.timeouts = 4
        a.cacheHits = 5
        a.resumed = 6
        a.concurrencyDecreases = 7
        var sum = RunStatistics()
        sum.add(a)
        sum.add(a)
        #expect(sum.requests == 2 && sum.retries == 4 && sum.rateLimited == 6 && sum.timeouts == 8)
        #expect(sum.cacheHits == 10 && sum.resumed == 12)
        #expect(sum.concurrencyDecreases == 14)
    }
}

@Suite struct RecordedSpecsTests {
    /// A comparison must see a changed threshold: the report records each check's parameters as written, the scoring
    /// rule, the error budget and the correction requests.
    @Test func theReportRecordsWhatALaterReaderNeedsToRecompute() async throws {
        let directory = TemporaryDirectory()
        let run = await plumb(
            "run",
            quickstart,
            "--model",
            "builtin",
            "--out",
            directory.file("run"),
            "--format",
            "none",
            "--max-errors",
            "5%"
        )
        #expect(run.code == 1, "\(run.err)")
        let report = try loadReport(directory.file("run/report.json"))
        #expect(report.errorBudget == .percent(5))
        let continuation = try #require(report.suites.first { $0.name == "quickstart-continuation" })
        let classifier = try #require(continuation.checks.first { $0.name == "not-toxic" })
        #expect(classifier.parameters == ["classifier": .string("toxicity")])
        let regex = try #require(continuation.checks.first { $0.name == "no-insults" })
        #expect(regex.parameters?["flags"] == .string("i"))
        #expect(continuation.scoring == "all")
        let correction = try #require(continuation.corrections?.first)
        #expect(correction.check == "not-toxic" && correction.requestedSensitivity == nil)
        let json = try #require(directory.read("run/report.json"))
        #expect(json.contains("\"errorBudget\" : \"5%\""))
    }
}
