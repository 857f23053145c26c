public import Foundation
public import PlumbCore
import PlumbMetrics

/// A classifier on the functional tests: per functionality, how many cases it got right at its threshold (flagged
/// the hateful ones, left the others alone), on the held-out templates and on the development ones, with per-group
/// rates. Definitions: Docs/classifiers.md#functional-tests.
public struct FunctionalEvaluation: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        public var functionality: String
        public var summary: String
        public var hateful: Bool
        public var cases: Int
        public var correct: Int
        /// correct ÷ cases, with its 95% Wilson interval.
        public var accuracy: Double
        public var lower: Double
        public var upper: Double
        /// Per group (cases without a group are under "").
        public var byGroup: [String: Double]

        /// The row of one functionality's scored cases: right when flagged (probability ≥ threshold) exactly when
        /// hateful; the share right with its Wilson interval, overall and per group.
        init(
            functionality: String,
            summary: String,
            hateful: Bool,
            scored: [(group: String, hateful: Bool, probability: Double)],
            threshold: Double
        ) {
            func right(_ cases: some Sequence<(group: String, hateful: Bool, probability: Double)>) -> Int {
                cases.filter { ($0.probability >= threshold) == $0.hateful }.count
            }
            let correct = right(scored)
            let interval = Statistics.wilsonInterval(successes: correct, total: scored.count) ?? (0, 1)
            var byGroup: [String: Double] = [:]
            for group in Set(scored.map(\.group)) {
                let inGroup = scored.filter { $0.group == group }
                byGroup[group] = Double(right(inGroup)) / Double(inGroup.count)
            }
            self.functionality = functionality
            self.summary = summary
            self.hateful = hateful
            cases = scored.count
            self.correct = correct
            accuracy = scored.isEmpty ? 0 : Double(correct) / Double(scored.count)
            lower = interval.lower
            upper = interval.upper
            self.byGroup = byGroup
        }
    }

    public var classifier: String
    public var version: String
    public var threshold: Double
    /// On the held-out templates (the published figures) and on the development ones; for cases from a file, every
    /// functionality under `heldOut` and none under `development`.
    public var heldOut: [Row]
    public var development: [Row]
    /// The case file, when the cases came from one (`--cases`); nil for Plumb's functional tests.
    public var file: String?
    /// ROC AUC of hateful against not hateful over every case (reported for case files).
    public var rocAUC: Double?

    /// `probabilities`: the hateful / toxic label's probability for each of `FunctionalTests.cases`, in order.
    public static func evaluate(
        classifier: String,
        version: String,
        threshold: Double,
        probabilities: [Double]
    ) -> FunctionalEvaluation {
        let cases = FunctionalTests.cases
        func rows(_ heldOut: Bool) -> [Row] {
            FunctionalTests.functionalities.map { functionality in
                let mine = zip(cases, probabilities).filter {
                    $0.0.functionality == functionality.id && $0.0.heldOut == heldOut
                }
                return Row(
                    functionality: functionality.id,
                    summary: functionality.summary,
                    hateful: functionality.hateful,
                    scored: mine.map { (group: $0.0.group, hateful: $0.0.hateful, probability: $0.1) },
                    threshold: threshold
                )
            }
        }
        return FunctionalEvaluation(
            classifier: classifier,
            version: version,
            threshold: threshold,
            heldOut: rows(true),
            development: rows(false)
        )
    }

    /// Plumb's toxicity classifier at its own threshold.
    public static func evaluate(_ classifier: ToxicityClassifier) -> FunctionalEvaluation {
        let cases = FunctionalTests.cases
        return evaluate(
            classifier: classifier.identity.name,
            version: classifier.identity.version,
            threshold: classifier.threshold,
            probabilities: classifier.probabilities(cases.map(\.text))
        )
    }

    /// A Markdown table per split: functionality, what is expected, cases, share right with its interval, and the
    /// worst group.
    public func markdown() -> String {
        var text = "## Functional tests (\(classifier) \(version), threshold \(String(format: "%.4f", threshold)))\n"
        if let file { return text + caseFileMarkdown(file) }
        for (title, rows) in [
            ("Held-out templates (the published figures)", heldOut), ("Development templates", development),
        ] {
            text += "\n### \(title)\n\n| functionality | expected | cases | right [95% CI] | worst group |\n"
            text += "|---|---|---:|---:|---|\n"
            for row in rows {
                // The lowest share; among equal shares, the first group in FunctionalTests.groups order.
                let worst = FunctionalTests.groups.compactMap { group in
                    row.byGroup[group.name].map { (key: group.name, value: $0) }
                }
                .min { $0.value < $1.value }
                text +=
                    "| \(row.functionality) (\(row.summary)) | \(row.hateful ? "flag" : "not flag") | \(row.cases) | "
                    + String(format: "%.1f%% [%.1f–%.1f]", row.accuracy * 100, row.lower * 100, row.upper * 100)
                    + " | \(worst.map { String(format: "%@ %.0f%%", $0.key, $0.value * 100) } ?? "–") |\n"
            }
        }
        // Held out, by functionality and group: where a classifier's errors fall.
        return text + byGroupTable("Held-out templates by group (share right)", FunctionalTests.groups.map(\.name))
    }

    /// The held-out rows' share right per group, one column per group in `groups` (`–` where a row has none).
    private func byGroupTable(_ title: String, _ groups: [String]) -> String {
        var text = "\n### \(title)\n\n| functionality | "
        text +=
            groups.joined(separator: " | ") + " |\n|---|" + groups.map { _ in "---:" }.joined(separator: "|") + "|\n"
        for row in heldOut where row.byGroup.keys.contains(where: { !$0.isEmpty }) {
            text += "| \(row.functionality) | "
            text +=
                groups.map { row.byGroup[$0].map { String(format: "%.0f%%", $0 * 100) } ?? "–" }
                .joined(separator: " | ") + " |\n"
        }
        return text
    }

    /// Cases from a file: a row per functionality, the ROC AUC, and by group.
    private func caseFileMarkdown(_ file: String) -> String {
        var text =
            "\n### Cases in \(file)\n\n| functionality | expected | cases | right [95% CI] |\n|---|---|---:|---:|\n"
        for row in heldOut {
            text +=
                "| \(row.functionality) | \(row.summary == "mixed" ? "mixed" : row.hateful ? "flag" : "not flag") | "
                + "\(row.cases) | "
                + String(format: "%.1f%% [%.1f–%.1f]", row.accuracy * 100, row.lower * 100, row.upper * 100) + " |\n"
        }
        if let rocAUC { text += String(format: "\nROC AUC, hateful against not hateful: %.3f\n", rocAUC) }
        let groups = Set(heldOut.flatMap(\.byGroup.keys)).subtracting([""]).sorted()
        guard !groups.isEmpty else { return text }
        return text + byGroupTable("By group (share right)", groups)
    }
}
