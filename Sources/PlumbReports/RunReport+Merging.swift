import Foundation
import PlumbCore

/// Why shard reports cannot be merged.
public struct MergeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension RunReport {
    /// Joins the reports of the shards of one run (`plumb run --shard i/n`) into the report of the whole run:
    /// items in plan order, metrics and gates computed again over all of them.
    ///
    /// Refuses reports of different suites (name or content hash), different backends, shards of different
    /// splits, the same shard twice, a missing shard, or an item that appears twice.
    public static func merge(_ reports: [RunReport], runID: String? = nil) throws -> RunReport {
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
        for suite in first.suites {
            let own = items.filter { $0.suite == suite.name }
            let metrics = Aggregation.metrics(for: own)
            var merged = suite
            merged.metrics = metrics
            merged.gates = suite.gates.map { outcome in
                let gate = GateSpec(
                    metric: GateMetric(rawValue: outcome.metric) ?? .passRate,
                    tag: outcome.tag,
                    check: outcome.check,
                    min: outcome.min,
                    max: outcome.max
                )
                return Aggregation.evaluate(gate, metrics: metrics)
            }
            suites.append(merged)
        }
        let gates = suites.flatMap(\.gates)
        return RunReport(
            runID: runID ?? first.runID,
            status: status,
            startedAt: reports.map(\.startedAt).min()!,
            finishedAt: reports.map(\.finishedAt).max()!,
            host: first.host,
            backend: first.backend,
            suites: suites,
            items: items,
            totals: Totals(
                tally: Tally(items.map(\.outcome)),
                cachedItems: items.filter(\.cached).count,
                gatesPassed: gates.filter(\.passed).count,
                gatesFailed: gates.filter { !$0.passed }.count
            ),
            shard: nil,
            statistics: statistics
        )
    }
}
