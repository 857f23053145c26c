import Foundation

/// The verdict and score read from a judge model's answer.
///
/// Judges write their conclusion in many ways; `parse(_:scale:)` accepts, ignoring case:
///
/// - a labelled verdict: `VERDICT: PASS`, `Verdict - fail`, `**Final verdict:** [[PASS]]`, `The verdict is pass`,
///   `"verdict": "fail"` (JSON), with the labels `verdict`, `decision`, `judgment`/`judgement`, `result` and
///   `outcome`, the separators `:`, `=`, `-`, `–`, `—` and `is`, and `pass`/`passed`/`passes`,
///   `fail`/`failed`/`fails`. A choice being offered (`PASS or FAIL`, `PASS/FAIL`) is not a verdict;
/// - a line holding nothing but a verdict: `PASS`, `**FAIL**`, `[[PASS]].`;
/// - a labelled score: `SCORE: 7`, `**Score:** 8/10`, `Rating: [[5]]`, `score of 6 out of 10`, `Score: 85%`,
///   `"score": 0.8`, with the labels `score`, `rating` and `grade`.
///
/// The **last** verdict and the last score in the text win (judges reason first and conclude last, and may quote
/// the rubric's own `VERDICT:` line earlier). Scores are normalised to 0…1: `x/y` and `x out of y` as x ÷ y; `x%`
/// as x ÷ 100; a number written with a decimal point between 0 and 1 (`0.8`, `1.0`) as already normalised; any
/// other number as x ÷ `scale` (the rubric's scale, 10 by default). A last score outside its range (`12/10`, `-1`,
/// `150%`) is kept in `invalidScore`, and the judge check treats it as an error.
public struct JudgeAnswer: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable {
        case pass, fail
    }

    public var verdict: Verdict?
    /// The score normalised to 0…1.
    public var score: Double?
    /// The last score as written (`8/10`, `7`, `0.8`), valid or not.
    public var scoreText: String?
    /// Set when the last score is outside its range; `score` is then nil.
    public var invalidScore: String?

    public init(verdict: Verdict? = nil, score: Double? = nil, scoreText: String? = nil, invalidScore: String? = nil) {
        self.verdict = verdict
        self.score = score
        self.scoreText = scoreText
        self.invalidScore = invalidScore
    }

    /// Characters that decorate labels and values: spaces, markdown emphasis and headings, quotes, brackets.
    private static let decoration = #"[\s*_#"'`\[\(]"#
    /// `:`, `=`, dashes, or the word `is` (or `of`, for scores).
    private static let separator = #"(?:[:=\-–—]|\bis\b)"#

    private static let labelledVerdict = compile(
        #"\b(?:verdict|decision|judge?ment|result|outcome)\b[\s*_#"'`]*"# + separator + decoration + "*"
            + #"\b(pass(?:ed|es)?|fail(?:ed|s)?)\b(?!\s*(?:or|/|\|)\s*[\[\(*_"'`]*\s*(?:pass|fail))"#
    )
    private static let bareVerdict = compile(
        #"^[\s*_#>"'`\[\(]*(pass(?:ed)?|fail(?:ed)?)[\s*_"'`\]\)\.!]*$"#,
        lines: true
    )
    private static let labelledScore = compile(
        #"\b(?:score|rating|grade)\b[\s*_#"'`]*(?:(?:[:=\-–—]|\bis\b|\bof\b)"# + decoration + "*)?"
            + #"(-?\d+(?:\.\d+)?)(?:\s*(?:/|\bout\s+of\b)\s*(\d+(?:\.\d+)?))?(\s*%)?"#
    )

    private static func compile(_ pattern: String, lines: Bool = false) -> NSRegularExpression {
        var options: NSRegularExpression.Options = [.caseInsensitive]
        if lines { options.insert(.anchorsMatchLines) }
        // The patterns are fixed and tested; a failure here is a programming error.
        return try! NSRegularExpression(pattern: pattern, options: options)
    }

    /// Reads the last verdict and the last score from `text`; `scale` is the score's maximum when the judge writes
    /// a bare number.
    public static func parse(_ text: String, scale: Double = 10) -> JudgeAnswer {
        let whole = NSRange(text.startIndex..<text.endIndex, in: text)
        var answer = JudgeAnswer()

        var verdictAt = -1
        for regex in [labelledVerdict, bareVerdict] {
            for match in regex.matches(in: text, range: whole) where match.range.location > verdictAt {
                guard let word = group(match, 1, in: text)?.lowercased() else { continue }
                verdictAt = match.range.location
                answer.verdict = word.hasPrefix("pass") ? .pass : .fail
            }
        }

        if let match = labelledScore.matches(in: text, range: whole).last,
            let numberText = group(match, 1, in: text), let number = Double(numberText)
        {
            let denominatorText = group(match, 2, in: text)
            let percent = group(match, 3, in: text) != nil
            let written = numberText + (denominatorText.map { "/" + $0 } ?? "") + (percent ? "%" : "")
            answer.scoreText = written
            let normalised: Double?
            if let denominatorText, let denominator = Double(denominatorText) {
                normalised = denominator > 0 && number >= 0 && number <= denominator ? number / denominator : nil
            } else if percent {
                normalised = number >= 0 && number <= 100 ? number / 100 : nil
            } else if numberText.contains("."), number >= 0, number <= 1 {
                normalised = number
            } else {
                normalised = scale > 0 && number >= 0 && number <= scale ? number / scale : nil
            }
            if let normalised {
                answer.score = normalised
            } else {
                answer.invalidScore = written
            }
        }
        return answer
    }

    private static func group(_ match: NSTextCheckingResult, _ index: Int, in text: String) -> String? {
        let range = match.range(at: index)
        guard range.location != NSNotFound, let swiftRange = Range(range, in: text) else { return nil }
        return String(text[swiftRange])
    }
}
