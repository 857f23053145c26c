import Foundation
import PlumbCore
public import PlumbMetrics

/// Why shard reports cannot be merged.
public struct MergeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension RunReport {
    /// Joins the reports of the shards of one run (`plumb run --shard i/n`) into the report of the whole run:
    /// items in plan order; metrics, gates and corrections computed again over all of them by `SuiteEvaluation`
    /// from the gate and correction requests the shards recorded; the shards' common error budget applied to the
    /// whole run.
    ///
    /// Refuses reports of different suites (name or content hash), different backends, shards of different
    /// splits, the same shard twice, a missing shard, an item that appears twice, different error budgets, or a
    /// gate on a metric no family defines.
    public static func merge(
        _ reports: [RunReport],
        runID: String? = nil,
        families: MetricFamilies = .builtins
    ) throws -> RunReport {
        guard let first = reports.first else { throw MergeError(message: "no reports to merge") }
        var shardIndices: Set<Int> = []
        var count: Int?
        for (position, report) in reports.enumerated() {
            let label = "report \(position + 1) (run \(report.runID))"
            if report.backend != first.backend {
                throw MergeError(message: "\(label) is of model \(report.backend), not \(first.backend)")
            }
            let suites = report.suites.map { "\($0.name)@\($0.contentHash)" }
            if suites != first.suites.map({ "\($0.name)@\($0.contentHash)" }) {
                throw MergeError(message: "\(label) is of other suites (or other versions of them) than report 1")
            }
            guard let shard = report.shard else {
                throw MergeError(message: "\(label) is not a shard report (run with --shard I/N)")
            }
            if let count, count != shard.count {
                throw MergeError(message: "\(label) is shard \(shard) of a \(shard.count)-way split, not \(count)-way")
            }
            count = shard.count
            if report.subset != first.subset {
                throw MergeError(
                    message: "\(label) asked \(report.subset ?? "its whole suites"), report 1 "
                        + (first.subset ?? "its whole suites")
                )
            }
            if report.errorBudget != first.errorBudget {
                throw MergeError(
                    message:
                        "\(label) allowed \(report.errorBudget.map { "--max-errors \($0)" } ?? "no errors"), report 1 "
                        + (first.errorBudget.map { "--max-errors \($0)" } ?? "no errors")
                )
            }
            if !shardIndices.insert(shard.index).inserted {
                throw MergeError(message: "shard \(shard) is given twice")
            }
        }
        let missing = (1...count!).filter { !shardIndices.contains($0) }
        if !missing.isEmpty {
            throw MergeError(
                message:
                    "shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(count!)" }.joined(separator: ", ")) missing"
            )
        }
        var items: [ItemResult] = []
        var seen: Set<String> = []
        for report in reports {
            for item in report.items {
                if !seen.insert(item.id).inserted { throw MergeError(message: "item \(item.id) appears in two shards") }
                items.append(item)
            }
        }
        items.sort { ($0.index ?? .max, $0.id) < ($1.index ?? .max, $1.id) }

        var statistics = RunStatistics()
        for report in reports { if let other = report.statistics { statistics.add(other) } }
        let statuses = reports.map(\.status)
        let status: RunStatus =
            statuses.contains(.interrupted) ? .interrupted : statuses.contains(.aborted) ? .aborted : .completed

        var suites: [SuiteReport] = []
        let bySuite = Dictionary(grouping: items, by: \.suite)
        for suite in first.suites {
            let evaluation: SuiteEvaluation
            do {
                evaluation = try SuiteEvaluation(
                    items: bySuite[suite.name] ?? [],
                    gates: suite.gates.map(\.spec),
                    corrections: (suite.corrections ?? []).map(\.spec),
                    families: families
                )
            } catch {
                throw MergeError(message: "suite '\(suite.name)': \(error.message)")
            }
            var merged = suite
            merged.metrics = evaluation.metrics
            merged.gates = evaluation.gates
            merged.corrections = evaluation.corrections
            merged.fairness = evaluation.fairness
            merged.toxicity = evaluation.toxicity
            merged.choice = evaluation.choice
            merged.shortAnswer = evaluation.shortAnswer
            merged.repeats = evaluation.repeats
            suites.append(merged)
        }
        var merged = RunReport(
            runID: runID ?? first.runID,
            status: status,
            startedAt: reports.map(\.startedAt).min()!,
            finishedAt: reports.map(\.finishedAt).max()!,
            host: first.host,
            backend: first.backend,
            suites: suites,
            items: items,
            totals: Totals(items: items, suites: suites),
            shard: nil,
            statistics: statistics,
            errorBudget: first.errorBudget
        )
        merged.subset = first.subset
        if first.subset != nil { merged.subsetOf = reports.reduce(0) { $0 + ($1.subsetOf ?? 0) } }
        return merged
    }
}
