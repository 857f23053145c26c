public import Foundation
public import PlumbCore
public import PlumbMetrics

/// A metric over a series of runs (nightly runs of the same suites): one point per run, and each night compared
/// with the one before by the same paired comparison `plumb compare` makes, so a night whose metric moved
/// significantly is flagged. Built by `Trend.build`; `plumb trend DIR` renders it.
public struct Trend: Sendable, Hashable, Codable {
    public struct Run: Sendable, Hashable, Codable {
        public var label: String
        public var runID: String
        public var startedAt: Date
        public var backend: BackendIdentity
    }

    public struct Point: Sendable, Hashable, Codable {
        public var value: Double?
        /// The 95% interval: Wilson's for the pass rate, a percentile bootstrap over the run's samples otherwise.
        public var lower: Double?
        public var upper: Double?
        /// Against the run before: the difference, its Holm-adjusted p-value and `better` / `worse` / `changed` /
        /// `unchanged`; `not compared` when the two runs could not be (their suite changed, or nothing in common).
        public var difference: Double?
        public var adjustedPValue: Double?
        public var change: String?
    }

    public struct Series: Sendable, Hashable, Codable {
        public var suite: String
        public var metric: String
        /// One per run, in time order; a nil point: the run lacks the suite or the metric.
        public var points: [Point?]
    }

    public var runs: [Run]
    public var series: [Series]

    /// The trend over `reports` (labelled), ordered by start time.
    public static func build(_ reports: [(report: RunReport, label: String)], bootstrap: Bootstrap = .standard)
        -> Trend
    {
        let ordered = reports.sorted { $0.report.startedAt < $1.report.startedAt }
        let runs = ordered.map {
            Run(label: $0.label, runID: $0.report.runID, startedAt: $0.report.startedAt, backend: $0.report.backend)
        }
        // Consecutive comparisons (nil when two runs cannot be compared).
        var comparisons: [Comparison?] = [nil]
        for index in ordered.indices.dropFirst() {
            comparisons.append(
                try? Comparison.compare(
                    baseline: ordered[index - 1].report,
                    candidate: ordered[index].report,
                    baselineLabel: ordered[index - 1].label,
                    candidateLabel: ordered[index].label,
                    options: Comparison.Options(bootstrap: bootstrap)
                )
            )
        }
        // Every suite and metric any run reports, in first-seen order.
        var keys: [(suite: String, metric: String, spec: GateSpec)] = []
        for (report, _) in ordered {
            for suite in report.suites {
                for spec in Comparison.metricSpecs(for: suite, baseline: suite)
                where !keys.contains(where: { $0.suite == suite.name && $0.metric == spec.qualifiedName }) {
                    keys.append((suite.name, spec.qualifiedName, spec))
                }
            }
        }
        let families = MetricFamilies.builtins
        let itemsBySuite = ordered.map { Dictionary(grouping: $0.report.items, by: \.suite) }
        // Per run and suite, the items grouped by sample in first-seen order: the units the bootstrap resamples.
        let clustersBySuite = itemsBySuite.map { suites in
            suites.mapValues { items in
                var order: [String] = []
                var bySample: [String: [ItemResult]] = [:]
                for item in items {
                    if bySample[item.sampleID] == nil { order.append(item.sampleID) }
                    bySample[item.sampleID, default: []].append(item)
                }
                return order.map { bySample[$0]! }
            }
        }
        var series: [Series] = []
        for key in keys {
            var points: [Point?] = []
            for (index, entry) in ordered.enumerated() {
                guard let suite = entry.report.suites.first(where: { $0.name == key.suite }),
                    let family = families.family(of: key.spec.metric)
                else {
                    points.append(nil)
                    continue
                }
                let items = itemsBySuite[index][key.suite] ?? []
                let results = SuiteResults(items: items, for: family)
                guard let value = family.value(of: key.spec, in: results) else {
                    points.append(nil)
                    continue
                }
                var point = Point(value: value)
                if key.spec.metric == .passRate {
                    let tally = key.spec.tag.flatMap { suite.metrics.byTag[$0] } ?? suite.metrics.overall
                    point.lower = tally.passRate.lower
                    point.upper = tally.passRate.upper
                } else {
                    // Other metrics: a percentile bootstrap over the run's samples.
                    let clusters = clustersBySuite[index][key.suite] ?? []
                    let estimate: Estimate
                    if let terms = family.ratioTerms(of: key.spec, in: results) {
                        // A ratio of sums: each sample's sums once, then resamples add them.
                        let sums = clusters.map { cluster in cluster.compactMap { terms[$0.id] }.reduce(.zero, +) }
                        estimate = bootstrap.estimate(sums) { drawn in drawn.reduce(.zero, +).ratio }
                    } else {
                        estimate = bootstrap.estimate(Array(clusters.indices)) { indices in
                            family.value(
                                of: key.spec,
                                in: SuiteResults(items: Pairing.draw(clusters, indices), for: family)
                            )
                        }
                    }
                    point.lower = estimate.lower
                    point.upper = estimate.upper
                }
                if index > 0 {
                    if let comparison = comparisons[index],
                        let metric = comparison.suites.first(where: { $0.name == key.suite })?.metrics
                            .first(where: { $0.name == key.metric })
                    {
                        point.difference = metric.difference.value
                        point.adjustedPValue = metric.adjustedPValue
                        point.change = metric.change
                    } else {
                        point.change = "not compared"
                    }
                }
                points.append(point)
            }
            if points.contains(where: { $0 != nil }) {
                series.append(Series(suite: key.suite, metric: key.metric, points: points))
            }
        }
        return Trend(runs: runs, series: series)
    }

    /// A table: one row per suite and metric, one column per run (the value and its interval); `▲`/`▼` a night whose metric moved significantly
    /// better or worse than the night before (Holm-adjusted p below 0.05), `≠` a night that could not be compared
    /// with the one before.
    public func renderSummary() -> String {
        var table = TextTable(header: ["suite", "metric"] + runs.map(\.label))
        table.rightAligned = Set(2..<(2 + runs.count))
        for line in series {
            var row = [line.suite, line.metric]
            for point in line.points {
                guard let point, let value = point.value else {
                    row.append("–")
                    continue
                }
                var cell = String(format: "%.4f", value)
                if let lower = point.lower, let upper = point.upper {
                    cell += String(format: " [%.3f–%.3f]", lower, upper)
                }
                switch point.change {
                case "better": cell += " ▲"
                case "worse": cell += " ▼"
                case "changed": cell += " Δ"
                case "not compared": cell += " ≠"
                default: break
                }
                row.append(cell)
            }
            table.rows.append(row)
        }
        var text = "trend      \(runs.count) runs, \(runs.first.map { ReportDates.format($0.startedAt) } ?? "–") to "
        text += "\(runs.last.map { ReportDates.format($0.startedAt) } ?? "–")\n\n"
        text += table.render() + "\n\n"
        text += "▲ ▼ moved significantly against the run before (paired, Holm-adjusted p < 0.05) · "
        text += "≠ not comparable with the run before (its suite changed)\n"
        return text
    }
}
