import Foundation
import PlumbCore

/// `word-count`: passes when the number of words in the output is within bounds.
///
/// Parameters (at least one of them, whole numbers ≥ 0, `min` ≤ `max`):
/// - `min` (int): the least number of words.
/// - `max` (int): the most words.
///
/// Words are runs of characters between whitespace and line breaks, so `"well-known"` and `"3.14"` are one
/// word each and punctuation standing alone (`" - "`) counts as a word.
public struct WordCountCheck: Check {
    public var min: Int?
    public var max: Int?

    public init(min: Int? = nil, max: Int? = nil) {
        self.min = min
        self.max = max
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        let bounds = try CountBounds(parameters, unit: "words")
        self.init(min: bounds.min, max: bounds.max)
    }

    /// The number of whitespace-separated words in `text`.
    public static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: \.isWhitespace).count
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let bounds = CountBounds(min: min, max: max)
        let count = WordCountCheck.wordCount(input.output)
        return .verdict(bounds.contains(count), bounds.reason(for: count, singular: "word", plural: "words"))
    }
}
