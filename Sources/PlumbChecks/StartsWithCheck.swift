import Foundation
import PlumbCore

/// `starts-with`: passes when the output, ignoring leading whitespace and line breaks, starts with a text.
///
/// Parameters:
/// - `value` (template, required, not empty): the expected beginning, e.g. `"Yes"` or `"{{label}}"`.
/// - `ignoreCase` (bool, default `false`): compare case-insensitively.
public struct StartsWithCheck: RenderedParameterCheck {
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

    public func rendered(for sample: Sample) -> Result<String, CheckProblem> {
        value.nonEmpty(for: sample, parameter: "value")
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let prefix: String
        switch rendered(for: input.sample) {
        case .success(let value): prefix = value
        case .failure(let problem): return .error(problem.message)
        }
        let output = String(TextFolding.trimmingLeadingWhitespace(input.output))
        let folded = TextFolding.fold(output, ignoreCase: ignoreCase)
        if folded.hasPrefix(TextFolding.fold(prefix, ignoreCase: ignoreCase)) {
            return .pass("starts with \(Reason.quote(prefix))")
        }
        return .fail("expected to start with \(Reason.quote(prefix)), got \(Reason.quote(output))")
    }
}
