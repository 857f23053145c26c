import Foundation
import PlumbCore
import PlumbMetrics
import PlumbTestSupport
import Testing

@testable import PlumbReports

/// How a comparison renders: Markdown sized for a pull-request comment, JUnit that parses, the verdict first.
@Suite struct ComparisonRenderingTests {
    static func comparison(flips: Int, failedGate: Bool) -> Comparison {
        let side = RunSide(
            label: "base",
            runID: "r1",
            backend: BackendIdentity(kind: "builtin", name: "builtin"),
            startedAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
        var candidate = side
        candidate.label = "cand | <b>"
        let output = String(repeating: "An answer with | pipes, <tags> and **stars**. ", count: 5)
        let flipList = (0..<flips).map { index in
            Flip(
                id: "id\(index)",
                sampleID: "s\(index)",
                direction: "pass→fail",
                baselineOutcome: .pass,
                candidateOutcome: .fail,
                baselineOutput: output,
                candidateOutput: output,
                reason: "contains: missing"
            )
        }
        var gate = GateOutcome(
            gate: "pass_rate drop <= 0.02 vs baseline",
            metric: .passRate,
            tag: nil,
            min: nil,
            max: nil,
            actual: 0.5,
            passed: !failedGate,
            message: failedGate ? "drop 0.5 [0.4, 0.6]: the whole interval is above the margin 0.02" : "within"
        )
        gate.suite = "ok"
        gate.maxDrop = 0.02
        return Comparison(
            comparisonVersion: 1,
            baseline: side,
            candidate: candidate,
            changes: nil,
            suites: [
                SuiteComparison(
                    name: "ok",
                    sharedItems: flips,
                    units: flips,
                    onlyInBaseline: [],
                    onlyInCandidate: [],
                    metrics: [],
                    flips: flipList,
                    items: nil
                )
            ],
            suitesOnlyInBaseline: [],
            suitesOnlyInCandidate: [],
            gates: [gate],
            bootstrap: .standard
        )
    }

    @Test func markdownFitsAPullRequestCommentWithTheVerdictFirst() {
        let markdown = Self.comparison(flips: 5_000, failedGate: true).renderMarkdown()
        #expect(markdown.count < 65_000)
        #expect(markdown.hasPrefix("## ❌ Plumb comparison: 1 of 1 regression gate failed"))
        #expect(markdown.contains("more flipped items in the JSON comparison"))
        #expect(markdown.contains("<details><summary>Flipped items (5000)</summary>"))
        #expect(!markdown.contains("<b>") && !markdown.contains("<tags>"), "escaped")
        let held = Self.comparison(flips: 3, failedGate: false).renderMarkdown()
        #expect(held.hasPrefix("## ✅ Plumb comparison: the regression gate held"))
    }

    @Test func junitCountsTheFailedGate() {
        let junit = Self.comparison(flips: 2, failedGate: true).renderJUnit()
        #expect(junit.contains("<testsuites name=\"plumb compare base → cand | &lt;b&gt;\" tests=\"1\" failures=\"1\""))
        #expect(junit.contains("<failure type=\"regression\""))
    }

    @Test func xmlTextDropsWhatXMLCannotHold() {
        #expect(XMLText.escape("a<b>&\"'\u{1}\u{FFFE}\tz") == "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}\u{FFFD}\tz")
    }
}
