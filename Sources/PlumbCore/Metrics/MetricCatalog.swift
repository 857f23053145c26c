/// What a suite may say about one metric: its name, a line for people, and how a gate may narrow it.
public struct MetricDefinition: Sendable, Hashable {
    /// How a gate on the metric may be narrowed.
    public struct Scope: OptionSet, Sendable, Hashable {
        public var rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// `tag`: only samples with this tag.
        public static let tag = Scope(rawValue: 1 << 0)
        /// `check`: only this check's results.
        public static let check = Scope(rawValue: 1 << 1)
        /// `group`: one group of a `pairs` suite.
        public static let group = Scope(rawValue: 1 << 2)
        /// `slot`: one slot of a `pairs` suite.
        public static let slot = Scope(rawValue: 1 << 3)
    }

    /// What a suite must have for the metric to exist there.
    public enum Need: Sendable, Hashable {
        case nothing
        /// A `pairs` suite (fairness metrics).
        case pairsSuite
        /// A classifier check (`classifier` or `moderation`): toxicity metrics.
        case classifierCheck
        /// More than one sample per prompt (`samplesPerPrompt` above 1): repeat metrics.
        case repeats
        /// A `choice` check (multiple-choice accuracy).
        case choiceCheck
        /// A check of this type (`equals` for exact match, `token-f1` for token F1); the example shows one.
        case checkOfType(String, example: String)
    }

    /// Which way is better: what a regression gate (`maxDrop`) calls a drop, and comparisons call worse.
    public enum Better: String, Sendable, Hashable, Codable {
        case higher, lower
        /// Neither way is better in itself (a group's positive rate, a signed bias score): no regression gate.
        case neither
    }

    public var id: MetricID
    public var summary: String
    /// Qualifiers a gate may give.
    public var allows: Scope
    /// Qualifiers a gate must give.
    public var requires: Scope
    /// What the suite must have.
    public var needs: Need
    public var better: Better

    public init(
        _ id: MetricID,
        _ summary: String,
        allows: Scope = [],
        requires: Scope = [],
        needs: Need = .nothing,
        better: Better = .neither
    ) {
        self.id = id
        self.summary = summary
        self.allows = allows.union(requires)
        self.requires = requires
        self.needs = needs
        self.better = better
    }
}

/// The metrics a loader accepts in gates: a value built by the command that loads suites (from the metric
/// families in `PlumbMetrics`) and passed down, never a global.
public struct MetricCatalog: Sendable {
    public private(set) var definitions: [MetricDefinition] = []

    public init(_ definitions: [MetricDefinition] = []) {
        for definition in definitions { add(definition) }
    }

    /// Adds a metric; a later definition of the same name replaces the earlier one.
    public mutating func add(_ definition: MetricDefinition) {
        definitions.removeAll { $0.id == definition.id }
        definitions.append(definition)
    }

    public func definition(of id: MetricID) -> MetricDefinition? { definitions.first { $0.id == id } }

    /// Every name, in the order they were added.
    public var names: [String] { definitions.map(\.id.rawValue) }
}
