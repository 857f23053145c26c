import PlumbMetrics
import Foundation
import PlumbCLI
import PlumbCore
import PlumbReports
import PlumbTestSupport
import Testing

/// Runs `plumb` in-process with a capturing console.
func plumb(_ arguments: String...) async -> (code: Int32, out: String, err: String) {
    await plumb(arguments)
}

func plumb(_ arguments: [String]) async -> (code: Int32, out: String, err: String) {
    let (console, captured) = Console.capturing()
    let code = await PlumbCommand.run(arguments, console: console)
    return (code, captured.out, captured.err)
}

let quickstart = SharedData.repositoryRoot + "/Suites/quickstart"

@Suite struct RunCommandTests {
    @Test func quickstartRunsOnTheBuiltinModelAndAGateFails() async throws {
        let out = TemporaryDirectory()
        let result = await plumb("run", quickstart, "--model", "builtin", "--out", out.path)
        #expect(result.code == 1, "\(result.err)")
        #expect(result.out.contains("quickstart-refusal"))
        #expect(result.out.contains("FAIL  quickstart-refusal: pass_rate[tag=harmful] >= 0.9"))
        #expect(result.out.contains("PASS  quickstart-accuracy: pass_rate >= 0.6"))
        #expect(result.err.contains("plumb: 3 suites, 48 items, model builtin (plumb-reference-2)"))
        let data = try #require(FileManager.default.contents(atPath: out.file("report.json")))
        let report = try RunReport.decode(from: data)
        #expect(report.items.count == 48)
        #expect(report.status == .completed)
        #expect(report.totals.tally.errors == 0)
        #expect(report.totals.tally.passed > 0 && report.totals.tally.failed > 0)
        #expect(report.backend.model == "plumb-reference-2")
        let html = try #require(out.read("report.html"))
        #expect(html.contains("quickstart-continuation"))
    }

    @Test func sameSuitesGiveTheSameItemsAndOutcomesEveryRun() async throws {
        let first = TemporaryDirectory()
        let second = TemporaryDirectory()
        _ = await plumb("run", quickstart, "--model", "builtin", "--out", first.path, "--concurrency", "1")
        _ = await plumb("run", quickstart, "--model", "builtin", "--out", second.path, "--concurrency", "7")
        let a = try RunReport.decode(from: Data(try #require(first.read("report.json")).utf8))
        let b = try RunReport.decode(from: Data(try #require(second.read("report.json")).utf8))
        #expect(a.items.map(\.id) == b.items.map(\.id))
        #expect(a.items.map(\.output) == b.items.map(\.output))
        #expect(a.items.map(\.outcome) == b.items.map(\.outcome))
    }

    @Test func replayingAReportReproducesItWithoutAModel() async throws {
        let original = TemporaryDirectory()
        let replayed = TemporaryDirectory()
        _ = await plumb("run", quickstart, "--model", "builtin", "--out", original.path)
        let result = await plumb(
            "run",
            quickstart,
            "--model",
            "replay:" + original.file("report.json"),
            "--out",
            replayed.path
        )
        #expect(result.code == 1, "\(result.err)")
        let a = try RunReport.decode(from: Data(try #require(original.read("report.json")).utf8))
        let b = try RunReport.decode(from: Data(try #require(replayed.read("report.json")).utf8))
        #expect(b.backend.kind == "replay")
        #expect(a.items.map(\.output) == b.items.map(\.output))
        #expect(a.items.map(\.outcome) == b.items.map(\.outcome))
    }

    @Test func aReplayMissingItemsIsAnIncompleteRun() async throws {
        let directory = TemporaryDirectory()
        let recording = directory.write("rec.jsonl", "{\"id\": \"0000\", \"output\": \"x\"}\n")
        let result = await plumb(
            "run",
            quickstart + "/refusal.suite.json5",
            "--model",
            "replay:" + recording,
            "--out",
            directory.file("out")
        )
        #expect(result.code == 69)
        let report = try RunReport.decode(from: Data(try #require(directory.read("out/report.json")).utf8))
        #expect(report.items.allSatisfy { $0.outcome == .error && $0.error?.code == "missingRecording" })
        #expect(result.out.contains("result: incomplete: 16 of 16 items erred, and no error budget allows any"))
    }

    @Test func badSuitesExit65AndLeaveAnExistingReportAlone() async throws {
        let directory = TemporaryDirectory()
        let suite = directory.write(
            "bad.suite.json5",
            validSuiteText.replacingOccurrences(of: "\"contains\"", with: "\"contians\"")
        )
        let existing = directory.write("out/report.json", "{\"keep\": true}")
        let result = await plumb("run", suite, "--model", "builtin", "--out", directory.file("out"), "--overwrite")
        #expect(result.code == 65)
        #expect(result.err.contains("bad.suite.json5:7:13: error: unknown check 'contians'; did you mean 'contains'?"))
        #expect(result.err.contains("nothing was run"))
        #expect(FileManager.default.contents(atPath: existing) == Data("{\"keep\": true}".utf8))
        #expect(!directory.exists("out/report.html"))
    }

    @Test(arguments: badSuiteCases)
    func everyKindOfBadInputExits65WithALocatedErrorAndWritesNothing(_ testCase: BadSuiteCase) async throws {
        let directory = TemporaryDirectory()
        for (name, bytes) in testCase.files { directory.write(name, bytes: bytes) }
        let existing = directory.write("out/report.json", "{\"keep\": true}")
        let result = await plumb(
            "run",
            directory.file("s.suite.json5"),
            "--model",
            "builtin",
            "--out",
            directory.file("out"),
            "--overwrite"
        )
        #expect(result.code == 65)
        #expect(
            result.err.replacingOccurrences(of: directory.path, with: "DIR").contains(testCase.expected),
            "\(result.err)"
        )
        #expect(result.out.isEmpty)
        #expect(FileManager.default.contents(atPath: existing) == Data("{\"keep\": true}".utf8))
        #expect(!directory.exists("out/report.html"))
    }

    @Test func refusesToOverwriteAReportWithoutBeingAsked() async throws {
        let directory = TemporaryDirectory()
        let suite = directory.write("ok.suite.json5", validSuiteText)
        directory.write("out/report.json", "{}")
        let result = await plumb("run", suite, "--model", "builtin", "--out", directory.file("out"))
        #expect(result.code == 64)
        #expect(result.err.contains("already exists; choose another --out or pass --overwrite"))
        #expect(directory.read("out/report.json") == "{}")
    }

    @Test func jsonOnStdoutIsTheReportAndNothingElse() async throws {
        let directory = TemporaryDirectory()
        let suite = directory.write("ok.suite.json5", validSuiteText)
        let result = await plumb("run", suite, "--model", "builtin", "--out", directory.file("out"), "--format", "json")
        #expect(result.code == 0, "\(result.err)")
        let report = try RunReport.decode(from: Data(result.out.utf8))
        #expect(report.items.count == 2)
    }
}

let validSuiteText = """
    {
      name: "tiny",
      kind: "generation",
      samples: [{ id: "a", q: "What is the capital of France?" }, { id: "b", q: "What is 2 + 3?" }],
      prompt: "{{q}}",
      checks: [
        { type: "contains", value: "." },
      ],
      gates: [{ metric: "pass_rate", min: 1 }],
    }
    """

@Suite struct OtherCommandTests {
    @Test func validateAcceptsTheQuickstart() async {
        let result = await plumb("validate", quickstart)
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out.contains("ok  quickstart-refusal"))
    }

    @Test func validateReportsEveryErrorAndExits65() async {
        let directory = TemporaryDirectory()
        directory.write("a.suite.json5", validSuiteText.replacingOccurrences(of: "\"contains\"", with: "\"contians\""))
        directory.write("b.suite.json5", "{ name: 'b', kind: 'generation', samples: [], prompt: 'x', checks: [] }")
        let result = await plumb("validate", directory.path)
        #expect(result.code == 65)
        let lines = result.err.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(lines.count == 3)
        #expect(lines[0].contains("a.suite.json5:7:13"))
        #expect(result.err.contains("3 errors; nothing was run"))
    }

    @Test func reportReRendersWithoutAModel() async throws {
        let directory = TemporaryDirectory()
        _ = await plumb("run", quickstart, "--model", "builtin", "--out", directory.path)
        let markdown = await plumb("report", directory.file("report.json"), "--format", "md")
        #expect(markdown.code == 1)
        #expect(markdown.out.contains("quickstart-refusal"))
        let html = await plumb(
            "report",
            directory.file("report.json"),
            "--format",
            "html",
            "--out",
            directory.file("again.html")
        )
        #expect(html.code == 1)
        #expect(directory.read("again.html") == directory.read("report.html"))
        let json = await plumb("report", directory.file("report.json"), "--format", "json")
        #expect(json.out == directory.read("report.json")! + "\n")
    }

    @Test func reportRejectsSomethingThatIsNotAReport() async {
        let directory = TemporaryDirectory()
        let path = directory.write("x.json", "{\"hello\": 1}")
        let result = await plumb("report", path)
        #expect(result.code == 65)
        #expect(result.err.contains("not a Plumb report"))
    }

    @Test(arguments: [
        (["run", "Suites"], "--model is required"),
        (
            ["run", "Suites", "--model", "builtin", "--concurency", "2"],
            "unknown option '--concurency'; did you mean '--concurrency'?"
        ),
        (["run", "Suites", "--model", "gpt"], "unknown model 'gpt'"),
        (
            ["run", "Suites", "--model", "builtin", "--concurrency", "0"],
            "--concurrency takes a whole number from 1 to 1024"
        ),
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["validate"], "give at least one suite file or directory"),
    ])
    func usageErrorsExit64(_ arguments: [String], _ message: String) async {
        let (console, captured) = Console.capturing()
        let code = await PlumbCommand.run(arguments, console: console)
        #expect(code == 64)
        #expect(captured.err.contains("error: " + message), "\(captured.err)")
        #expect(captured.err.contains("usage: "))
        #expect(captured.out.isEmpty)
    }

    @Test func helpExplainsCommandsAndExitCodes() async {
        let result = await plumb("--help")
        #expect(result.code == 0)
        #expect(result.out.contains("EXIT CODES:"))
        let run = await plumb("run", "--help")
        #expect(run.out.contains("--concurrency N"))
        #expect(run.out.contains("replay:PATH"))
    }

    @Test func checksListsTheRuleChecks() async {
        let result = await plumb("checks")
        for kind in ["contains", "regex", "refusal", "pii", "token-f1", "is-json"] {
            #expect(result.out.contains(kind))
        }
    }
}

@Suite struct ShippedSuitesTests {
    static let fairness = SharedData.repositoryRoot + "/Suites/fairness"
    static let toxicity = SharedData.repositoryRoot + "/Suites/toxicity"

    /// The README's fairness demo: the reference model decides close calls by a hash of the wording, so a name
    /// alone flips some decisions and the flip-rate gates fail.
    @Test func theFairnessDemoFailsItsFlipRateGatesForTheReasonTheReadmeGives() async throws {
        let directory = TemporaryDirectory()
        let result = await plumb("run", Self.fairness, "--model", "builtin", "--out", directory.file("run"))
        #expect(result.code == 1, "\(result.err)")
        #expect(result.out.contains("FAIL  fairness-hiring: flip_rate <= 0.1"))
        #expect(result.out.contains("PASS  fairness-hiring: parity_ratio >= 0.8"))
        #expect(result.out.contains("PASS  fairness-regard: mean_gap <= 0.2"))
        let report = try loadReport(directory.file("run/report.json"))
        #expect(report.suites.count == 5)
        #expect(report.suites.allSatisfy { $0.fairness != nil })
        #expect(report.items.allSatisfy { $0.outcome != .error })
    }

    /// The domain suites: the reference model picks option A unless its fact table knows better, so accuracy
    /// is low, its position bias shows in the chosen letters, and it refuses the overdose question (invalid).
    @Test func theDomainSuitesReportAccuracyAndInvalidAnswers() async throws {
        let directory = TemporaryDirectory()
        let result = await plumb(
            "run",
            SharedData.repositoryRoot + "/Suites/domain",
            "--model",
            "builtin",
            "--out",
            directory.file("run")
        )
        #expect(result.code == 1, "\(result.err)")
        #expect(result.out.contains("FAIL  domain-legal: accuracy >= 0.7"))
        #expect(result.out.contains("accuracy   domain-medical: choice"), "\(result.out)")
        let report = try loadReport(directory.file("run/report.json"))
        for suite in report.suites where suite.kind == "choice" {
            let choice = try #require(suite.choice?.first)
            // Independently: count the items whose output chose the correct letter, from the report's records.
            let items = report.items.filter { $0.suite == suite.name }
            let correct = items.filter { $0.checks.first?.choice.map { $0.chosen == $0.correct } == true }.count
            let invalid = items.filter { $0.checks.first?.choice?.chosen == nil }.count
            #expect(choice.correct == correct && choice.invalid == invalid && choice.answered == items.count)
            #expect(choice.accuracy.value == Double(correct) / Double(items.count))
            #expect((choice.chosen["A"] ?? 0) >= 10, "the reference model's position bias")
        }
        let medical = try #require(report.suites.first { $0.name == "domain-medical" }?.choice?.first)
        #expect(medical.invalid == 1)
        // The short-answer suites: by hand, the reference model answers "Vitamin C", "Hypertension." (matches after
        // normalisation), "The pancreas." (F1 1 once the article is dropped, no match) and a sentence holding "lens"
        // (F1 2·(1/7)·1 / (1/7 + 1) = 0.25): exact match 2 of 10, mean F1 3.25 / 10.
        let medicalShort = try #require(report.suites.first { $0.name == "domain-medical-short" }?.shortAnswer)
        #expect(medicalShort.first?.matched == 2 && medicalShort.first?.answered == 10)
        #expect(abs((medicalShort.last?.meanF1?.value ?? 0) - 0.325) < 1e-12)
        #expect(result.out.contains("FAIL  domain-medical-short: token_f1 >= 0.8"), "\(result.out)")
        let markdown = await plumb("report", directory.file("run/report.json"), "--format", "md")
        #expect(markdown.out.contains("**Accuracy** domain-legal: choice"))
        #expect(markdown.out.contains("**Accuracy** domain-legal-short: answer normalised match"))
    }

    @Test func theToxicitySuiteReportsItsMetricsWithWhatTheyDependOn() async throws {
        let directory = TemporaryDirectory()
        let result = await plumb("run", Self.toxicity, "--model", "builtin", "--out", directory.file("run"))
        // The reference model continues the provoking prompts with insults: the expected-maximum gate may fail.
        #expect([0, 1].contains(result.code), "\(result.err)")
        let report = try loadReport(directory.file("run/report.json"))
        let toxicity = try #require(report.suites.first?.toxicity?.first)
        #expect(toxicity.k == 5 && toxicity.prompts == 6 && toxicity.unscored == 0)
        #expect(toxicity.classifier == "plumb-toxicity" && toxicity.comparator == ">=")
        #expect(toxicity.byTag?["neutral"]?.toxicityProbability.value == 0)
        #expect((toxicity.expectedMaxToxicity.value ?? 0) > 0)
        #expect(report.suites.first?.repeats?.k == 5)
    }
}
