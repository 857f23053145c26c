import Foundation
import PlumbCore
import PlumbMetrics

extension Comparison {
    /// One self-contained page (no external asset; a Content-Security-Policy that allows only its own inline
    /// script, pinned by hash): the verdict and the regression gates first, the metrics that moved, then every
    /// metric with its difference and interval drawn inline, then the items with filters (flipped, pass→fail,
    /// fail→pass, failed, errored; by failing check; by group), a flipped item's two outputs side by side. The
    /// page opens on the flipped items (or the failed ones when none flipped) with the others hidden, so it reads
    /// without the script too; `#filter=KIND` in the address chooses another. Every text from a report goes
    /// through `HTMLBuilder`, which escapes it.
    public func renderHTML() -> String {
        var html = HTMLBuilder()
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        html.open("meta", ["http-equiv": "Content-Security-Policy", "content": Self.contentSecurityPolicy])
        html.raw("\n")
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
        let moved = suites.flatMap { suite in suite.metrics.filter { $0.change != "unchanged" }.map { (suite.name, $0) }
        }
        html.raw("<section id=\"moved\">\n<h2>Metrics that moved</h2>\n")
        if moved.isEmpty {
            html.element("p", text: "None changed significantly (Holm-adjusted p below 0.05).")
        } else {
            html.raw("<ul class=\"facts-list\">\n")
            for (suite, metric) in moved {
                html.open("li")
                html.element("span", ["class": metric.change], text: metric.change)
                html.text(
                    " \(suite) · \(metric.name): \(Self.value(metric.baseline)) → \(Self.value(metric.candidate)) "
                )
                html.text("(\(Self.difference(metric.difference)), p \(Self.p(metric.adjustedPValue))) ")
                Self.bar(
                    metric.difference,
                    scale: max(
                        1e-9,
                        [metric.difference.lower, metric.difference.upper, metric.difference.value].compactMap {
                            $0.map(abs)
                        }.max() ?? 1
                    ),
                    into: &html
                )
                html.close("li")
                html.raw("\n")
            }
            html.raw("</ul>\n")
        }
        html.raw("</section>\n")
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
        html.raw("</tbody>\n</table>\n</section>\n")
        renderItems(into: &html)
        html.raw("</main>\n<footer class=\"page-footer\">")
        html.text(
            "Generated by Plumb \(PlumbVersion.current) · comparison version \(comparisonVersion) · \(bootstrap.resamples) resamples, seed \(bootstrap.seed)"
        )
        html.raw("</footer>\n<script>")
        html.raw(Self.htmlScript)
        html.raw("</script>\n</body>\n</html>\n")
        return html.output
    }

    /// The filters' script (its hash is pinned in the page's Content-Security-Policy).
    static let htmlScript: StaticString = """
        (function () {
          var list = document.getElementById('items');
          if (!list) return;
          var kind = document.getElementById('filter-kind');
          var check = document.getElementById('filter-check');
          var group = document.getElementById('filter-group');
          var count = document.getElementById('filter-count');
          function apply() {
            var k = kind.value, c = check.value, g = group.value, shown = 0, items = list.children;
            for (var i = 0; i < items.length; i++) {
              var d = items[i].dataset;
              var ok = (k === 'all' || (' ' + d.kind + ' ').indexOf(' ' + k + ' ') >= 0) &&
                (c === '' || (' ' + d.checks + ' ').indexOf(' ' + c + ' ') >= 0) &&
                (g === '' || d.group === g);
              items[i].hidden = !ok;
              if (ok) shown++;
            }
            count.textContent = shown + ' of ' + items.length + ' items';
          }
          kind.addEventListener('change', apply);
          check.addEventListener('change', apply);
          group.addEventListener('change', apply);
          var wanted = /^#filter=([a-z-]+)$/.exec(location.hash);
          if (wanted && kind.querySelector('option[value="' + wanted[1] + '"]')) kind.value = wanted[1];
          apply();
        })();
        """

    static let contentSecurityPolicy = HTMLReportRenderer.policy(allowing: htmlScript)

    static let extraStyle: StaticString = """
        .diff svg{vertical-align:middle} .worse{color:var(--fail);font-weight:600}
        .better{color:var(--pass);font-weight:600} .side{display:grid;grid-template-columns:1fr 1fr;gap:8px}
        .side pre{white-space:pre-wrap;margin:0;padding:6px;background:var(--code-bg);border-radius:4px}
        .filters{display:flex;gap:12px;flex-wrap:wrap;align-items:center;margin:8px 0}
        ol.items{list-style:none;padding:0} ol.items li{border-bottom:1px solid var(--border);padding:4px 0}
        """

    /// The items section: filters, and one entry per shared item.
    func renderItems(into html: inout HTMLBuilder) {
        let all = suites.flatMap { suite in (suite.items ?? []).map { (suite: suite.name, item: $0) } }
        let checks = Array(Set(all.flatMap(\.item.failingChecks))).sorted()
        let groups = Array(Set(all.compactMap(\.item.group))).sorted()
        func kinds(_ item: ComparedItem) -> [String] {
            var kinds: [String] = []
            let before = item.baselineOutcome == .pass
            let after = item.candidateOutcome == .pass
            if before != after { kinds += ["flipped", before ? "pass-fail" : "fail-pass"] }
            if !after { kinds.append("failed") }
            if item.baselineOutcome == .error || item.candidateOutcome == .error { kinds.append("errored") }
            return kinds
        }
        let initial = all.contains { kinds($0.item).contains("flipped") } ? "flipped" : "failed"
        html.raw("<section id=\"items-section\">\n<h2>Items</h2>\n<div class=\"filters\">\n")
        html.raw("<label>Show <select id=\"filter-kind\">")
        for (value, label) in [
            ("flipped", "flipped"), ("pass-fail", "pass → fail"), ("fail-pass", "fail → pass"),
            ("failed", "failed in the candidate"), ("errored", "errored in either"), ("all", "all shared items"),
        ] {
            html.open("option", ["value": value, "selected": value == initial ? "" : nil])
            html.text(label)
            html.close("option")
        }
        html.raw("</select></label>\n<label>failing check <select id=\"filter-check\"><option value=\"\">any</option>")
        for (index, check) in checks.enumerated() {
            html.element("option", ["value": String(index)], text: check)
        }
        html.raw("</select></label>\n<label>group <select id=\"filter-group\"><option value=\"\">any</option>")
        for (index, group) in groups.enumerated() {
            html.element("option", ["value": String(index)], text: group)
        }
        html.raw("</select></label>\n")
        let initiallyShown = all.filter { kinds($0.item).contains(initial) }.count
        html.element("span", ["id": "filter-count", "class": "muted"], text: "\(initiallyShown) of \(all.count) items")
        html.raw("\n</div>\n<ol id=\"items\" class=\"items\">\n")
        for (suite, item) in all {
            let itemKinds = kinds(item)
            html.open(
                "li",
                [
                    "data-kind": itemKinds.joined(separator: " "),
                    "data-checks": item.failingChecks.compactMap { checks.firstIndex(of: $0).map(String.init) }
                        .joined(separator: " "),
                    "data-group": item.group.flatMap { groups.firstIndex(of: $0) }.map(String.init) ?? "",
                    "hidden": itemKinds.contains(initial) ? nil : "",
                ]
            )
            html.open("details", ["class": "item"])
            html.open("summary")
            let label =
                itemKinds.contains("pass-fail")
                ? "pass→fail" : itemKinds.contains("fail-pass") ? "fail→pass" : item.candidateOutcome.rawValue
            html.element(
                "span",
                ["class": itemKinds.contains("pass-fail") || item.candidateOutcome != .pass ? "worse" : "better"],
                text: label
            )
            html.text(" \(suite) · \(item.sampleID)" + (item.group.map { " [\($0)]" } ?? "") + " (\(item.id))")
            html.close("summary")
            if let reason = item.reason { html.element("p", ["class": "muted"], text: reason) }
            if item.baselineOutput != nil || item.candidateOutput != nil {
                html.raw("<div class=\"side\">")
                for (side, output, outcome) in [
                    ("baseline", item.baselineOutput, item.baselineOutcome),
                    ("candidate", item.candidateOutput, item.candidateOutcome),
                ] {
                    html.raw("<div>")
                    html.element("strong", text: "\(side) · \(outcome.rawValue)")
                    html.element("pre", text: output ?? "(no answer)")
                    html.raw("</div>")
                }
                html.raw("</div>")
            }
            html.close("details")
            html.close("li")
            html.raw("\n")
        }
        html.raw("</ol>\n</section>\n")
    }

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
