import Foundation
import PlumbClassifiers
import PlumbCore

/// `plumb classifier functional`: the toxicity classifier on Plumb's functional tests (no data needed).
enum FunctionalTestsCommand: Subcommand {
    static let name = "functional"
    static let summary = "the toxicity classifier on Plumb's functional tests (hate, counter-speech, negation …)"
    static let usage = "plumb classifier functional [--model FILE] [--cases FILE.jsonl] [--format markdown|json]"
    static let options: [OptionSpec] = [
        .value("--model", "FILE", help: "a model file, or toxicity-v1 for the first shipped model (default: toxicity)"),
        .value(
            "--cases",
            "FILE",
            help: "your own cases, JSON Lines {functionality, group, text, hateful} (default: Plumb's)"
        ),
        .value("--format", "FORMAT", help: "markdown (default) or json"),
        .flag("--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: Console) async throws -> Int32 {
        let command = "classifier functional"
        let parsed = try ArgumentParser.parse(arguments, options: options, command: command)
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "Run the toxicity classifier on Plumb's functional tests.",
                    options: options,
                    details: """
                        \(FunctionalTests.cases.count) cases written by the Plumb team: \(FunctionalTests.functionalities.count) functionalities (hateful: explicit and implicit
                        derogation, threats, obfuscated spelling; not hateful: positive and neutral mentions of a
                        group, counter-speech, negation, untargeted swearing, reclaimed self-reference) × \(FunctionalTests.groups.count) groups ×
                        templates. Per functionality: the share the classifier gets right at its threshold, on the
                        held-out templates (the published figures) and on the development ones.
                        Docs/classifiers.md#functional-tests.
                        """
                )
            )
            return ExitCode.success
        }
        try ToxicityCommandSupport.noPositionals(parsed, command: command)
        let format = try ToxicityCommandSupport.format(parsed, command: command)
        let classifier = try ToxicityCommandSupport.loadClassifier(parsed)
        let evaluation: FunctionalEvaluation
        if let file = parsed.value("--cases") {
            do {
                evaluation = FunctionalEvaluation.evaluate(
                    try FunctionalCaseFile.read(path: file),
                    file: file,
                    classifier: classifier
                )
            } catch {
                throw CommandFailure(exitCode: ExitCode.dataError, message: error.description)
            }
        } else {
            evaluation = FunctionalEvaluation.evaluate(classifier)
        }
        if format == "json" {
            try ToxicityCommandSupport.printJSON(evaluation, console: console)
        } else {
            console.out(evaluation.markdown())
        }
        return ExitCode.success
    }
}
