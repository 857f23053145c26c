import Foundation
import PlumbCore

/// `choice`: finds the multiple-choice letter the output chose and passes when it is the expected one.
///
/// Parameters:
/// - `answer` (template, required): the correct letter, e.g. `"B"` or `"{{answer}}"`; case and surrounding
///   brackets or punctuation (`"(b)"`) are ignored. A letter outside `choices` is an error outcome.
/// - `choices` (string, default `"ABCD"`): the letters the options use.
///
/// The letter is found by, in order of preference:
/// 1. an explicit statement, the last one winning: `Answer: B`, `the answer is (C).`, `final answer: **D**`,
///    `The correct option is B`, `answer: c`, `(B) is correct`. A lowercase letter only counts here when nothing
///    but punctuation follows it, so `the answer is a matter of taste` chooses nothing.
/// 2. a letter at the very start standing alone: `B`, `(B)`, `B.`, `B)`, `**C**`, `C - Paris`, but not the `A` of
///    `A good question is…`.
/// 3. a capital letter standing alone elsewhere: `(B)`, `[B]`, `**B**`, `… go with B.` or a line holding only the
///    letter. When these name different letters (an echoed option list), nothing is chosen.
///
/// 4. In a `choice` suite, when no letter is found: the text of exactly one of the sample's options.
///
/// The score is 1 or 0. When no letter is found the check fails with "invalid: no choice letter found" and records
/// the answer as invalid (`ChoiceObservation`): counted in `invalid_rate`, never guessed.
public struct ChoiceCheck: RenderedParameterCheck {
    /// What `extract` found.
    public enum Extraction: Sendable, Hashable {
        case letter(Character)
        case none
        /// Stand-alone letters disagreeing, with no explicit statement to settle it.
        case ambiguous([Character])
    }

    public var answer: Template
    /// The allowed letters, uppercase.
    public var choices: [Character]

    public init(answer: Template, choices: String = "ABCD") {
        self.answer = answer
        self.choices = Array(choices.uppercased())
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        let answer = try parameters.requiredTemplate("answer", "the correct choice letter")
        let choices = try parameters.string("choices") ?? "ABCD"
        let letters = Array(choices.uppercased())
        guard !letters.isEmpty, letters.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw parameters.invalid(
                "choices",
                "must be letters A–Z such as \"ABCD\", found \(Reason.quote(choices))"
            )
        }
        guard Set(letters).count == letters.count else {
            throw parameters.invalid("choices", "lists a letter twice: \(Reason.quote(choices))")
        }
        self.init(answer: answer, choices: choices)
        if answer.isLiteral, ChoiceCheck.letter(inAnswer: answer.source, choices: self.choices) == nil {
            throw parameters.invalid(
                "answer",
                "\(Reason.quote(answer.source)) is not one of the choices \(String(self.choices))"
            )
        }
    }

    /// The letters this sample's answer may name: its own options' in a `choice` suite, else `choices`.
    func letters(for sample: Sample) -> [Character] {
        let options = sample.optionTexts ?? []
        return options.isEmpty ? choices : Array(ChoiceSpec.letters.prefix(options.count))
    }

    /// The expected letter for this sample.
    public func rendered(for sample: Sample) -> Result<Character, CheckProblem> {
        let letters = letters(for: sample)
        let rendered = answer.render(sample)
        guard let expected = ChoiceCheck.letter(inAnswer: rendered, choices: letters) else {
            return .failure(
                CheckProblem("expected answer \(Reason.quote(rendered)) is not one of the choices \(String(letters))")
            )
        }
        return .success(expected)
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        // In a `choice` suite the sample carries its own options: their count sets the letters, and an answer that
        // gives no letter may give one option's text instead.
        let options = input.sample.optionTexts ?? []
        let letters = self.letters(for: input.sample)
        let expected: Character
        switch rendered(for: input.sample) {
        case .success(let value): expected = value
        case .failure(let problem): return .error(problem.message)
        }
        if let scores = input.response.scores {
            return Self.scoredResult(scores, expected: expected, letters: letters, sample: input.sample)
        }
        var extraction = ChoiceCheck.extract(from: input.output, choices: String(letters))
        if case .none = extraction, let index = ChoiceCheck.optionNamed(in: input.output, options: options) {
            extraction = .letter(letters[index])
        }
        var result: CheckResult
        switch extraction {
        case .letter(let chosen):
            result = .verdict(chosen == expected, "chose \(chosen), expected \(expected)")
            let index = letters.firstIndex(of: chosen)
            result.choice = ChoiceObservation(
                chosen: String(chosen),
                correct: String(expected),
                chosenText: index.flatMap { $0 < options.count ? options[$0] : nil }
            )
        case .none:
            result = .fail("invalid: no choice letter found in \(Reason.quote(input.output)) (expected \(expected))")
            result.choice = ChoiceObservation(chosen: nil, correct: String(expected))
        case .ambiguous(let found):
            let names = found.map(String.init).joined(separator: ", ")
            result = .fail("invalid: no choice letter found (ambiguous: \(names)), expected \(expected)")
            result.choice = ChoiceObservation(chosen: nil, correct: String(expected))
        }
        Self.addBias(to: &result, sample: input.sample)
        result.score = result.outcome == .pass ? 1 : 0
        return result
    }

    /// The verdict on options scored by log-probability: the highest score chooses (a tie chooses nothing, counted
    /// as invalid); `acc_norm`'s choice and the MC2 mass are recorded beside it. In a stereotype suite scores are
    /// compared at three decimals, as the CrowS-Pairs authors' script does.
    static func scoredResult(_ scores: [ContinuationScore], expected: Character, letters: [Character], sample: Sample)
        -> CheckResult
    {
        let options = sample.optionTexts ?? []
        guard scores.count == letters.count, options.count == scores.count else {
            return .error("the backend scored \(scores.count) options; the sample has \(letters.count)")
        }
        let stereotype = sample.fields[ChoiceSpec.stereotypeField] == .bool(true)
        let values = scores.map { stereotype ? ($0.logprob * 1000).rounded(.toNearestOrEven) / 1000 : $0.logprob }
        let best = ContinuationScore.best(values)
        let normalized = ContinuationScore.best(ContinuationScore.normalized(scores, optionTexts: options))
        var mass: Double?
        if case .array(let truths)? = sample.fields[ChoiceSpec.trueTextsField] {
            let texts = Set(truths.compactMap(\.stringValue))
            mass = ContinuationScore.trueMass(scores, isTrue: options.map { texts.contains($0) })
        }
        let shown = zip(letters, scores).map { "\($0) \(NumberText.fixed($1.logprob, digits: 3))" }
            .joined(separator: ", ")
        var result: CheckResult
        if stereotype {
            // The answer key is the more stereotyping sentence: preferring it is the failure.
            let preferred = best.map { letters[$0] == expected } ?? false
            result = .verdict(
                !preferred,
                best == nil
                    ? "no preference: both sentences scored the same at three decimals (\(shown))"
                    : preferred
                        ? "preferred the more stereotyping sentence \(expected) (\(shown))"
                        : "preferred the less stereotyping sentence (\(shown))"
            )
        } else if let best {
            let chosen = letters[best]
            result = .verdict(chosen == expected, "chose \(chosen) by log-probability (\(shown)), expected \(expected)")
        } else {
            result = .fail("invalid: options scored the same (\(shown)), expected \(expected)")
        }
        result.choice = ChoiceObservation(
            chosen: best.map { String(letters[$0]) },
            correct: String(expected),
            chosenText: best.map { options[$0] },
            scored: true,
            normalizedChosen: normalized.map { String(letters[$0]) },
            trueMass: mass,
            stereotype: stereotype ? true : nil
        )
        addBias(to: &result, sample: sample)
        result.score = result.outcome == .pass ? 1 : 0
        return result
    }

    /// BBQ roles of the chosen option, when the sample declares them.
    static func addBias(to result: inout CheckResult, sample: Sample) {
        if case .object(let roles)? = sample.fields[ChoiceSpec.biasField], var observation = result.choice,
            case .bool(let negative)? = roles["negative"], case .bool(let ambiguous)? = roles["ambiguous"]
        {
            var role: BiasObservation.Role?
            if let text = observation.chosenText {
                role =
                    text == roles["target"]?.stringValue
                    ? .target : text == roles["unknown"]?.stringValue ? .unknown : .other
            }
            observation.bias = BiasObservation(chosen: role, negative: negative, ambiguous: ambiguous)
            result.choice = observation
        }
    }

    /// The option whose text the output holds, when exactly one option's text occurs in it (case-insensitive, at
    /// word boundaries) and no option's text contains another's that also occurs; nil otherwise.
    public static func optionNamed(in output: String, options: [String]) -> Int? {
        let text = output.lowercased()
        let found = options.indices.filter { index in
            let option = options[index].lowercased()
            guard !option.isEmpty else { return false }
            var searchRange = text.startIndex..<text.endIndex
            while let range = text.range(of: option, range: searchRange) {
                let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
                let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
                if !(before?.isLetter ?? false) && !(before?.isNumber ?? false) && !(after?.isLetter ?? false)
                    && !(after?.isNumber ?? false)
                {
                    return true
                }
                searchRange = range.upperBound..<text.endIndex
            }
            return false
        }
        // "New York City" also contains "York": keep only options not inside another found one.
        let outermost = found.filter { index in
            !found.contains { other in
                other != index && options[other].lowercased().contains(options[index].lowercased())
            }
        }
        return outermost.count == 1 ? outermost[0] : nil
    }

    /// The letter an expected answer names: `"B"`, `"b"`, `"(B)"`, `"B."`; `nil` when it names none of `choices`.
    public static func letter(inAnswer text: String, choices: [Character]) -> Character? {
        let stripped = text.filter { !$0.isWhitespace && !"()[]*.:".contains($0) }.uppercased()
        guard stripped.count == 1, let letter = stripped.first, choices.contains(letter) else { return nil }
        return letter
    }

    /// Finds the letter an output chose among `choices` (uppercase letters; lowercase in the output counts too).
    public static func extract(from text: String, choices: String = "ABCD") -> Extraction {
        let allowed = Set(choices.uppercased())
        let nsText = text as NSString
        let whole = NSRange(location: 0, length: nsText.length)

        // 1. Explicit statements; the last one wins.
        var explicit: (location: Int, letter: Character)?
        for match in Patterns.explicit.matches(in: text, options: [], range: whole) {
            let letter = nsText.substring(with: match.range(at: 2))
            guard let upper = letter.uppercased().first, allowed.contains(upper) else { continue }
            let wrapped =
                match.range(at: 1).length > 0
                && nsText.substring(with: match.range(at: 1))
                    .contains(where: { "*([".contains($0) })
            if letter != letter.uppercased(), !wrapped {
                let rest = nsText.substring(from: match.range.upperBound).drop { $0 == " " || $0 == "\t" }
                guard rest.isEmpty || rest.first.map({ ".,;:!?)\n\r".contains($0) || $0.isNewline }) == true else {
                    continue
                }
            }
            if match.range.location >= explicit?.location ?? -1 { explicit = (match.range.location, upper) }
        }
        for match in Patterns.declared.matches(in: text, options: [], range: whole) {
            let letter = Character(nsText.substring(with: match.range(at: 1)))
            guard allowed.contains(letter) else { continue }
            if match.range.location >= explicit?.location ?? -1 { explicit = (match.range.location, letter) }
        }
        if let explicit { return .letter(explicit.letter) }

        // 2. A letter standing alone at the start, unless the same shape lists other letters (an echoed list).
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let nsTrimmed = trimmed as NSString
        if let match = Patterns.leading.firstMatch(
            in: trimmed,
            options: [],
            range: NSRange(location: 0, length: nsTrimmed.length)
        ),
            let letter = nsTrimmed.substring(with: match.range(at: 2)).uppercased().first,
            allowed.contains(letter)
        {
            let opening = nsTrimmed.substring(with: match.range(at: 1))
            let closingRange = match.range(at: 3)
            let closing = closingRange.location == NSNotFound ? "" : nsTrimmed.substring(with: closingRange)
            guard !opening.isEmpty || !closing.isEmpty else { return .letter(letter) }
            let shape =
                "(?<![A-Za-z])" + NSRegularExpression.escapedPattern(for: opening) + "([A-Z])"
                + NSRegularExpression.escapedPattern(for: closing) + #"(?=\s|$)"#
            var letters: [Character] = [letter]
            if let repeated = try? NSRegularExpression(pattern: shape) {
                let rest = NSRange(location: match.range.upperBound, length: nsTrimmed.length - match.range.upperBound)
                for other in repeated.matches(in: trimmed, options: [], range: rest) {
                    let otherLetter = Character(nsTrimmed.substring(with: other.range(at: 1)))
                    if allowed.contains(otherLetter), !letters.contains(otherLetter) { letters.append(otherLetter) }
                }
            }
            return letters.count == 1 ? .letter(letter) : .ambiguous(letters.sorted())
        }

        // 3. Capital letters standing alone anywhere; they must agree.
        var found: [Character] = []
        for pattern in Patterns.standalone {
            for match in pattern.matches(in: text, options: [], range: whole) {
                for group in 1..<match.numberOfRanges where match.range(at: group).location != NSNotFound {
                    let letter = Character(nsText.substring(with: match.range(at: group)))
                    if allowed.contains(letter), !found.contains(letter) { found.append(letter) }
                }
            }
        }
        switch found.count {
        case 0: return .none
        case 1: return .letter(found[0])
        default: return .ambiguous(found.sorted())
        }
    }

    /// Compiled once; `NSRegularExpression` is immutable and `Sendable`.
    private enum Patterns {
        static func compile(_ pattern: String, _ options: NSRegularExpression.Options = []) -> NSRegularExpression {
            do {
                return try NSRegularExpression(pattern: pattern, options: options)
            } catch {
                preconditionFailure("invalid built-in pattern \(pattern): \(error)")
            }
        }

        /// `answer is (C)`, `final answer: B`, `correct option is b`: group 1 is any opening wrapper, group 2 the
        /// letter.
        static let explicit = compile(
            #"\b(?:final\s+|correct\s+|right\s+|best\s+)?(?:answer|option|choice)\s*"#
                + #"(?:(?:is|would\s+be|will\s+be|should\s+be)\s*:?|[:=]|-|–)\s*(?:option\s+|choice\s+|letter\s+)?"#
                + #"([*(\[\s]*)([a-z])[*)\]]*(?![a-z0-9])"#,
            [.caseInsensitive]
        )

        /// `B is correct`, `(C) is the right answer`.
        static let declared = compile(
            #"(?<![A-Za-z])[(\[*]*([A-Z])[)\]*]*\s+is\s+(?:the\s+)?(?i:correct|right|best)\b"#
        )

        /// A letter at the start followed by a bracket, punctuation, the end, a line break, or a non-word.
        /// Group 2 is the letter, groups 1 and 3 the brackets or markup around it (`(`, `)`, `**`, `.`).
        static let leading = compile(
            #"^\s*([*(\[]*)([A-Za-z])(?:([)\].:,]|\*+)|[ \t]*$|[ \t]*[\r\n]|[ \t]+[^A-Za-z\s])"#
        )

        static let standalone = [
            compile(#"(?<![A-Za-z])(?:\(([A-Z])\)|\[([A-Z])\]|\*\*([A-Z])\*\*)(?![A-Za-z])"#),
            compile(#"^[ \t]*([A-Z])[.)]?[ \t]*$"#, [.anchorsMatchLines]),
            compile(#"(?<![A-Za-z.'’(\[*])([A-Z])[.)](?=\s|$)"#),
        ]
    }
}
