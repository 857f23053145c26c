import Foundation
import PlumbCore

/// `contains` and `icontains`: passes when the output contains a text.
///
/// Parameters:
/// - `value` (template, required, not empty): the text to look for, e.g. `"Paris"` or `"{{answer}}"`.
/// - `ignoreCase` (bool, default `false`; `contains` only): compare case-insensitively.
///
/// `icontains` is `contains` with `ignoreCase` always on (it takes no `ignoreCase` parameter).
/// A value that renders empty for a sample is an error, since every output contains the empty text.
public struct ContainsCheck: RenderedParameterCheck {
    public var value: Template
    public var ignoreCase: Bool

    public init(value: Template, ignoreCase: Bool = false) {
        self.value = value
        self.ignoreCase = ignoreCase
    }

    /// Reads `contains` parameters, or `icontains` parameters when `caseInsensitive`.
    public init(parameters: CheckParameters, caseInsensitive: Bool = false) throws(SuiteDiagnostic) {
        let value = try parameters.requiredNonEmptyTemplate("value", "the text the output must contain")
        let ignoreCase = caseInsensitive ? true : try parameters.bool("ignoreCase") ?? false
        self.init(value: value, ignoreCase: ignoreCase)
    }

    public func rendered(for sample: Sample) -> Result<String, CheckProblem> {
        value.nonEmpty(for: sample, parameter: "value")
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let needle: String
        switch rendered(for: input.sample) {
        case .success(let value): needle = value
        case .failure(let problem): return .error(problem.message)
        }
        let found = TextFolding.contains(input.output, needle, ignoreCase: ignoreCase)
        return found
            ? .pass("found \(Reason.quote(needle))")
            : .fail("\(Reason.quote(needle)) not found in \(Reason.quote(input.output))")
    }
}

extension TextFolding {
    static func contains(_ haystack: String, _ needle: String, ignoreCase: Bool) -> Bool {
        fold(haystack, ignoreCase: ignoreCase).contains(fold(needle, ignoreCase: ignoreCase))
    }

    /// Renders each template, or returns the error result to give when one renders empty.
    static func renderNeedles(_ templates: [Template], _ sample: Sample) -> Result<[String], CheckResultError> {
        var needles: [String] = []
        for template in templates {
            let needle = template.render(sample)
            if needle.isEmpty {
                return .failure(CheckResultError("\(Reason.quote(template.source)) rendered to an empty text"))
            }
            needles.append(needle)
        }
        return .success(needles)
    }
}

/// An evaluation problem carried as a value until it becomes an `.error` result.
struct CheckResultError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
