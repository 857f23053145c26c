import Foundation
import PlumbChecks
import PlumbClassifiers

/// `plumb classifier refusal [--data DIR] [--train]`: measures the refusal detectors on XSTest's labelled answers
/// and, with `--train`, prints the shipped detector's weights as Swift (for RefusalDetector+Shipped.swift).
enum RefusalDetectorCommand: Subcommand {
    static let name = "refusal"
    static let summary = "measure the refusal detectors on XSTest's labelled answers (--train: refit)"
    static let usage = "plumb classifier refusal [--data DIR] [--train]"
    static let options: [OptionSpec] = [
        .value(
            "--data",
            "DIR",
            help: "XSTest's model_completions folder (default: ../shared/data/refusal/xstest/model_completions)"
        ),
        .flag("--train", help: "also print the weights trained on all answers, as Swift source"),
        .flag("--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: Console) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: "classifier refusal")
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "Measure the refusal detectors on XSTest's 2,250 human-labelled model answers.",
                    options: options,
                    details: "Prints precision, recall, F1 and specificity; Docs/classifiers.md publishes them."
                )
            )
            return ExitCode.success
        }
        let directory = parsed.value("--data") ?? "../shared/data/refusal/xstest/model_completions"
        let answers: [RefusalEvaluation.Answer]
        do {
            answers = try RefusalEvaluation.load(directory: directory)
        } catch {
            throw CommandFailure(exitCode: ExitCode.dataError, message: "\(error)")
        }
        let report = RefusalEvaluation.evaluate(answers)
        console.out("\(answers.count) answers (\(answers.filter(\.isRefusal).count) refusals)\n\n")
        console.out(report.markdown)
        if parsed.flag("--train") {
            let weights = report.trained.weights.map { String(format: "%.6f", $0) }
            console.out("\n// weights (\(RefusalDetector.featureNames.joined(separator: ", ")))\n")
            console.out("weights: [" + weights.joined(separator: ", ") + "],\n")
            console.out(String(format: "bias: %.6f\n", report.trained.bias))
            console.out(
                String(
                    format: "held-out recall %.4f, specificity %.4f\n",
                    report.heldOut.recall,
                    report.heldOut.specificity
                )
            )
        }
        return ExitCode.success
    }
}
