public import Foundation
public import PlumbCore

/// Turns item results into metrics and gate outcomes. Definitions: Docs/metrics.md.
public enum Aggregation {
    public static func metrics(for results: [ItemResult]) -> SuiteMetrics {
        var byTag: [String: [ItemOutcome]] = [:]
        var byCheck: [String: [ItemOutcome]] = [:]
        var scores: [Double] = []
        for result in results {
            for tag in Set(result.tags) { byTag[tag, default: []].append(result.outcome) }
            for check in result.checks {
                let outcome: ItemOutcome =
                    switch check.outcome {
                    case .pass: .pass
                    case .fail: .fail
                    case .error: .error
                    }
                byCheck[check.name, default: []].append(outcome)
            }
            if let score = result.score, result.outcome != .error { scores.append(score) }
        }
        return SuiteMetrics(
            overall: Tally(results.map(\.outcome)),
            byTag: byTag.mapValues { Tally($0) },
            byCheck: byCheck.mapValues { Tally($0) },
            meanScore: scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count),
            cachedItems: results.filter(\.cached).count
        )
    }

    /// The value of a gate's metric, or nil when it cannot be computed (no items in scope).
    public static func value(of gate: GateSpec, in metrics: SuiteMetrics) -> Double? {
        let tally: Tally?
        if gate.metric == .checkPassRate {
            tally = gate.check.flatMap { metrics.byCheck[$0] }
        } else if let tag = gate.tag {
            tally = metrics.byTag[tag]
        } else {
            tally = metrics.overall
        }
        guard let tally else { return nil }
        switch gate.metric {
        case .passRate, .checkPassRate: return tally.passRate.value
        case .passRateLower: return tally.passRate.lower
        case .errorCount: return Double(tally.errors)
        case .errorRate: return tally.errorRate
        case .meanScore: return gate.tag == nil ? metrics.meanScore : nil
        }
    }

    public static func evaluate(_ gate: GateSpec, metrics: SuiteMetrics) -> GateOutcome {
        let actual = value(of: gate, in: metrics)
        var passed = actual != nil
        var reasons: [String] = []
        if let actual {
            if let min = gate.min, actual < min {
                passed = false
                reasons.append("\(format(actual)) is below the minimum \(format(min))")
            }
            if let max = gate.max, actual > max {
                passed = false
                reasons.append("\(format(actual)) is above the maximum \(format(max))")
            }
        }
        let message: String
        if actual == nil {
            message = "no value: no items in scope"
        } else if passed {
            message = "\(format(actual!)) is within bounds"
        } else {
            message = reasons.joined(separator: "; ")
        }
        return GateOutcome(
            gate: gate.description,
            metric: gate.metric.rawValue,
            tag: gate.tag,
            check: gate.check,
            min: gate.min,
            max: gate.max,
            actual: actual,
            passed: passed,
            message: message
        )
    }

    /// The detection rate of each classifier check named in `specs` (the share of its non-error results whose
    /// classifier score reached the threshold), corrected with Rogan–Gladen. Sensitivity and specificity come from
    /// the suite, else from the classifier's published figures (in the results' metadata); without either the
    /// corrected rate is undefined and the note says why. A threshold other than the one the figures were measured
    /// at is noted too.
    public static func corrections(_ specs: [CorrectionSpec], items: [ItemResult]) -> [CheckCorrection]? {
        guard !specs.isEmpty else { return nil }
        return specs.map { spec in
            let records = items.compactMap { item in item.checks.first { $0.name == spec.check } }
                .filter { $0.outcome != .error }
            let detected = records.filter { $0.metadata["detected"] == "true" }.count
            let observed = records.isEmpty ? 0 : Double(detected) / Double(records.count)
            let first = records.first?.metadata ?? [:]
            let sensitivity = spec.sensitivity ?? first["sensitivity"].flatMap(Double.init)
            let specificity = spec.specificity ?? first["specificity"].flatMap(Double.init)
            guard let sensitivity, let specificity else {
                return CheckCorrection(
                    check: spec.check,
                    classifier: first["classifier"],
                    rate: CorrectedRate(
                        observed: observed,
                        total: records.count,
                        corrected: nil,
                        sensitivity: spec.sensitivity,
                        specificity: spec.specificity,
                        note:
                            "undefined: the classifier publishes no sensitivity and specificity; give them in the suite"
                    )
                )
            }
            var rate = correctedRate(
                observed: observed,
                total: records.count,
                sensitivity: sensitivity,
                specificity: specificity
            )
            if spec.sensitivity == nil, let measured = first["measuredAtThreshold"], let used = first["threshold"],
                Double(measured) != Double(used)
            {
                let note =
                    "the check's threshold \(used) differs from the \(measured) the classifier's figures were measured at"
                rate.note = rate.note.map { $0 + "; " + note } ?? note
            }
            return CheckCorrection(check: spec.check, classifier: first["classifier"], rate: rate)
        }
    }

    static func format(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e12 { return String(Int(value)) }
        return String(format: "%.4g", value)
    }

    /// A report for one run of `suites`.
    public static func report(
        runID: String,
        suites: [Suite],
        results: [ItemResult],
        backend: BackendIdentity,
        status: RunStatus,
        startedAt: Date,
        finishedAt: Date,
        host: HostInfo = .current,
        shard: Shard? = nil,
        statistics: RunStatistics? = nil
    ) -> RunReport {
        var suiteReports: [SuiteReport] = []
        for suite in suites {
            let own = results.filter { $0.suite == suite.name }
            let metrics = metrics(for: own)
            var suiteReport =
                SuiteReport(
                    name: suite.name,
                    description: suite.description,
                    kind: suite.kind.rawValue,
                    file: suite.file,
                    contentHash: suite.contentHash,
                    generation: suite.generation,
                    checks: suite.checks.map { CheckSummary(name: $0.name, type: $0.type, weight: $0.weight) },
                    metrics: metrics,
                    gates: suite.gates.map { evaluate($0, metrics: metrics) },
                    source: suite.source,
                    license: suite.license
                )
            suiteReport.corrections = corrections(suite.corrections, items: own)
            suiteReports.append(suiteReport)
        }
        let gates = suiteReports.flatMap(\.gates)
        return RunReport(
            runID: runID,
            status: status,
            startedAt: ReportDates.rounded(startedAt),
            finishedAt: ReportDates.rounded(finishedAt),
            host: host,
            backend: backend,
            suites: suiteReports,
            items: results,
            totals: Totals(
                tally: Tally(results.map(\.outcome)),
                cachedItems: results.filter(\.cached).count,
                gatesPassed: gates.filter(\.passed).count,
                gatesFailed: gates.filter { !$0.passed }.count
            ),
            shard: shard,
            statistics: statistics
        )
    }
}
