/// `not-<kind>`: passes when the wrapped check fails. Errors stay errors; scores become `1 - score`; metadata and the
/// classifier observation are kept as the wrapped check gave them.
public struct NotCheck: Check {
    public var wrapped: any Check

    public init(_ wrapped: any Check) { self.wrapped = wrapped }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let inner = try await wrapped.evaluate(input, in: context)
        var result: CheckResult
        switch inner.outcome {
        case .error: return inner
        case .pass: result = .fail("not: \(inner.reason)", score: inner.score.map { 1 - $0 })
        case .fail: result = .pass("not: \(inner.reason)", score: inner.score.map { 1 - $0 })
        }
        result.metadata = inner.metadata
        result.classifier = inner.classifier
        result.decision = inner.decision
        result.refused = inner.refused
        result.choice = inner.choice
        return result
    }
}
