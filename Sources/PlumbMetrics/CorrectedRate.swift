public import Foundation
public import PlumbCore

/// A rate measured by an imperfect classifier, corrected for its known sensitivity and specificity
/// (Rogan & Gladen, 1978, *American Journal of Epidemiology* 107:71–76). Definitions: Docs/metrics.md.
///
/// `observed` is the fraction of items the classifier called positive (e.g. toxic), at the threshold its
/// sensitivity (Se) and specificity (Sp) were measured at. The estimate of the true rate is
///
///     corrected = (observed + Sp − 1) / (Se + Sp − 1)
///
/// clamped to [0, 1]. It is undefined when no item was scored, or when Se + Sp ≤ 1 (a classifier no better than
/// chance carries no information): `corrected` is then nil and `note` says why. `lower` and `upper` map the Wilson
/// interval of the observed rate through the same formula (it is increasing in `observed` when Se + Sp > 1, so bounds map to
/// bounds), clamped to [0, 1]. With the counts Se and Sp were measured on (`positives`, `negatives`) the interval
/// carries their sampling error too (see `estimate`); without them it treats Se and Sp as exact, so it is too narrow
/// when they were estimated from a small validation set.
public struct CorrectedRate: Sendable, Hashable, Codable {
    /// The rate the classifier observed, 0…1.
    public var observed: Double
    /// How many items the observed rate is over.
    public var total: Int
    /// The corrected rate, 0…1; nil when undefined.
    public var corrected: Double?
    /// The observed rate's Wilson interval mapped through the correction; nil when undefined or `total` is 0.
    public var lower: Double?
    public var upper: Double?
    /// The confidence level of `lower` and `upper`.
    public var confidence: Double
    /// nil when neither the suite nor the classifier gives them (then `corrected` is nil too).
    public var sensitivity: Double?
    public var specificity: Double?
    /// How many positives and negatives Se and Sp were measured on, when known: their sampling error is then in
    /// the interval.
    public var positives: Int?
    public var negatives: Int?
    /// Always `Rogan–Gladen`.
    public var method: String
    /// Why `corrected` is nil or was clamped; nil otherwise.
    public var note: String?

    public init(
        observed: Double,
        total: Int,
        corrected: Double?,
        lower: Double? = nil,
        upper: Double? = nil,
        confidence: Double = 0.95,
        sensitivity: Double?,
        specificity: Double?,
        positives: Int? = nil,
        negatives: Int? = nil,
        method: String = CorrectedRate.roganGladen,
        note: String? = nil
    ) {
        self.observed = observed
        self.total = total
        self.corrected = corrected
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
        self.sensitivity = sensitivity
        self.specificity = specificity
        self.positives = positives
        self.negatives = negatives
        self.method = method
        self.note = note
    }

    /// The name of the method, as reports write it.
    public static let roganGladen = "Rogan–Gladen"
}

extension CorrectedRate {
    /// The Rogan–Gladen estimate (observed + Sp − 1) / (Se + Sp − 1), unclamped; nil when Se + Sp ≤ 1.
    public static func roganGladen(observed: Double, sensitivity: Double, specificity: Double) -> Double? {
        let youden = sensitivity + specificity - 1
        guard youden > 0 else { return nil }
        return (observed + specificity - 1) / youden
    }

    /// `observed` (a rate over `total` items, 0…1) corrected for a classifier's sensitivity and specificity, with
    /// the observed rate's Wilson interval mapped through the correction. See `CorrectedRate`.
    ///
    /// With `positives` and `negatives` (the counts Se and Sp were measured on) the interval also carries their
    /// sampling error: by the delta method the corrected rate's variance gains
    /// (RG² · Se(1 − Se)/P + (1 − RG)² · Sp(1 − Sp)/N) ÷ (Se + Sp − 1)², which is added in quadrature to each side
    /// of the mapped Wilson interval (z for the confidence level). Without them Se and Sp are taken as exact.
    public static func estimate(
        observed: Double,
        total: Int,
        sensitivity: Double,
        specificity: Double,
        confidence: Double = 0.95,
        positives: Int? = nil,
        negatives: Int? = nil
    ) -> CorrectedRate {
        var rate = CorrectedRate(
            observed: observed,
            total: total,
            corrected: nil,
            confidence: confidence,
            sensitivity: sensitivity,
            specificity: specificity,
            positives: positives,
            negatives: negatives
        )
        guard total > 0 else {
            // A rate over nothing is no rate: never a confident 0 (or anything else) from no scored item.
            rate.note = "undefined: no item was scored"
            return rate
        }
        let inputs = [observed, sensitivity, specificity]
        guard inputs.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            rate.note = "undefined: the observed rate, sensitivity and specificity must each be between 0 and 1"
            return rate
        }
        guard let raw = roganGladen(observed: observed, sensitivity: sensitivity, specificity: specificity) else {
            rate.note =
                "undefined: sensitivity + specificity ≤ 1 (\(NumberText.short(sensitivity)) + \(NumberText.short(specificity))), "
                + "so the classifier is no better than chance"
            return rate
        }
        let clamp = { (value: Double) in min(1, max(0, value)) }
        rate.corrected = clamp(raw)
        if raw < 0 {
            rate.note =
                "clamped to 0: the observed rate is below the false-positive rate 1 − specificity "
                + "(\(NumberText.short(1 - specificity)))"
        } else if raw > 1 {
            rate.note = "clamped to 1: the observed rate is above the sensitivity (\(NumberText.short(sensitivity)))"
        }
        let successes = Int((observed * Double(total)).rounded())
        if let interval = Statistics.wilsonInterval(successes: successes, total: total, confidence: confidence),
            let lower = roganGladen(observed: interval.lower, sensitivity: sensitivity, specificity: specificity),
            let upper = roganGladen(observed: interval.upper, sensitivity: sensitivity, specificity: specificity)
        {
            if let positives, let negatives, positives > 0, negatives > 0 {
                let youden = sensitivity + specificity - 1
                let extra =
                    (raw * raw * sensitivity * (1 - sensitivity) / Double(positives)
                        + (1 - raw) * (1 - raw) * specificity * (1 - specificity) / Double(negatives))
                    / (youden * youden)
                let z = Statistics.zScore(confidence: confidence)
                let below = ((raw - lower) * (raw - lower) + z * z * extra).squareRoot()
                let above = ((upper - raw) * (upper - raw) + z * z * extra).squareRoot()
                rate.lower = clamp(raw - below)
                rate.upper = clamp(raw + above)
            } else {
                rate.lower = clamp(lower)
                rate.upper = clamp(upper)
            }
        }
        return rate
    }
}
