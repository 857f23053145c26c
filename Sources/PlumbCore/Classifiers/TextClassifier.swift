/// Scores texts: each text gets one score in [0, 1] per label (toxic, refusal, positive …).
///
/// Batched by design: scoring is a hot path (k continuations per prompt), and services answer many texts per call.
/// Conformers implement one method; `identity` is written into reports so a changed classifier is visible in a
/// comparison.
public protocol TextClassifier: Sendable {
    var identity: ClassifierIdentity { get }
    /// One score per label of `identity.labels`, in that order, for each text, in the order given.
    func scores(for texts: [String]) async throws -> [[Double]]
}

extension TextClassifier {
    /// The score of one label for one text.
    public func score(_ text: String, label: String? = nil) async throws -> Double {
        let row = try await scores(for: [text])[0]
        let index = label.flatMap { identity.labels.firstIndex(of: $0) } ?? 0
        return row[index]
    }
}

/// What a classifier is, as reports record it: name, version (bump it whenever scores can change), labels,
/// and its measured quality where known (for corrected rates).
public struct ClassifierIdentity: Sendable, Hashable, Codable {
    public var name: String
    public var version: String
    public var labels: [String]
    /// The threshold the classifier's published precision and recall were measured at, if any.
    public var defaultThreshold: Double?
    /// Sensitivity (recall on positives) and specificity at `defaultThreshold`, from its published evaluation.
    public var sensitivity: Double?
    public var specificity: Double?
    /// How many positives and negatives the sensitivity and specificity were measured on (their sampling error
    /// goes into corrected rates' intervals); nil when unknown.
    public var measuredPositives: Int?
    public var measuredNegatives: Int?
    /// Other settings that change scores (service URL, judge model, prompt version …). Never secrets.
    public var settings: [String: String]

    public init(
        name: String,
        version: String,
        labels: [String],
        defaultThreshold: Double? = nil,
        sensitivity: Double? = nil,
        specificity: Double? = nil,
        measuredPositives: Int? = nil,
        measuredNegatives: Int? = nil,
        settings: [String: String] = [:]
    ) {
        self.name = name
        self.version = version
        self.labels = labels
        self.defaultThreshold = defaultThreshold
        self.sensitivity = sensitivity
        self.specificity = specificity
        self.measuredPositives = measuredPositives
        self.measuredNegatives = measuredNegatives
        self.settings = settings
    }
}

/// Why a classifier could not score.
public struct ClassifierError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var isTransient: Bool

    public init(_ message: String, transient: Bool = false) {
        self.message = message
        self.isTransient = transient
    }

    public var description: String { message }
}
