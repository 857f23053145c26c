/// Scores one model output. A model giving a bad answer is a `.fail` result, not a thrown error;
/// throw (or return `.error`) only when the check itself cannot decide.
public protocol Check: Sendable {
    func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult
}

/// What a check looks at: the sample (for reference fields), the request and the model's answer.
public struct CheckInput: Sendable {
    public var sample: Sample
    public var request: ModelRequest
    public var response: ModelResponse
    public var repeatIndex: Int

    public init(sample: Sample, request: ModelRequest, response: ModelResponse, repeatIndex: Int = 0) {
        self.sample = sample
        self.request = request
        self.response = response
        self.repeatIndex = repeatIndex
    }

    /// The model's answer text.
    public var output: String { response.text }
}

/// Where a check runs: the suite it belongs to and where the check was written.
public struct CheckContext: Sendable {
    public var suiteName: String
    public var location: SourceLocation

    public init(suiteName: String, location: SourceLocation) {
        self.suiteName = suiteName
        self.location = location
    }
}

public enum CheckOutcome: String, Sendable, Hashable, Codable {
    case pass, fail, error
}

/// A check's verdict: pass, fail or error, an optional score in [0, 1], and a short reason for people.
///
/// `metadata` holds facts for people about how the verdict was reached, kept beside the reason — the judge model
/// and rubric version of a model-graded check, a service URL. Never secrets, and never read by a metric: what
/// metrics consume travels as a typed observation (`classifier`). Each is encoded only when present.
public struct CheckResult: Sendable, Hashable, Codable {
    public var outcome: CheckOutcome
    public var score: Double?
    public var reason: String
    public var metadata: [String: String]
    /// What a classifier check observed; metrics (corrected rates, toxicity) read this.
    public var classifier: ClassifierObservation?
    /// What a `decision` check read; fairness metrics read this.
    public var decision: DecisionObservation?
    /// Whether a refusal check found a refusal; fairness metrics count refusals per group from this.
    public var refused: Bool?
    /// What a `choice` check read, for accuracy metrics. Omitted from JSON when nil.
    public var choice: ChoiceObservation?

    public init(
        _ outcome: CheckOutcome,
        score: Double? = nil,
        reason: String,
        metadata: [String: String] = [:],
        classifier: ClassifierObservation? = nil,
        decision: DecisionObservation? = nil,
        refused: Bool? = nil,
        choice: ChoiceObservation? = nil
    ) {
        self.outcome = outcome
        self.score = score
        self.reason = reason
        self.metadata = metadata
        self.classifier = classifier
        self.decision = decision
        self.refused = refused
        self.choice = choice
    }

    enum CodingKeys: String, CodingKey {
        case outcome, score, reason, metadata, classifier, decision, refused
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        outcome = try container.decode(CheckOutcome.self, forKey: .outcome)
        score = try container.decodeIfPresent(Double.self, forKey: .score)
        reason = try container.decode(String.self, forKey: .reason)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        classifier = try container.decodeIfPresent(ClassifierObservation.self, forKey: .classifier)
        decision = try container.decodeIfPresent(DecisionObservation.self, forKey: .decision)
        refused = try container.decodeIfPresent(Bool.self, forKey: .refused)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outcome, forKey: .outcome)
        try container.encodeIfPresent(score, forKey: .score)
        try container.encode(reason, forKey: .reason)
        if !metadata.isEmpty { try container.encode(metadata, forKey: .metadata) }
        try container.encodeIfPresent(classifier, forKey: .classifier)
        try container.encodeIfPresent(decision, forKey: .decision)
        try container.encodeIfPresent(refused, forKey: .refused)
    }

    public static func pass(_ reason: String, score: Double? = nil) -> CheckResult {
        CheckResult(.pass, score: score ?? 1, reason: reason)
    }

    public static func fail(_ reason: String, score: Double? = nil) -> CheckResult {
        CheckResult(.fail, score: score ?? 0, reason: reason)
    }

    public static func error(_ reason: String) -> CheckResult {
        CheckResult(.error, score: nil, reason: reason)
    }

    /// `.pass` when `passed`, otherwise `.fail`, with the same reason.
    public static func verdict(_ passed: Bool, _ reason: String, score: Double? = nil) -> CheckResult {
        passed ? .pass(reason, score: score) : .fail(reason, score: score)
    }
}

/// Why a check cannot judge a sample: a parameter that is a template filled from the sample rendered to a value the
/// check rejects (`expect: "{{label}}"` giving `safe` where `refuse` or `comply` is needed).
public struct CheckProblem: Error, Sendable, Hashable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}

/// A check with parameters filled from each sample, which can say before anything is asked whether a sample gives
/// it a value it would reject at run time. The suite loader asks it for every sample, so such a suite is a located
/// error (exit 65) instead of an error on every item after the model was paid for.
public protocol SampleValidatingCheck: Check {
    /// Why this sample's rendered parameters would make the check err, or nil.
    func problem(for sample: Sample) -> CheckProblem?
}

/// A check whose templated parameter renders, for each sample, to the value it judges with or to a problem:
/// `problem(for:)` comes from `rendered(for:)`, which `evaluate` uses too, so load time and run time agree.
public protocol RenderedParameterCheck: SampleValidatingCheck {
    associatedtype Rendered
    func rendered(for sample: Sample) -> Result<Rendered, CheckProblem>
}

extension Template {
    /// The template rendered for `sample`, or a problem when it renders to nothing (a check that looks for a text
    /// cannot judge with an empty one).
    public func nonEmpty(for sample: Sample, parameter: String) -> Result<String, CheckProblem> {
        let rendered = render(sample)
        guard !rendered.isEmpty else {
            return .failure(CheckProblem("'\(parameter)' rendered to an empty text for this sample"))
        }
        return .success(rendered)
    }
}

extension RenderedParameterCheck {
    public func problem(for sample: Sample) -> CheckProblem? {
        if case .failure(let problem) = rendered(for: sample) { return problem }
        return nil
    }
}
