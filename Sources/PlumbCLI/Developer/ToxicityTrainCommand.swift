import Foundation
import PlumbClassifiers
import PlumbCore

/// `plumb-dev train`: trains the toxicity classifier and writes the model file Plumb ships.
enum ToxicityTrainCommand: Subcommand {
    static let name = "train"
    static let summary = "train the toxicity classifier on the labelled data and write the model file"
    static let usage = "plumb-dev train [--data DIR] [--out FILE] [options]"
    static let defaultData = ToxicityCommandSupport.defaultData
    static let defaultOut = "Sources/PlumbClassifiers/Resources/\(ToxicityClassifier.resourceName).bin"
    static let v1Out = "Sources/PlumbClassifiers/Resources/\(ToxicityClassifier.v1ResourceName).bin"

    static let options: [OptionSpec] = [
        .value("--data", "DIR", help: "the toxicity data directory (default \(defaultData))"),
        .flag("--v1", help: "the first recipe (Davidson, RTP and ToxiGen only); writes \(v1Out)"),
        .value("--out", "FILE", help: "where to write the model (default \(defaultOut))"),
        .value("--seed", "N", help: "seed of the identity-term swaps (default 1)"),
        .value("--identity-swaps", "N", help: "identity-swapped copies per text with identity terms (default 1)"),
        .value("--iterations", "N", help: "L-BFGS iterations (default 150)"),
        .value("--l2", "X", help: "L2 penalty (default 1e-5)"),
        .value("--bucket-bits", "N", help: "log2 of the number of hashed features (default 18)"),
        .value(
            "--char-ngrams",
            "MIN-MAX",
            help:
                "character n-gram lengths in bytes (default \(FeatureSettings().charMin)-\(FeatureSettings().charMax))"
        ),
        .value(
            "--hidden",
            "UNITS",
            help: "hidden ReLU units over word embeddings; 0 for none (default 0)"
        ),
        .value("--embedding-dim", "N", help: "word embedding size of the hidden layer (default 8)"),
        .value("--embedding-bits", "N", help: "log2 of the embedding rows (default 12)"),
        .value("--epochs", "N", help: "hidden-layer training epochs (default 2)"),
        .value("--hidden-l2", "X", help: "the hidden-layer phase's L2 penalty per touched parameter (default 1e-6)"),
        .value("--rate", "X", help: "hidden-layer AdaGrad step size (default 0.05)"),
        .value("--wide-rate", "X", help: "the wide weights' AdaGrad step size in that phase; 0 keeps them (default 0)"),
        .repeatable(
            "--share",
            "SET=X",
            help:
                "a training set's share of the weight (davidson, rtp, toxigen, bold, bbq, xstest, contrast; 0 leaves it out)"
        ),
        .flag("--help", help: "show this help"),
    ]
    static func run(_ arguments: [String], console: Console) throws -> Int32 {
        let command = "train"
        let parsed = try ArgumentParser.parse(arguments, options: options, command: command)
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "Train the toxicity classifier: Davidson, RTP and ToxiGen (their 80% training parts), "
                        + "texts that mention groups harmlessly (BOLD, BBQ, XSTest) and Plumb's contrast corpus.",
                    options: options,
                    details: """
                        Each set is split 80/20 by a hash of its normalised text; the 20% is never trained on.
                        The threshold is chosen on an internal validation fold of the training part. The same
                        data, options and seed give a byte-identical model file. Progress goes to stderr.
                        """
                )
            )
            return ExitCode.success
        }
        try ToxicityCommandSupport.noPositionals(parsed, command: command)
        var options = LogisticRegressionTrainer.Options()
        let v1 = parsed.flag("--v1")
        var recipe = v1 ? ToxicityRecipe.v1 : ToxicityRecipe()
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
                guard parts.count == 2, ToxicityData.trainingSetNames.contains(parts[0]),
                    let value = Double(parts[1]), value >= 0, value.isFinite
                else {
                    throw UsageError(
                        "--share takes SET=X with SET \(ToxicityData.trainingSetNames.joined(separator: ", ")) and X ≥ 0, not '\(share)'",
                        command: command
                    )
                }
                recipe.shares[parts[0]] = value
            }
        }
        var hiddenSettings = HiddenLayerSettings()
        var hiddenOptions = HiddenLayerTrainer.Options(seed: recipe.seed)
        let hiddenUnits =
            try parsed.int("--hidden", in: 0...64, command: command) ?? 0
        let layerOptions = ["--embedding-dim", "--embedding-bits", "--epochs", "--rate", "--wide-rate", "--hidden-l2"]
        if hiddenUnits == 0, let given = layerOptions.first(where: { parsed.value($0) != nil }) {
            throw UsageError(
                "\(given) shapes or trains the hidden layer: it needs --hidden N (N > 0)",
                command: command
            )
        }
        hiddenSettings.hidden = max(1, hiddenUnits)
        hiddenSettings.dimension =
            try parsed.int("--embedding-dim", in: 1...64, command: command) ?? hiddenSettings.dimension
        hiddenSettings.embeddingBits =
            try parsed.int("--embedding-bits", in: 8...20, command: command) ?? hiddenSettings.embeddingBits
        hiddenOptions.epochs = try parsed.int("--epochs", in: 1...100, command: command) ?? hiddenOptions.epochs
        for (name, keyPath) in [
            ("--rate", \HiddenLayerTrainer.Options.rate), ("--wide-rate", \.wideRate), ("--hidden-l2", \.l2),
        ] {
            guard let text = parsed.value(name) else { continue }
            guard let value = Double(text), value >= 0, value.isFinite else {
                throw UsageError("\(name) takes a number ≥ 0, not '\(text)'", command: command)
            }
            hiddenOptions[keyPath: keyPath] = value
        }
        let data = ToxicityData(directory: parsed.value("--data") ?? defaultData)
        let out = parsed.value("--out") ?? (v1 ? v1Out : defaultOut)

        let start = Date()
        let sets: [ToxicitySplitSet]
        let digests: (files: [DataFileSummary], combined: String)
        let wiki: [LabeledText]
        do {
            let names = Set(recipe.shares.filter { $0.value > 0 }.keys)
            sets = try data.loadTrainingSets(names)
            digests = try data.trainingFileDigests(names)
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
            heldOut: ("wiki-nonfuzzed", wiki),
            hiddenLayer: hiddenUnits == 0 ? nil : (hiddenSettings, hiddenOptions)
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
}
