import Foundation
import PlumbClassifiers
import PlumbCore

/// `plumb classifier train|eval`: trains and evaluates the built-in toxicity classifier (Docs/classifiers.md).
/// `plumb classifier bench` (not listed) measures its scoring speed.
public enum ClassifierCommand {
    public static let usage = "plumb classifier <train|eval|refusal|sentiment> [options]"
    static let defaultData = "../shared/data/toxicity"
    static let defaultOut = "Sources/PlumbClassifiers/Resources/\(ToxicityClassifier.resourceName).bin"

    static let trainOptions: [OptionSpec] = [
        .value("--data", "DIR", help: "the toxicity data directory (default \(defaultData))"),
        .value("--out", "FILE", help: "where to write the model (default \(defaultOut))"),
        .value("--seed", "N", help: "seed of the identity-term swaps (default 1)"),
        .value("--identity-swaps", "N", help: "identity-swapped copies per text with identity terms (default 1)"),
        .value("--iterations", "N", help: "L-BFGS iterations (default 150)"),
        .value("--l2", "X", help: "L2 penalty (default 1e-5)"),
        .value("--bucket-bits", "N", help: "log2 of the number of hashed features (default 18)"),
        .value("--char-ngrams", "MIN-MAX", help: "character n-gram lengths in bytes (default 2-5)"),
        .repeatable("--share", "SET=X", help: "a training set's share of the weight (davidson, rtp, toxigen)"),
        .flag("--help", help: "show this help"),
    ]
    static let evalOptions: [OptionSpec] = [
        .value("--data", "DIR", help: "the toxicity data directory (default \(defaultData))"),
        .value("--model", "FILE", help: "a model file (default: the shipped model)"),
        .value("--format", "FORMAT", help: "markdown (default) or json"),
        .flag("--help", help: "show this help"),
    ]
    static let benchOptions: [OptionSpec] = [
        .value("--data", "DIR", help: "the toxicity data directory (default \(defaultData))"),
        .value("--model", "FILE", help: "a model file (default: the shipped model)"),
        .value("--seconds", "N", help: "how long to measure (default 5)"),
        .flag("--help", help: "show this help"),
    ]

    /// Runs `plumb classifier …` with the arguments after `classifier`.
    public static func run(_ arguments: [String], console: Console) throws -> Int32 {
        guard let subcommand = arguments.first else {
            throw UsageError("give a subcommand: train or eval", command: "classifier")
        }
        let rest = Array(arguments.dropFirst())
        switch subcommand {
        case "train": return try train(rest, console: console)
        case "eval": return try evaluate(rest, console: console)
        case "bench": return try bench(rest, console: console)
        case "--help", "-h", "help":
            console.out(
                """
                Train and evaluate Plumb's built-in classifiers: toxicity, refusal, sentiment.

                USAGE: \(usage)

                SUBCOMMANDS:
                  train     train on the labelled data and write the model file
                  eval      report ROC AUC, precision, recall, F1, calibration and identity bias on held-out sets
                  refusal   measure the refusal detectors on XSTest's labelled answers (--train: refit)
                  sentiment measure the sentiment / regard scorer on the Jigsaw templates and identity swaps

                Run 'plumb classifier <subcommand> --help' for its options. Docs/classifiers.md has the recipe.

                """
            )
            return ExitCode.success
        default:
            throw UsageError(
                "unknown subcommand '\(subcommand)'" + EditDistance.hint(for: subcommand, among: ["train", "eval"])
                    + " (subcommands: train, eval)",
                command: "classifier"
            )
        }
    }

    // MARK: - train

    static func train(_ arguments: [String], console: Console) throws -> Int32 {
        let command = "classifier train"
        let parsed = try ArgumentParser.parse(arguments, options: trainOptions, command: command)
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: "plumb classifier train [--data DIR] [--out FILE] [options]",
                    summary: "Train the toxicity classifier on the 80% training parts of Davidson, RTP and ToxiGen.",
                    options: trainOptions,
                    details: """
                        Each set is split 80/20 by a hash of its normalised text; the 20% is never trained on.
                        The threshold is chosen on an internal validation fold of the training part. The same
                        data, options and seed give a byte-identical model file. Progress goes to stderr.
                        """
                )
            )
            return ExitCode.success
        }
        try noPositionals(parsed, command: command)
        var options = LogisticRegressionTrainer.Options()
        var recipe = ToxicityRecipe()
        if let seed = parsed.value("--seed") {
            guard let value = UInt64(seed) else {
                throw UsageError("--seed takes a whole number from 0 to \(UInt64.max), not '\(seed)'", command: command)
            }
            recipe.seed = value
        }
        recipe.identitySwaps =
            try parsed.int("--identity-swaps", in: 0...10, command: command) ?? recipe.identitySwaps
        options.iterations = try parsed.int("--iterations", in: 1...10000, command: command) ?? options.iterations
        if let text = parsed.value("--l2") {
            guard let value = Double(text), value >= 0, value.isFinite else {
                throw UsageError("--l2 takes a number ≥ 0, not '\(text)'", command: command)
            }
            options.l2 = value
        }
        var features = FeatureSettings()
        features.bucketBits = try parsed.int("--bucket-bits", in: 10...24, command: command) ?? features.bucketBits
        if let text = parsed.value("--char-ngrams") {
            let bounds = text.split(separator: "-").compactMap { Int($0) }
            guard bounds.count == 2, (1...8).contains(bounds[0]), (bounds[0]...8).contains(bounds[1]) else {
                throw UsageError("--char-ngrams takes MIN-MAX with 1 ≤ MIN ≤ MAX ≤ 8, not '\(text)'", command: command)
            }
            features.charMin = bounds[0]
            features.charMax = bounds[1]
        }
        let shares = parsed.all("--share")
        if !shares.isEmpty {
            recipe.shares = [:]
            for share in shares {
                let parts = share.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, ["davidson", "rtp", "toxigen"].contains(parts[0]),
                    let value = Double(parts[1]), value >= 0, value.isFinite
                else {
                    throw UsageError(
                        "--share takes SET=X with SET davidson, rtp or toxigen and X ≥ 0, not '\(share)'",
                        command: command
                    )
                }
                recipe.shares[parts[0]] = value
            }
        }
        let data = ToxicityData(directory: parsed.value("--data") ?? defaultData)
        let out = parsed.value("--out") ?? defaultOut

        let start = Date()
        let sets: [ToxicitySplitSet]
        let digests: (files: [DataFileSummary], combined: String)
        let wiki: [LabeledText]
        do {
            sets = try data.loadTrainingSets()
            digests = try data.trainingFileDigests()
            wiki = try data.loadWiki(ToxicityData.wikiNonfuzzed)
        } catch let error as ToxicityDataError {
            throw CommandFailure(exitCode: ExitCode.dataError, message: error.description)
        }
        let model = ToxicityTraining.train(
            sets: sets,
            features: features,
            options: options,
            recipe: recipe,
            files: digests.files,
            dataSHA256: digests.combined,
            heldOut: ("wiki-nonfuzzed", wiki)
        ) { console.err($0 + "\n") }
        let bytes = model.encoded()
        do {
            try FileOutput.createDirectory(
                (out as NSString).deletingLastPathComponent.isEmpty
                    ? "." : (out as NSString).deletingLastPathComponent
            )
            try FileOutput.writeAtomically(Data(bytes), to: out)
        } catch {
            throw CommandFailure(exitCode: ExitCode.cannotCreate, message: "cannot write \(out): \(error)")
        }
        let heldOut = model.header.heldOut.map {
            String(
                format: "; on %@: ROC AUC %.4f, sensitivity %.3f, specificity %.3f",
                $0.name,
                $0.rocAUC,
                $0.sensitivity,
                $0.specificity
            )
        }
        console.err(
            String(
                format: "wrote %@ (%d bytes, checksum %@) in %.1f s; threshold %.4f",
                out,
                bytes.count,
                String(model.checksum.prefix(12)),
                Date().timeIntervalSince(start),
                model.header.threshold
            ) + (heldOut ?? "") + "\n"
        )
        return ExitCode.success
    }

    // MARK: - eval

    static func evaluate(_ arguments: [String], console: Console) throws -> Int32 {
        let command = "classifier eval"
        let parsed = try ArgumentParser.parse(arguments, options: evalOptions, command: command)
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: "plumb classifier eval [--data DIR] [--model FILE] [--format markdown|json]",
                    summary: "Evaluate the toxicity classifier on held-out data.",
                    options: evalOptions,
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
        try noPositionals(parsed, command: command)
        let format = parsed.value("--format") ?? "markdown"
        guard format == "markdown" || format == "json" else {
            throw UsageError("--format takes markdown or json, not '\(format)'", command: command)
        }
        let classifier = try loadClassifier(parsed)
        let data = ToxicityData(directory: parsed.value("--data") ?? defaultData)
        var sets: [(name: String, texts: [LabeledText])] = []
        do {
            for set in try data.loadTrainingSets() {
                sets.append(("\(set.name)-heldout", set.heldOut))
            }
            sets.append(("wiki-nonfuzzed", try data.loadWiki(ToxicityData.wikiNonfuzzed)))
            sets.append(("wiki-fuzzed", try data.loadWiki(ToxicityData.wikiFuzzed)))
        } catch let error as ToxicityDataError {
            throw CommandFailure(exitCode: ExitCode.dataError, message: error.description)
        }
        let evaluation = ToxicityEvaluation.evaluate(classifier, sets: sets)
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            console.out(String(decoding: try encoder.encode(evaluation), as: UTF8.self) + "\n")
        } else {
            console.out(evaluation.markdown())
        }
        return ExitCode.success
    }

    // MARK: - bench

    static func bench(_ arguments: [String], console: Console) throws -> Int32 {
        let command = "classifier bench"
        let parsed = try ArgumentParser.parse(arguments, options: benchOptions, command: command)
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: "plumb classifier bench [--data DIR] [--model FILE] [--seconds N]",
                    summary: "Measure toxicity scoring speed on one core over the Davidson tweets.",
                    options: benchOptions
                )
            )
            return ExitCode.success
        }
        try noPositionals(parsed, command: command)
        let seconds = try parsed.int("--seconds", in: 1...600, command: command) ?? 5
        let classifier = try loadClassifier(parsed)
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

    // MARK: - Helpers

    static func loadClassifier(_ parsed: ParsedArguments) throws -> ToxicityClassifier {
        do {
            if let path = parsed.value("--model") {
                return try ToxicityClassifier(contentsOf: URL(fileURLWithPath: path))
            }
            return try ToxicityClassifier.shipped()
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
