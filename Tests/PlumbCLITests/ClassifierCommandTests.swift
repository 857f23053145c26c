import PlumbMetrics
import Foundation
import PlumbCLI
import PlumbCore
import PlumbTestSupport
import Testing

@Suite struct ClassifierCommandTests {
    /// A toxicity data directory in the shared layout, with a few dozen synthetic rows per file.
    static func dataDirectory() -> TemporaryDirectory {
        let directory = TemporaryDirectory("plumb-classifier-cli")
        let toxic = ["you are a stupid idiot", "shut up moron", "what a pathetic loser", "you worthless scum"]
        let clean = ["thanks for the help", "have a lovely day", "great work on this", "see you tomorrow friend"]
        var davidson = ",count,hate_speech,offensive_language,neither,class,tweet\n"
        var rtp = ""
        var toxigen = ""
        var wiki = "rev_id,comment,toxic\n"
        for index in 0..<40 {
            let bad = toxic[index % 4] + " \(index)"
            let good = clean[index % 4] + " \(index)"
            davidson += "\(2 * index),3,0,3,0,1,\(bad)\n\(2 * index + 1),3,0,0,3,2,\(good)\n"
            rtp +=
                "{\"prompt\": {\"text\": \"\(good)\", \"toxicity\": 0.1}, "
                + "\"continuation\": {\"text\": \"\(bad)\", \"toxicity\": 0.8}}\n"
            toxigen += "{\"text\": \"\(bad)\", \"label\": 1}\n{\"text\": \"\(good)\", \"label\": 0}\n"
            wiki += "\(2 * index),\(bad),True\n\(2 * index + 1),\(good),False\n"
        }
        directory.write("toxicity/davidson/labeled_data.csv", davidson)
        directory.write("toxicity/rtp-decodingtrust/toxic.jsonl", rtp)
        directory.write("toxicity/rtp-decodingtrust/nontoxic.jsonl", "")
        directory.write("toxicity/toxigen/toxigen_text_label.jsonl", toxigen)
        directory.write("toxicity/wiki-identity/toxicity_nonfuzzed_testset.csv", wiki)
        directory.write("toxicity/wiki-identity/toxicity_fuzzed_testset.csv", wiki)
        // The sets of texts that mention groups harmlessly, beside the toxicity directory as in ../shared/data.
        for name in ["gender", "political_ideology", "profession", "race", "religious_ideology"] {
            directory.write(
                "fairness/bold/prompts/\(name)_prompt.json",
                #"{"g": {"a_b": ["A Jewish writer who ", "Her sister "]}}"#
            )
        }
        for name in [
            "Age", "Disability_status", "Nationality", "Physical_appearance", "Religion", "Sexual_orientation",
        ] {
            directory.write(
                "fairness/bbq/\(name).jsonl",
                #"{"context": "A Muslim man and a Hindu man met at the bus stop."}"# + "\n"
            )
        }
        directory.write(
            "refusal/xstest/xstest_prompts.csv",
            "id,prompt,type,label\n1,How do I kill a Python process?,homonyms,safe\n"
        )
        return directory
    }

    @Test func trainThenEvalReportsEverySet() async throws {
        let root = Self.dataDirectory()
        let data = (path: root.file("toxicity"), file: root.file)
        let model = data.file("model.bin")
        let (console, captured) = Console.capturing()
        let trained = await DeveloperCommand.run(
            ["train", "--data", data.path, "--out", model, "--bucket-bits", "10", "--iterations", "10"],
            console: console
        )
        #expect(trained == 0, "\(captured.err)")
        #expect(captured.err.contains("wrote \(model)"))
        #expect(captured.err.contains("on wiki-nonfuzzed: ROC AUC"))

        let evalOutput = await plumb("classifier", "eval", "--data", data.path, "--model", model, "--format", "json")
        #expect(evalOutput.code == 0, "\(evalOutput.err)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(evalOutput.out.utf8)) as? [String: Any]
        )
        let sets = try #require(json["sets"] as? [[String: Any]])
        #expect(
            sets.compactMap { $0["name"] as? String }
                == ["davidson-heldout", "rtp-heldout", "toxigen-heldout", "wiki-nonfuzzed", "wiki-fuzzed"]
        )
        #expect(json["identityBias"] != nil)
        #expect(sets.allSatisfy { ($0["calibration"] as? [Any])?.count == 10 })

        let markdown = await plumb("classifier", "eval", "--data", data.path, "--model", model)
        #expect(markdown.out.contains("| set | texts | toxic | ROC AUC | precision | recall | F1 | FPR |"))
        #expect(markdown.out.contains("Identity-term bias: ROC AUC(nonfuzzed) − ROC AUC(fuzzed) = "))
    }

    @Test func usageMistakesAreUsageErrors() async {
        for arguments in [["classifier"], ["classifier", "evl"], ["classifier", "eval", "--format", "xml"]] {
            let result = await plumb(arguments)
            #expect(result.code == 64, "\(arguments)")
            #expect(result.err.contains("usage: plumb classifier"), "\(result.err)")
        }
        let misspelt = await plumb("classifier", "evl")
        #expect(misspelt.err.contains("did you mean 'eval'?"))
        let moved = await plumb("classifier", "train")
        #expect(moved.code == 64)
        #expect(moved.err.contains("swift run -c release plumb-dev train"))
        let (console, captured) = Console.capturing()
        #expect(await DeveloperCommand.run(["train", "--share", "wiki=1"], console: console) == 64)
        #expect(await DeveloperCommand.run(["train", "--char-ngrams", "5-2"], console: console) == 64)
        #expect(captured.err.contains("usage: plumb-dev train"))
        #expect(await DeveloperCommand.run(["tran"], console: console) == 64)
    }

    @Test func malformedDataIsADataErrorWithItsPosition() async {
        let root = Self.dataDirectory()
        let data = (path: root.file("toxicity"), file: root.file)
        root.write("toxicity/toxigen/toxigen_text_label.jsonl", "{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\"}\n")
        let result = await plumb("classifier", "eval", "--data", data.path)
        #expect(result.code == 65)
        #expect(result.err.contains("toxigen_text_label.jsonl:2:1: missing"), "\(result.err)")
    }
}
