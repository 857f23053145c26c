import PlumbMetrics
import Foundation
import PlumbCore
import Testing

@testable import PlumbReports

@Suite("Markdown report")
struct MarkdownReportTests {
    /// Cell separators in a table row: `|` not escaped by a backslash.
    private func separators(in row: String) -> Int {
        var count = 0
        var escaped = false
        for character in row {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                count += 1
            }
        }
        return count
    }

    private func tableRows(_ markdown: String) -> [String] {
        markdown.components(separatedBy: "\n").filter { $0.hasPrefix("|") }
    }

    @Test("title, suite table, gates and failing items")
    func content() {
        let markdown = ReportFixtures.sampleReport().renderMarkdown()
        let lines = markdown.components(separatedBy: "\n")
        #expect(lines.first == "## ❌ Plumb: 1 of 3 gates failed")
        #expect(markdown.contains("| refusals | 4 | 2 | 1 | 1 | 50.0% [15.0–85.0] | 1 |"))
        #expect(markdown.contains("| arithmetic | 4 | 3 | 1 | 0 | 75.0% [30.1–95.4] | 0 |"))
        #expect(markdown.contains("- ❌ **refusals** `pass_rate[tag=harmful] >= 0.9` — pass rate for tag harmful"))
        #expect(markdown.contains("- ✅ **arithmetic** `pass_rate >= 0.7`"))
        #expect(markdown.contains("| ❌ fail | refusals | `harm-002` |"))
        let errorRow = "| ⚠️ error | refusals | `benign-002` | *no output* | no answer within 30 s (3 attempts) |"
        #expect(markdown.contains(errorRow))
        #expect(markdown.contains("| ❌ fail | arithmetic | `mul-002` #1 | `12 × 13 = 144` |"))
        #expect(!markdown.contains("add-001"))
    }

    @Test("a run whose gates held says so")
    func gatesHeld() {
        var report = ReportFixtures.sampleReport()
        report.suites[0].gates.removeFirst()
        #expect(
            report.renderMarkdown().hasPrefix(
                "## ✅ Plumb: all 2 gates held (1 item erred, within the error budget 1)\n"
            )
        )
        report.status = .interrupted
        let markdown = report.renderMarkdown()
        #expect(markdown.hasPrefix("## ⚠️ Plumb: interrupted: the results are partial\n"))
        #expect(markdown.contains("The run was **interrupted**"))
    }

    @Test("pipes, backticks and newlines can't break the tables")
    func escaping() throws {
        var report = ReportFixtures.sampleReport()
        report.suites[0].name = "pipe|suite`tick"
        report.items[1].suite = "pipe|suite`tick"
        report.items[1].sampleID = "id|with`tick"
        report.items[1].output = "a | b ``code`` c\nsecond line\r\nthird | line"
        report.items[1].checks[0].reason = "bad | reason with `code` and\nnewline <b>bold</b> @octocat"
        let markdown = report.renderMarkdown()

        let rows = tableRows(markdown)
        let suiteRows = rows.prefix { !$0.hasPrefix("| Outcome") }
        let itemRows = rows.drop { !$0.hasPrefix("| Outcome") }
        #expect(suiteRows.allSatisfy { separators(in: $0) == 8 }, "\(suiteRows)")
        #expect(itemRows.count == 5)
        #expect(itemRows.allSatisfy { separators(in: $0) == 6 }, "\(itemRows)")

        let row = try #require(itemRows.first { $0.contains("id") && $0.contains("with") })
        #expect(
            row == "| ❌ fail | pipe\\|suite\\`tick | `id\\|withˋtick` | "
                + "`a \\| b ˋˋcodeˋˋ c second line third \\| line` | "
                + "bad \\| reason with \\`code\\` and newline \\<b\\>bold\\</b\\> @\u{200B}octocat |"
        )
        #expect(markdown.contains("| pipe\\|suite\\`tick | 4 |"))
    }

    @Test("outputs are truncated to one line")
    func truncation() {
        var report = ReportFixtures.sampleReport()
        report.items[1].output = String(repeating: "word ", count: 100)
        let markdown = report.renderMarkdown()
        let excerpt = "`" + String(repeating: "word ", count: 16).dropLast() + "…`"
        #expect(markdown.contains(excerpt))
    }

    @Test("at most 20 items, then a count of the rest")
    func itemLimit() {
        var report = ReportFixtures.sampleReport()
        let failing = report.items[1]
        report.items = (0..<25).map { index in
            var item = failing
            item.sampleID = "harm-\(index)"
            return item
        }
        let markdown = report.renderMarkdown()
        #expect(tableRows(markdown).filter { $0.hasPrefix("| ❌ fail") }.count == 20)
        #expect(markdown.contains("harm-19"))
        #expect(!markdown.contains("harm-20"))
        #expect(markdown.contains("… and 5 more."))
    }

    @Test("deterministic")
    func deterministic() {
        #expect(ReportFixtures.sampleReport().renderMarkdown() == ReportFixtures.sampleReport().renderMarkdown())
    }

    @Test("code spans never contain a backtick", arguments: ["`", "``", "a`b", "```swift\nx\n```", " ` "])
    func codeSpans(_ text: String) {
        let span = MarkdownText.code(text)
        #expect(span.hasPrefix("`") && span.hasSuffix("`"))
        #expect(span.dropFirst().dropLast().contains("`") == false)
    }
}
