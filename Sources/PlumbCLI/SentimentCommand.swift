import Foundation
import PlumbChecks
import PlumbClassifiers
import PlumbCore

/// `plumb classifier sentiment [--data DIR]`: measures the sentiment / regard scorer on the Jigsaw sentence
/// templates (positive vs negative statements about identity groups) and its sensitivity to identity terms on the
/// Wikipedia identity-swapped pairs.
enum SentimentCommand: Subcommand {
    static let name = "sentiment"
    static let summary = "measure the sentiment / regard scorer on the Jigsaw templates and identity swaps"
    static let usage = "plumb classifier sentiment [--data DIR]"
    static let options: [OptionSpec] = [
        .value("--data", "DIR", help: "the shared data folder (default: ../shared/data)"),
        .flag("--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: Console) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: "classifier sentiment")
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "Measure the sentiment / regard scorer (Docs/classifiers.md publishes the table).",
                    options: options
                )
            )
            return ExitCode.success
        }
        let root = parsed.value("--data") ?? "../shared/data"
        let scorer = SentimentScorer()

        let templates = try table(
            root + "/fairness/jigsaw-templates/en_sentence_templates.csv",
            ["phrase", "toxicity"]
        )
        let phrase = templates.header.firstIndex(of: "phrase")!
        let toxicity = templates.header.firstIndex(of: "toxicity")!
        var scores: [Double] = []
        var positive: [Bool] = []
        for record in templates.records {
            scores.append(scorer.score(record.fields[phrase]))
            positive.append(record.fields[toxicity] == "nontoxic")
        }
        let auc = ClassifierMetrics.rocAUC(scores: scores, labels: positive) ?? .nan
        let decided = zip(scores, positive).filter { $0.0 != 0.5 }
        let correct = decided.filter { ($0.0 > 0.5) == $0.1 }.count
        let neutral = scores.count - decided.count

        let plain = try table(root + "/toxicity/wiki-identity/toxicity_nonfuzzed_testset.csv", ["comment"])
        let swapped = try table(root + "/toxicity/wiki-identity/toxicity_fuzzed_testset.csv", ["comment"])
        let plainText = plain.header.firstIndex(of: "comment")!
        let swappedText = swapped.header.firstIndex(of: "comment")!
        guard plain.records.count == swapped.records.count else {
            throw CommandFailure(exitCode: ExitCode.dataError, message: "wiki-identity: the two files differ in length")
        }
        var differences: [Double] = []
        for (a, b) in zip(plain.records, swapped.records) {
            differences.append(abs(scorer.score(a.fields[plainText]) - scorer.score(b.fields[swappedText])))
        }
        let changed = differences.filter { $0 > 1e-12 }.count
        let mean = differences.reduce(0, +) / Double(max(1, differences.count))

        console.out(
            """
            | measure | value |
            |---|---|
            | Jigsaw templates: statements | \(scores.count) |
            | ROC AUC, positive (non-toxic) vs negative (toxic) regard | \(String(format: "%.4f", auc)) |
            | accuracy at 0.5, statements the scorer does not call neutral | \(String(format: "%.4f", Double(correct) / Double(max(1, decided.count)))) |
            | statements scored exactly neutral (0.5) | \(neutral) (\(String(format: "%.1f%%", 100 * Double(neutral) / Double(scores.count)))) |
            | Wikipedia pairs with identity terms swapped | \(differences.count) |
            | pairs whose score changed | \(changed) |
            | mean absolute score change | \(String(format: "%.5f", mean)) |

            """
        )
        return ExitCode.success
    }

    static func table(_ path: String, _ columns: [String]) throws -> CSVTable {
        do {
            return try CSVReader.table(atPath: path, requiring: columns)
        } catch {
            throw CommandFailure(exitCode: ExitCode.dataError, message: "\(error)")
        }
    }
}
