/// Evaluation metrics for a binary classifier's scores.
public enum ClassifierMetrics {
    /// The exact area under the ROC curve: the probability that a random positive scores above a random negative,
    /// counting ties as one half. Computed from the Mann–Whitney rank statistic with tied scores given their
    /// average rank: `(R₊ − n₊(n₊ + 1)/2) / (n₊ n₋)`. Nil when either class is absent.
    public static func rocAUC(scores: [Double], labels: [Bool]) -> Double? {
        precondition(scores.count == labels.count)
        let positives = labels.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var positiveRankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            // Ranks start + 1 … end + 1 share their average.
            let averageRank = Double(start + end + 2) / 2
            for k in start...end where labels[order[k]] { positiveRankSum += averageRank }
            start = end + 1
        }
        let p = Double(positives)
        return (positiveRankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// Counts at a threshold: a score at or above `threshold` is a positive prediction.
    public static func confusion(scores: [Double], labels: [Bool], threshold: Double) -> Confusion {
        var confusion = Confusion()
        for (score, label) in zip(scores, labels) {
            switch (score >= threshold, label) {
            case (true, true): confusion.truePositives += 1
            case (true, false): confusion.falsePositives += 1
            case (false, true): confusion.falseNegatives += 1
            case (false, false): confusion.trueNegatives += 1
            }
        }
        return confusion
    }

    /// `bins` equal-width bins of the predicted score over [0, 1] (a score of 1 goes in the last): per bin the
    /// number of texts, their mean score and the fraction that are positive. Empty bins are included.
    public static func calibration(scores: [Double], labels: [Bool], bins: Int = 10) -> [CalibrationBin] {
        var counts = [Int](repeating: 0, count: bins)
        var scoreSums = [Double](repeating: 0, count: bins)
        var positives = [Int](repeating: 0, count: bins)
        for (score, label) in zip(scores, labels) {
            let bin = min(bins - 1, max(0, Int(score * Double(bins))))
            counts[bin] += 1
            scoreSums[bin] += score
            if label { positives[bin] += 1 }
        }
        return (0..<bins).map { bin in
            CalibrationBin(
                lower: Double(bin) / Double(bins),
                upper: Double(bin + 1) / Double(bins),
                count: counts[bin],
                meanPredicted: counts[bin] > 0 ? scoreSums[bin] / Double(counts[bin]) : nil,
                observedRate: counts[bin] > 0 ? Double(positives[bin]) / Double(counts[bin]) : nil
            )
        }
    }

    /// The threshold (one of the scores) that maximises weighted F1; ties go to the higher threshold.
    public static func bestF1Threshold(scores: [Double], labels: [Bool], weights: [Double]) -> (
        threshold: Double, f1: Double
    ) {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let totalPositive = zip(labels, weights).reduce(0.0) { $0 + ($1.0 ? $1.1 : 0) }
        var truePositive = 0.0
        var predicted = 0.0
        var best = (threshold: 1.0, f1: 0.0)
        var k = 0
        while k < order.count {
            let score = scores[order[k]]
            while k < order.count && scores[order[k]] == score {
                predicted += weights[order[k]]
                if labels[order[k]] { truePositive += weights[order[k]] }
                k += 1
            }
            let f1 = predicted + totalPositive > 0 ? 2 * truePositive / (predicted + totalPositive) : 0
            if f1 > best.f1 { best = (score, f1) }
        }
        return best
    }
}

/// True and false positives and negatives at one threshold.
public struct Confusion: Sendable, Hashable, Codable {
    public var truePositives = 0
    public var falsePositives = 0
    public var trueNegatives = 0
    public var falseNegatives = 0

    public init() {}

    /// Counts one call: `predicted` positive or not, against the `actual` label.
    public mutating func add(predicted: Bool, actual: Bool) {
        switch (predicted, actual) {
        case (true, true): truePositives += 1
        case (true, false): falsePositives += 1
        case (false, false): trueNegatives += 1
        case (false, true): falseNegatives += 1
        }
    }

    /// TP / (TP + FP); 0 when nothing is predicted positive.
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    /// TP / (TP + FN), also called sensitivity; 0 when there are no positives.
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    /// TN / (TN + FP); 0 when there are no negatives.
    public var specificity: Double { ratio(trueNegatives, trueNegatives + falsePositives) }
    /// FP / (FP + TN).
    public var falsePositiveRate: Double { ratio(falsePositives, falsePositives + trueNegatives) }
    /// The harmonic mean of precision and recall: 2 TP / (2 TP + FP + FN).
    public var f1: Double { ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives) }

    private func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator > 0 ? Double(numerator) / Double(denominator) : 0
    }
}

/// One bin of a calibration table.
public struct CalibrationBin: Sendable, Hashable, Codable {
    public var lower: Double
    public var upper: Double
    public var count: Int
    public var meanPredicted: Double?
    public var observedRate: Double?

    public init(lower: Double, upper: Double, count: Int, meanPredicted: Double?, observedRate: Double?) {
        self.lower = lower
        self.upper = upper
        self.count = count
        self.meanPredicted = meanPredicted
        self.observedRate = observedRate
    }
}
