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
        let gates = suites.flatMap { suite in suite.gates.map { (suite.name, $0) } }
        if !gates.isEmpty {
            text += "\n"
            for (suite, gate) in gates {
                text += "\(gate.passed ? "PASS" : "FAIL")  \(suite): \(gate.gate) (\(gate.message))\n"
            }
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
        text += "\nresult: \(headline)\n"
        return text
    }
}
