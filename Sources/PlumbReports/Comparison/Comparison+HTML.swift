import Foundation
import PlumbCore
import PlumbMetrics

extension Comparison {
    /// The most flipped items the HTML page lists (all are in the JSON).
    public static let htmlFlipLimit = 2_000

    /// One self-contained page (no script, no external asset; a Content-Security-Policy that allows neither): the
    /// verdict and the regression gates first, then the metrics with their difference and interval drawn inline,
    /// then the flipped items with both outputs side by side. Every text from a report goes through `HTMLBuilder`,
    /// which escapes it.
    public func renderHTML() -> String {
        var html = HTMLBuilder()
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        html.raw(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        )
        html.element("title", text: "Plumb comparison · \(baseline.label) → \(candidate.label)")
        html.raw("\n<style>")
        html.raw(HTMLReportRenderer.stylesheet)
        html.raw(Self.extraStyle)
        html.raw("</style>\n</head>\n<body>\n<header class=\"page-header\">\n<div class=\"title-row\">\n")
        html.raw("<h1>Plumb comparison</h1>\n")
        let style = verdict.isSuccess ? "held" : "failed"
        html.open("span", ["class": "verdict verdict-\(style)", "data-verdict": verdict.name])
        html.text((verdict.isSuccess ? "✓ " : "✗ ") + headline)
        html.close("span")
        html.raw("\n</div>\n<dl class=\"facts\">\n")
        for (label, side) in [("Baseline", baseline), ("Candidate", candidate)] {
            html.element("dt", text: label)
            html.element(
                "dd",
                text: "\(side.label) · \(side.backend) · run \(side.runID) · \(ReportDates.format(side.startedAt))"
            )
        }
        html.raw("</dl>\n")
        if !notes.isEmpty {
            html.raw("<ul class=\"facts-list\">\n")
            for note in notes { html.element("li", text: note) }
            html.raw("</ul>\n")
        }
        html.raw("</header>\n<main>\n")
        if !gates.isEmpty {
            html.raw(
                "<section id=\"gates\">\n<h2>Regression gates</h2>\n<table>\n<thead><tr><th>Gate</th><th>Result</th>"
            )
            html.raw("<th>Why</th></tr></thead>\n<tbody>\n")
            for gate in gates {
                html.raw("<tr>")
                html.element("td", text: Self.title(gate))
                html.element("td", ["class": gate.passed ? "better" : "worse"], text: gate.passed ? "held" : "failed")
                html.element("td", text: gate.message)
                html.raw("</tr>\n")
            }
            html.raw("</tbody>\n</table>\n</section>\n")
        }
        html.raw("<section id=\"metrics\">\n<h2>Metrics</h2>\n<table>\n<thead><tr><th>Suite</th><th>Metric</th>")
        html.raw("<th>Baseline</th><th>Candidate</th><th>Difference [95% CI]</th><th></th><th>p (Holm)</th>")
        html.raw("<th>Change</th></tr></thead>\n<tbody>\n")
        let scale = max(
            1e-9,
            suites.flatMap(\.metrics).flatMap { [$0.difference.lower, $0.difference.upper, $0.difference.value] }
                .compactMap { $0.map(abs) }.max() ?? 1
        )
        for suite in suites {
            for metric in suite.metrics {
                html.raw("<tr>")
                html.element("td", text: suite.name)
                html.element("td", text: metric.name)
                html.element("td", ["class": "num"], text: Self.value(metric.baseline))
                html.element("td", ["class": "num"], text: Self.value(metric.candidate))
                html.element("td", ["class": "num"], text: Self.difference(metric.difference))
                html.raw("<td class=\"diff\">")
                Self.bar(metric.difference, scale: scale, into: &html)
                html.raw("</td>")
                html.element("td", ["class": "num"], text: Self.p(metric.adjustedPValue))
                html.element("td", ["class": metric.change], text: metric.change)
                html.raw("</tr>\n")
            }
        }
        html.raw("</tbody>\n</table>\n</section>\n<section id=\"flips\">\n<h2>Flipped items</h2>\n")
        var shown = 0
        for suite in suites {
            html.open("h3")
            html.text(
                "\(suite.name) · \(suite.flips.filter { $0.direction == "pass→fail" }.count) pass→fail, "
                    + "\(suite.flips.filter { $0.direction == "fail→pass" }.count) fail→pass of \(suite.sharedItems) shared items"
            )
            html.close("h3")
            html.raw("\n")
            for flip in suite.flips {
                guard shown < Self.htmlFlipLimit else { break }
                shown += 1
                html.open("details", ["class": "item"])
                html.open("summary")
                html.element(
                    "span",
                    ["class": flip.direction == "pass→fail" ? "worse" : "better"],
                    text: flip.direction
                )
                html.text(" \(flip.sampleID) (\(flip.id))")
                html.close("summary")
                if let reason = flip.reason { html.element("p", ["class": "muted"], text: reason) }
                html.raw("<div class=\"side\">")
                for (label, output) in [("baseline", flip.baselineOutput), ("candidate", flip.candidateOutput)] {
                    html.raw("<div>")
                    html.element("strong", text: label)
                    html.element("pre", text: output ?? "(no answer)")
                    html.raw("</div>")
                }
                html.raw("</div>")
                html.close("details")
                html.raw("\n")
            }
        }
        if shown >= Self.htmlFlipLimit { html.element("p", text: "More flipped items are in the JSON comparison.") }
        html.raw("</section>\n</main>\n<footer class=\"page-footer\">")
        html.text(
            "Generated by Plumb \(PlumbVersion.current) · comparison version \(comparisonVersion) · \(bootstrap.resamples) resamples, seed \(bootstrap.seed)"
        )
        html.raw("</footer>\n</body>\n</html>\n")
        return html.output
    }

    static let extraStyle: StaticString = """
        .diff svg{vertical-align:middle} .worse{color:var(--fail);font-weight:600}
        .better{color:var(--pass);font-weight:600} .side{display:grid;grid-template-columns:1fr 1fr;gap:8px}
        .side pre{white-space:pre-wrap;margin:0;padding:6px;background:var(--code-bg);border-radius:4px}
        """

    /// A small SVG: zero in the middle, the interval as a line, the difference as a dot.
    static func bar(_ difference: PairedDifference, scale: Double, into html: inout HTMLBuilder) {
        guard let value = difference.value else { return }
        func x(_ v: Double) -> String { String(format: "%.1f", 60 + 55 * max(-1, min(1, v / scale))) }
        html.raw("<svg width=\"120\" height=\"14\" role=\"img\">")
        html.raw("<line x1=\"60\" y1=\"1\" x2=\"60\" y2=\"13\" stroke=\"currentColor\" stroke-opacity=\"0.4\"/>")
        if let lower = difference.lower, let upper = difference.upper {
            html.open(
                "line",
                ["x1": x(lower), "y1": "7", "x2": x(upper), "y2": "7", "stroke": "currentColor", "stroke-width": "2"]
            )
            html.close("line")
        }
        html.open("circle", ["cx": x(value), "cy": "7", "r": "3.5", "fill": "currentColor"])
        html.close("circle")
        html.raw("</svg>")
    }
}
