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

/// `plumb classifier score`: texts in, scores out.
@Suite struct ClassifierScoreCommandTests {
    @Test func scoresJSONLinesAndACSVColumnInInputOrder() async throws {
        let directory = TemporaryDirectory()
        let jsonl = directory.write(
            "t.jsonl",
            #"{"id": "a", "output": "shut up you stupid idiot, I hate you"}"# + "\n\n"
                + #"{"id": 7, "output": "have a lovely day"}"# + "\n"
        )
        let result = await plumb("classifier", "score", jsonl, "--field", "output")
        #expect(result.code == 0, "\(result.err)")
        let lines = result.out.split(separator: "\n").map {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(lines.count == 2)
        #expect(lines[0]?["id"] as? String == "a" && lines[0]?["line"] as? Int == 1)
        #expect(lines[1]?["id"] as? String == "7" && lines[1]?["line"] as? Int == 3)
        let toxic = (lines[0]?["scores"] as? [String: Double])?["toxic"] ?? 0
        let clean = (lines[1]?["scores"] as? [String: Double])?["toxic"] ?? 1
        #expect(toxic > 0.5 && clean < 0.5)
        // The same score a classifier check records.
        let direct = try await ToxicityClassifier.shipped().score("have a lovely day")
        #expect(abs(clean - direct) < 1e-12)
        #expect(result.err.contains("scoring 2 texts with plumb-toxicity"))

        let csv = directory.write("t.csv", "id,text\nx1,\"you moron, you idiot\"\n")
        let fromCSV = await plumb("classifier", "score", csv, "--classifier", "sentiment")
        #expect(
            fromCSV.code == 0 && fromCSV.out.contains(#""id":"x1","line":2,"scores":{"positive":"#),
            "\(fromCSV.out)"
        )
    }

    @Test func badInputIsALocatedErrorBeforeAnythingIsScored() async {
        let directory = TemporaryDirectory()
        let broken = directory.write("b.jsonl", "{\"text\": \"ok\"}\n{broken\n")
        let result = await plumb("classifier", "score", broken)
        #expect(result.code == 65 && result.err.contains("b.jsonl:2:1: not a JSON object") && result.out.isEmpty)
        let missing = directory.write("m.jsonl", "{\"output\": \"ok\"}\n")
        let noField = await plumb("classifier", "score", missing)
        #expect(noField.code == 65 && noField.err.contains("m.jsonl:1:1: no text field 'text'"))
        let csv = directory.write("c.csv", "id,output\n1,x\n")
        let noColumn = await plumb("classifier", "score", csv)
        #expect(noColumn.code == 65 && noColumn.err.contains("no column 'text' (columns: id, output"))
        let unknown = await plumb("classifier", "score", broken, "--classifier", "toxicty")
        #expect(unknown.code == 64 && unknown.err.contains("did you mean 'toxicity'"))
    }

    @Test func linesOnStandardInputAreScoredByTheRealBinary() async throws {
        let plumbPath = try #require(BuiltProducts.path(of: "plumb"), "build with `swift build --build-tests`")
        let directory = TemporaryDirectory()
        let input = directory.write("in.txt", "you stupid idiot\nthank you, that helps\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: plumbPath)
        process.arguments = ["classifier", "score"]
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
        let output = directory.file("out.jsonl")
        FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = (directory.read("out.jsonl") ?? "").split(separator: "\n")
        #expect(
            lines.count == 2 && lines[0].hasPrefix(#"{"line":1,"scores":{"toxic":"#)
                && lines[1].hasPrefix(#"{"line":2,"#)
        )
    }
}

@Suite struct FunctionalCommandTests {
    @Test func theFunctionalTestsRunFromTheCommandLineWithoutData() async throws {
        let result = await plumb("classifier", "functional", "--format", "json")
        #expect(result.code == 0, "\(result.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let heldOut = try #require(json["heldOut"] as? [[String: Any]])
        #expect(heldOut.count == 10)
        #expect(heldOut.reduce(0) { $0 + ($1["cases"] as? Int ?? 0) } == 246)
        let table = await plumb("classifier", "functional")
        #expect(table.out.contains("| identity-positive (positive statements about a group) | not flag | 30 |"))
    }
}
