import Foundation
import PlumbCore

/// `contains-all`: passes when the output contains every one of several texts.
///
/// Parameters:
/// - `values` (array of templates, required, at least one, none empty): the texts that must all appear.
///   A single string is accepted as a one-element list.
/// - `ignoreCase` (bool, default `false`): compare case-insensitively.
public struct ContainsAllCheck: Check {
    public var values: [Template]
    public var ignoreCase: Bool

    public init(values: [Template], ignoreCase: Bool = false) {
        self.values = values
        self.ignoreCase = ignoreCase
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        let values = try parameters.requiredNonEmptyTemplates("values", "the texts that must all appear")
        self.init(values: values, ignoreCase: try parameters.bool("ignoreCase") ?? false)
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let needles: [String]
        switch TextFolding.renderNeedles(values, input.sample) {
        case .success(let rendered): needles = rendered
        case .failure(let problem): return .error(problem.reason)
        }
        let missing = needles.filter { !TextFolding.contains(input.output, $0, ignoreCase: ignoreCase) }
        if missing.isEmpty {
            return .pass("found all of \(Reason.list(needles))")
        }
        return .fail("missing \(Reason.list(missing)) in \(Reason.quote(input.output))")
    }
}
