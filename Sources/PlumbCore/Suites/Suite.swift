/// A loaded, validated suite: samples, how prompts are built, generation parameters, checks and gates.
public struct Suite: Sendable {
    /// The suite file format this Plumb reads.
    public static let formatVersion = 1

    public var name: String
    public var description: String?
    public var kind: SuiteKind
    /// The suite file, as given (relative paths stay relative so reports are portable).
    public var file: String
    /// Where the samples came from: the suite file itself or a `.jsonl` / `.csv` beside it.
    public var samplesFile: String
    /// SHA-256 (hex) over the suite file and its samples file, with CRLF normalised to LF.
    public var contentHash: String
    public var samples: [Sample]
    public var prompt: PromptSpec
    public var generation: GenerationParameters
    public var checks: [CheckBinding]
    public var scoring: ScoringRule
    public var gates: [GateSpec]
    /// Classifier checks whose detection rate the report also gives corrected for the classifier's errors.
    public var corrections: [CorrectionSpec]
    /// For `pairs` suites: the slots and groups varied.
    public var pairs: PairsSpec?
    /// For `choice` suites: where the options and the answer are, and how the model answers.
    public var choice: ChoiceSpec?
    public var source: String?
    public var license: String?

    public init(
        name: String,
        description: String? = nil,
        kind: SuiteKind = .generation,
        file: String,
        samplesFile: String? = nil,
        contentHash: String,
        samples: [Sample],
        prompt: PromptSpec,
        generation: GenerationParameters = GenerationParameters(),
        checks: [CheckBinding],
        scoring: ScoringRule = .all,
        gates: [GateSpec] = [],
        corrections: [CorrectionSpec] = [],
        pairs: PairsSpec? = nil,
        choice: ChoiceSpec? = nil,
        source: String? = nil,
        license: String? = nil
    ) {
        self.name = name
        self.description = description
        self.kind = kind
        self.file = file
        self.samplesFile = samplesFile ?? file
        self.contentHash = contentHash
        self.samples = samples
        self.prompt = prompt
        self.generation = generation
        self.checks = checks
        self.scoring = scoring
        self.gates = gates
        self.corrections = corrections
        self.pairs = pairs
        self.choice = choice
        self.source = source
        self.license = license
    }
}

public enum SuiteKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// prompt → output(s) → checks.
    case generation
    /// Counterfactual fairness: variants that differ only in a group attribute (`PairsSpec`).
    case pairs
    /// Multiple-choice accuracy: options lettered into the prompt, the chosen letter read from the answer
    /// (`ChoiceSpec`).
    case choice
}

/// How the messages of a request are built from a sample.
public struct PromptSpec: Sendable, Hashable {
    public struct MessageTemplate: Sendable, Hashable {
        public var role: Message.Role
        public var content: Template

        public init(role: Message.Role, content: Template) {
            self.role = role
            self.content = content
        }
    }

    public var messages: [MessageTemplate]

    public init(messages: [MessageTemplate]) { self.messages = messages }

    /// A system prompt (optional) and one user turn.
    public init(system: Template? = nil, template: Template) {
        var messages: [MessageTemplate] = []
        if let system { messages.append(MessageTemplate(role: .system, content: system)) }
        messages.append(MessageTemplate(role: .user, content: template))
        self.messages = messages
    }

    public func render(_ sample: Sample) -> [Message] {
        messages.map { Message(role: $0.role, content: $0.content.render(sample)) }
    }
}

/// A check as a suite binds it: its name in reports, its kind, its weight, and where it was written.
public struct CheckBinding: Sendable {
    public var name: String
    public var type: String
    public var weight: Double
    public var check: any Check
    /// The check's parameters as written (without `type`, `name` and `weight`), recorded in reports so a
    /// comparison can see that a threshold or a reference changed.
    public var parameters: [String: JSONValue]
    public var location: SourceLocation

    public init(
        name: String,
        type: String,
        weight: Double = 1,
        check: any Check,
        parameters: [String: JSONValue] = [:],
        location: SourceLocation
    ) {
        self.name = name
        self.type = type
        self.weight = weight
        self.check = check
        self.parameters = parameters
        self.location = location
    }
}

/// When a sample passes, given its checks' results.
public enum ScoringRule: Sendable, Hashable {
    /// Every check passes (the default).
    case all
    /// At least one check passes.
    case any
    /// The weighted mean of the checks' scores reaches the threshold.
    case weighted(threshold: Double)

    public var description: String {
        switch self {
        case .all: "all"
        case .any: "any"
        case .weighted(let threshold): "weighted >= \(threshold)"
        }
    }
}

/// Ask for a classifier check's detection rate corrected for the classifier's sensitivity and specificity
/// (Rogan–Gladen). Without `sensitivity`/`specificity`, the classifier's published ones are used.
public struct CorrectionSpec: Sendable, Hashable, Codable {
    public var check: String
    public var sensitivity: Double?
    public var specificity: Double?
    public var location: SourceLocation?

    public init(check: String, sensitivity: Double? = nil, specificity: Double? = nil, location: SourceLocation? = nil)
    {
        self.check = check
        self.sensitivity = sensitivity
        self.specificity = specificity
        self.location = location
    }
}

/// A bound a metric must respect for the run to pass.
public struct GateSpec: Sendable, Hashable, Codable {
    public var metric: MetricID
    /// Restrict the metric to samples with this tag.
    public var tag: String?
    /// Restrict the metric to one check (`check_pass_rate`).
    public var check: String?
    /// For fairness metrics of `pairs` suites: one group, one slot.
    public var group: String?
    public var slot: String?
    public var min: Double?
    public var max: Double?
    /// A regression gate (non-inferiority against a baseline run): fails only when the 95% interval of the drop
    /// (baseline − candidate for a metric where higher is better, the other way round otherwise) lies wholly above
    /// this margin. Evaluated by `plumb compare` and `plumb run --baseline`; a run without a baseline skips it.
    public var maxDrop: Double?
    public var location: SourceLocation?

    public init(
        metric: MetricID,
        tag: String? = nil,
        check: String? = nil,
        group: String? = nil,
        slot: String? = nil,
        min: Double? = nil,
        max: Double? = nil,
        maxDrop: Double? = nil,
        location: SourceLocation? = nil
    ) {
        self.metric = metric
        self.tag = tag
        self.check = check
        self.group = group
        self.slot = slot
        self.min = min
        self.max = max
        self.maxDrop = maxDrop
        self.location = location
    }

    /// The metric with its qualifiers, as people read it: `pass_rate[tag=harmful]`.
    public var qualifiedName: String {
        var name = metric.rawValue
        var qualifiers: [String] = []
        if let tag { qualifiers.append("tag=\(tag)") }
        if let check { qualifiers.append("check=\(check)") }
        if let slot { qualifiers.append("slot=\(slot)") }
        if let group { qualifiers.append("group=\(group)") }
        if !qualifiers.isEmpty { name += "[" + qualifiers.joined(separator: ",") + "]" }
        return name
    }

    /// The absolute bounds only (nil when the gate has none): what a run evaluates without a baseline.
    public var absolute: GateSpec? {
        guard min != nil || max != nil else { return nil }
        var gate = self
        gate.maxDrop = nil
        return gate
    }

    /// The regression bound only (nil when the gate has none).
    public var regression: GateSpec? {
        guard maxDrop != nil else { return nil }
        var gate = self
        gate.min = nil
        gate.max = nil
        return gate
    }

    /// The gate as people read it: `pass_rate[tag=harmful] >= 0.9`.
    public var description: String {
        let name = qualifiedName
        var bounds: [String] = []
        if let min { bounds.append("\(name) >= \(NumberText.text(min))") }
        if let max { bounds.append("\(name) <= \(NumberText.text(max))") }
        if let maxDrop { bounds.append("\(name) drop <= \(NumberText.text(maxDrop)) vs baseline") }
        return bounds.joined(separator: " and ")
    }
}
