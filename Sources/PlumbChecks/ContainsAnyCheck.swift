import Foundation
import PlumbCore

/// `contains-any`: passes when the output contains at least one of several texts.
///
/// Parameters:
/// - `values` (array of templates, required, at least one, none empty): the texts to look for.
///   A single string is accepted as a one-element list.
/// - `ignoreCase` (bool, default `false`): compare case-insensitively.
public struct ContainsAnyCheck: Check {
    public var values: [Template]
    public var ignoreCase: Bool

    public init(values: [Template], ignoreCase: Bool = false) {
        self.values = values
        self.ignoreCase = ignoreCase
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        let values = try parameters.requiredNonEmptyTemplates("values", "the texts of which one must appear")
        self.init(values: values, ignoreCase: try parameters.bool("ignoreCase") ?? false)
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let needles: [String]
        switch TextFolding.renderNeedles(values, input.sample) {
        case .success(let rendered): needles = rendered
        case .failure(let problem): return .error(problem.reason)
        }
        if let found = needles.first(where: { TextFolding.contains(input.output, $0, ignoreCase: ignoreCase) }) {
            return .pass("found \(Reason.quote(found))")
        }
        return .fail("none of \(Reason.list(needles)) found in \(Reason.quote(input.output))")
    }
}
