/// What a `decision` check read in an answer: one of a fixed set of labels (or a number), whether it is the
/// positive outcome, and — when the sample says what the right decision was — whether it should have been.
/// Metrics (fairness over `pairs` tuples) read this, never strings.
public struct DecisionObservation: Sendable, Hashable, Codable {
    /// The label found (lowercased as the suite wrote it), or the number as text; nil when undecided.
    public var label: String?
    /// For numeric decisions: the number found.
    public var number: Double?
    /// Whether the label is a positive one (or the number reached the threshold); nil when undecided.
    public var positive: Bool?
    /// Whether the right decision was positive, from the sample (`truth`); nil when the suite gives none.
    public var truth: Bool?

    public init(label: String?, number: Double? = nil, positive: Bool?, truth: Bool? = nil) {
        self.label = label
        self.number = number
        self.positive = positive
        self.truth = truth
    }

    /// No label (or number) was found, or more than one different label was: counted, never guessed.
    public var isUndecided: Bool { positive == nil }
}
