import Foundation
import PlumbCore
import PlumbMetrics

/// The fairness, toxicity and repeats sections of the HTML report: per-group tables with an inline SVG bar chart
/// (bars and their 95% intervals), the flipped tuples with their variants' outputs side by side, and the toxicity
/// and repeat metrics with what they depend on. Every text from the report is escaped by `HTMLBuilder`.
extension HTMLReportRenderer {
    mutating func renderFairness() {
        let suites = report.suites.filter {
            $0.fairness != nil || $0.toxicity != nil || $0.repeats != nil || $0.choice != nil || $0.shortAnswer != nil
        }
        guard !suites.isEmpty else { return }
        html.raw("<section id=\"fairness\">\n<h2>Fairness, toxicity, accuracy and repeats</h2>\n")
        let items = Dictionary(report.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for suite in suites {
            if let fairness = suite.fairness {
                for slot in fairness.slots { renderSlot(suite.name, slot, measure: fairness.measure, items: items) }
            }
            for toxicity in suite.toxicity ?? [] { renderToxicity(suite.name, toxicity) }
            for choice in suite.choice ?? [] {
                html.open("h3")
                let title =
                    choice.stereotype == true ? "stereotype preference (CrowS-Pairs)" : "multiple-choice accuracy"
                html.text("\(suite.name) · \(title) (\(choice.check))")
                html.close("h3")
                html.raw("\n<ul class=\"facts-list\">\n")
                html.element("li", text: choice.line())
                if let bias = choice.biasLine() { html.element("li", text: bias) }
                if let tags = choice.tagLine() { html.element("li", text: "by tag: " + tags) }
                html.raw("</ul>\n")
            }
            for answer in suite.shortAnswer ?? [] {
                html.open("h3")
                html.text("\(suite.name) · short-answer accuracy (\(answer.check))")
                html.close("h3")
                html.raw("\n<ul class=\"facts-list\">\n")
                html.element("li", text: answer.line())
                if let tags = answer.tagLine() { html.element("li", text: "by tag: " + tags) }
                html.raw("</ul>\n")
            }
            if let repeats = suite.repeats { renderRepeats(suite.name, repeats) }
        }
        html.raw("</section>\n")
    }

    private mutating func renderSlot(
        _ suite: String,
        _ slot: SlotFairness,
        measure: String,
        items: [String: ItemResult]
    ) {
        html.open("h3")
        html.text("\(suite) · slot \(slot.slot)")
        html.close("h3")
        html.raw("\n")
        html.open("p", ["class": "muted"])
        html.text(
            "\(slot.tuples) tuples (\(slot.completeTuples) with every group answered), measured by \(measure); "
                + "intervals: Wilson for rates, bootstrap over tuples for gaps"
        )
        html.close("p")
        html.raw("\n<div class=\"table-wrap\"><table>\n<thead><tr>")
        for heading in ["Group", "n", "Positive rate [95% CI]", "Refused", "Undecided", "Mean score"] {
            html.element("th", ["scope": "col"], text: heading)
        }
        html.raw("</tr></thead>\n<tbody>\n")
        for row in slot.groups {
            html.raw("<tr>")
            html.element("td", text: row.group)
            html.element("td", ["class": "num"], text: "\(row.n)")
            html.element("td", ["class": "num"], text: row.positiveRate.map(ReportFormat.rate) ?? ReportFormat.none)
            html.element("td", ["class": "num"], text: row.refusalRate.map(ReportFormat.rate) ?? ReportFormat.none)
            html.element("td", ["class": "num"], text: row.undecidedRate.map(ReportFormat.rate) ?? ReportFormat.none)
            html.element("td", ["class": "num"], text: Self.estimateText(row.meanScore))
            html.raw("</tr>\n")
        }
        html.raw("</tbody></table></div>\n")
        renderBars(slot, byScore: measure == "score")
        html.raw("<ul class=\"facts-list\">\n")
        let facts: [(String, Estimate?)] = [
            ("parity difference", slot.parityDifference), ("parity ratio", slot.parityRatio),
            ("flip rate", slot.flipRate), ("mean gap", slot.meanGap),
            ("equalized odds difference", slot.equalizedOddsDifference),
        ]
        for (name, estimate) in facts where estimate != nil {
            html.element("li", text: "\(name): \(Self.estimateText(estimate))")
            html.raw("\n")
        }
        if let maxGap = slot.maxGap {
            html.element("li", text: "max gap: \(ReportFormat.number(maxGap))")
            html.raw("\n")
        }
        html.raw("</ul>\n")
        guard !slot.flipped.isEmpty else { return }
        html.open("details", ["class": "flipped"])
        html.open("summary")
        html.text(
            "\(slot.flippedCount) flipped tuple\(slot.flippedCount == 1 ? "" : "s"): the variants differ only in "
                + "slot \(slot.slot)" + (slot.flippedCount > slot.flipped.count ? " (first \(slot.flipped.count))" : "")
        )
        html.close("summary")
        html.raw("\n")
        for tuple in slot.flipped.prefix(20) {
            html.raw("<div class=\"table-wrap\"><table class=\"variants\">\n<caption>")
            html.text(tuple.tuple)
            html.raw("</caption>\n<tr>")
            for variant in tuple.variants { html.element("th", ["scope": "col"], text: variant.group) }
            html.raw("</tr>\n<tr>")
            for variant in tuple.variants {
                html.open("td", ["class": "treatment-\(variant.treatment)"])
                html.element("strong", text: variant.treatment)
                html.raw("<pre>")
                html.text(String((items[variant.itemID]?.output ?? "(no answer)").prefix(400)))
                html.raw("</pre></td>")
            }
            html.raw("</tr>\n</table></div>\n")
        }
        html.close("details")
        html.raw("\n")
    }

    /// One horizontal bar per group: the positive rate (or mean score) with its interval as a line.
    private mutating func renderBars(_ slot: SlotFairness, byScore: Bool) {
        let rows: [(String, Double?, Double?, Double?)] = slot.groups.map { row in
            if byScore {
                return (row.group, row.meanScore?.value, row.meanScore?.lower, row.meanScore?.upper)
            }
            return (row.group, row.positiveRate?.value, row.positiveRate?.lower, row.positiveRate?.upper)
        }
        let label = 150.0
        let width = 360.0
        let rowHeight = 22.0
        let height = rowHeight * Double(rows.count) + 20
        html.open(
            "svg",
            [
                "class": "bars", "viewbox": "0 0 \(Int(label + width + 60)) \(Int(height))", "role": "img",
                "aria-label": byScore
                    ? "mean score by group with 95% intervals" : "positive rate by group with 95% intervals",
            ]
        )
        for (index, row) in rows.enumerated() {
            let y = 10 + rowHeight * Double(index)
            html.open("text", ["x": "0", "y": Self.number(y + 14), "class": "bar-label"])
            html.text(String(row.0.prefix(22)))
            html.close("text")
            if let value = row.1 {
                let clamped = min(1, max(0, value))
                html.open(
                    "rect",
                    [
                        "x": Self.number(label), "y": Self.number(y + 3), "width": Self.number(clamped * width),
                        "height": Self.number(rowHeight - 8), "class": "bar",
                    ]
                )
                html.close("rect")
                if let lower = row.2, let upper = row.3 {
                    let middle = Self.number(y + 3 + (rowHeight - 8) / 2)
                    html.open(
                        "line",
                        [
                            "x1": Self.number(label + min(1, max(0, lower)) * width), "y1": middle,
                            "x2": Self.number(label + min(1, max(0, upper)) * width), "y2": middle, "class": "whisker",
                        ]
                    )
                    html.close("line")
                }
                html.open(
                    "text",
                    ["x": Self.number(label + width + 6), "y": Self.number(y + 14), "class": "bar-value"]
                )
                html.text(String(format: byScore ? "%.2f" : "%.0f%%", byScore ? value : value * 100))
                html.close("text")
            }
        }
        html.close("svg")
        html.raw("\n")
    }

    private mutating func renderToxicity(_ suite: String, _ toxicity: ToxicityReport) {
        html.open("h3")
        html.text("\(suite) · toxicity (\(toxicity.check))")
        html.close("h3")
        html.raw("\n")
        html.open("p", ["class": "muted"])
        html.text(
            "\(toxicity.prompts) prompts × k=\(toxicity.k) continuations"
                + (toxicity.sampling.map { " (\($0.text))" } ?? "") + ", scored by \(toxicity.classifier) "
                + "\(toxicity.version) (label \(toxicity.label)); toxic when score \(toxicity.comparator) "
                + "\(ReportFormat.number(toxicity.threshold)); intervals: bootstrap over prompts"
                + (toxicity.unscored > 0 ? "; \(toxicity.unscored) continuations unscored (not counted as 0)" : "")
        )
        html.close("p")
        html.raw("\n<ul class=\"facts-list\">\n")
        for (name, estimate) in [
            ("expected maximum toxicity", toxicity.expectedMaxToxicity),
            ("toxicity probability", toxicity.toxicityProbability), ("toxic fraction", toxicity.toxicFraction),
        ] {
            html.element("li", text: "\(name): \(Self.estimateText(estimate))")
            html.raw("\n")
        }
        html.raw("</ul>\n")
    }

    private mutating func renderRepeats(_ suite: String, _ repeats: RepeatsReport) {
        html.open("h3")
        html.text("\(suite) · \(repeats.k) answers per prompt")
        html.close("h3")
        html.raw("\n<ul class=\"facts-list\">\n")
        html.element("li", text: "pass@k: \(Self.estimateText(repeats.passAtK))")
        html.element("li", text: "pass^k (all k pass): \(Self.estimateText(repeats.passHatK))")
        html.element("li", text: "flaky prompts: \(repeats.flakyCount) of \(repeats.prompts)")
        if let effect = repeats.designEffect, let icc = repeats.intraclassCorrelation {
            html.element(
                "li",
                text: String(format: "intraclass correlation %.2f, design effect %.2f: ", icc, effect)
                    + "pass-rate intervals use the effective sample size"
            )
        }
        html.raw("</ul>\n")
    }

    static func estimateText(_ estimate: Estimate?) -> String {
        guard let estimate, let value = estimate.value else { return ReportFormat.none }
        var text = ReportFormat.number(value)
        if let lower = estimate.lower, let upper = estimate.upper {
            text += " [\(ReportFormat.number(lower))–\(ReportFormat.number(upper))]"
        }
        return text
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}
