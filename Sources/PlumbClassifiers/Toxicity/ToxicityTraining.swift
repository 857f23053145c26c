import Foundation
import PlumbCore

/// How the training sets are mixed and augmented. Part of a model file's header.
public struct ToxicityRecipe: Sendable, Hashable, Codable {
    /// Each training set's share of the total example weight, by set name (`davidson`, `rtp`, `toxigen`,
    /// `contrast`). Shares are normalised to sum to 1 over the sets present; a set without a share (or with 0) is
    /// left out of training altogether.
    public var shares: [String: Double]
    /// Whether each set's weight is split equally between its toxic and non-toxic texts.
    public var balanceClasses: Bool
    /// Identity-swapped copies (``IdentitySwap``) added per training text that has identity terms.
    public var identitySwaps: Int
    /// Seeds the ``SplitMix64`` generator that draws the swapped terms.
    public var seed: UInt64

    public init(
        shares: [String: Double] = [
            "davidson": 0.3, "rtp": 0.5, "toxigen": 0.2, "bold": 0.05, "bbq": 0.02, "xstest": 0.01, "contrast": 0.15,
        ],
        balanceClasses: Bool = false,
        identitySwaps: Int = 1,
        seed: UInt64 = 1
    ) {
        self.shares = shares
        self.balanceClasses = balanceClasses
        self.identitySwaps = identitySwaps
        self.seed = seed
    }
}

extension ToxicityRecipe {
    /// The recipe of the first shipped model (`toxicity-v1`): Davidson, RTP and ToxiGen only.
    public static let v1 = ToxicityRecipe(shares: ["davidson": 0.3, "rtp": 0.5, "toxigen": 0.2])
}

/// Plumb's toxicity training recipe, from labelled sets to a ``ToxicityModel``.
///
/// 1. **Weights.** A training text of set `d` gets the weight `share(d) × N / n(d)` (`N` training texts in all,
///    `n(d)` in set `d`), or with class balancing `share(d) × N / (2 n(d, class))`; the weights average 1.
/// 2. **Augmentation.** For a text with identity terms, `identitySwaps` copies with the terms swapped
///    (``IdentitySwap``, drawn from ``SplitMix64`` seeded with `seed`, in data order) are added with the same label;
///    the original and its copies share the original's weight equally.
/// 3. **Features**: ``HashedFeatureExtractor``; **model**: ``LogisticRegressionTrainer`` (L-BFGS).
/// 4. **Threshold.** A model trained on the training texts outside the internal validation fold
///    (``ToxicityData/isValidation(normalized:)``; a text's copies go with it) scores the fold's original texts, and
///    the threshold is the score that maximises F1 there, with the example weights.
/// 5. **Shipped model**: trained on all training texts (and copies); weights rounded to binary16.
/// 6. If a held-out set is given, sensitivity, specificity and ROC AUC at the threshold are measured on it and
///    written into the header. It is only scored, never trained on, and the threshold is already fixed.
public enum ToxicityTraining {
    public static func train(
        sets: [ToxicitySplitSet],
        features: FeatureSettings = FeatureSettings(),
        options: LogisticRegressionTrainer.Options = LogisticRegressionTrainer.Options(),
        recipe: ToxicityRecipe = ToxicityRecipe(),
        files: [DataFileSummary] = [],
        dataSHA256: String = "",
        heldOut: (name: String, texts: [LabeledText])? = nil,
        hiddenLayer: (settings: HiddenLayerSettings, options: HiddenLayerTrainer.Options)? = nil,
        log: (String) -> Void = { _ in }
    ) -> ToxicityModel {
        let sets = sets.filter { (recipe.shares[$0.name] ?? 0) > 0 }
        let extractor = HashedFeatureExtractor(settings: features)
        let total = Double(sets.reduce(0) { $0 + $1.train.count })
        let shareSum = sets.reduce(0.0) { $0 + (recipe.shares[$1.name] ?? 0) }
        var random = SplitMix64(seed: recipe.seed)
        var data = SparseDataset()
        var rows: [(set: Int, validation: Bool, copy: Bool)] = []
        var indices: [UInt32] = []
        var values: [Float] = []
        var wordCounts: [Int] = []
        var texts: [String] = []
        func append(_ text: String, label: Bool, weight: Double) {
            indices.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            wordCounts.append(extractor.features(of: text, indices: &indices, values: &values))
            data.append(indices: indices, values: values, label: label, weight: weight)
            texts.append(text)
        }
        for (setIndex, set) in sets.enumerated() {
            let share = shareSum > 0 ? (recipe.shares[set.name] ?? 0) / shareSum : 0
            let toxic = set.train.filter(\.toxic).count
            let clean = set.train.count - toxic
            var copies = 0
            for text in set.train {
                let weight =
                    recipe.balanceClasses
                    ? share * total / (2 * Double(text.toxic ? toxic : clean))
                    : share * total / Double(set.train.count)
                let normalized = extractor.normalize(text.text)
                let validation = ToxicityData.isValidation(normalized: normalized)
                let variants = IdentitySwap.variants(of: normalized, count: recipe.identitySwaps, random: &random)
                let part = weight / Double(1 + variants.count)
                append(text.text, label: text.toxic, weight: part)
                rows.append((setIndex, validation, false))
                for variant in variants {
                    append(variant, label: text.toxic, weight: part)
                    rows.append((setIndex, validation, true))
                }
                copies += variants.count
            }
            log(
                "\(set.name): \(set.train.count) training texts (\(toxic) toxic) + \(copies) identity-swapped copies; "
                    + "\(set.heldOut.count) held out"
            )
        }

        // The threshold, from a model that has not seen the validation fold.
        let fitRows = rows.indices.filter { !rows[$0].validation }
        let validationRows = rows.indices.filter { rows[$0].validation && !rows[$0].copy }
        log("threshold model: \(fitRows.count) rows; validation fold: \(validationRows.count) texts")
        // Trains the wide part (L-BFGS) and then, if asked, the whole model with its hidden layer.
        func fit(_ selection: [Int]?) -> (wide: LogisticModel, hidden: [Float]?) {
            let subset = selection.map { data.subset($0) } ?? data
            let wide = LogisticRegressionTrainer.train(
                subset,
                dimension: features.bucketCount,
                options: options,
                progress: { if $0 % 25 == 0 { log("  iteration \($0): objective \(String(format: "%.6f", $1))") } }
            )
            guard let hiddenLayer else { return (wide, nil) }
            let trained = HiddenLayerTrainer.train(
                subset,
                wordCounts: selection.map { $0.map { wordCounts[$0] } } ?? wordCounts,
                wide: wide,
                settings: hiddenLayer.settings,
                options: hiddenLayer.options,
                progress: { log("  hidden layer epoch \($0): loss \(String(format: "%.6f", $1))") }
            )
            return (trained.wide, trained.hidden)
        }
        func model(_ fitted: (wide: LogisticModel, hidden: [Float]?), threshold: Double, summary: TrainingSummary)
            -> ToxicityModel
        {
            ToxicityModel(
                header: ToxicityModelHeader(
                    features: features,
                    bias: fitted.wide.bias,
                    threshold: threshold,
                    training: summary,
                    hiddenLayer: hiddenLayer?.settings
                ),
                weights: fitted.wide.weights + (fitted.hidden ?? [])
            )
        }
        var summary = TrainingSummary(
            options: options,
            recipe: recipe,
            datasets: sets.map {
                DatasetSummary(
                    name: $0.name,
                    trainCount: $0.train.count,
                    trainToxic: $0.train.filter(\.toxic).count,
                    heldOutCount: $0.heldOut.count,
                    heldOutToxic: $0.heldOut.filter(\.toxic).count
                )
            },
            dataSHA256: dataSHA256,
            files: files,
            thresholdRule: "maximum weighted F1 on the internal validation fold (20% of the training part)",
            validationF1: 0,
            validationAUC: 0,
            hiddenLayerOptions: hiddenLayer?.options
        )
        // A linear probe scores the rows in full precision (as Plumb always has); one with a hidden layer scores the
        // texts with the model as it would ship (binary16 weights).
        let probe = fit(fitRows)
        let validationScores =
            probe.hidden == nil
            ? validationRows.map { LogisticModel.sigmoid(probe.wide.margin(data, row: $0)) }
            : model(probe, threshold: 0.5, summary: summary).probabilities(validationRows.map { texts[$0] })
        let validationLabels = validationRows.map { data.labels[$0] }
        let (threshold, f1) = ClassifierMetrics.bestF1Threshold(
            scores: validationScores,
            labels: validationLabels,
            weights: validationRows.map { data.weights[$0] }
        )
        let validationAUC = ClassifierMetrics.rocAUC(scores: validationScores, labels: validationLabels) ?? 0
        for (setIndex, set) in sets.enumerated() {
            let members = validationRows.indices.filter { rows[validationRows[$0]].set == setIndex }
            let auc = ClassifierMetrics.rocAUC(
                scores: members.map { validationScores[$0] },
                labels: members.map { validationLabels[$0] }
            )
            log("  validation \(set.name): \(members.count) texts, ROC AUC \(auc.map { format($0) } ?? "n/a")")
        }
        log(
            "threshold \(format(threshold)): weighted F1 \(format(f1)) on the validation fold "
                + "(AUC \(format(validationAUC)))"
        )

        log("final model: \(data.count) rows")
        summary.validationF1 = f1
        summary.validationAUC = validationAUC
        var model = model(fit(nil), threshold: threshold, summary: summary)
        if let heldOut {
            let scores = model.probabilities(heldOut.texts.map(\.text))
            let labels = heldOut.texts.map(\.toxic)
            let confusion = ClassifierMetrics.confusion(scores: scores, labels: labels, threshold: threshold)
            model.header.heldOut = HeldOutSummary(
                name: heldOut.name,
                count: heldOut.texts.count,
                sensitivity: confusion.recall,
                specificity: confusion.specificity,
                rocAUC: ClassifierMetrics.rocAUC(scores: scores, labels: labels) ?? 0
            )
        }
        return model
    }

    static func format(_ value: Double) -> String {
        String(format: "%.4f", value)
    }
}
