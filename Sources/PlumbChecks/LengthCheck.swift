import Foundation
import PlumbCore

/// `length`: passes when the output's length in characters is within bounds.
///
/// Parameters (at least one of them, whole numbers ≥ 0, `min` ≤ `max`):
/// - `min` (int): the least number of characters.
/// - `max` (int): the most characters.
///
/// Characters are user-perceived characters (grapheme clusters: `é` and `👍🏽` count as one) of the output with
/// leading and trailing whitespace and line breaks removed.
public struct LengthCheck: Check {
    public var min: Int?
    public var max: Int?

    public init(min: Int? = nil, max: Int? = nil) {
        self.min = min
        self.max = max
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        let bounds = try CountBounds(parameters, unit: "characters")
        self.init(min: bounds.min, max: bounds.max)
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let bounds = CountBounds(min: min, max: max)
        let length = input.output.trimmingCharacters(in: .whitespacesAndNewlines).count
        return .verdict(
            bounds.contains(length),
            bounds.reason(for: length, singular: "character", plural: "characters")
        )
    }
}
