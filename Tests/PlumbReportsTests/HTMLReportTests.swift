import PlumbMetrics
import Foundation
import PlumbCore
import Testing

@testable import PlumbReports

@Suite("HTML report")
struct HTMLReportTests {
    /// Every element the renderer may write. Anything else in a document means report text became markup.
    static let allowedTags: Set<String> = [
        "html", "head", "meta", "title", "style", "script", "body", "header", "main", "section", "footer", "h1", "h2",
        "h3", "h4", "div", "span", "strong", "dl", "dt", "dd", "code", "time", "table", "thead", "tbody", "tfoot",
        "tr", "th", "td", "ul", "li", "details", "summary", "pre", "p", "article", "fieldset", "legend", "label",
        "input", "select", "option", "button",
    ]

    /// Every attribute the renderer may write: no event handlers, no `src`, no `href`.
    static let allowedAttributes: Set<String> = [
        "lang", "charset", "name", "content", "http-equiv", "class", "id", "hidden", "open", "type", "value",
        "checked", "placeholder", "autocomplete", "spellcheck", "aria-hidden", "aria-label", "aria-live", "role",
        "scope", "datetime", "style", "data-outcome", "data-suite", "data-role", "data-verdict", "data-total",
    ]

    // MARK: (a) injection

    @Test("injection payloads in every report string come out escaped")
    func payloadsAreEscaped() throws {
        let html = ReportFixtures.hostileReport().renderHTML()
        for payload in ReportFixtures.payloads where payload.contains(where: { "<>\"'".contains($0) }) {
            #expect(!html.contains(payload), "raw payload survived: \(payload)")
            #expect(html.contains(HTML.escape(payload)), "escaped payload missing: \(payload)")
        }
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"))
        #expect(html.contains("&#39; onmouseover=&#39;x"))
        #expect(!html.contains("<img"))
        // `javascript:` is only dangerous in URL attributes, which the renderer never writes (see the allowlist
        // test); in text and data attributes it is inert.
        let urlAttribute = /(?i)(href|src|action|formaction)\s*=\s*["']?\s*javascript:/
        #expect(html.firstMatch(of: urlAttribute) == nil)
        // Control characters from the prompt were neutralised.
        #expect(!html.contains("\u{0}"))
        #expect(!html.contains("\u{1B}"))
        #expect(html.contains("nul:\u{FFFD}bell:\u{FFFD}esc:\u{FFFD}"))
    }

    @Test("the only <script> in the document is the renderer's own")
    func onlyOwnScript() throws {
        for report in [ReportFixtures.hostileReport(), ReportFixtures.sampleReport()] {
            let html = report.renderHTML()
            #expect(occurrences(of: "<script", in: html.lowercased()) == 1)
            #expect(occurrences(of: "</script", in: html.lowercased()) == 1)
            let document = try HTMLTokenizer(html)
            #expect(document.scripts.count == 1)
        }
    }

    @Test("report text creates no elements and no attributes")
    func structureIsTheRenderersOwn() throws {
        for report in [ReportFixtures.hostileReport(), ReportFixtures.sampleReport()] {
            let document = try HTMLTokenizer(report.renderHTML())
            for tag in document.tags {
                #expect(Self.allowedTags.contains(tag.name), "unexpected element <\(tag.name)>")
                for (name, value) in tag.attributes {
                    #expect(Self.allowedAttributes.contains(name), "unexpected attribute \(name) on <\(tag.name)>")
                    if name == "style" {
                        #expect(
                            value.wholeMatch(of: /(width:[0-9.]+%|left:[0-9.]+%;width:[0-9.]+%)/) != nil,
                            "style not from the renderer: \(value)"
                        )
                    }
                }
            }
            for text in document.texts {
                #expect(!text.contains(">") && !text.contains("\"") && !text.contains("'"), "unescaped text: \(text)")
            }
        }
    }

    @Test("data attributes used for filtering are escaped")
    func filterAttributesAreEscaped() throws {
        let html = ReportFixtures.hostileReport().renderHTML()
        #expect(html.contains("data-suite=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
        #expect(html.contains("data-suite=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""))
        #expect(html.contains("<option value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">"))
        #expect(html.contains("data-role=\"&#39; onmouseover=&#39;x\""))
    }

    @Test("the Content-Security-Policy pins exactly the inline script")
    func contentSecurityPolicy() throws {
        let html = ReportFixtures.sampleReport().renderHTML()
        let document = try HTMLTokenizer(html)
        let meta = try #require(document.tags.first { $0.attributes["http-equiv"] == "Content-Security-Policy" })
        let policy = try #require(meta.attributes["content"]).replacingOccurrences(of: "&#39;", with: "'")
        let script = try #require(document.scripts.first)
        let hash = Data(SHA256.hash(Array(script.utf8))).base64EncodedString()
        #expect(policy.contains("script-src 'sha256-\(hash)'"))
        #expect(policy.contains("default-src 'none'"))
        #expect(!policy.contains("unsafe-eval"))
        #expect(!policy.contains("script-src 'unsafe-inline'"))
    }

    // MARK: (b) structure and content

    @Test("failing and error items come before passing items")
    func failuresFirst() throws {
        let report = ReportFixtures.sampleReport()
        let document = try HTMLTokenizer(report.renderHTML())
        let outcomes = document.tags.filter { $0.name == "article" && !$0.isEnd }.compactMap {
            $0.attributes["data-outcome"]
        }
        #expect(outcomes.count == report.items.count)
        let firstPass = try #require(outcomes.firstIndex(of: "pass"))
        #expect(outcomes[..<firstPass].allSatisfy { $0 != "pass" })
        #expect(outcomes[firstPass...].allSatisfy { $0 == "pass" })
        #expect(outcomes == ["fail", "error", "fail", "pass", "pass", "pass", "pass", "pass"])
    }

    @Test("summary numbers, intervals, gates and header facts appear")
    func summaryContent() {
        let html = ReportFixtures.sampleReport().renderHTML()
        // Wilson intervals: 5/8 overall, 2/4 refusals, 3/4 arithmetic.
        #expect(html.contains("62.5% [30.6–86.3]"))
        #expect(html.contains("50.0% [15.0–85.0]"))
        #expect(html.contains("75.0% [30.1–95.4]"))
        #expect(html.contains("Pass rate [95% CI]"))
        #expect(html.contains("✗ 1 of 3 gates failed"))
        #expect(html.contains("<li class=\"gate gate-failed\">"))
        #expect(html.contains("pass rate for tag harmful is 50.0%, below the minimum 90.0%"))
        #expect(html.contains("builtin:reference (plumb-reference-1)"))
        #expect(html.contains("2026-11-21 20:05:15 UTC"))
        #expect(html.contains("2026-11-21 20:06:38 UTC"))
        #expect(html.contains("1m 23s"))
        #expect(html.contains("ci-runner-7 · Ubuntu 24.04.1 LTS · 4 CPUs"))
        #expect(html.contains("<span class=\"tag\">jailbreak</span>"))
        #expect(html.contains("no answer within 30 s (3 attempts)"))
        #expect(html.contains("<pre class=\"output\">\n12 × 13 = 144</pre>"))
    }

    @Test("long prompts are collapsed, short ones open")
    func longPromptsCollapse() {
        let html = ReportFixtures.sampleReport().renderHTML()
        #expect(occurrences(of: "<details class=\"block prompt\">", in: html) == 1)
        #expect(occurrences(of: "<details class=\"block prompt\" open>", in: html) == 7)
    }

    @Test("no external resources")
    func selfContained() {
        let html = ReportFixtures.sampleReport().renderHTML()
        for forbidden in ["http://", "https://", "src=", "href=", "url(", "@import", "//cdn", "<link", "<img"] {
            #expect(!html.lowercased().contains(forbidden), "found \(forbidden)")
        }
    }

    @Test("filters are hidden until the script shows them")
    func filtersNeedScript() {
        let html = ReportFixtures.sampleReport().renderHTML()
        #expect(html.contains("<div id=\"filters\" class=\"filters\" hidden>"))
        #expect(html.contains("<input type=\"checkbox\" value=\"fail\" checked>"))
        #expect(html.contains("<option value=\"arithmetic\">arithmetic</option>"))
        #expect(html.contains("<input type=\"search\" id=\"filter-search\""))
        #expect(!html.contains("<article class=\"item item-pass\" id=\"item-1\" data-outcome=\"pass\" hidden"))
    }

    @Test("output is deterministic")
    func deterministic() {
        #expect(ReportFixtures.sampleReport().renderHTML() == ReportFixtures.sampleReport().renderHTML())
        #expect(ReportFixtures.hostileReport().renderHTML() == ReportFixtures.hostileReport().renderHTML())
    }

    @Test("an empty report renders")
    func emptyReport() throws {
        let report = ReportFixtures.report(
            runID: "empty",
            backend: BackendIdentity(kind: "builtin", name: "reference"),
            host: HostInfo(name: "h", operatingSystem: "os", processorCount: 1),
            suites: [],
            items: [],
            status: .aborted
        )
        let html = report.renderHTML()
        #expect(html.contains("No suites ran."))
        #expect(html.contains("No gates were defined."))
        #expect(html.contains("⚠ aborted"))
        _ = try HTMLTokenizer(html)
    }

    @Test("an output's leading newline and blank lines survive the <pre>")
    func preservesWhitespace() {
        var report = ReportFixtures.sampleReport()
        report.items[0].output = "\n\nindented\n    code\n"
        let html = report.renderHTML()
        #expect(html.contains("<pre class=\"output\">\n\n\nindented\n    code\n</pre>"))
    }

    private func occurrences(of needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }
}

@Suite struct HTMLItemLimitTests {
    @Test func largeRunsListTheFirstItemsAndSayHowManyAreLeftOut() {
        let report = ReportFixtures.sampleReport()
        let html = report.renderHTML(itemLimit: 2)
        #expect(html.components(separatedBy: "<article class=\"item").count - 1 == 2)
        #expect(html.contains("This page lists the first 2 of \(report.items.count) items"))
        #expect(!report.renderHTML().contains("This page lists the first"))
    }
}

@Suite("HTML report: fairness")
struct HTMLFairnessTests {
    /// A pairs report whose group names, sample ids and outputs are injection payloads.
    static func hostilePairsReport() throws -> RunReport {
        let payload = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
        var items: [ItemResult] = []
        for (index, group) in ["a" + payload, "b" + payload].enumerated() {
            for value in 0..<3 {
                let positive = (value + index) % 2 == 0
                items.append(
                    ItemResult(
                        id: "i\(index)\(value)",
                        suite: "pairs",
                        sampleID: "s" + payload,
                        slot: "name",
                        group: group,
                        tuple: "s/name#\(value)/r0",
                        repeatIndex: 0,
                        tags: [],
                        request: ModelRequest(messages: []),
                        output: payload + (positive ? " yes" : " no"),
                        checks: [
                            CheckRecord(
                                name: "decision",
                                type: "decision",
                                outcome: .pass,
                                score: positive ? 1 : 0,
                                reason: payload,
                                weight: 1,
                                decision: DecisionObservation(label: positive ? "yes" : "no", positive: positive)
                            )
                        ],
                        outcome: .pass
                    )
                )
            }
        }
        let evaluation = try SuiteEvaluation(
            items: items,
            gates: [GateSpec(metric: .parityRatio, min: 0.8)],
            corrections: [],
            families: .builtins
        )
        var suite = SuiteReport(
            name: "pairs",
            description: nil,
            kind: "pairs",
            file: "pairs.suite.json5",
            contentHash: String(repeating: "0", count: 64),
            generation: GenerationParameters(),
            checks: [],
            metrics: evaluation.metrics,
            gates: evaluation.gates
        )
        suite.fairness = evaluation.fairness
        return RunReport(
            runID: "r",
            status: .completed,
            startedAt: Date(timeIntervalSince1970: 0),
            finishedAt: Date(timeIntervalSince1970: 1),
            host: HostInfo(name: "h", operatingSystem: "o", processorCount: 1),
            backend: BackendIdentity(kind: "scripted", name: "s"),
            suites: [suite],
            items: items,
            totals: Totals(items: items, suites: [suite])
        )
    }

    static let svgTags: Set<String> = ["svg", "rect", "line", "text", "caption"]
    static let svgAttributes: Set<String> = ["viewbox", "x", "y", "x1", "y1", "x2", "y2", "width", "height"]

    @Test func groupNamesAndOutputsAreEscapedAndTheChartIsTheRenderersOwn() throws {
        let report = try Self.hostilePairsReport()
        let html = report.renderHTML()
        #expect(html.contains("id=\"fairness\""))
        #expect(html.contains("<svg class=\"bars\""))
        #expect(!html.contains("<script>alert(1)"))
        #expect(!html.contains("<img src=x"))
        let document = try HTMLTokenizer(html)
        for tag in document.tags {
            #expect(
                HTMLReportTests.allowedTags.union(Self.svgTags).contains(tag.name),
                "unexpected element <\(tag.name)>"
            )
            for (name, _) in tag.attributes {
                #expect(
                    HTMLReportTests.allowedAttributes.union(Self.svgAttributes).contains(name),
                    "unexpected attribute \(name) on <\(tag.name)>"
                )
            }
        }
        #expect(document.scripts.count == 1)
    }
}
