public import Foundation
import PlumbCore
import PlumbMetrics

extension Comparison {
    /// `0.8750`, `+0.031 [-0.012, 0.074]`, `p 0.031`: the numbers every rendering shows, formatted once.
    static func value(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "–" }

    static func difference(_ difference: PairedDifference) -> String {
        guard let value = difference.value else { return "–" }
        var text = String(format: "%+.4f", value)
        if let lower = difference.lower, let upper = difference.upper {
            text += String(format: " [%+.4f, %+.4f]", lower, upper)
        }
        return text
    }

    static func p(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value < 0.0001 ? "<0.0001" : String(format: "%.4f", value)
    }

    /// The verdict in a few words: `all 2 regression gates held`, `1 of 2 regression gates failed`.
    public var headline: String {
        switch verdict {
        case .held(let gates, _):
            return gates == 0
                ? "no regression gates" : gates == 1 ? "the regression gate held" : "all \(gates) regression gates held"
        case .gatesFailed(let failed, let gates):
            return "\(failed) of \(gates) regression gate\(gates == 1 ? "" : "s") failed"
        default:
            return verdict.name
        }
    }

    /// What changed between the runs and how many items each side lacks, for the top of every rendering.
    var notes: [String] {
        var notes: [String] = []
        if let changes {
            notes.append("compared with --allow-changed although the runs differ:")
            notes += changes.map { "  " + $0 }
        }
        for (side, status) in [("baseline", baselineStatus), ("candidate", candidateStatus)] {
            guard let status else { continue }
            notes.append(
                "the \(side) run was \(status.rawValue): its items that did not run are errors, and count as not passed"
            )
        }
        if !suitesOnlyInBaseline.isEmpty {
            notes.append("suites only in the baseline (not compared): " + suitesOnlyInBaseline.joined(separator: ", "))
        }
        if !suitesOnlyInCandidate.isEmpty {
            notes.append(
                "suites only in the candidate (not compared): " + suitesOnlyInCandidate.joined(separator: ", ")
            )
        }
        for suite in suites where !suite.onlyInBaseline.isEmpty || !suite.onlyInCandidate.isEmpty {
            notes.append(
                "\(suite.name): coverage changed — \(suite.onlyInBaseline.count) items only in the baseline, "
                    + "\(suite.onlyInCandidate.count) only in the candidate (not counted as regressions)"
            )
        }
        return notes
    }

    /// The terminal summary.
    public func renderSummary() -> String {
        var text =
            "compare    baseline \(baseline.label) (\(baseline.backend)) → candidate \(candidate.label) "
            + "(\(candidate.backend))\n"
        for note in notes { text += "note       \(note)\n" }
        var table = TextTable(header: [
            "suite", "metric", "baseline", "candidate", "difference [95% CI]", "p", "p (Holm)", "change",
        ])
        table.rightAligned = [2, 3, 5, 6]
        for suite in suites {
            for metric in suite.metrics {
                table.rows.append([
                    suite.name, metric.name, Self.value(metric.baseline), Self.value(metric.candidate),
                    Self.difference(metric.difference), Self.p(metric.pValue), Self.p(metric.adjustedPValue),
                    metric.change,
                ])
            }
        }
        text += "\n" + table.render() + "\n"
        for suite in suites {
            let lost = suite.flips.filter { $0.direction == "pass→fail" }.count
            let gained = suite.flips.count - lost
            text +=
                "\nflips      \(suite.name): \(lost) pass→fail, \(gained) fail→pass over \(suite.sharedItems) shared items"
            for flip in suite.flips.prefix(10) {
                text +=
                    "\n           \(flip.direction) \(flip.sampleID) (\(flip.id)): "
                    + Self.clip(flip.baselineOutput) + "  →  " + Self.clip(flip.candidateOutput)
            }
            if suite.flips.count > 10 { text += "\n           … \(suite.flips.count - 10) more in the JSON" }
        }
        text += "\n"
        if !gates.isEmpty { text += "\n" }
        for gate in gates { text += (gate.passed ? "PASS  " : "FAIL  ") + Self.title(gate) + " (\(gate.message))\n" }
        text += "\nresult: \(headline)\n"
        return text
    }

    /// `suite: pass_rate drop <= 0.02 vs baseline`.
    static func title(_ gate: GateOutcome) -> String { (gate.suite.map { $0 + ": " } ?? "") + gate.gate }

    static func clip(_ text: String?, _ limit: Int = 60) -> String {
        guard let text else { return "(no answer)" }
        // One line, and no control characters: a model's output must not move the terminal's cursor or title.
        let line = String(
            String.UnicodeScalarView(
                text.split(whereSeparator: \.isNewline).joined(separator: " ").unicodeScalars.map { scalar in
                    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? "\u{FFFD}" : scalar
                }
            )
        )
        return "\"" + (line.count > limit ? String(line.prefix(limit - 1)) + "…" : line) + "\""
    }

    /// Markdown for a pull-request comment or a CI job summary: the verdict first, then gates, then the metrics
    /// that changed, with the rest and the flips folded; under 65,000 characters.
    public func renderMarkdown(limit: Int = 65_000) -> String {
        var lines: [String] = []
        let mark = verdict.isSuccess ? "✅" : "❌"
        lines.append("## \(mark) Plumb comparison: \(MarkdownText.text(headline))")
        lines.append("")
        lines.append(
            "Baseline **\(MarkdownText.text(baseline.label))** (\(MarkdownText.text(baseline.backend.description))) → "
                + "candidate **\(MarkdownText.text(candidate.label))** (\(MarkdownText.text(candidate.backend.description)))"
        )
        for note in notes { lines += ["", "> " + MarkdownText.text(note)] }
        if !gates.isEmpty {
            lines += ["", "| gate | result |", "|---|---|"]
            for gate in gates {
                lines.append(
                    "| \(MarkdownText.text(Self.title(gate))) | \(gate.passed ? "held" : "**failed**"): "
                        + "\(MarkdownText.text(gate.message)) |"
                )
            }
        }
        let header = [
            "", "| suite | metric | baseline | candidate | difference [95% CI] | p (Holm) | change |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        func row(_ suite: SuiteComparison, _ metric: MetricComparison) -> String {
            "| \(MarkdownText.text(suite.name)) | \(MarkdownText.text(metric.name)) | \(Self.value(metric.baseline)) | "
                + "\(Self.value(metric.candidate)) | \(Self.difference(metric.difference)) | "
                + "\(Self.p(metric.adjustedPValue)) | \(metric.change == "unchanged" ? metric.change : "**\(metric.change)**") |"
        }
        let moved = suites.flatMap { suite in suite.metrics.filter { $0.change != "unchanged" }.map { (suite, $0) } }
        lines += ["", "### Metrics that changed significantly"]
        if moved.isEmpty {
            lines += ["", "None (Holm-adjusted p below 0.05)."]
        } else {
            lines += header + moved.map { row($0.0, $0.1) }
        }
        lines += ["", "<details><summary>All metrics</summary>"]
        lines += header + suites.flatMap { suite in suite.metrics.map { row(suite, $0) } }
        lines += ["", "</details>"]
        let flips = suites.flatMap { suite in suite.flips.map { (suite.name, $0) } }
        if !flips.isEmpty {
            lines += ["", "<details><summary>Flipped items (\(flips.count))</summary>", ""]
            lines += ["| suite | item | flip | baseline output | candidate output |", "|---|---|---|---|---|"]
            var used = lines.joined(separator: "\n").count
            for (index, (suite, flip)) in flips.enumerated() {
                let line =
                    "| \(MarkdownText.text(suite)) | \(MarkdownText.text(flip.sampleID)) | \(flip.direction) | "
                    + "\(MarkdownText.text(flip.baselineOutput ?? "(no answer)", limit: 120)) | "
                    + "\(MarkdownText.text(flip.candidateOutput ?? "(no answer)", limit: 120)) |"
                if used + line.count + 200 > limit {
                    lines.append("| … | \(flips.count - index) more flipped items in the JSON comparison | | | |")
                    break
                }
                used += line.count + 1
                lines.append(line)
            }
            lines += ["", "</details>"]
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// JSON, encoded as run reports are (sorted keys, the same date format).
    public func jsonData() throws -> Data { try RunReport.jsonEncoder().encode(self) }

    /// A comparison written by ``jsonData()``.
    public static func decode(from data: Data) throws -> Comparison {
        try RunReport.jsonDecoder().decode(Comparison.self, from: data)
    }
}

extension Comparison {
    /// Several candidates against one baseline: one row per suite and metric, one column per model — the
    /// baseline's value, then each candidate's value and difference. `*` marks a difference significant after
    /// Holm's correction (within that candidate's comparison); `▲` the best and `▼` the worst value of the row where
    /// the metric has a better direction.
    public static func renderMatrix(_ comparisons: [Comparison]) -> String {
        guard let first = comparisons.first else { return "" }
        var header = ["suite", "metric", first.baseline.label]
        header += comparisons.map(\.candidate.label)
        var table = TextTable(header: header)
        table.rightAligned = Set(2..<header.count)
        for suite in first.suites {
            for metric in suite.metrics {
                let others = comparisons.map { comparison in
                    comparison.suites.first { $0.name == suite.name }?.metrics.first { $0.name == metric.name }
                }
                let values = [metric.baseline] + others.map { $0?.candidate }
                let known = values.compactMap { $0 }
                var best: Double?
                var worst: Double?
                if known.count > 1, metric.better != .neither, Set(known).count > 1 {
                    best = metric.better == .higher ? known.max() : known.min()
                    worst = metric.better == .higher ? known.min() : known.max()
                }
                func mark(_ value: Double?) -> String {
                    guard let value else { return "" }
                    return value == best ? " ▲" : value == worst ? " ▼" : ""
                }
                var row = [suite.name, metric.name, Self.value(metric.baseline) + mark(metric.baseline)]
                for other in others {
                    guard let other else {
                        row.append("–")
                        continue
                    }
                    let significant = other.change != "unchanged" ? "*" : ""
                    let delta = other.difference.value.map { String(format: " (%+.4f%@)", $0, significant) } ?? ""
                    row.append(Self.value(other.candidate) + delta + mark(other.candidate))
                }
                table.rows.append(row)
            }
        }
        var text = "compare    baseline \(first.baseline.label) against \(comparisons.count) candidates\n\n"
        text += table.render() + "\n\n* significant after Holm's correction · ▲ best · ▼ worst\n"
        for comparison in comparisons {
            text += "\n\(comparison.candidate.label): \(comparison.headline)"
            for gate in comparison.gates where !gate.passed {
                text += "\n  FAIL  \(Self.title(gate)) (\(gate.message))"
            }
        }
        return text + "\n"
    }
}

extension RunReport {
    /// The report with a comparison's regression gates added under their suites, so its verdict — and so every
    /// rendering and the exit code — includes them (`plumb run --baseline`).
    public func adding(regressionGates comparison: Comparison) -> RunReport {
        var report = self
        for index in report.suites.indices {
            report.suites[index].gates += comparison.gates.filter { $0.suite == report.suites[index].name }
        }
        return report
    }
}
