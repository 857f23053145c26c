public import Foundation
public import PlumbCore
public import PlumbMetrics

extension RunReport {
    /// The report of one run of `suites`: each suite's metrics, gates and corrections computed from `results`
    /// by `SuiteEvaluation`, the same computation `merge` repeats.
    ///
    /// - Throws: `MetricError` when a gate names a metric no family in `families` defines.
    public static func assemble(
        runID: String,
        suites: [Suite],
        results: [ItemResult],
        backend: BackendIdentity,
        status: RunStatus,
        startedAt: Date,
        finishedAt: Date,
        host: HostInfo = .current,
        shard: Shard? = nil,
        statistics: RunStatistics? = nil,
        errorBudget: ErrorBudget? = nil,
        families: MetricFamilies = .builtins
    ) throws(MetricError) -> RunReport {
        let bySuite = Dictionary(grouping: results, by: \.suite)
        var suiteReports: [SuiteReport] = []
        for suite in suites {
            let evaluation = try SuiteEvaluation(
                items: bySuite[suite.name] ?? [],
                gates: suite.gates,
                corrections: suite.corrections,
                families: families
            )
            var suiteReport =
                SuiteReport(
                    name: suite.name,
                    description: suite.description,
                    kind: suite.kind.rawValue,
                    file: suite.file,
                    contentHash: suite.contentHash,
                    generation: suite.generation,
                    checks: suite.checks.map {
                        CheckSummary(name: $0.name, type: $0.type, weight: $0.weight, parameters: $0.parameters)
                    },
                    scoring: suite.scoring.description,
                    metrics: evaluation.metrics,
                    gates: evaluation.gates,
                    corrections: evaluation.corrections,
                    source: suite.source,
                    license: suite.license
                )
            suiteReport.fairness = evaluation.fairness
            suiteReport.toxicity = evaluation.toxicity
            suiteReport.choice = evaluation.choice
            suiteReport.shortAnswer = evaluation.shortAnswer
            suiteReport.repeats = evaluation.repeats
            let regression = suite.gates.compactMap { gate -> GateSpec? in
                var spec = gate.regression
                spec?.location = nil
                return spec
            }
            suiteReport.regressionGates = regression.isEmpty ? nil : regression
            suiteReports.append(suiteReport)
        }
        return RunReport(
            runID: runID,
            status: status,
            startedAt: ReportDates.rounded(startedAt),
            finishedAt: ReportDates.rounded(finishedAt),
            host: host,
            backend: backend,
            suites: suiteReports,
            items: results,
            totals: Totals(items: results, suites: suiteReports),
            shard: shard,
            statistics: statistics,
            errorBudget: errorBudget
        )
    }
}

extension Totals {
    /// The totals of `items` and of the gates of `suites`.
    public init(items: [ItemResult], suites: [SuiteReport]) {
        let gates = suites.flatMap(\.gates)
        self.init(
            tally: Tally(items.map(\.outcome)),
            cachedItems: items.filter(\.cached).count,
            gatesPassed: gates.filter(\.passed).count,
            gatesFailed: gates.filter { !$0.passed }.count
        )
        // Tokens of the answers this run paid for: cached answers were paid for by another run.
        let usages = items.filter { !$0.cached }.compactMap(\.usage)
        if !usages.isEmpty {
            promptTokens = usages.reduce(0) { $0 + $1.promptTokens }
            completionTokens = usages.reduce(0) { $0 + $1.completionTokens }
        }
        let latencies = items.compactMap(\.latency).sorted()
        latencyP50 = Self.nearestRank(latencies, 0.5)
        latencyP95 = Self.nearestRank(latencies, 0.95)
    }

    /// The nearest-rank percentile: the value at rank ⌈p·n⌉ of the sorted values; nil for none.
    static func nearestRank(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = max(1, Int((p * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }
}
