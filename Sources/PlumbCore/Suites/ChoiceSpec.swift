/// How a `choice` suite reads its samples: where each sample's options and correct answer are, and how the model
/// answers. The loader resolves every sample against it (see `SuiteLoader.resolveChoices`), so a sample that
/// names no option, or duplicates one, is a located error before anything runs.
public struct ChoiceSpec: Sendable, Hashable {
    public enum Options: Sendable, Hashable {
        /// One field holding an array of option texts (JSON Lines: `"options": ["…", "…"]`).
        case field(String)
        /// Several fields, one option each, in order (CSV columns: `["A", "B", "C", "D"]`).
        case fields([String])
    }

    /// How the model answers.
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        /// The model answers in text; the letter (or one option's text) is read from it.
        case generate
        /// Each option is scored by its log-probability after the prompt (not in this version).
        case logprob
    }

    public var options: Options
    /// The field with the correct answer: a 0-based index (a JSON number), a letter, or an option's text.
    public var answer: String
    public var method: Method

    public init(options: Options, answer: String, method: Method = .generate) {
        self.options = options
        self.answer = answer
        self.method = method
    }

    /// The fields a `choice` suite adds to every sample: `{{choices}}` (the options, one per line, lettered
    /// `A. …`), `{{correct}}` (the correct letter), `{{correctText}}`, and the option texts for the check.
    public static let choicesField = "choices"
    public static let correctField = "correct"
    public static let correctTextField = "correctText"
    public static let optionTextsField = "optionTexts"
    public static let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// `A. Paris\nB. Lyon`.
    public static func lettered(_ options: [String]) -> String {
        zip(letters, options).map { "\($0). \($1)" }.joined(separator: "\n")
    }
}
