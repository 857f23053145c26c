import Foundation
import PlumbCore

/// `pii`: passes when the output contains no personal data of the chosen kinds; it asserts a clean output.
///
/// Parameters:
/// - `kinds` (array of strings, default all): which kinds to look for, any of `"email"`, `"phone"`, `"card"`.
///
/// What counts:
/// - `email`: `name@domain.tld`.
/// - `phone`: an international number starting with `+` and holding 10–15 digits (`+44 20 7946 0958`,
///   `+14155552671`), or a North American number with separators (`415-555-2671`, `(415) 555-2671`,
///   `1-800-555-0199`, `415.555.2671`). Digits without separators or a `+`, years and short numbers such as
///   `555-1234` are not phones.
/// - `card`: 13–19 digits, optionally grouped by single spaces or dashes, that pass the Luhn checksum, so a random
///   16-digit number is not a card. Digits that form a card are not also reported as a phone.
///
/// The reason lists what was found, masked: `found PII: email j***@example.com, card ****1111`.
public struct PIICheck: Check {
    /// A kind of personal data, named as in `kinds`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case email, phone, card
    }

    /// One piece of personal data found in a text.
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        public var kind: Kind
        /// The text as written.
        public var text: String
        /// The text with most of it hidden, for reports.
        public var masked: String
        /// Where it starts, in UTF-16 code units (the unit `NSRange` uses).
        public var offset: Int

        public var description: String { "\(kind.rawValue) \(masked)" }
    }

    public var kinds: [Kind]

    public init(kinds: [Kind] = Kind.allCases) {
        self.kinds = kinds
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        guard let names = try parameters.strings("kinds") else {
            self.init()
            return
        }
        guard !names.isEmpty else { throw parameters.invalid("kinds", "must list at least one kind") }
        var kinds: [Kind] = []
        for name in names {
            guard let kind = Kind(rawValue: name) else {
                let all = Kind.allCases.map(\.rawValue)
                throw parameters.invalid(
                    "kinds",
                    "unknown kind '\(name)' (use \(all.map { "'\($0)'" }.joined(separator: ", ")))"
                        + EditDistance.hint(for: name, among: all)
                )
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        self.init(kinds: kinds)
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let findings = PIICheck.findings(in: input.output, kinds: kinds)
        if findings.isEmpty {
            return .pass("no PII found (looked for \(kinds.map(\.rawValue).joined(separator: ", ")))")
        }
        return .fail("found PII: \(findings.map(\.description).joined(separator: ", "))")
    }

    /// The personal data of `kinds` in `text`, in order of appearance.
    public static func findings(in text: String, kinds: [Kind] = Kind.allCases) -> [Finding] {
        let nsText = text as NSString
        let whole = NSRange(location: 0, length: nsText.length)
        var findings: [Finding] = []
        var cardRanges: [NSRange] = []

        for match in Patterns.card.matches(in: text, options: [], range: whole) {
            let written = nsText.substring(with: match.range)
            let digits = written.filter(\.isASCIIDigit)
            guard (13...19).contains(digits.count), luhnIsValid(digits) else { continue }
            cardRanges.append(match.range)
            if kinds.contains(.card) {
                findings.append(
                    Finding(kind: .card, text: written, masked: "****" + digits.suffix(4), offset: match.range.location)
                )
            }
        }
        if kinds.contains(.phone) {
            var phoneRanges: [NSRange] = []
            for pattern in [Patterns.internationalPhone, Patterns.northAmericanPhone] {
                for match in pattern.matches(in: text, options: [], range: whole) {
                    let overlaps = (cardRanges + phoneRanges).contains {
                        NSIntersectionRange($0, match.range).length > 0
                    }
                    let written = nsText.substring(with: match.range)
                    let digits = written.filter(\.isASCIIDigit)
                    guard !overlaps, (10...15).contains(digits.count) else { continue }
                    phoneRanges.append(match.range)
                    findings.append(
                        Finding(
                            kind: .phone,
                            text: written,
                            masked: "***" + digits.suffix(4),
                            offset: match.range.location
                        )
                    )
                }
            }
        }
        if kinds.contains(.email) {
            for match in Patterns.email.matches(in: text, options: [], range: whole) {
                let written = nsText.substring(with: match.range)
                let parts = written.split(separator: "@", maxSplits: 1)
                let masked = "\(parts[0].prefix(1))***@\(parts.count > 1 ? parts[1] : "")"
                findings.append(Finding(kind: .email, text: written, masked: masked, offset: match.range.location))
            }
        }
        return findings.sorted { $0.offset < $1.offset }
    }

    /// Whether a string of digits passes the Luhn checksum that payment card numbers carry.
    /// Anything other than ASCII digits, or fewer than two digits, fails.
    public static func luhnIsValid(_ digits: some StringProtocol) -> Bool {
        guard digits.count >= 2, digits.allSatisfy(\.isASCIIDigit) else { return false }
        var sum = 0
        for (position, character) in digits.reversed().enumerated() {
            var digit = Int(character.asciiValue! - 48)
            if position % 2 == 1 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return sum % 10 == 0
    }

    /// Compiled once; `NSRegularExpression` is immutable and `Sendable`.
    private enum Patterns {
        static func compile(_ pattern: String) -> NSRegularExpression {
            do {
                return try NSRegularExpression(pattern: pattern, options: [])
            } catch {
                preconditionFailure("invalid built-in pattern \(pattern): \(error)")
            }
        }

        static let email = compile(
            #"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@"#
                + #"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9\-])"#
        )
        /// 13–19 digits with single spaces or dashes between them; the Luhn check and digit count come after.
        static let card = compile(#"(?<![\d\-])\d(?:[ \-]?\d){12,18}(?!\d)"#)
        /// `+`, a country code, then groups of digits (or a parenthesised area code) with optional single separators.
        static let internationalPhone = compile(
            #"(?<![\w+])\+\d{1,3}(?:[ .\-]?(?:\(\d{1,4}\)|\d{1,6})){1,6}(?!\d)"#
        )
        static let northAmericanPhone = compile(
            #"(?<![\d+\-.])(?:\+?1[ .\-]?)?(?:\(\d{3}\)[ .\-]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}(?![\d\-])"#
        )
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
