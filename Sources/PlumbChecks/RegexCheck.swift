import Foundation
import PlumbCore

/// `regex`: passes when a regular expression matches anywhere in the output.
///
/// Parameters:
/// - `pattern` (template, required): an ICU regular expression (`NSRegularExpression` syntax). A pattern without
///   placeholders is compiled when the suite loads, and an invalid one is an `invalidRegex` diagnostic at the
///   pattern. A pattern with `{{field}}` placeholders has the sample's text inserted as is (regex metacharacters
///   in the field keep their meaning) and is compiled for each sample; an invalid result is an error outcome.
///   Write `\{{` for literal `{{`.
/// - `flags` (string, default `""`): any of `i` (ignore case), `m` (`^` and `$` match at line breaks) and
///   `s` (`.` matches line breaks too).
public struct RegexCheck: RenderedParameterCheck {
    public let pattern: Template
    public let options: NSRegularExpression.Options
    /// The compiled pattern when it has no placeholders. `NSRegularExpression` is immutable and declared
    /// `Sendable` by Foundation, so one instance is shared by all evaluations.
    let compiled: NSRegularExpression?

    /// A pattern and its options; a literal pattern is compiled now and throws the compiler's problem.
    public init(pattern: Template, options: NSRegularExpression.Options = []) throws(RegexProblem) {
        self.pattern = pattern
        self.options = options
        self.compiled = pattern.isLiteral ? try RegexProblem.compile(pattern.source, options: options) : nil
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        let pattern = try parameters.requiredTemplate("pattern", "the regular expression to match")
        var options: NSRegularExpression.Options = []
        for flag in try parameters.string("flags") ?? "" {
            switch flag {
            case "i": options.insert(.caseInsensitive)
            case "m": options.insert(.anchorsMatchLines)
            case "s": options.insert(.dotMatchesLineSeparators)
            default:
                throw parameters.invalid("flags", "unknown flag '\(flag)' (use 'i', 'm' and 's')")
            }
        }
        do {
            try self.init(pattern: pattern, options: options)
        } catch {
            let position = parameters.node("pattern")?.position ?? parameters.position
            throw SuiteDiagnostic(
                .invalidRegex,
                "'pattern' of check '\(parameters.kind)' is not a valid regular expression: \(error.message)",
                at: position.in(parameters.file)
            )
        }
    }

    /// The expression for this sample: the compiled literal, or the rendered template compiled.
    public func rendered(for sample: Sample) -> Result<(NSRegularExpression, String), CheckProblem> {
        if let compiled { return .success((compiled, pattern.source)) }
        let source = pattern.render(sample)
        do {
            return .success((try RegexProblem.compile(source, options: options), source))
        } catch {
            return .failure(
                CheckProblem("pattern \(Reason.quote(source)) is not a valid regular expression: \(error.message)")
            )
        }
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let regex: NSRegularExpression
        let source: String
        switch rendered(for: input.sample) {
        case .success(let value): (regex, source) = value
        case .failure(let problem): return .error(problem.message)
        }
        let output = input.output
        let range = NSRange(output.startIndex..<output.endIndex, in: output)
        if let match = regex.firstMatch(in: output, options: [], range: range) {
            let matched = Range(match.range, in: output).map { String(output[$0]) } ?? ""
            return .pass("/\(source)/ matched \(Reason.quote(matched))")
        }
        return .fail("no match for /\(source)/ in \(Reason.quote(output))")
    }
}

/// Why a regular expression does not compile.
public struct RegexProblem: Error, Sendable, Hashable {
    public var message: String

    /// Compiles `pattern`, explaining the problem when it is invalid.
    public static func compile(
        _ pattern: String,
        options: NSRegularExpression.Options = []
    ) throws(RegexProblem) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern, options: options)
        } catch {
            throw RegexProblem(message: explain(pattern))
        }
    }

    /// `NSRegularExpression` only says "the value is invalid"; the standard library's regex parser, whose syntax
    /// is close to ICU's, says what is wrong (`expected ')'`). Fall back to a generic message when it accepts the
    /// pattern that ICU rejected.
    static func explain(_ pattern: String) -> String {
        do {
            _ = try Regex(pattern)
        } catch {
            return "\(error)"
        }
        return "ICU rejects this syntax"
    }
}
