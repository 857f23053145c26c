/// The outcome of one item: pass, fail (a check said no) or error (no answer, or a check could not decide).
/// An error is never a pass.
public enum ItemOutcome: String, Sendable, Hashable, Codable {
    case pass, fail, error
}

/// One check's verdict on one item, as reports record it.
public struct CheckRecord: Sendable, Hashable, Codable {
    public var name: String
    public var type: String
    public var outcome: CheckOutcome
    public var score: Double?
    public var reason: String
    public var weight: Double
    /// The check result's `metadata` (judge, rubric version, service …), for people. Omitted from JSON when empty.
    public var metadata: [String: String]
    /// What a classifier check observed, for metrics. Omitted from JSON when nil.
    public var classifier: ClassifierObservation?
    /// What a `decision` check read, for fairness metrics. Omitted from JSON when nil.
    public var decision: DecisionObservation?
    /// Whether a refusal check found a refusal, for fairness metrics. Omitted from JSON when nil.
    public var refused: Bool?
    /// What a `choice` check read, for accuracy metrics. Omitted from JSON when nil.
    public var choice: ChoiceObservation?

    public init(
        name: String,
        type: String,
        outcome: CheckOutcome,
        score: Double?,
        reason: String,
        weight: Double,
        metadata: [String: String] = [:],
        classifier: ClassifierObservation? = nil,
        decision: DecisionObservation? = nil,
        refused: Bool? = nil,
        choice: ChoiceObservation? = nil
    ) {
        self.name = name
        self.type = type
        self.outcome = outcome
        self.score = score
        self.reason = reason
        self.weight = weight
        self.metadata = metadata
        self.classifier = classifier
        self.decision = decision
        self.refused = refused
        self.choice = choice
    }

    /// The record of `result` from the check bound as `name`.
    public init(name: String, type: String, weight: Double, result: CheckResult) {
        self.init(
            name: name,
            type: type,
            outcome: result.outcome,
            score: result.score,
            reason: result.reason,
            weight: weight,
            metadata: result.metadata,
            classifier: result.classifier,
            decision: result.decision,
            refused: result.refused,
            choice: result.choice
        )
    }

    enum CodingKeys: String, CodingKey {
        case name, type, outcome, score, reason, weight, metadata, classifier, decision, refused, choice
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decode(String.self, forKey: .type)
        outcome = try container.decode(CheckOutcome.self, forKey: .outcome)
        score = try container.decodeIfPresent(Double.self, forKey: .score)
        reason = try container.decode(String.self, forKey: .reason)
        weight = try container.decode(Double.self, forKey: .weight)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        classifier = try container.decodeIfPresent(ClassifierObservation.self, forKey: .classifier)
        decision = try container.decodeIfPresent(DecisionObservation.self, forKey: .decision)
        refused = try container.decodeIfPresent(Bool.self, forKey: .refused)
        choice = try container.decodeIfPresent(ChoiceObservation.self, forKey: .choice)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(outcome, forKey: .outcome)
        try container.encodeIfPresent(score, forKey: .score)
        try container.encode(reason, forKey: .reason)
        try container.encode(weight, forKey: .weight)
        if !metadata.isEmpty { try container.encode(metadata, forKey: .metadata) }
        try container.encodeIfPresent(classifier, forKey: .classifier)
        try container.encodeIfPresent(decision, forKey: .decision)
        try container.encodeIfPresent(refused, forKey: .refused)
        try container.encodeIfPresent(choice, forKey: .choice)
    }
}

/// Why an item has no answer.
public struct ItemError: Sendable, Hashable, Codable {
    public var code: String
    public var message: String
    public var transient: Bool

    public init(code: String, message: String, transient: Bool) {
        self.code = code
        self.message = message
        self.transient = transient
    }
}

/// Everything about one item: what was asked, what came back, what the checks said.
public struct ItemResult: Sendable, Hashable, Codable {
    public var id: String
    /// The item's position in the whole run's plan (all suites, all shards), so shard reports merge in order.
    public var index: Int?
    public var suite: String
    public var sampleID: String
    /// For `pairs` suites: the slot this item's variant varies, the group it stands for, and its tuple
    /// (`sampleID/slot#index`, with the repeat: the items of one tuple differ only in the slot's group). Nil in
    /// other suites.
    public var slot: String?
    public var group: String?
    public var tuple: String?
    /// For `choice` suites asked in several orders: how many places this item's options were rotated; nil for the
    /// order as written.
    public var optionRotation: Int?
    /// For `choice` suites scored by log-probability: each option's score, in the order asked.
    public var optionScores: [ContinuationScore]?
    public var repeatIndex: Int
    public var tags: [String]
    public var request: ModelRequest
    public var output: String?
    public var finishReason: String?
    public var usage: TokenUsage?
    /// Seconds.
    public var latency: Double?
    public var cached: Bool
    /// What the server says it served this answer as (``ModelResponse/served``); nil when it does not say.
    public var served: String?
    public var attempts: Int
    public var checks: [CheckRecord]
    public var outcome: ItemOutcome
    /// The weighted mean of the checks' scores, when every check gave one.
    public var score: Double?
    public var error: ItemError?

    public init(
        id: String,
        index: Int? = nil,
        suite: String,
        sampleID: String,
        slot: String? = nil,
        group: String? = nil,
        tuple: String? = nil,
        optionRotation: Int? = nil,
        repeatIndex: Int,
        tags: [String],
        request: ModelRequest,
        output: String? = nil,
        finishReason: String? = nil,
        usage: TokenUsage? = nil,
        latency: Double? = nil,
        cached: Bool = false,
        attempts: Int = 1,
        checks: [CheckRecord] = [],
        outcome: ItemOutcome,
        score: Double? = nil,
        error: ItemError? = nil
    ) {
        self.id = id
        self.index = index
        self.suite = suite
        self.sampleID = sampleID
        self.slot = slot
        self.group = group
        self.tuple = tuple
        self.optionRotation = optionRotation
        self.repeatIndex = repeatIndex
        self.tags = tags
        self.request = request
        self.output = output
        self.finishReason = finishReason
        self.usage = usage
        self.latency = latency
        self.cached = cached
        self.attempts = attempts
        self.checks = checks
        self.outcome = outcome
        self.score = score
        self.error = error
    }
}
