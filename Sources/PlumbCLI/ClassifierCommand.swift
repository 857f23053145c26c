import Foundation
import PlumbClassifiers
import PlumbCore

/// `plumb classifier eval|refusal|sentiment`: measures the built-in classifiers (Docs/classifiers.md). Training and
/// the speed benchmark are developer tools (`plumb-dev train`, `plumb-dev bench`), since their defaults point at
/// `../shared` and `Sources/`.
enum ClassifierCommand: Subcommand {
    static let name = "classifier"
    static let summary = "measure the built-in classifiers (labelled data, functional tests) and score texts with them"
    static let usage = "plumb classifier <eval|refusal|sentiment> [options]"
    static var subcommands: [any Subcommand.Type] {
        [
            ToxicityEvalCommand.self, RefusalDetectorCommand.self, SentimentCommand.self, ClassifierScoreCommand.self,
            FunctionalTestsCommand.self,
        ]
    }

    static func run(_ arguments: [String], console: Console) async throws -> Int32 {
        if let word = arguments.first, ["train", "bench"].contains(word) {
            throw UsageError(
                "'plumb classifier \(word)' is a developer tool now: run 'swift run -c release plumb-dev \(word)' "
                    + "in a checkout",
                command: name
            )
        }
        return try await dispatch(arguments, path: "plumb classifier", console: console)
    }
}

/// What the toxicity commands share: where the data is by default, loading a model, and their output formats.
enum ToxicityCommandSupport {
    /// `--format markdown|json` (default markdown).
    static func format(_ parsed: ParsedArguments, command: String) throws(UsageError) -> String {
        try parsed.choice("--format", among: ["markdown", "json"], default: "markdown", command: command)
    }

    /// `value` as pretty, sorted JSON on stdout.
    static func printJSON(_ value: some Encodable, console: Console) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        console.out(String(decoding: try encoder.encode(value), as: UTF8.self) + "\n")
    }

    static let defaultData = "../shared/data/toxicity"

    static func loadClassifier(_ parsed: ParsedArguments) throws -> ToxicityClassifier {
        do {
            switch parsed.value("--model") {
            case nil, "toxicity"?: return try ToxicityClassifier.shipped()
            case "toxicity-v1"?: return try ToxicityClassifier.shippedV1()
            case let path?: return try ToxicityClassifier(contentsOf: URL(fileURLWithPath: path))
            }
        } catch let error as ToxicityModelError {
            throw CommandFailure(exitCode: ExitCode.dataError, message: error.message)
        }
    }

    static func noPositionals(_ parsed: ParsedArguments, command: String) throws(UsageError) {
        if let extra = parsed.positionals.first {
            throw UsageError("unexpected argument '\(extra)'", command: command)
        }
    }
}
