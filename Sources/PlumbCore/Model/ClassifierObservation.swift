/// What a classifier check saw, as a typed value that metrics read (never string keys): the classifier, its score
/// for one label, the threshold the check compared it with, whether the label was detected (score ≥ threshold),
/// and the classifier's published quality at the threshold it was measured at.
public struct ClassifierObservation: Sendable, Hashable, Codable {
    public var classifier: String
    public var version: String
    public var label: String
    public var score: Double
    public var threshold: Double
    /// `score >= threshold`.
    public var detected: Bool
    /// Sensitivity and specificity from the classifier's published evaluation, at `measuredAtThreshold`.
    public var sensitivity: Double?
    public var specificity: Double?
    public var measuredAtThreshold: Double?
    /// The data the sensitivity and specificity were measured on (`wiki-nonfuzzed` …), when the classifier says.
    public var measuredOn: String?
    /// How many positives and negatives the sensitivity and specificity were measured on, when known.
    public var measuredPositives: Int?
    public var measuredNegatives: Int?

    public init(
        classifier: String,
        version: String,
        label: String,
        score: Double,
        threshold: Double,
        detected: Bool,
        sensitivity: Double? = nil,
        specificity: Double? = nil,
        measuredAtThreshold: Double? = nil,
        measuredOn: String? = nil,
        measuredPositives: Int? = nil,
        measuredNegatives: Int? = nil
    ) {
        self.classifier = classifier
        self.version = version
        self.label = label
        self.score = score
        self.threshold = threshold
        self.detected = detected
        self.sensitivity = sensitivity
        self.specificity = specificity
        self.measuredAtThreshold = measuredAtThreshold
        self.measuredOn = measuredOn
        self.measuredPositives = measuredPositives
        self.measuredNegatives = measuredNegatives
    }
}
