import Foundation
import PlumbCore

/// `numeric`: takes a number from the output and passes when it equals the expected number, within tolerances.
///
/// Parameters:
/// - `value` (template, required): the expected number, e.g. `42`, `"-1.5e3"` or `"{{answer}}"`. It must render to
///   a single number (thousands separators allowed), else the outcome is an error.
/// - `tolerance` (number ≥ 0, default `0`): the largest allowed absolute difference.
/// - `relativeTolerance` (number ≥ 0, optional): the largest allowed difference as a fraction of the expected
///   number (`0.01` is 1 %). With both, the larger allowance applies.
/// - `pick` (`"first"` or `"last"`, default `"last"`): which number of the output to compare.
///
/// Numbers in the output may have a sign (`-`, `+`, `−`), thousands separators (`1,234,567`), a fraction
/// (`3.14`, `.5`) and an exponent (`6.02e23`). A sign only counts before the number (not in `10-20`), and digits
/// glued to the end of a word (`H2O`, `mp3`) are not numbers. An output without a number fails with
/// "no number in the output".
public struct NumericCheck: RenderedParameterCheck {
    /// Which number of the output is compared: the first or the last one written.
    public enum Pick: String, Sendable, Hashable, CaseIterable {
        case first, last
    }

    /// A number found in a text, with the text it was written as.
    public struct ExtractedNumber: Sendable, Hashable {
        public var value: Double
        public var text: String
    }

    public var value: Template
    public var tolerance: Double
    public var relativeTolerance: Double?
    public var pick: Pick

    public init(value: Template, tolerance: Double = 0, relativeTolerance: Double? = nil, pick: Pick = .last) {
        self.value = value
        self.tolerance = tolerance
        self.relativeTolerance = relativeTolerance
        self.pick = pick
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        var value = try parameters.requiredTemplate("value", "the expected number")
        if case .number(let number, _) = parameters.node("value")?.value, number.isFinite {
            value = Template(literal: Reason.number(number))  // JSON5 spellings such as 0x1F or .5
        } else if value.isLiteral, NumericCheck.number(from: value.source) == nil {
            throw parameters.invalid("value", "\(Reason.quote(value.source)) is not a number")
        }
        let pick = try parameters.option("pick", among: Pick.allCases.map(\.rawValue)).flatMap(Pick.init) ?? .last
        self.init(
            value: value,
            tolerance: try parameters.nonNegativeDouble("tolerance") ?? 0,
            relativeTolerance: try parameters.nonNegativeDouble("relativeTolerance"),
            pick: pick
        )
    }

    /// The expected number for this sample.
    public func rendered(for sample: Sample) -> Result<Double, CheckProblem> {
        let rendered = value.render(sample)
        guard let expected = NumericCheck.number(from: rendered) else {
            return .failure(CheckProblem("expected value \(Reason.quote(rendered)) is not a number"))
        }
        return .success(expected)
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let expected: Double
        switch rendered(for: input.sample) {
        case .success(let value): expected = value
        case .failure(let problem): return .error(problem.message)
        }
        let numbers = NumericCheck.numbers(in: input.output)
        guard let found = pick == .first ? numbers.first : numbers.last else {
            return .fail("no number in the output: \(Reason.quote(input.output))")
        }
        let difference = abs(found.value - expected)
        let allowed = max(tolerance, (relativeTolerance ?? 0) * abs(expected))
        // Decimal inputs such as 1.01 - 1.00 differ from 0.01 in binary by a few ulps; forgive that much.
        let slack = 1e-12 * max(abs(found.value), abs(expected))
        var expectation = "expected \(Reason.number(expected))"
        if tolerance > 0 { expectation += " ± \(Reason.number(tolerance))" }
        if let relativeTolerance { expectation += " (relative tolerance \(Reason.number(relativeTolerance)))" }
        return .verdict(
            difference <= allowed + slack,
            "found \(found.text) (\(pick.rawValue) number), \(expectation)"
        )
    }

    /// The number `text` holds when, trimmed, it is exactly one number; `nil` otherwise.
    public static func number(from text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let numbers = numbers(in: trimmed)
        guard numbers.count == 1, numbers[0].text == trimmed else { return nil }
        return numbers[0].value
    }

    /// The numbers in `text`, in order.
    public static func numbers(in text: String) -> [ExtractedNumber] {
        let scalars = Array(text.unicodeScalars)
        let count = scalars.count
        func isDigit(_ index: Int) -> Bool { index >= 0 && index < count && ("0"..."9").contains(scalars[index]) }
        func isLetter(_ index: Int) -> Bool {
            index >= 0 && index < count && scalars[index].properties.isAlphabetic
        }
        func isAt(_ index: Int, _ options: Set<Unicode.Scalar>) -> Bool {
            index >= 0 && index < count && options.contains(scalars[index])
        }

        var result: [ExtractedNumber] = []
        var start = 0
        while start < count {
            var index = start
            var negative = false
            if isAt(index, ["-", "+", "\u{2212}"]) {
                let startsNumber = isDigit(index + 1) || (isAt(index + 1, ["."]) && isDigit(index + 2))
                guard startsNumber, !isLetter(index - 1), !isDigit(index - 1) else {
                    start += 1
                    continue
                }
                negative = scalars[index] != "+"
                index += 1
            }
            let beginsWithDigit = isDigit(index)
            guard beginsWithDigit || (isAt(index, ["."]) && isDigit(index + 1) && !isDigit(index - 1)) else {
                start += 1
                continue
            }
            if beginsWithDigit, index == start, isLetter(index - 1) {
                // Digits that end a word: skip the rest of the word.
                while isDigit(index) || isLetter(index) { index += 1 }
                start = index
                continue
            }
            var digits = ""
            if beginsWithDigit {
                let groupStart = index
                while isDigit(index) {
                    digits.unicodeScalars.append(scalars[index])
                    index += 1
                }
                if index - groupStart <= 3 {
                    while isAt(index, [","]), isDigit(index + 1), isDigit(index + 2), isDigit(index + 3),
                        !isDigit(index + 4)
                    {
                        digits.unicodeScalars.append(contentsOf: scalars[(index + 1)...(index + 3)])
                        index += 4
                    }
                }
            }
            if isAt(index, ["."]), isDigit(index + 1) {
                digits += "."
                index += 1
                while isDigit(index) {
                    digits.unicodeScalars.append(scalars[index])
                    index += 1
                }
            }
            if isAt(index, ["e", "E"]) {
                var exponentIndex = index + 1
                var exponent = "e"
                if isAt(exponentIndex, ["+", "-"]) {
                    exponent.unicodeScalars.append(scalars[exponentIndex])
                    exponentIndex += 1
                }
                if isDigit(exponentIndex) {
                    while isDigit(exponentIndex) {
                        exponent.unicodeScalars.append(scalars[exponentIndex])
                        exponentIndex += 1
                    }
                    digits += exponent
                    index = exponentIndex
                }
            }
            if let magnitude = Double(digits), magnitude.isFinite {
                var written = String.UnicodeScalarView()
                written.append(contentsOf: scalars[start..<index])
                result.append(ExtractedNumber(value: negative ? -magnitude : magnitude, text: String(written)))
            }
            start = index
        }
        return result
    }
}
