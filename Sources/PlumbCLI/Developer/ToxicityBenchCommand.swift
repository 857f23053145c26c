import Foundation
import PlumbClassifiers
import PlumbCore

/// `plumb-dev bench`: toxicity scoring speed on one core (Benchmarks/toxicity-speed.sh).
enum ToxicityBenchCommand: Subcommand {
    static let name = "bench"
    static let summary = "measure toxicity scoring speed on one core over the Davidson tweets"
    static let usage = "plumb-dev bench [--data DIR] [--model FILE] [--seconds N]"
    static let defaultData = ToxicityCommandSupport.defaultData

    static let options: [OptionSpec] = [
        .value("--data", "DIR", help: "the toxicity data directory (default \(defaultData))"),
        .value("--model", "FILE", help: "a model file, or toxicity-v1 for the first shipped model (default: toxicity)"),
        .value("--seconds", "N", help: "how long to measure (default 5)"),
        .flag("--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: Console) throws -> Int32 {
        let command = "bench"
        let parsed = try ArgumentParser.parse(arguments, options: options, command: command)
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "Measure toxicity scoring speed on one core over the Davidson tweets.",
                    options: options
                )
            )
            return ExitCode.success
        }
        try ToxicityCommandSupport.noPositionals(parsed, command: command)
        let seconds = try parsed.int("--seconds", in: 1...600, command: command) ?? 5
        let classifier = try ToxicityCommandSupport.loadClassifier(parsed)
        let data = ToxicityData(directory: parsed.value("--data") ?? defaultData)
        let texts: [String]
        do {
            texts =
                try data.loadTrainingSets().first { $0.name == "davidson" }.map { $0.train + $0.heldOut }?.map(
                    \.text
                ) ?? []
        } catch let error as ToxicityDataError {
            throw CommandFailure(exitCode: ExitCode.dataError, message: error.description)
        }
        guard !texts.isEmpty else { throw CommandFailure(exitCode: ExitCode.dataError, message: "no texts") }
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        var checksum = classifier.probabilities(texts).reduce(0, +)  // warm-up
        var scored = 0
        let clock = ContinuousClock()
        let start = clock.now
        let limit = Duration.seconds(seconds)
        while clock.now - start < limit {
            checksum += classifier.probabilities(texts).reduce(0, +)
            scored += texts.count
        }
        let elapsed = clock.now - start
        let secondsElapsed = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        console.out(
            String(
                format: "%d texts (mean %.0f bytes) in %.2f s on one thread: %.0f texts/s, %.1f MB/s (checksum %.3f)\n",
                scored,
                Double(bytes) / Double(texts.count),
                secondsElapsed,
                Double(scored) / secondsElapsed,
                Double(bytes) / Double(texts.count) * Double(scored) / secondsElapsed / 1e6,
                checksum
            )
        )
        return ExitCode.success
    }
}
