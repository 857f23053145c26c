import Foundation
import PlumbCore

/// `equals`: passes when the whole output equals the expected value, after the chosen normalisations.
///
/// Parameters:
/// - `value` (template, required): the expected answer, e.g. `"Paris"` or `"{{answer}}"`.
/// - `ignoreCase` (bool, default `false`): compare case-insensitively.
/// - `trim` (bool, default `true`): ignore leading and trailing whitespace and line breaks.
/// - `collapseWhitespace` (bool, default `false`): every run of whitespace compares as one space.
/// - `stripPunctuation` (bool, default `false`): remove punctuation characters (`.`, `,`, `!`, `"`, `-` …)
///   before comparing, so `"Paris."` equals `"Paris"`.
/// - `normalizeUnicode` (bool, default `false`): compare the NFKC forms, so full-width letters, ligatures and
///   circled digits equal their plain forms. (Canonically equivalent texts, such as a precomposed `é` and
///   `e` + combining accent, are always equal.)
///
/// The normalisations apply to both the output and the expected value, in the order NFKC, punctuation,
/// whitespace, trim, case.
public struct EqualsCheck: Check {
    /// How the output and the expected value are normalised before comparing.
    public struct Normalization: Sendable, Hashable {
        public var ignoreCase: Bool
        public var trim: Bool
        public var collapseWhitespace: Bool
        public var stripPunctuation: Bool
        public var normalizeUnicode: Bool

        public init(
            ignoreCase: Bool = false,
            trim: Bool = true,
            collapseWhitespace: Bool = false,
            stripPunctuation: Bool = false,
            normalizeUnicode: Bool = false
        ) {
            self.ignoreCase = ignoreCase
            self.trim = trim
            self.collapseWhitespace = collapseWhitespace
            self.stripPunctuation = stripPunctuation
            self.normalizeUnicode = normalizeUnicode
        }

        /// The normalisations beyond trimming, as reports name them (`ignore case`, `strip punctuation` …).
        public var names: [String] {
            var names: [String] = []
            if normalizeUnicode { names.append("NFKC") }
            if stripPunctuation { names.append("strip punctuation") }
            if collapseWhitespace { names.append("collapse whitespace") }
            if ignoreCase { names.append("ignore case") }
            return names
        }

        public func apply(_ text: String) -> String {
            var text = text
            if normalizeUnicode { text = text.precomposedStringWithCompatibilityMapping }
            if stripPunctuation { text.removeAll { $0.isPunctuation } }
            if collapseWhitespace {
                var collapsed = ""
                var inWhitespace = false
                for character in text {
                    if character.isWhitespace {
                        if !inWhitespace { collapsed.append(" ") }
                        inWhitespace = true
                    } else {
                        collapsed.append(character)
                        inWhitespace = false
                    }
                }
                text = collapsed
            }
            if trim { text = text.trimmingCharacters(in: .whitespacesAndNewlines) }
            return TextFolding.fold(text, ignoreCase: ignoreCase)
        }
    }

    public var value: Template
    public var normalization: Normalization

    public init(value: Template, normalization: Normalization = Normalization()) {
        self.value = value
        self.normalization = normalization
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        let value = try parameters.requiredTemplate("value", "the expected answer")
        let defaults = Normalization()
        let normalization = Normalization(
            ignoreCase: try parameters.bool("ignoreCase") ?? defaults.ignoreCase,
            trim: try parameters.bool("trim") ?? defaults.trim,
            collapseWhitespace: try parameters.bool("collapseWhitespace") ?? defaults.collapseWhitespace,
            stripPunctuation: try parameters.bool("stripPunctuation") ?? defaults.stripPunctuation,
            normalizeUnicode: try parameters.bool("normalizeUnicode") ?? defaults.normalizeUnicode
        )
        self.init(value: value, normalization: normalization)
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let expected = value.render(input.sample)
        let output = input.output
        var result =
            normalization.apply(output) == normalization.apply(expected)
            ? CheckResult.pass("output equals \(Reason.quote(expected))")
            : CheckResult.fail("expected \(Reason.quote(expected)), got \(Reason.quote(output))")
        // Reports say which match this was: exact, or normalised and how.
        if !normalization.names.isEmpty {
            result.metadata["normalization"] = normalization.names.joined(separator: ", ")
        }
        return result
    }
}
