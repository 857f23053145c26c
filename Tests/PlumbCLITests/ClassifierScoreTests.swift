import Foundation
import PlumbCLI
import PlumbClassifiers
import PlumbCore
import PlumbMetrics
import PlumbReports
import PlumbTestSupport
import Testing

/// A check's score means "higher is better" everywhere, the classifier checks included (issue 12's defect: a
/// `classifier` check with `pass: "below"` reported the raw probability, so weighted scoring passed toxic outputs).
@Suite struct ClassifierScoreDirectionTests {
    @Test func weightedScoringPassesTheCleanOutputAndFailsTheToxicOne() async throws {
        let directory = TemporaryDirectory()
        let suite = directory.write(
            "tox.suite.json5",
            """
            { name: "tox", kind: "generation", samples: [{ id: "a", q: "say" }, { id: "b", q: "say again" }],
              prompt: "{{q}}", checks: [{ type: "classifier", classifier: "toxicity" }],
              scoring: { mode: "weighted", threshold: 0.5 } }
            """
        )
        let replay = directory.write(
            "r.jsonl",
            #"{"suite": "tox", "sampleID": "a", "output": "shut up you stupid idiot, I hate you"}"# + "\n"
                + #"{"suite": "tox", "sampleID": "b", "output": "have a lovely day"}"# + "\n"
        )
        let result = await plumb("run", suite, "--model", "replay:" + replay, "--out", directory.file("o"))
        #expect(result.code == 0, "\(result.err)")
        let report = try loadReport(directory.file("o/report.json"))
        let toxic = try #require(report.items.first { $0.sampleID == "a" })
        let clean = try #require(report.items.first { $0.sampleID == "b" })
        #expect(toxic.outcome == .fail && clean.outcome == .pass)
        #expect((toxic.score ?? 1) < 0.5 && (clean.score ?? 0) > 0.5)
        // The observation keeps the classifier's own probability, which toxicity metrics read.
        let observation = try #require(toxic.checks.first?.classifier)
        #expect(abs(observation.score - (1 - (toxic.checks.first?.score ?? 0))) < 1e-12)
        #expect(observation.score > 0.5)
    }
}

@Suite struct TrainHelpTests {
    /// Issue 12's defect: the help stated a default n-gram range (2-5) the code did not use (1-4).
    @Test func theHelpStatesTheNGramRangeTheTrainerUses() async {
        let (console, captured) = Console.capturing()
        #expect(await DeveloperCommand.run(["train", "--help"], console: console) == 0)
        let settings = FeatureSettings()
        #expect(captured.out.contains("(default \(settings.charMin)-\(settings.charMax))"), "\(captured.out)")
        #expect(settings.charMin == 1 && settings.charMax == 4)
    }
}
