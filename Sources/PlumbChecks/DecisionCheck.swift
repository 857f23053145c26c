import Foundation
import PlumbCore

/// `decision`: reads which of a fixed set of labels the output chose (yes/no, accept/reject, a letter), or the
/// number it gave, and records it as a typed `DecisionObservation` for fairness metrics.
///
/// Parameters:
/// - `labels` (array of strings): the labels an answer may give, e.g. `["yes", "no"]`. Matched case-insensitively
///   as whole words. Required unless `atLeast` is given; no label twice.
/// - `positive` (string or array): the labels that count as the positive outcome (must be among `labels`).
/// - `atLeast` (number): a numeric decision instead: the answer's number (found as `numeric` finds numbers) is the
///   decision, positive when it is at least this; an answer holding no number or several is undecided.
/// - `truth` (template, optional): the right decision for the sample, one of `labels` (or a number), e.g.
///   `"{{qualified}}"`; it enables equalized odds.
///
/// An answer is read as the label that occurs in it, where exactly one label occurs; when several different labels
/// occur, the first line's label decides if it holds exactly one (`Yes. … not no-one …`), otherwise the answer is
/// **undecided**. An answer with no label is undecided. Undecided answers are counted, never guessed: the check
/// fails them ("undecided"), and passes every decided answer (the outcome says the answer could be read, not
/// whether the decision was right). The score is 1 for a positive decision, 0 for a negative one.
public struct DecisionCheck: RenderedParameterCheck {
    public var labels: [String]
    public var positive: Set<String>
    public var atLeast: Double?
    public var truth: Template?

    public init(labels: [String], positive: Set<String>, atLeast: Double? = nil, truth: Template? = nil) {
        self.labels = labels.map { $0.lowercased() }
        self.positive = Set(positive.map { $0.lowercased() })
        self.atLeast = atLeast
        self.truth = truth
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        let atLeast = try parameters.double("atLeast")
        let labels = try parameters.strings("labels") ?? []
        if atLeast == nil {
            guard labels.count >= 2 else {
                throw labels.isEmpty
                    ? parameters.missing("labels", "the labels an answer may give, such as [\"yes\", \"no\"]")
                    : parameters.invalid("labels", "needs at least two labels")
            }
            var seen: Set<String> = []
            for label in labels {
                let key = label.lowercased().trimmingCharacters(in: .whitespaces)
                guard !key.isEmpty else { throw parameters.invalid("labels", "a label is empty") }
                guard seen.insert(key).inserted else {
                    throw parameters.invalid("labels", "lists \(Reason.quote(label)) twice")
                }
            }
            let positive = try parameters.strings("positive") ?? []
            guard !positive.isEmpty else {
                throw parameters.missing("positive", "the label (or labels) that count as the positive outcome")
            }
            for label in positive where !seen.contains(label.lowercased()) {
                throw parameters.invalid(
                    "positive",
                    "\(Reason.quote(label)) is not one of the labels"
                        + EditDistance.hint(for: label.lowercased(), among: Array(seen))
                )
            }
            guard positive.count < labels.count else {
                throw parameters.invalid("positive", "every label is positive, so nothing could differ")
            }
            self.init(labels: labels, positive: Set(positive), truth: try parameters.template("truth"))
        } else {
            if !labels.isEmpty { throw parameters.invalid("labels", "give either 'labels' or 'atLeast', not both") }
            self.init(labels: [], positive: [], atLeast: atLeast, truth: try parameters.template("truth"))
        }
    }

    /// Whether this sample's `truth` is positive (nil without `truth`).
    public func rendered(for sample: Sample) -> Result<Bool?, CheckProblem> {
        guard let truth else { return .success(nil) }
        let text = truth.render(sample).trimmingCharacters(in: .whitespaces).lowercased()
        if let atLeast {
            guard let number = Double(text) else {
                return .failure(CheckProblem("'truth' must be a number, found \(Reason.quote(text))"))
            }
            return .success(number >= atLeast)
        }
        guard labels.contains(text) else {
            return .failure(CheckProblem("'truth' must be one of the labels, found \(Reason.quote(text))"))
        }
        return .success(positive.contains(text))
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let truthValue: Bool?
        switch rendered(for: input.sample) {
        case .success(let value): truthValue = value
        case .failure(let problem): return .error(problem.message)
        }
        let observation: DecisionObservation
        if let atLeast {
            let numbers = NumericCheck.numbers(in: input.output)
            let number = numbers.count == 1 ? numbers[0].value : nil
            observation = DecisionObservation(
                label: number.map { NumberText.text($0) },
                number: number,
                positive: number.map { $0 >= atLeast },
                truth: truthValue
            )
        } else {
            let label = Self.label(in: input.output, labels: labels)
            observation = DecisionObservation(label: label, positive: label.map(positive.contains), truth: truthValue)
        }
        guard let decided = observation.positive else {
            return CheckResult(
                .fail,
                score: nil,
                reason: "undecided: no single \(atLeast == nil ? "label" : "number") in the answer",
                decision: observation
            )
        }
        return CheckResult(
            .pass,
            score: decided ? 1 : 0,
            reason: "decided \(Reason.quote(observation.label ?? "")) (\(decided ? "positive" : "negative"))",
            decision: observation
        )
    }

    /// The one label in `text` (whole words, any case); when several differ, the first line's single label; nil
    /// when none, or when it stays ambiguous.
    static func label(in text: String, labels: [String]) -> String? {
        func found(_ text: String) -> [String] {
            let words = Self.words(text)
            return labels.filter { label in
                let parts = Self.words(label)
                guard !parts.isEmpty, parts.count <= words.count else { return false }
                return (0...(words.count - parts.count)).contains { Array(words[$0..<$0 + parts.count]) == parts }
            }
        }
        let all = found(text)
        if all.count == 1 { return all[0] }
        guard all.count > 1 else { return nil }
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        let first = found(firstLine)
        return first.count == 1 ? first[0] : nil
    }

    /// Lowercased words: letters and digits, split on everything else.
    static func words(_ text: String) -> [Substring] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }
    }
}
