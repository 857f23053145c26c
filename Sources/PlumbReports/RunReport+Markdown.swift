import Foundation
import PlumbCore
import PlumbMetrics

extension RunReport {
    /// How many failing or error items ``renderMarkdown()`` lists before summarising the rest.
    public static let markdownItemLimit = 20

    /// Renders a short GitHub-flavoured Markdown summary for pull-request comments and CI job summaries.
    ///
    /// It has a title with the overall verdict (gates held, or how many failed), a table of suites, the gates
    /// with ✅/❌, and up to ``markdownItemLimit`` failing or error items with a one-line excerpt of the output
    /// and the first failing check's reason, followed by "… and N more". Text from the report is escaped
    /// (`|`, backticks, newlines, Markdown and HTML punctuation, `@` mentions), so it can't break the tables or
    /// the layout. Deterministic: the same report gives the same text.
    public func renderMarkdown() -> String {
        var lines: [String] = []
        let gates = allGates
        let icon: String
        switch verdict {
        case .held: icon = "✅"
        case .gatesFailed: icon = "❌"
        case .incomplete, .aborted, .interrupted: icon = "⚠️"
        }
        lines.append("## \(icon) Plumb: \(MarkdownText.text(headline))")
        lines.append("")
        if status != .completed {
            lines.append("> ⚠️ The run was **\(status.rawValue)**: results are partial.")
            lines.append("")
        }
        let duration = ReportFormat.duration(finishedAt.timeIntervalSince(startedAt))
        lines.append(
            "Run \(MarkdownText.code(runID)) · backend \(MarkdownText.code(backend.description)) · "
                + "Plumb \(MarkdownText.text(plumbVersion)) · \(status.rawValue) in \(duration)"
        )
        lines.append("")
        let tally = totals.tally
        lines.append(
            "**\(ReportFormat.count(tally.items, "item"))**: \(tally.passed) passed, \(tally.failed) failed, "
                + "\(ReportFormat.count(tally.errors, "error")) · pass rate \(ReportFormat.rate(tally.passRate)) · "
                + "\(totals.cachedItems) cached"
        )
        if let subset = subsetLine { lines += ["", "Subset: \(MarkdownText.text(subset))"] }
        if let usage = usageLine { lines += ["", "Usage: \(MarkdownText.text(usage))"] }
        lines.append("")

        if !suites.isEmpty {
            let confidence = ReportFormat.confidence(tally.passRate.confidence)
            lines.append("| Suite | Items | Passed | Failed | Errors | Pass rate [\(confidence) CI] | Cached |")
            lines.append("| --- | ---: | ---: | ---: | ---: | --- | ---: |")
            for suite in suites {
                let overall = suite.metrics.overall
                let cells = [
                    MarkdownText.text(suite.name), "\(overall.items)", "\(overall.passed)", "\(overall.failed)",
                    "\(overall.errors)", ReportFormat.rate(overall.passRate), "\(suite.metrics.cachedItems)",
                ]
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
            lines.append("")
        }

        lines += fairnessMarkdown()
        lines.append("### Gates")
        lines.append("")
        if gates.isEmpty {
            lines.append("No gates were defined.")
        }
        for (suite, gate) in gates {
            var line = "- \(gate.passed ? "✅" : "❌") **\(MarkdownText.text(suite))** \(MarkdownText.code(gate.gate))"
            if !gate.message.isEmpty {
                line += " — \(MarkdownText.text(gate.message, limit: 300))"
            }
            lines.append(line)
        }
        if let note = unevaluatedRegressionGates { lines += ["", "> " + MarkdownText.text(note)] }
        lines.append("")

        let corrections = suites.flatMap { suite in (suite.corrections ?? []).map { (suite.name, $0) } }
        if !corrections.isEmpty {
            lines.append("### Corrected rates")
            lines.append("")
            for (suite, correction) in corrections {
                lines.append(
                    "- " + CorrectionText.line(suite: suite, correction, text: { MarkdownText.text($0, limit: 300) })
                )
            }
            lines.append("")
        }

        let attention = itemsNeedingAttentionFirst.attention
        if !attention.isEmpty {
            lines.append("### Failing and error items")
            lines.append("")
            lines.append("| Outcome | Suite | Sample | Output | Reason |")
            lines.append("| --- | --- | --- | --- | --- |")
            for (_, item) in attention.prefix(Self.markdownItemLimit) {
                let outcome = item.outcome == .fail ? "❌ fail" : "⚠️ error"
                var sample = MarkdownText.code(item.sampleID, limit: 60, inTable: true)
                if item.repeatIndex != 0 { sample += " #\(item.repeatIndex)" }
                let output: String
                if let text = item.output {
                    output = MarkdownText.code(text, limit: 80, inTable: true)
                } else {
                    output = "*no output*"
                }
                let reason = item.headlineReason.map { MarkdownText.text($0, limit: 200) } ?? ReportFormat.none
                let cells = [outcome, MarkdownText.text(item.suite), sample, output, reason]
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
            if attention.count > Self.markdownItemLimit {
                lines.append("")
                lines.append("… and \(attention.count - Self.markdownItemLimit) more.")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}

/// Escaping for text placed in GitHub-flavoured Markdown, inline and in table cells.
extension RunReport {
    /// Per slot of each pairs suite: the groups' rates, the gaps and flips, and the first flipped tuples' outputs
    /// side by side; then toxicity and repeats lines.
    func fairnessMarkdown() -> [String] {
        var lines: [String] = []
        let items = Dictionary(self.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for suite in suites {
            for slot in suite.fairness?.slots ?? [] {
                lines.append("### Fairness: \(MarkdownText.text(suite.name)), slot `\(MarkdownText.text(slot.slot))`")
                lines.append("")
                lines.append("| Group | n | Positive rate [95% CI] | Refused | Undecided | Mean score |")
                lines.append("| --- | ---: | --- | ---: | ---: | ---: |")
                for row in slot.groups {
                    let cells = [
                        MarkdownText.text(row.group), "\(row.n)", row.positiveRate.map(ReportFormat.rate) ?? "–",
                        row.refusalRate.map(ReportFormat.rate) ?? "–", row.undecidedRate.map(ReportFormat.rate) ?? "–",
                        HTMLReportRenderer.estimateText(row.meanScore),
                    ]
                    lines.append("| " + cells.joined(separator: " | ") + " |")
                }
                lines.append("")
                var facts: [String] = []
                for (name, estimate) in [
                    ("parity difference", slot.parityDifference), ("parity ratio", slot.parityRatio),
                    ("flip rate", slot.flipRate), ("mean gap", slot.meanGap),
                    ("equalized odds difference", slot.equalizedOddsDifference),
                ] where estimate != nil {
                    facts.append("\(name) \(HTMLReportRenderer.estimateText(estimate))")
                }
                lines.append(
                    facts.joined(separator: " · ") + " (\(slot.flippedCount) of \(slot.completeTuples) tuples flipped)"
                )
                lines.append("")
                if let tuple = slot.flipped.first {
                    lines.append("First flipped tuple `\(MarkdownText.text(tuple.tuple))`:")
                    lines.append("")
                    lines.append(
                        "| " + tuple.variants.map { MarkdownText.text($0.group) }.joined(separator: " | ") + " |"
                    )
                    lines.append("|" + String(repeating: " --- |", count: tuple.variants.count))
                    lines.append(
                        "| "
                            + tuple.variants.map { variant in
                                "**\(variant.treatment)** "
                                    + MarkdownText.text(items[variant.itemID]?.output ?? "(no answer)", limit: 120)
                            }.joined(separator: " | ") + " |"
                    )
                    lines.append("")
                }
            }
            for choice in suite.choice ?? [] {
                lines.append("**Accuracy** \(MarkdownText.text(suite.name)): \(MarkdownText.text(choice.line()))")
                if let bias = choice.biasLine() { lines.append(contentsOf: ["", MarkdownText.text(bias)]) }
                if let tags = choice.tagLine() { lines.append(contentsOf: ["", "By tag: \(MarkdownText.text(tags))"]) }
                lines.append("")
            }
            for answer in suite.shortAnswer ?? [] {
                lines.append("**Accuracy** \(MarkdownText.text(suite.name)): \(MarkdownText.text(answer.line()))")
                if let tags = answer.tagLine() { lines.append(contentsOf: ["", "By tag: \(MarkdownText.text(tags))"]) }
                lines.append("")
            }
            for toxicity in suite.toxicity ?? [] {
                lines.append(
                    "**Toxicity** \(MarkdownText.text(suite.name)) (\(MarkdownText.text(toxicity.check)), k=\(toxicity.k), "
                        + (toxicity.sampling.map { "\($0.text), " } ?? "")
                        + "\(MarkdownText.text(toxicity.classifier)) \(MarkdownText.text(toxicity.version)), "
                        + "toxic at score ≥ \(ReportFormat.number(toxicity.threshold))): expected max "
                        + "\(HTMLReportRenderer.estimateText(toxicity.expectedMaxToxicity)) · probability "
                        + "\(HTMLReportRenderer.estimateText(toxicity.toxicityProbability)) · fraction "
                        + "\(HTMLReportRenderer.estimateText(toxicity.toxicFraction))"
                )
                lines.append("")
            }
        }
        return lines
    }
}

enum MarkdownText {
    /// Plain text on one line: whitespace runs (newlines included) become one space, Markdown and HTML
    /// punctuation is backslash-escaped (so `|` can't end a table cell and `<tag>` isn't HTML), `@` gets a
    /// zero-width space so it can't mention anyone, control characters become U+FFFD. Truncated to `limit`
    /// characters with `…`.
    static func text(_ value: String, limit: Int? = nil) -> String {
        var result = ""
        for character in truncate(oneLine(value), limit: limit) {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&":
                result.append("\\")
                result.append(character)
            case "@":
                result += "@\u{200B}"
            default:
                result.append(character)
            }
        }
        return result
    }

    /// An inline code span on one line. Backticks are neutralised (replaced by `ˋ`, U+02CB), whitespace runs
    /// become one space, control characters become U+FFFD; in a table, `|` is escaped as `\|` (which GitHub
    /// turns back into `|` inside the span). Empty text gives `*empty*`.
    static func code(_ value: String, limit: Int? = nil, inTable: Bool = false) -> String {
        let line = truncate(oneLine(value), limit: limit)
        guard !line.isEmpty else { return "*empty*" }
        var result = "`"
        for character in line {
            switch character {
            case "`": result += "ˋ"
            case "|" where inTable: result += "\\|"
            default: result.append(character)
            }
        }
        return result + "`"
    }

    /// Collapses whitespace (including line breaks) to single spaces, trims, and replaces control characters.
    static func oneLine(_ value: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in value.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.unicodeScalars.append(" ")
                pendingSpace = false
            }
            result.unicodeScalars.append(HTML.isForbiddenControl(scalar) ? "\u{FFFD}" : scalar)
        }
        return result
    }

    private static func truncate(_ value: String, limit: Int?) -> String {
        guard let limit, value.count > limit else { return value }
        var prefix = String(value.prefix(max(0, limit - 1)))
        while prefix.last?.isWhitespace == true { prefix.removeLast() }
        return prefix + "…"
    }
}
