import Foundation
import PlumbCore

/// `token-f1`: SQuAD-style token F1 between the output and a reference answer; passes when F1 ≥ `threshold`.
///
/// Parameters:
/// - `reference` (template, required): the reference answer, e.g. `"{{answer}}"`.
/// - `threshold` (number in 0…1, default `0.5`): the least F1 that passes.
///
/// Both texts are normalised as in the SQuAD evaluation script: lowercased, punctuation removed (ASCII
/// punctuation and symbols such as `$` and `+`, and any Unicode punctuation), the articles `a`, `an` and `the`
/// removed, then split on whitespace. F1 is the harmonic mean of precision and recall of the shared tokens,
/// counted with multiplicity. Two texts that both normalise to nothing score 1; one empty text scores 0.
/// The score is the F1.
public struct TokenF1Check: Check {
    public var reference: Template
    public var threshold: Double

    public init(reference: Template, threshold: Double = 0.5) {
        self.reference = reference
        self.threshold = threshold
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        let reference = try parameters.requiredTemplate("reference", "the reference answer")
        self.init(reference: reference, threshold: try parameters.fraction("threshold") ?? 0.5)
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let expected = reference.render(input.sample)
        let f1 = TokenF1Check.f1(input.output, expected)
        let comparison = f1 >= threshold ? "≥" : "<"
        return .verdict(
            f1 >= threshold,
            "token F1 \(Reason.fixed(f1)) \(comparison) \(Reason.fixed(threshold)) against \(Reason.quote(expected))",
            score: f1
        )
    }

    /// The SQuAD F1 of `prediction` against `reference`.
    public static func f1(_ prediction: String, _ reference: String) -> Double {
        let predicted = tokens(prediction)
        let expected = tokens(reference)
        if predicted.isEmpty || expected.isEmpty { return predicted.isEmpty && expected.isEmpty ? 1 : 0 }
        var remaining: [String: Int] = [:]
        for token in expected { remaining[token, default: 0] += 1 }
        var shared = 0
        for token in predicted {
            if let count = remaining[token], count > 0 {
                remaining[token] = count - 1
                shared += 1
            }
        }
        guard shared > 0 else { return 0 }
        let precision = Double(shared) / Double(predicted.count)
        let recall = Double(shared) / Double(expected.count)
        return 2 * precision * recall / (precision + recall)
    }

    /// The normalised tokens of `text`.
    public static func tokens(_ text: String) -> [String] {
        let cleaned = text.lowercased().filter { !asciiPunctuation.contains($0) && !$0.isPunctuation }
        return cleaned.split(whereSeparator: \.isWhitespace).map(String.init).filter { !articles.contains($0) }
    }

    static let articles: Set<String> = ["a", "an", "the"]
    /// Python's `string.punctuation`, which the SQuAD script removes.
    static let asciiPunctuation = Set(##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##)
}
