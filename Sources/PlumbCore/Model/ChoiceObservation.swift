/// What a `choice` check read in an answer: the option letter it chose (nil when the answer named none, or
/// several), and the correct letter. Accuracy metrics read this, never strings.
public struct ChoiceObservation: Sendable, Hashable, Codable {
    /// The chosen letter, uppercase; nil when the answer is invalid (no option, or two different ones).
    public var chosen: String?
    /// The correct letter, uppercase.
    public var correct: String
    /// The chosen option's text, when the sample's options are known (`choice` suites): what position consistency
    /// compares across orders of the options.
    public var chosenText: String?

    public init(chosen: String?, correct: String, chosenText: String? = nil) {
        self.chosen = chosen
        self.correct = correct
        self.chosenText = chosenText
    }

    /// The answer named no option, or several: counted and shown, never guessed.
    public var isInvalid: Bool { chosen == nil }
    public var isCorrect: Bool { chosen == correct }
}
