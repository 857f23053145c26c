import Foundation
import PlumbCore

/// `starts-with`: passes when the output, ignoring leading whitespace and line breaks, starts with a text.
///
/// Parameters:
/// - `value` (template, required, not empty): the expected beginning, e.g. `"Yes"` or `"{{label}}"`.
/// - `ignoreCase` (bool, default `false`): compare case-insensitively.
public struct StartsWithCheck: SampleValidatingCheck {
    public func problem(for sample: Sample) -> CheckProblem? {
        value.render(sample).isEmpty ? CheckProblem("'value' rendered to an empty text for this sample") : nil
    }

    public var value: Template
    public var ignoreCase: Bool

    public init(value: Template, ignoreCase: Bool = false) {
        self.value = value
        self.ignoreCase = ignoreCase
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        let value = try parameters.requiredNonEmptyTemplate("value", "the text the output must start with")
        self.init(value: value, ignoreCase: try parameters.bool("ignoreCase") ?? false)
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        if let problem = problem(for: input.sample) { return .error(problem.message) }
        let prefix = value.render(input.sample)
        let output = String(TextFolding.trimmingLeadingWhitespace(input.output))
        let folded = TextFolding.fold(output, ignoreCase: ignoreCase)
        if folded.hasPrefix(TextFolding.fold(prefix, ignoreCase: ignoreCase)) {
            return .pass("starts with \(Reason.quote(prefix))")
        }
        return .fail("expected to start with \(Reason.quote(prefix)), got \(Reason.quote(output))")
    }
}
