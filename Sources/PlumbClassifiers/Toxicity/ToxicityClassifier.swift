import Foundation
import PlumbCore

/// Plumb's built-in toxicity classifier: a logistic regression over hashed word and character n-grams
/// (Docs/classifiers.md), scored on the CPU in-process.
///
/// ```swift
/// let classifier = try ToxicityClassifier.shipped()
/// let scores = classifier.probabilities(["have a nice day", "you are a worthless idiot"])
/// let toxic = scores.map { $0 >= classifier.threshold }
/// ```
///
/// Immutable and `Sendable`: share one instance between tasks. Each scoring call uses its own scratch buffers.
public struct ToxicityClassifier: TextClassifier {
    /// The shipped models' resource names (in `Sources/PlumbClassifiers/Resources/`): the toxicity model (`toxicity`,
    /// recipe 2) and the first one (`toxicity-v1`), kept so that earlier runs can be scored the same way.
    public static let resourceName = "toxicity-v2"
    public static let v1ResourceName = "toxicity-v1"

    public let identity: ClassifierIdentity
    public let model: ToxicityModel

    /// Scores at or above this are called toxic: the model's shipped threshold.
    public var threshold: Double { model.header.threshold }

    /// A classifier for `model`. Its version is `1+` and the first 12 hex digits of the model file's
    /// checksum (``ToxicityModel/checksum``), so reports show when the weights change.
    public init(model: ToxicityModel) {
        self.model = model
        let digest = model.checksum
        var settings: [String: String] = [
            "features": "fnv1a64 word 1-\(model.header.features.wordMax) + char "
                + "\(model.header.features.charMin)-\(model.header.features.charMax) grams, "
                + "2^\(model.header.features.bucketBits) buckets"
                + (model.header.hiddenLayer.map {
                    "; hidden layer: \($0.dimension)-dim word embeddings (2^\($0.embeddingBits) rows), \($0.hidden) ReLU units"
                } ?? ""),
            "modelSHA256": digest,
        ]
        if let heldOut = model.header.heldOut { settings["measuredOn"] = heldOut.name }
        let counts = model.header.heldOut.flatMap {
            Self.counts(total: $0.count, sensitivity: $0.sensitivity, specificity: $0.specificity)
        }
        identity = ClassifierIdentity(
            name: "plumb-toxicity",
            version: (model.header.hiddenLayer == nil ? "1+" : "2+") + digest.prefix(12),
            labels: ["toxic"],
            defaultThreshold: model.header.threshold,
            sensitivity: model.header.heldOut?.sensitivity,
            specificity: model.header.heldOut?.specificity,
            measuredPositives: counts?.positives,
            measuredNegatives: counts?.negatives,
            settings: settings
        )
    }

    /// Loads a model file.
    public init(contentsOf url: URL) throws(ToxicityModelError) {
        self.init(model: try ToxicityModel.load(contentsOf: url))
    }

    /// The toxicity model that ships with Plumb (the package resource `toxicity-v2.bin`).
    public static func shipped() throws -> ToxicityClassifier {
        try shippedResult.get()
    }

    /// The first shipped model (`toxicity-v1.bin`, Davidson, RTP and ToxiGen only; Docs/classifiers.md#toxicity-v1).
    public static func shippedV1() throws -> ToxicityClassifier {
        try shippedV1Result.get()
    }

    private static let shippedResult = load(resourceName)
    private static let shippedV1Result = load(v1ResourceName)

    private static func load(_ resource: String) -> Result<ToxicityClassifier, ToxicityModelError> {
        guard let url = shippedModelURL(resource) else {
            return .failure(
                ToxicityModelError(
                    "the shipped toxicity model (\(resource).bin) was not found: keep the "
                        + "Plumb_PlumbClassifiers.resources directory beside the plumb executable"
                )
            )
        }
        return Result { () throws(ToxicityModelError) in try ToxicityClassifier(contentsOf: url) }
    }

    /// Where the shipped model file is, if the resource bundle is present.
    ///
    /// SwiftPM puts the bundle (`Plumb_PlumbClassifiers.resources` on Linux) beside the executable. On Linux this
    /// checks that it is there before touching `Bundle.module`, whose generated accessor stops the process when it
    /// cannot find the bundle (for example when `plumb` was copied somewhere without it).
    public static func shippedModelURL(_ resource: String = resourceName) -> URL? {
        #if os(Linux)
            let beside = Bundle.main.bundleURL.appendingPathComponent("Plumb_PlumbClassifiers.resources").path
            guard FileManager.default.fileExists(atPath: beside) else { return nil }
        #endif
        return Bundle.module.url(forResource: resource, withExtension: "bin", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: resource, withExtension: "bin")
    }

    /// The probability that each text is toxic, in order. Synchronous and single-threaded: the fast path.
    public func probabilities(_ texts: [String]) -> [Double] {
        model.probabilities(texts)
    }

    /// The probability that one text is toxic.
    public func probability(_ text: String) -> Double {
        probabilities([text])[0]
    }

    /// Whether a text scores at or above the threshold.
    public func isToxic(_ text: String) -> Bool {
        probability(text) >= threshold
    }

    /// One score (the probability of `toxic`) per text.
    public func scores(for texts: [String]) async throws -> [[Double]] {
        probabilities(texts).map { [$0] }
    }
}

extension ToxicityClassifier {
    /// The numbers of positives and negatives of a set of `total` texts on which `sensitivity` = TP ÷ P and
    /// `specificity` = TN ÷ N were measured: the one split P + N = `total` for which both are ratios of whole
    /// numbers (to 1e-9); nil when none or several fit. The model header records the set's size and the two
    /// rates, computed from counts; this recovers the counts, which a corrected rate's interval needs.
    public static func counts(total: Int, sensitivity: Double, specificity: Double) -> (positives: Int, negatives: Int)?
    {
        func whole(_ value: Double) -> Bool { abs(value - value.rounded()) < 1e-9 }
        var found: [(Int, Int)] = []
        for positives in 1..<max(1, total) {
            let negatives = total - positives
            if whole(sensitivity * Double(positives)), whole(specificity * Double(negatives)) {
                found.append((positives, negatives))
            }
        }
        return found.count == 1 ? (found[0].0, found[0].1) : nil
    }
}
