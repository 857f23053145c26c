public import PlumbCore

/// Runs a suite's checks on one answer and decides the item's outcome.
public enum Scorer {
    /// Checks run in the order the suite lists them. A check that throws is an `.error` result.
    /// The item is an error if any check errored; otherwise the suite's scoring rule decides pass or fail.
    public static func score(
        item: EvalItem,
        sample: Sample,
        response: ModelResponse,
        suite: Suite
    ) async -> (checks: [CheckRecord], outcome: ItemOutcome, score: Double?) {
        let input = CheckInput(sample: sample, request: item.request, response: response, repeatIndex: item.repeatIndex)
        var records: [CheckRecord] = []
        for binding in suite.checks {
            let context = CheckContext(suiteName: suite.name, location: binding.location)
            let result: CheckResult
            do {
                result = try await binding.check.evaluate(input, in: context)
            } catch {
                result = .error("check failed: \(error)")
            }
            records.append(CheckRecord(name: binding.name, type: binding.type, weight: binding.weight, result: result))
        }
        let score = weightedScore(records)
        if records.contains(where: { $0.outcome == .error }) { return (records, .error, score) }
        let passed: Bool
        switch suite.scoring {
        case .all: passed = records.allSatisfy { $0.outcome == .pass }
        case .any: passed = records.contains { $0.outcome == .pass }
        case .weighted(let threshold): passed = (score ?? 0) >= threshold
        }
        return (records, passed ? .pass : .fail, score)
    }

    /// The weighted mean of the checks' scores (a check without a score counts 1 for pass, 0 for fail).
    /// Nil when the weights add up to zero.
    public static func weightedScore(_ records: [CheckRecord]) -> Double? {
        var total = 0.0
        var weights = 0.0
        for record in records {
            guard record.outcome != .error else { continue }
            let score = record.score ?? (record.outcome == .pass ? 1 : 0)
            total += score * record.weight
            weights += record.weight
        }
        return weights > 0 ? total / weights : nil
    }
}
