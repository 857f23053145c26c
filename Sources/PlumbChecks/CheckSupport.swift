import Foundation
import PlumbCore

/// Helpers for writing short, readable reasons.
enum Reason {
    /// How many characters of a model output a reason quotes.
    static let quoteLimit = 80

    /// `"text"` with line breaks and tabs escaped, cut to `limit` characters and marked `…` when longer.
    static func quote(_ text: String, limit: Int = Reason.quoteLimit) -> String {
        var escaped = ""
        var count = 0
        var truncated = false
        for character in text {
            if count == limit {
                truncated = true
                break
            }
            switch character {
            case "\n", "\r\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default: escaped.append(character)
            }
            count += 1
        }
        return "\"" + escaped + (truncated ? "…" : "") + "\""
    }

    /// Quotes each text, separated by commas.
    static func list(_ texts: [String]) -> String {
        texts.map { quote($0) }.joined(separator: ", ")
    }

    /// A number as people write it: whole numbers without a fraction.
    static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// A number with a fixed count of decimals (`0.67`).
    static func fixed(_ value: Double, digits: Int = 2) -> String {
        NumberText.fixed(value, digits: digits)
    }

    /// `1 word`, `2 words`.
    static func count(_ value: Int, _ singular: String, _ plural: String) -> String {
        "\(value) \(value == 1 ? singular : plural)"
    }
}

/// Text transformations shared by the string checks.
enum TextFolding {
    /// Lowercases when `ignoreCase`, so comparisons of folded texts ignore case.
    static func fold(_ text: String, ignoreCase: Bool) -> String {
        ignoreCase ? text.lowercased() : text
    }

    /// `text` without leading whitespace and line breaks.
    static func trimmingLeadingWhitespace(_ text: String) -> Substring {
        text.drop { $0.isWhitespace }
    }
}

extension CheckParameters {
    /// A diagnostic worded like the core accessors' own type errors.
    func typeMismatch(_ key: String, _ node: JSON5Node, expected: String) -> SuiteDiagnostic {
        SuiteDiagnostic(
            .wrongType,
            "'\(key)' of check '\(kind)' must be \(expected), found \(node.kindName)",
            at: node.position.in(file)
        )
    }

    /// A whole number that is zero or more.
    func nonNegativeInt(_ key: String) throws(SuiteDiagnostic) -> Int? {
        guard let value = try int(key) else { return nil }
        guard value >= 0 else { throw invalid(key, "must be 0 or more, found \(value)") }
        return value
    }

    /// A number that is zero or more.
    func nonNegativeDouble(_ key: String) throws(SuiteDiagnostic) -> Double? {
        guard let value = try double(key) else { return nil }
        guard value >= 0 else { throw invalid(key, "must be 0 or more, found \(Reason.number(value))") }
        return value
    }

    /// A string that must be one of `allowed`.
    func option(_ key: String, among allowed: [String]) throws(SuiteDiagnostic) -> String? {
        guard let value = try string(key) else { return nil }
        guard allowed.contains(value) else {
            throw invalid(
                key,
                "must be one of \(allowed.map { "'\($0)'" }.joined(separator: ", ")), found '\(value)'"
                    + EditDistance.hint(for: value, among: allowed)
            )
        }
        return value
    }

    /// A template that must not be a literal empty string (an empty needle matches everything).
    func requiredNonEmptyTemplate(_ key: String, _ what: String) throws(SuiteDiagnostic) -> Template {
        let template = try requiredTemplate(key, what)
        if template.isLiteral, template.source.isEmpty { throw invalid(key, "must not be empty") }
        return template
    }

    /// One template or a non-empty array of templates, none of them a literal empty string.
    func requiredNonEmptyTemplates(_ key: String, _ what: String) throws(SuiteDiagnostic) -> [Template] {
        guard let templates = try templates(key) else { throw missing(key, what) }
        guard !templates.isEmpty else { throw invalid(key, "must list at least one value") }
        if templates.contains(where: { $0.isLiteral && $0.source.isEmpty }) {
            throw invalid(key, "must not contain empty strings")
        }
        return templates
    }
}

/// A `min`/`max` pair read from a check's parameters, for the counting checks.
struct CountBounds: Sendable, Hashable {
    var min: Int?
    var max: Int?

    init(min: Int?, max: Int?) {
        self.min = min
        self.max = max
    }

    /// Reads `min` and `max`: at least one is required, both are whole numbers ≥ 0, and `min ≤ max`.
    init(_ parameters: CheckParameters, unit: String) throws(SuiteDiagnostic) {
        let min = try parameters.nonNegativeInt("min")
        let max = try parameters.nonNegativeInt("max")
        guard min != nil || max != nil else {
            throw parameters.missing("min", "the least number of \(unit); give 'min', 'max' or both")
        }
        if let min, let max, min > max {
            throw parameters.invalid("max", "must be at least 'min' (\(min)), found \(max)")
        }
        self.init(min: min, max: max)
    }

    func contains(_ value: Int) -> Bool {
        if let min, value < min { return false }
        if let max, value > max { return false }
        return true
    }

    /// `120 characters, expected at most 100` or `42 characters (expected 10…100)`.
    func reason(for value: Int, singular: String, plural: String) -> String {
        let found = Reason.count(value, singular, plural)
        let expected: String
        switch (min, max) {
        case (let min?, let max?) where min == max: expected = "exactly \(min)"
        case (let min?, let max?): expected = "\(min)…\(max)"
        case (let min?, nil): expected = "at least \(min)"
        case (nil, let max?): expected = "at most \(max)"
        case (nil, nil): expected = "any number"
        }
        return contains(value) ? "\(found) (expected \(expected))" : "\(found), expected \(expected)"
    }
}
