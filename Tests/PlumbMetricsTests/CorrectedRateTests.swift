import PlumbCore
import PlumbMetrics
import Foundation
import Testing

@Suite struct CorrectionTests {
    /// (observed + Sp − 1) / (Se + Sp − 1) = (0.30 + 0.95 − 1) / (0.90 + 0.95 − 1) = 0.25 / 0.85 = 0.2941176470…
    @Test func correctsAnObservedRate() throws {
        let rate = CorrectedRate.estimate(observed: 0.30, total: 100, sensitivity: 0.90, specificity: 0.95)
        let corrected = try #require(rate.corrected)
        #expect(abs(corrected - 0.25 / 0.85) < 1e-12)
        #expect(abs(corrected - 0.294_117_647_058_823_5) < 1e-12)
        #expect(rate.observed == 0.30)
        #expect(rate.total == 100)
        #expect(rate.sensitivity == 0.90)
        #expect(rate.specificity == 0.95)
        #expect(rate.method == "Rogan–Gladen")
        #expect(rate.note == nil)
    }

    /// The Wilson interval of 30/100 is [0.218949, 0.395849]; each bound goes through the same formula:
    /// (0.218949 + 0.95 − 1) / 0.85 = 0.198763 and (0.395849 + 0.95 − 1) / 0.85 = 0.406881.
    @Test func mapsTheWilsonIntervalThroughTheCorrection() throws {
        let rate = CorrectedRate.estimate(observed: 0.30, total: 100, sensitivity: 0.90, specificity: 0.95)
        let wilson = try #require(Statistics.wilsonInterval(successes: 30, total: 100))
        #expect(abs(wilson.lower - 0.218_948_852_9) < 1e-9)
        #expect(abs(wilson.upper - 0.395_848_546_3) < 1e-9)
        let lower = try #require(rate.lower)
        let upper = try #require(rate.upper)
        #expect(abs(lower - (wilson.lower + 0.95 - 1) / 0.85) < 1e-12)
        #expect(abs(upper - (wilson.upper + 0.95 - 1) / 0.85) < 1e-12)
        #expect(abs(lower - 0.198_763_356_4) < 1e-9)
        #expect(abs(upper - 0.406_880_642_7) < 1e-9)
        #expect(rate.confidence == 0.95)
    }

    @Test func aPerfectClassifierChangesNothing() {
        let rate = CorrectedRate.estimate(observed: 0.42, total: 50, sensitivity: 1, specificity: 1)
        #expect(abs((rate.corrected ?? -1) - 0.42) < 1e-15)
        let wilson = Statistics.wilsonInterval(successes: 21, total: 50)
        #expect(abs((rate.lower ?? -1) - (wilson?.lower ?? 1)) < 1e-15)
    }

    /// (0.02 + 0.95 − 1) / 0.85 = −0.0353 → 0; (0.95 + 0.95 − 1) / 0.85 = 1.0588 → 1.
    @Test func clampsToZeroAndOne() throws {
        let low = CorrectedRate.estimate(observed: 0.02, total: 200, sensitivity: 0.90, specificity: 0.95)
        #expect(low.corrected == 0)
        #expect(low.lower == 0)
        #expect(low.note == "clamped to 0: the observed rate is below the false-positive rate 1 − specificity (0.05)")
        let high = CorrectedRate.estimate(observed: 0.95, total: 200, sensitivity: 0.90, specificity: 0.95)
        #expect(high.corrected == 1)
        #expect(high.upper == 1)
        #expect(high.note == "clamped to 1: the observed rate is above the sensitivity (0.9)")
        let raw = try #require(CorrectedRate.roganGladen(observed: 0.02, sensitivity: 0.90, specificity: 0.95))
        #expect(abs(raw - (-0.03 / 0.85)) < 1e-12)
    }

    @Test(arguments: [(0.5, 0.5), (0.3, 0.6), (0, 0)])
    func undefinedWhenNoBetterThanChance(_ sensitivity: Double, _ specificity: Double) {
        let rate = CorrectedRate.estimate(
            observed: 0.3,
            total: 10,
            sensitivity: sensitivity,
            specificity: specificity
        )
        #expect(rate.corrected == nil)
        #expect(rate.lower == nil)
        #expect(rate.upper == nil)
        #expect(rate.note?.hasPrefix("undefined: sensitivity + specificity ≤ 1") == true)
        #expect(CorrectedRate.roganGladen(observed: 0.3, sensitivity: sensitivity, specificity: specificity) == nil)
    }

    @Test func rejectsValuesOutsideZeroToOne() {
        let rate = CorrectedRate.estimate(observed: 1.2, total: 10, sensitivity: 0.9, specificity: 0.9)
        #expect(rate.corrected == nil)
        #expect(rate.note?.hasPrefix("undefined:") == true)
    }

    @Test func noItemsNoRate() {
        // Issue 12: nothing scored, nothing corrected (this once gave a corrected rate with no interval).
        let rate = CorrectedRate.estimate(observed: 0.3, total: 0, sensitivity: 0.9, specificity: 0.95)
        #expect(rate.corrected == nil)
        #expect(rate.lower == nil)
        #expect(rate.upper == nil)
    }

    @Test func roundTripsThroughJSON() throws {
        let rate = CorrectedRate.estimate(observed: 0.30, total: 100, sensitivity: 0.90, specificity: 0.95)
        let data = try JSONEncoder().encode(rate)
        #expect(try JSONDecoder().decode(CorrectedRate.self, from: data) == rate)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"method\":\"Rogan–Gladen\""))
    }
}

/// Issue 12: a corrected rate is never computed from zero scored items (it came out as a confident 0, clamped).
@Suite struct CorrectedRateFromNothingTests {
    @Test func zeroScoredItemsGiveNoCorrectedRate() {
        let rate = CorrectedRate.estimate(observed: 0, total: 0, sensitivity: 0.8, specificity: 0.9)
        #expect(rate.corrected == nil && rate.lower == nil && rate.upper == nil)
        #expect(rate.note == "undefined: no item was scored")
        // Through the corrections family too: every item an error, so no observation.
        let errored = (0..<3).map { index in
            ItemResult(
                id: "e\(index)",
                suite: "s",
                sampleID: "e\(index)",
                repeatIndex: 0,
                tags: [],
                request: ModelRequest(messages: []),
                outcome: .error
            )
        }
        let correction = Corrections.compute(
            [CorrectionSpec(check: "toxic", sensitivity: 0.8, specificity: 0.9)],
            items: errored
        )?.first
        #expect(correction?.rate.corrected == nil && correction?.rate.total == 0)
    }
}

/// Issue 12: a corrected rate only at the threshold its sensitivity and specificity were measured at, and always
/// saying what data they were measured on.
@Suite struct CorrectedRateHonestyTests {
    static func items(threshold: Double, measuredOn: String?) -> [ItemResult] {
        (0..<10).map { index in
            let observation = ClassifierObservation(
                classifier: "plumb-toxicity",
                version: "1",
                label: "toxic",
                score: index < 3 ? 0.9 : 0.1,
                threshold: threshold,
                detected: index < 3,
                sensitivity: 0.7,
                specificity: 0.95,
                measuredAtThreshold: 0.42,
                measuredOn: measuredOn
            )
            let record = CheckRecord(
                name: "tox",
                type: "classifier",
                outcome: index < 3 ? .fail : .pass,
                score: nil,
                reason: "",
                weight: 1,
                classifier: observation
            )
            return ItemResult(
                id: "i\(index)",
                suite: "s",
                sampleID: "i\(index)",
                repeatIndex: 0,
                tags: [],
                request: ModelRequest(messages: []),
                checks: [record],
                outcome: record.outcome == .pass ? .pass : .fail
            )
        }
    }

    @Test func anotherThresholdThanTheMeasuredOneGivesNoCorrectedRate() throws {
        let correction = try #require(
            Corrections.compute([CorrectionSpec(check: "tox")], items: Self.items(threshold: 0.6, measuredOn: "wiki"))?
                .first
        )
        #expect(correction.rate.corrected == nil && correction.rate.lower == nil)
        #expect(
            correction.rate.note?.hasPrefix("undefined: the check's threshold 0.6 differs from the 0.42") == true,
            "\(correction.rate.note ?? "")"
        )
        // Figures the suite gives are its own responsibility: they apply at its threshold.
        let given = try #require(
            Corrections.compute(
                [CorrectionSpec(check: "tox", sensitivity: 0.8, specificity: 0.9)],
                items: Self.items(threshold: 0.6, measuredOn: "wiki")
            )?.first
        )
        #expect(given.rate.corrected != nil)
    }

    @Test func theRateSaysWhatTheFiguresWereMeasuredOn() throws {
        let correction = try #require(
            Corrections.compute(
                [CorrectionSpec(check: "tox")],
                items: Self.items(threshold: 0.42, measuredOn: "wiki-nonfuzzed")
            )?.first
        )
        #expect(correction.rate.corrected != nil)
        #expect(
            correction.rate.note?.contains(
                "assumes the scored outputs resemble wiki-nonfuzzed, the data the sensitivity and specificity were measured on"
            ) == true,
            "\(correction.rate.note ?? "")"
        )
    }
}

/// Issue 12: the sampling error of sensitivity and specificity goes into a corrected rate's interval.
@Suite struct CorrectedRateUncertaintyTests {
    @Test func sensitivityAndSpecificityCountsWidenTheInterval() throws {
        // Observed 0.30 of 200, Se 0.9, Sp 0.95 (the worked example's figures).
        let exact = CorrectedRate.estimate(observed: 0.3, total: 200, sensitivity: 0.9, specificity: 0.95)
        let counted = CorrectedRate.estimate(
            observed: 0.3,
            total: 200,
            sensitivity: 0.9,
            specificity: 0.95,
            positives: 100,
            negatives: 400
        )
        let point = try #require(exact.corrected)
        #expect(counted.corrected == point)
        // By hand: RG = (0.3 + 0.95 − 1) / 0.85 = 0.294118; extra variance
        // (RG² · 0.9 · 0.1 / 100 + (1 − RG)² · 0.95 · 0.05 / 400) / 0.85² = (0.0000778547 + 0.0000591765) / 0.7225.
        #expect(abs(point - 0.25 / 0.85) < 1e-12)
        let extra = (point * point * 0.09 / 100 + (1 - point) * (1 - point) * 0.0475 / 400) / (0.85 * 0.85)
        let z = Statistics.zScore(confidence: 0.95)
        let below = (pow(point - (exact.lower ?? 0), 2) + z * z * extra).squareRoot()
        let above = (pow((exact.upper ?? 0) - point, 2) + z * z * extra).squareRoot()
        #expect(abs((counted.lower ?? 0) - (point - below)) < 1e-12)
        #expect(abs((counted.upper ?? 0) - (point + above)) < 1e-12)
        #expect((counted.lower ?? 1) < (exact.lower ?? 0) && (counted.upper ?? 0) > (exact.upper ?? 1))
        // Huge validation sets: their error vanishes and the interval is the exact-Se/Sp one.
        let huge = CorrectedRate.estimate(
            observed: 0.3,
            total: 200,
            sensitivity: 0.9,
            specificity: 0.95,
            positives: 1_000_000_000,
            negatives: 1_000_000_000
        )
        #expect(
            abs((huge.lower ?? 0) - (exact.lower ?? 1)) < 1e-6 && abs((huge.upper ?? 0) - (exact.upper ?? 1)) < 1e-6
        )
    }
}
