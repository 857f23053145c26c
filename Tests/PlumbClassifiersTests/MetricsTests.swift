import PlumbClassifiers
import Testing

@Suite("Classifier metrics")
struct MetricsTests {
    @Test("ROC AUC of a perfect, a reversed and a useless ranking")
    func rocAUCExtremes() throws {
        #expect(ClassifierMetrics.rocAUC(scores: [0.1, 0.2, 0.8, 0.9], labels: [false, false, true, true]) == 1)
        #expect(ClassifierMetrics.rocAUC(scores: [0.9, 0.8, 0.2, 0.1], labels: [false, false, true, true]) == 0)
        #expect(ClassifierMetrics.rocAUC(scores: [0.5, 0.5, 0.5, 0.5], labels: [false, true, false, true]) == 0.5)
    }

    @Test("ROC AUC against hand-counted pairs")
    func rocAUCHandComputed() throws {
        // Positives 0.8, 0.4, 0.35; negatives 0.7, 0.3, 0.1. Pairs (pos > neg): 0.8 beats all 3, 0.4 beats 0.3 and
        // 0.1, 0.35 beats 0.3 and 0.1: 7 of 9.
        let auc = try #require(
            ClassifierMetrics.rocAUC(
                scores: [0.8, 0.7, 0.4, 0.35, 0.3, 0.1],
                labels: [true, false, true, true, false, false]
            )
        )
        #expect(abs(auc - 7.0 / 9.0) < 1e-12)
    }

    @Test("ROC AUC counts tied positive-negative pairs as one half")
    func rocAUCTies() throws {
        // Positives 0.9, 0.5, 0.5; negatives 0.5, 0.2. Pairs: 0.9 beats both (2); each 0.5 positive ties the
        // 0.5 negative (½ each) and beats 0.2 (1 each): 2 + 1.5 + 1.5 = 5 of 6.
        let auc = try #require(
            ClassifierMetrics.rocAUC(
                scores: [0.5, 0.9, 0.2, 0.5, 0.5],
                labels: [true, true, false, false, true]
            )
        )
        #expect(abs(auc - 5.0 / 6.0) < 1e-12)
        // All tied across classes, two groups: positives {0.3, 0.3}, negatives {0.3, 0.1}: 1 + ½ + 1 + ½ = 3 of 4.
        let grouped = try #require(
            ClassifierMetrics.rocAUC(scores: [0.3, 0.3, 0.3, 0.1], labels: [true, false, true, false])
        )
        #expect(abs(grouped - 0.75) < 1e-12)
    }

    @Test("ROC AUC is nil with one class")
    func rocAUCOneClass() {
        #expect(ClassifierMetrics.rocAUC(scores: [0.1, 0.2], labels: [true, true]) == nil)
        #expect(ClassifierMetrics.rocAUC(scores: [], labels: []) == nil)
    }

    @Test("Precision, recall, F1 and false-positive rate at a threshold (at or above is positive)")
    func confusion() {
        let confusion = ClassifierMetrics.confusion(
            scores: [0.9, 0.6, 0.5, 0.4, 0.2, 0.1],
            labels: [true, false, true, true, false, false],
            threshold: 0.5
        )
        #expect(confusion.truePositives == 2)
        #expect(confusion.falsePositives == 1)
        #expect(confusion.falseNegatives == 1)
        #expect(confusion.trueNegatives == 2)
        #expect(confusion.precision == 2.0 / 3.0)
        #expect(confusion.recall == 2.0 / 3.0)
        #expect(confusion.f1 == 2.0 / 3.0)
        #expect(confusion.falsePositiveRate == 1.0 / 3.0)
        #expect(confusion.specificity == 2.0 / 3.0)
        let none = ClassifierMetrics.confusion(scores: [0.1], labels: [true], threshold: 0.5)
        #expect(none.precision == 0 && none.recall == 0 && none.f1 == 0)
    }

    @Test("Calibration bins: equal width, 1.0 in the last bin, empty bins kept")
    func calibration() {
        let bins = ClassifierMetrics.calibration(
            scores: [0.05, 0.15, 0.12, 0.95, 1.0],
            labels: [false, true, false, true, true]
        )
        #expect(bins.count == 10)
        #expect(bins[0].count == 1 && bins[0].observedRate == 0)
        #expect(bins[1].count == 2 && bins[1].observedRate == 0.5)
        #expect(abs((bins[1].meanPredicted ?? 0) - 0.135) < 1e-12)
        #expect(bins[5].count == 0 && bins[5].meanPredicted == nil)
        #expect(bins[9].count == 2 && bins[9].observedRate == 1)
    }

    @Test("The F1-maximising threshold is one of the scores")
    func bestF1Threshold() {
        let (threshold, f1) = ClassifierMetrics.bestF1Threshold(
            scores: [0.9, 0.8, 0.7, 0.3, 0.2],
            labels: [true, true, false, true, false],
            weights: [1, 1, 1, 1, 1]
        )
        // At 0.8: TP 2, FP 0, FN 1 → F1 0.8. At 0.3: TP 3, FP 1, FN 0 → 6/7 ≈ 0.857 (best).
        #expect(threshold == 0.3)
        #expect(abs(f1 - 6.0 / 7.0) < 1e-12)
    }
}
