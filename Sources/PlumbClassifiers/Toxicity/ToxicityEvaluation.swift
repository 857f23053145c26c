import Foundation
import PlumbCore

/// A toxicity classifier's scores on labelled test sets, as `plumb classifier eval` reports them.
public struct ToxicityEvaluation: Sendable, Hashable, Codable {
    /// One test set's figures at the classifier's threshold.
    public struct SetResult: Sendable, Hashable, Codable {
        public var name: String
        public var count: Int
        public var toxic: Int
        /// Nil when the set has only one class.
        public var rocAUC: Double?
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var falsePositiveRate: Double
        public var confusion: Confusion
        public var calibration: [CalibrationBin]
    }

    /// The identity-term bias on the Wikipedia identity sets (the same comments, identity terms swapped).
    public struct IdentityBias: Sendable, Hashable, Codable {
        /// ROC AUC(nonfuzzed) − ROC AUC(fuzzed): how much ranking quality is lost when identity terms change.
        public var aucGap: Double
        /// False-positive rate(fuzzed) − false-positive rate(nonfuzzed) at the threshold: how many more
        /// non-toxic comments are flagged once identity terms are swapped in.
        public var falsePositiveRateGap: Double
    }

    public var classifier: String
    public var version: String
    public var threshold: Double
    public var sets: [SetResult]
    public var identityBias: IdentityBias?

    /// Scores each set with `classifier` and measures it at the classifier's threshold. The identity bias is
    /// filled in when sets named `wiki-nonfuzzed` and `wiki-fuzzed` are both present.
    public static func evaluate(
        _ classifier: ToxicityClassifier,
        sets: [(name: String, texts: [LabeledText])]
    ) -> ToxicityEvaluation {
        let threshold = classifier.threshold
        let results = sets.map { name, texts in
            let scores = classifier.probabilities(texts.map(\.text))
            let labels = texts.map(\.toxic)
            let confusion = ClassifierMetrics.confusion(scores: scores, labels: labels, threshold: threshold)
            return SetResult(
                name: name,
                count: texts.count,
                toxic: labels.filter { $0 }.count,
                rocAUC: ClassifierMetrics.rocAUC(scores: scores, labels: labels),
                precision: confusion.precision,
                recall: confusion.recall,
                f1: confusion.f1,
                falsePositiveRate: confusion.falsePositiveRate,
                confusion: confusion,
                calibration: ClassifierMetrics.calibration(scores: scores, labels: labels)
            )
        }
        var bias: IdentityBias?
        if let plain = results.first(where: { $0.name == "wiki-nonfuzzed" }),
            let fuzzed = results.first(where: { $0.name == "wiki-fuzzed" }),
            let plainAUC = plain.rocAUC, let fuzzedAUC = fuzzed.rocAUC
        {
            bias = IdentityBias(
                aucGap: plainAUC - fuzzedAUC,
                falsePositiveRateGap: fuzzed.falsePositiveRate - plain.falsePositiveRate
            )
        }
        return ToxicityEvaluation(
            classifier: classifier.identity.name,
            version: classifier.identity.version,
            threshold: threshold,
            sets: results,
            identityBias: bias
        )
    }

    /// The report as Markdown: a summary table, the identity bias, then a calibration table per set.
    public func markdown() -> String {
        var lines: [String] = []
        lines.append("## \(classifier) \(version), threshold \(Self.fixed(threshold, 4))")
        lines.append("")
        lines.append("| set | texts | toxic | ROC AUC | precision | recall | F1 | FPR |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for set in sets {
            let auc = set.rocAUC.map { Self.fixed($0, 4) } ?? "n/a"
            lines.append(
                "| \(set.name) | \(set.count) | \(set.toxic) | \(auc) | \(Self.fixed(set.precision, 3)) | "
                    + "\(Self.fixed(set.recall, 3)) | \(Self.fixed(set.f1, 3)) | "
                    + "\(Self.fixed(set.falsePositiveRate, 3)) |"
            )
        }
        if let identityBias {
            lines.append("")
            lines.append(
                "Identity-term bias: ROC AUC(nonfuzzed) − ROC AUC(fuzzed) = \(Self.signed(identityBias.aucGap, 4)); "
                    + "FPR(fuzzed) − FPR(nonfuzzed) = \(Self.signed(identityBias.falsePositiveRateGap, 4))."
            )
        }
        for set in sets {
            lines.append("")
            lines.append("### Calibration: \(set.name)")
            lines.append("")
            lines.append("| bin | texts | mean predicted | observed toxic |")
            lines.append("|---|---:|---:|---:|")
            for bin in set.calibration {
                let range = "\(Self.fixed(bin.lower, 1))–\(Self.fixed(bin.upper, 1))"
                let predicted = bin.meanPredicted.map { Self.fixed($0, 3) } ?? "–"
                let observed = bin.observedRate.map { Self.fixed($0, 3) } ?? "–"
                lines.append("| \(range) | \(bin.count) | \(predicted) | \(observed) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        NumberText.fixed(value, digits: digits)
    }

    static func signed(_ value: Double, _ digits: Int) -> String {
        String(format: "%+.\(digits)f", value)
    }
}
