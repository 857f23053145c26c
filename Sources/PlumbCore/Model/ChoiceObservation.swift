/// What a `choice` check read in an answer: the option letter it chose (nil when the answer named none, or
/// several), and the correct letter. Accuracy metrics read this, never strings.
public struct ChoiceObservation: Sendable, Hashable, Codable {
    /// The chosen letter, uppercase; nil when the answer is invalid (no option, or two different ones).
    public var chosen: String?
    /// The correct letter, uppercase.
    public var correct: String

    public init(chosen: String?, correct: String) {
        self.chosen = chosen
        self.correct = correct
    }

    /// The answer named no option, or several: counted and shown, never guessed.
    public var isInvalid: Bool { chosen == nil }
    public var isCorrect: Bool { chosen == correct }
}
