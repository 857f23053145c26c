import Foundation
import PlumbCLI
import PlumbCore
import PlumbMetrics
import PlumbReports
import PlumbTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `plumb compare`, `plumb run --baseline` and `plumb baseline`: paired comparisons through the CLI, on runs whose
/// answers the tests choose (replays), so every number is known.
@Suite(.timeLimit(.minutes(2)))
struct CompareCommandTests {
    /// A suite of `count` samples whose check wants "ok", with a regression gate on the pass rate.
    static func suite(_ directory: TemporaryDirectory, count: Int = 200, gate: String = "maxDrop: 0.02") -> String {
        let samples = (0..<count).map { "{\"id\": \"s\($0)\", \"q\": \"question \($0)\"}" }.joined(separator: "\n")
        directory.write("ok.jsonl", samples + "\n")
        return directory.write(
            "ok.suite.json5",
            """
            { name: "ok", kind: "generation", samples: "ok.jsonl", prompt: "{{q}}",
              checks: [{ type: "contains", value: "ok" }],
              gates: [{ metric: "pass_rate", \(gate) }] }
            """
        )
    }

    /// Runs `suite` with answers "ok", except "no" for the samples in `failing`; returns the run directory.
    static func run(
        _ suite: String,
        failing: Set<Int>,
        count: Int = 200,
        in directory: TemporaryDirectory,
        name: String,
        outputs: [Int: String] = [:]
    ) async throws -> String {
        let lines = (0..<count).map { index in
            let output = outputs[index] ?? (failing.contains(index) ? "no" : "ok")
            let encoded = String(decoding: try! JSONEncoder().encode(output), as: UTF8.self)
            return "{\"suite\": \"ok\", \"sampleID\": \"s\(index)\", \"output\": \(encoded)}"
        }
        let replay = directory.write("\(name).jsonl", lines.joined(separator: "\n") + "\n")
        let result = await plumb("run", suite, "--model", "replay:" + replay, "--out", directory.file(name))
        #expect([0, 1].contains(result.code), "\(result.err)")
        return directory.file(name)
    }

    @Test func aReportComparedWithItselfHoldsEveryGate() async throws {
        let directory = TemporaryDirectory()
        let suite = Self.suite(directory)
        let run = try await Self.run(suite, failing: [1, 2, 3], in: directory, name: "a")
        let result = await plumb("compare", run, run, "--max-drop", "pass_rate=0", "--format", "json")
        #expect(result.code == 0, "\(result.err)")
        let comparison = try Comparison.decode(from: Data(result.out.utf8))
        #expect(comparison.verdict.isSuccess && comparison.gates.count == 2)
        let passRate = try #require(comparison.suites.first?.metrics.first { $0.name == "pass_rate" })
        #expect(passRate.difference.value == 0 && passRate.pValue == 1 && passRate.change == "unchanged")
        #expect(passRate.test == "McNemar exact mid-p")
        #expect(comparison.suites.first?.flips.isEmpty == true)
    }

    @Test func aRealDropFailsTheRegressionGateAndListsTheFlips() async throws {
        let directory = TemporaryDirectory()
        let suite = Self.suite(directory)
        let base = try await Self.run(suite, failing: [0, 1], in: directory, name: "base")
        // 40 more items fail, one recovers: the pass rate drops from 0.99 to 0.795.
        let candidate = try await Self.run(suite, failing: Set(1..<41).union([100]), in: directory, name: "cand")
        let result = await plumb("compare", base, candidate, "--out", directory.file("cmp"))
        #expect(result.code == 1, "\(result.out)\(result.err)")
        #expect(result.out.contains("FAIL  ok: pass_rate drop <= 0.02 vs baseline"), "\(result.out)")
        #expect(result.out.contains("flips      ok: 40 pass→fail, 1 fail→pass over 200 shared items"))
        let comparison = try Comparison.decode(
            from: try #require(directory.read("cmp/comparison.json")).data(using: .utf8)!
        )
        let metric = try #require(comparison.suites.first?.metrics.first { $0.name == "pass_rate" })
        // By hand: b = 40 (pass→fail), c = 1; the difference is (159 − 198) / 200 = −0.195.
        #expect(metric.mcnemar?.b == 40 && metric.mcnemar?.c == 1)
        #expect(abs((metric.difference.value ?? 0) + 0.195) < 1e-12)
        #expect(metric.pValue.map { $0 < 1e-9 } == true && metric.change == "worse")
        let flip = try #require(comparison.suites.first?.flips.first { $0.sampleID == "s5" })
        #expect(flip.direction == "pass→fail" && flip.baselineOutput == "ok" && flip.candidateOutput == "no")
        for file in ["comparison.html", "comparison.md", "junit.xml"] {
            #expect(FileManager.default.fileExists(atPath: directory.file("cmp/" + file)), "\(file)")
        }
    }

    @Test func noiseDoesNotFailTheGate() async throws {
        // Two runs that differ on 6 items each way: no drop at all, so no gate fails however small its margin.
        let directory = TemporaryDirectory()
        let suite = Self.suite(directory, gate: "maxDrop: 0")
        let base = try await Self.run(suite, failing: Set(0..<6), in: directory, name: "base")
        let candidate = try await Self.run(suite, failing: Set(6..<12), in: directory, name: "cand")
        let result = await plumb("compare", base, candidate)
        #expect(result.code == 0, "\(result.out)")
        #expect(result.out.contains("6 pass→fail, 6 fail→pass"))
    }

    @Test func changedSuitesAreRefusedUnlessAllowedAndThenSaid() async throws {
        let directory = TemporaryDirectory()
        let suite = Self.suite(directory)
        let base = try await Self.run(suite, failing: [], in: directory, name: "base")
        // The check changes (and so the content hash): the numbers would not measure the same thing.
        let text = try #require(directory.read("ok.suite.json5")).replacingOccurrences(
            of: "value: \"ok\"",
            with: "value: \"o\""
        )
        directory.write("ok.suite.json5", text)
        let candidate = try await Self.run(suite, failing: [], in: directory, name: "cand")
        let refused = await plumb("compare", base, candidate)
        #expect(refused.code == 65)
        #expect(refused.err.contains("suite 'ok': its content changed"), "\(refused.err)")
        #expect(refused.err.contains("check 'contains' changed"), "\(refused.err)")
        let allowed = await plumb("compare", base, candidate, "--allow-changed")
        #expect(allowed.code == 0, "\(allowed.err)")
        #expect(allowed.out.contains("note       compared with --allow-changed although the runs differ:"))
    }

    @Test(arguments: [
        ("truncated", "the report is cut off"),
        ("other-suite", "have no suite in common"),
        ("no-baseline", "is neither a report.json, a run directory, nor a baseline"),
    ])
    func reportsThatCannotBeComparedAreDataErrorsNamingTheFile(kind: String, message: String) async throws {
        let directory = TemporaryDirectory()
        let suite = Self.suite(directory, count: 20)
        let run = try await Self.run(suite, failing: [], count: 20, in: directory, name: "a")
        var other = directory.file("missing-name")
        switch kind {
        case "truncated":
            let text = try #require(directory.read("a/report.json"))
            other = directory.write("cut.json", String(text.prefix(text.count / 2)))
        case "other-suite":
            let result = await plumb("run", quickstart, "--model", "builtin", "--out", directory.file("q"))
            #expect([0, 1].contains(result.code))
            other = directory.file("q")
        default:
            other = "no-such-baseline"
        }
        let result = await plumb("compare", run, other)
        #expect(result.code == 65, "\(kind): \(result.err)")
        #expect(
            result.err.contains(
                kind == "truncated" ? "cut.json" : kind == "other-suite" ? "have no suite" : "no-such-baseline"
            )
        )
        _ = message
    }

    @Test func runsWithNoItemInCommonAreNotAComparisonOfNothing() async throws {
        let directory = TemporaryDirectory()
        let suite = Self.suite(directory, count: 10)
        let base = try await Self.run(suite, failing: [], count: 10, in: directory, name: "base")
        // Every sample is renamed: nothing pairs.
        let samples = try #require(directory.read("ok.jsonl")).replacingOccurrences(of: "\"s", with: "\"t")
        directory.write("ok.jsonl", samples)
        let lines = (0..<10).map { "{\"suite\": \"ok\", \"sampleID\": \"t\($0)\", \"output\": \"ok\"}" }
        let replay = directory.write("t.jsonl", lines.joined(separator: "\n") + "\n")
        let ran = await plumb("run", suite, "--model", "replay:" + replay, "--out", directory.file("cand"))
        #expect(ran.code == 0, "\(ran.err)")
        let candidate = directory.file("cand")
        let result = await plumb("compare", base, candidate, "--allow-changed")
        #expect(result.code == 65)
        #expect(result.err.contains("no item in common"), "\(result.err)")
    }

    @Test func commandLineMarginsAreChecked() async throws {
        let directory = TemporaryDirectory()
        let run = try await Self.run(Self.suite(directory, count: 10), failing: [], count: 10, in: directory, name: "a")
        let unknown = await plumb("compare", run, run, "--max-drop", "pass_rat=0.1")
        #expect(unknown.code == 64 && unknown.err.contains("did you mean 'pass_rate'"), "\(unknown.err)")
        let direction = await plumb("compare", run, run, "--max-drop", "positive_rate=0.1")
        #expect(direction.code == 64 && direction.err.contains("neither better higher nor lower"))
        let absent = await plumb("compare", run, run, "--max-drop", "accuracy=0.1")
        #expect(absent.code == 65 && absent.err.contains("--max-drop accuracy: no suite"), "\(absent.err)")
    }

    @Test func runWithABaselineAddsTheRegressionGatesToItsVerdict() async throws {
        let directory = TemporaryDirectory()
        let suite = Self.suite(directory)
        let base = try await Self.run(suite, failing: [], in: directory, name: "base")
        let lines = (0..<200).map {
            "{\"suite\": \"ok\", \"sampleID\": \"s\($0)\", \"output\": \"\($0 < 50 ? "no" : "ok")\"}"
        }
        let replay = directory.write("worse.jsonl", lines.joined(separator: "\n") + "\n")
        let result = await plumb(
            "run",
            suite,
            "--model",
            "replay:" + replay,
            "--out",
            directory.file("now"),
            "--baseline",
            base,
            "--max-drop",
            "pass_rate=0.05",
            "--format",
            "junit"
        )
        #expect(result.code == 1, "\(result.err)")
        let report = try loadReport(directory.file("now/report.json"))
        let regression = report.suites[0].gates.filter { $0.maxDrop != nil }
        #expect(regression.count == 2 && regression.allSatisfy { !$0.passed && $0.baseline == base })
        #expect(FileManager.default.fileExists(atPath: directory.file("now/comparison.json")))
        // The JUnit document is well-formed and fails where the verdict does.
        let parser = XMLParser(data: Data(result.out.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(result.out.contains("<failure type=\"gate\""))
        // Without the baseline file nothing runs.
        let missing = await plumb(
            "run",
            suite,
            "--model",
            "builtin",
            "--baseline",
            directory.file("nope"),
            "--out",
            directory.file("x")
        )
        #expect(missing.code == 65 && !FileManager.default.fileExists(atPath: directory.file("x")))
    }

    @Test func baselinesAreBlessedCompactListedAndFoundByName() async throws {
        let directory = TemporaryDirectory()
        let suite = Self.suite(directory, count: 20)
        let run = try await Self.run(suite, failing: [3], count: 20, in: directory, name: "a")
        let store = directory.file("baselines")
        let bless = await plumb("baseline", "bless", run, "--as", "main", "--dir", store)
        #expect(bless.code == 0, "\(bless.err)")
        let again = await plumb("baseline", "bless", run, "--as", "main", "--dir", store)
        #expect(again.code == 64 && again.err.contains("exists; pass --overwrite"))
        let badName = await plumb("baseline", "bless", run, "--as", "Main Line", "--dir", store)
        #expect(badName.code == 64)
        let blessed = try loadReport(store + "/main/report.json")
        #expect(blessed.items.count == 20 && blessed.items.allSatisfy { $0.request.messages.isEmpty })
        let list = await plumb("baseline", "list", "--dir", store)
        #expect(list.out.contains("main") && list.out.contains("replay:"), "\(list.out)")
        let compared = await plumb("compare", "main", run, "--baselines", store)
        #expect(compared.code == 0, "\(compared.err)")
        let typo = await plumb("compare", "mian", run, "--baselines", store)
        #expect(typo.code == 65 && typo.err.contains("did you mean 'main'"), "\(typo.err)")
    }

    @Test func modelOutputsAreEscapedInTheComparisonsHTMLMarkdownAndJUnit() async throws {
        let directory = TemporaryDirectory()
        let suite = Self.suite(directory, count: 5)
        let payload = "<script>alert(1)</script><img src=x onerror=alert(2)> & \u{7}"
        let base = try await Self.run(suite, failing: [], count: 5, in: directory, name: "base")
        let candidate = try await Self.run(
            suite,
            failing: [],
            count: 5,
            in: directory,
            name: "cand",
            outputs: [2: payload]
        )
        let result = await plumb("compare", base, candidate, "--out", directory.file("cmp"))
        #expect([0, 1].contains(result.code), "\(result.err)")
        let html = try #require(directory.read("cmp/comparison.html"))
        #expect(!html.contains("<script>alert") && !html.contains("<img src=x"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let junit = try #require(directory.read("cmp/junit.xml"))
        #expect(XMLParser(data: Data(junit.utf8)).parse())
        let markdown = try #require(directory.read("cmp/comparison.md"))
        #expect(!markdown.contains("<script>"))
    }

    @Test func severalCandidatesShowOneColumnEach() async throws {
        let directory = TemporaryDirectory()
        let suite = Self.suite(directory)
        let base = try await Self.run(suite, failing: Set(0..<10), in: directory, name: "base")
        let better = try await Self.run(suite, failing: [], in: directory, name: "better")
        let worse = try await Self.run(suite, failing: Set(0..<60), in: directory, name: "worse")
        let result = await plumb("compare", base, better, worse)
        #expect(result.code == 1, "\(result.out)")
        let row = try #require(
            result.out.split(separator: "\n").first { $0.hasPrefix("ok") && $0.contains("pass_rate") }
        )
        #expect(row.contains("1.0000 (+0.0500*) ▲") && row.contains("0.7000 (-0.2500*) ▼"), "\(row)")
        #expect(result.out.contains("* significant after Holm's correction"))
    }

    @Test func trendFlagsTheNightAMetricMovedAndTheNightsThatCannotBeCompared() async throws {
        let directory = TemporaryDirectory()
        let suite = Self.suite(directory)
        let nights = directory.file("nights")
        try FileManager.default.createDirectory(atPath: nights, withIntermediateDirectories: true)
        for (night, failing) in [("2026-11-01", Set(0..<5)), ("2026-11-02", Set(0..<6)), ("2026-11-03", Set(0..<60))] {
            let run = try await Self.run(suite, failing: failing, in: directory, name: night)
            try FileManager.default.moveItem(atPath: run, toPath: nights + "/" + night)
        }
        // The fourth night's suite changed: it cannot be compared with the third.
        let text = try #require(directory.read("ok.suite.json5")).replacingOccurrences(
            of: "value: \"ok\"",
            with: "value: \"o\""
        )
        directory.write("ok.suite.json5", text)
        let fourth = try await Self.run(suite, failing: [], in: directory, name: "2026-11-04")
        try FileManager.default.moveItem(atPath: fourth, toPath: nights + "/2026-11-04")
        let result = await plumb("trend", nights)
        #expect(result.code == 0, "\(result.err)")
        let row = try #require(
            result.out.split(separator: "\n").first { $0.hasPrefix("ok") && $0.contains("pass_rate") }
        )
        // 0.975, 0.970 (no significant move), 0.700 (a significant drop), then 1.000 (not comparable).
        #expect(row.contains("0.9700 [") && !row.contains("0.9700 [0.936–0.986] ▼"), "\(row)")
        #expect(row.contains("0.7000 [0.633–0.759] ▼") && row.contains("1.0000 [0.981–1.000] ≠"), "\(row)")
        let json = await plumb("trend", nights, "--format", "json")
        let trend = try RunReport.jsonDecoder().decode(Trend.self, from: Data(json.out.utf8))
        #expect(trend.runs.map(\.label) == ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"])
        // An unreadable run is an error naming it; an empty directory holds no run.
        directory.write("nights/2026-11-05.json", "{ not a report")
        let broken = await plumb("trend", nights)
        #expect(broken.code == 65 && broken.err.contains("2026-11-05.json"), "\(broken.err)")
        try FileManager.default.createDirectory(atPath: directory.file("empty"), withIntermediateDirectories: true)
        let empty = await plumb("trend", directory.file("empty"))
        #expect(empty.code == 65 && empty.err.contains("holds no run"))
    }

    @Test func reportsOfEitherSchemaVersionCompareAndANewerOneIsRefused() async throws {
        let directory = TemporaryDirectory()
        let v1 = SharedData.repositoryRoot + "/Tests/PlumbReportsTests/Golden/v1-quickstart-shard.json"
        let itself = await plumb("compare", v1, v1, "--max-drop", "pass_rate=0")
        #expect(itself.code == 0, "\(itself.err)")
        let run = await plumb("run", quickstart, "--model", "builtin", "--out", directory.file("now"))
        #expect([0, 1].contains(run.code))
        // The golden report was scored with the first toxicity model: a run today is refused as not comparable,
        // naming the classifier, unless the change is allowed (and then stated).
        let changed = await plumb("compare", v1, directory.file("now"))
        #expect(changed.code == 65 && changed.err.contains("plumb-toxicity 1+3af8f5313d10"), "\(changed.err)")
        let across = await plumb("compare", v1, directory.file("now"), "--format", "json", "--allow-changed")
        #expect(across.code == 0, "\(across.err)")
        #expect(try Comparison.decode(from: Data(across.out.utf8)).suites.count == 3)
        let newer = try #require(directory.read("now/report.json")).replacingOccurrences(
            of: "\"schemaVersion\" : 2",
            with: "\"schemaVersion\" : 99"
        )
        let future = directory.write("future.json", newer)
        let refused = await plumb("compare", v1, future)
        #expect(refused.code == 65 && refused.err.contains("future.json"), "\(refused.err)")
        #expect(refused.err.contains("newer than this Plumb understands"))
    }

    @Test func reviewedEdges() async throws {
        let directory = TemporaryDirectory()
        // One shared sample that flips: no interval, so the gate is not shown to fail.
        let tiny = Self.suite(directory, count: 1)
        let before = try await Self.run(tiny, failing: [], count: 1, in: directory, name: "one-a")
        let after = try await Self.run(tiny, failing: [0], count: 1, in: directory, name: "one-b")
        let single = await plumb("compare", before, after, "--max-drop", "pass_rate=0.5")
        #expect(single.code == 0, "\(single.out)")
        #expect(single.out.contains("too few samples for an interval"), "\(single.out)")
        // A model output's terminal control sequences never reach the terminal.
        let escaped = try await Self.run(
            tiny,
            failing: [],
            count: 1,
            in: directory,
            name: "one-c",
            outputs: [0: "\u{1B}[2Jno\u{1B}]0;title\u{7}"]
        )
        let table = await plumb("compare", before, escaped)
        #expect(!table.out.contains("\u{1B}") && !table.out.contains("\u{7}"), "\(table.out)")
        // One HTML or JUnit document per comparison: several candidates need --out.
        let several = await plumb("compare", before, after, escaped, "--format", "html")
        #expect(several.code == 64 && several.err.contains("use --out DIR"))
        // A suite the candidate did not run cannot hold its regression gate.
        let other = directory.write(
            "other.suite.json5",
            """
            { name: "other", kind: "generation", samples: [{ id: "x", q: "hello" }], prompt: "{{q}}",
              checks: [{ type: "contains", value: "ok" }] }
            """
        )
        let lines = ["{\"suite\": \"other\", \"sampleID\": \"x\", \"output\": \"ok\"}"]
        let replay = directory.write("other.jsonl", lines.joined(separator: "\n") + "\n")
        let both = directory.write("both-replay.jsonl", (try #require(directory.read("one-a.jsonl"))) + lines[0] + "\n")
        let withBoth = await plumb("run", tiny, other, "--model", "replay:" + both, "--out", directory.file("both"))
        #expect(withBoth.code == 0, "\(withBoth.err)")
        let onlyOther = await plumb("run", other, "--model", "replay:" + replay, "--out", directory.file("only-other"))
        #expect(onlyOther.code == 0, "\(onlyOther.err)")
        let missing = await plumb("compare", directory.file("both"), directory.file("only-other"))
        #expect(missing.code == 1, "\(missing.out)")
        #expect(
            missing.out.contains(
                "FAIL  ok: pass_rate drop <= 0.02 vs baseline (no value: the candidate did not run suite 'ok')"
            ),
            "\(missing.out)"
        )
    }
}
