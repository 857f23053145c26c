import Foundation
import PlumbClassifiers
import PlumbCore

/// `plumb classifier eval`: the toxicity classifier on held-out data.
enum ToxicityEvalCommand: Subcommand {
    static let name = "eval"
    static let summary = "ROC AUC, precision, recall, F1, calibration and identity bias of the toxicity classifier"
    static let usage = "plumb classifier eval [--data DIR] [--model FILE] [--format markdown|json]"
    static let defaultData = ToxicityCommandSupport.defaultData

    static let options: [OptionSpec] = [
        .value("--data", "DIR", help: "the toxicity data directory (default \(defaultData))"),
        .value("--model", "FILE", help: "a model file, or toxicity-v1 for the first shipped model (default: toxicity)"),
        .value("--format", "FORMAT", help: "markdown (default) or json"),
        .flag("--help", help: "show this help"),
    ]
    static func run(_ arguments: [String], console: Console) async throws -> Int32 {
        let command = "classifier eval"
        let parsed = try ArgumentParser.parse(arguments, options: options, command: command)
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: "plumb classifier eval [--data DIR] [--model FILE] [--format markdown|json]",
                    summary: "Evaluate the toxicity classifier on held-out data.",
                    options: options,
                    details: """
                        Sets: the held-out 20% of Davidson, RTP and ToxiGen, and the two Wikipedia identity sets
                        (never trained on). Per set: ROC AUC, precision, recall, F1 and false-positive rate at the
                        model's threshold, and a 10-bin calibration table; plus the identity-term bias
                        (ROC AUC nonfuzzed − fuzzed, FPR fuzzed − nonfuzzed).
                        """
                )
            )
            return ExitCode.success
        }
        try ToxicityCommandSupport.noPositionals(parsed, command: command)
        let format = try ToxicityCommandSupport.format(parsed, command: command)
        let classifier = try ToxicityCommandSupport.loadClassifier(parsed)
        let data = ToxicityData(directory: parsed.value("--data") ?? defaultData)
        var sets: [(name: String, texts: [LabeledText])] = []
        do {
            for set in try data.loadTrainingSets() where !set.heldOut.isEmpty {
                sets.append(("\(set.name)-heldout", set.heldOut))
            }
            sets.append(("wiki-nonfuzzed", try data.loadWiki(ToxicityData.wikiNonfuzzed)))
            sets.append(("wiki-fuzzed", try data.loadWiki(ToxicityData.wikiFuzzed)))
        } catch let error as ToxicityDataError {
            throw CommandFailure(exitCode: ExitCode.dataError, message: error.description)
        }
        let evaluation = ToxicityEvaluation.evaluate(classifier, sets: sets)
        if format == "json" {
            try ToxicityCommandSupport.printJSON(evaluation, console: console)
        } else {
            console.out(evaluation.markdown())
            // The functional tests too (their JSON: plumb classifier functional --format json).
            console.out("\n" + FunctionalEvaluation.evaluate(classifier).markdown())
        }
        return ExitCode.success
    }
}
