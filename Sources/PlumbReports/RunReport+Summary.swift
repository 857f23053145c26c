import Foundation
import PlumbCore
import PlumbMetrics

extension RunReport {
    /// The short summary `plumb run`, `plumb merge` and `plumb report --format table` print on stdout: a table of
    /// suites, every gate with PASS/FAIL, corrected rates, and the verdict's headline on the last line.
    public func renderSummary() -> String {
        func percent(_ value: Double?) -> String {
            guard let value else { return "–" }
            return String(format: "%.1f%%", value * 100)
        }
        var table = TextTable(header: ["suite", "items", "pass", "fail", "error", "pass rate", "95% CI", "gates"])
        table.rightAligned = [1, 2, 3, 4, 5]
        for suite in suites {
            let tally = suite.metrics.overall
            let held = suite.gates.filter(\.passed).count
            table.rows.append([
                suite.name,
                String(tally.items),
                String(tally.passed),
                String(tally.failed),
                String(tally.errors),
                percent(tally.passRate.value),
                "[\(percent(tally.passRate.lower)), \(percent(tally.passRate.upper))]",
                suite.gates.isEmpty ? "–" : "\(held)/\(suite.gates.count) held",
            ])
        }
        var text = table.render() + "\n"
        if let subset = subsetLine { text += "subset: \(subset)\n" }
        if let usage = usageLine { text += "usage: \(usage)\n" }
        let gates = suites.flatMap { suite in suite.gates.map { (suite.name, $0) } }
        if !gates.isEmpty {
            text += "\n"
            for (suite, gate) in gates {
                text += "\(gate.passed ? "PASS" : "FAIL")  \(suite): \(gate.gate) (\(gate.message))\n"
            }
        }
        if let note = unevaluatedRegressionGates { text += "note  \(note)\n" }
        for suite in suites where suite.gates.isEmpty {
            text +=
                "note  \(suite.name): no gates, so its pass rate (\(percent(suite.metrics.overall.passRate.value))) does "
                + "not change the exit code; add gates to judge it (Docs/suite-format.md#gates)\n"
        }
        for suite in suites {
            for correction in suite.corrections ?? [] {
                let rate = correction.rate
                var line = "corrected  \(suite.name): \(correction.check) detected \(percent(rate.observed))"
                if let corrected = rate.corrected {
                    line += " → \(percent(corrected)) corrected (\(rate.method)"
                    if let sensitivity = rate.sensitivity, let specificity = rate.specificity {
                        line += String(format: ", sensitivity %.3f, specificity %.3f", sensitivity, specificity)
                    }
                    line += ")"
                }
                if let note = rate.note { line += "; \(note)" }
                text += line + "\n"
            }
        }
        for suite in suites {
            text += Self.fairnessText(suite)
            for toxicity in suite.toxicity ?? [] {
                text +=
                    "toxicity   \(suite.name): \(toxicity.check) over \(toxicity.prompts) prompts × k=\(toxicity.k) "
                    + "(\(toxicity.classifier) \(toxicity.version), toxic at score \(toxicity.comparator) "
                    + "\(NumberText.short(toxicity.threshold))"
                    + (toxicity.sampling.map { "; \($0.text)" } ?? "") + "): expected max "
                    + "\(Self.estimate(toxicity.expectedMaxToxicity)), "
                    + "probability \(Self.estimate(toxicity.toxicityProbability)), fraction "
                    + "\(Self.estimate(toxicity.toxicFraction))"
                    + (toxicity.unscored > 0 ? ", \(toxicity.unscored) unscored" : "") + "\n"
            }
            for choice in suite.choice ?? [] {
                text += "accuracy   \(suite.name): \(choice.line())\n"
                if let bias = choice.biasLine() { text += "           \(bias)\n" }
                if let tags = choice.tagLine() { text += "           by tag: \(tags)\n" }
            }
            for answer in suite.shortAnswer ?? [] {
                text += "accuracy   \(suite.name): \(answer.line())\n"
                if let tags = answer.tagLine() { text += "           by tag: \(tags)\n" }
            }
            if let repeats = suite.repeats {
                text +=
                    "repeats    \(suite.name): k=\(repeats.k), pass@k \(Self.estimate(repeats.passAtK)), pass^k "
                    + "\(Self.estimate(repeats.passHatK)), \(repeats.flakyCount) of \(repeats.prompts) prompts flaky"
                    + (repeats.designEffect.map { String(format: "; design effect %.2f", $0) } ?? "") + "\n"
            }
        }
        text += "\nresult: \(headline)\n"
        return text
    }

    /// Requests, tokens and latency percentiles, as far as the run recorded them; nil when it recorded none.
    var usageLine: String? {
        var parts: [String] = []
        if let statistics { parts.append("\(statistics.requests) request\(statistics.requests == 1 ? "" : "s")") }
        if let prompt = totals.promptTokens, let completion = totals.completionTokens {
            parts.append("\(prompt) prompt + \(completion) completion tokens")
        }
        if let p50 = totals.latencyP50, let p95 = totals.latencyP95 {
            parts.append(String(format: "latency p50 %.3f s, p95 %.3f s", p50, p95))
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// `0.42 [0.31, 0.55]`, or `–`.
    static func estimate(_ estimate: Estimate?) -> String {
        guard let estimate, let value = estimate.value else { return "–" }
        var text = String(format: "%.3f", value)
        if let lower = estimate.lower, let upper = estimate.upper {
            text += String(format: " [%.3f, %.3f]", lower, upper)
        }
        return text
    }

    /// Per slot of a pairs suite: a table of groups, then the gaps and flips.
    static func fairnessText(_ suite: SuiteReport) -> String {
        guard let fairness = suite.fairness else { return "" }
        func percent(_ rate: Rate?) -> String {
            guard let rate, let value = rate.value else { return "–" }
            return String(format: "%.1f%%", value * 100)
        }
        var text = ""
        for slot in fairness.slots {
            text +=
                "\nfairness   \(suite.name), slot '\(slot.slot)' (\(slot.tuples) tuples, measured by \(fairness.measure)):\n"
            var table = TextTable(header: ["group", "n", "positive", "95% CI", "refused", "undecided", "mean score"])
            table.rightAligned = [1, 2, 4, 5, 6]
            for row in slot.groups {
                let interval = row.positiveRate.flatMap { rate in
                    rate.lower.flatMap { lower in
                        rate.upper.map { String(format: "[%.1f%%, %.1f%%]", lower * 100, $0 * 100) }
                    }
                }
                table.rows.append([
                    row.group, String(row.n), percent(row.positiveRate), interval ?? "–", percent(row.refusalRate),
                    percent(row.undecidedRate), row.meanScore?.value.map { String(format: "%.3f", $0) } ?? "–",
                ])
            }
            text += table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
            var facts: [String] = []
            if slot.parityDifference != nil { facts.append("parity difference \(estimate(slot.parityDifference))") }
            if slot.parityRatio != nil { facts.append("parity ratio \(estimate(slot.parityRatio))") }
            if slot.flipRate != nil {
                facts.append(
                    "flip rate \(estimate(slot.flipRate)) (\(slot.flippedCount) of \(slot.completeTuples) tuples)"
                )
            }
            if slot.meanGap != nil { facts.append("mean gap \(estimate(slot.meanGap))") }
            if let maxGap = slot.maxGap { facts.append(String(format: "max gap %.3f", maxGap)) }
            if slot.equalizedOddsDifference != nil {
                facts.append("equalized odds difference \(estimate(slot.equalizedOddsDifference))")
            }
            text += "  " + facts.joined(separator: "; ") + "\n"
        }
        return text
    }
}

extension RunReport {
    /// A note when suites declare regression gates (`maxDrop`) that this run did not evaluate (no baseline), or nil.
    var unevaluatedRegressionGates: String? {
        let declared = suites.reduce(0) { $0 + ($1.regressionGates?.count ?? 0) }
        let evaluated = suites.reduce(0) { $0 + $1.gates.filter { $0.maxDrop != nil }.count }
        guard declared > 0, evaluated == 0 else { return nil }
        return "\(declared) regression gate\(declared == 1 ? "" : "s") (maxDrop) not evaluated: they need a baseline "
            + "(plumb run ... --baseline FILE|NAME, or plumb compare)"
    }
}
