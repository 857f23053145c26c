import Foundation

/// Statistics behind the numbers in reports. Definitions and sources: Docs/metrics.md.
public enum Statistics {
    /// The two-sided standard normal quantile for a confidence level (0.90, 0.95, 0.99 exact to 6 digits;
    /// others via the Acklam inverse-normal approximation).
    public static func zScore(confidence: Double) -> Double {
        switch confidence {
        case 0.90: return 1.6448536269514722
        case 0.95: return 1.959963984540054
        case 0.99: return 2.5758293035489004
        default: return inverseNormal(1 - (1 - confidence) / 2)
        }
    }

    /// Wilson score interval for a binomial proportion (Wilson 1927; Brown, Cai & DasGupta 2001).
    /// Returns nil when `total` is 0.
    public static func wilsonInterval(successes: Int, total: Int, confidence: Double = 0.95)
        -> (lower: Double, upper: Double)?
    {
        guard total > 0 else { return nil }
        return wilsonInterval(
            proportion: Double(successes) / Double(total),
            size: Double(total),
            confidence: confidence
        )
    }

    /// The Wilson interval of `proportion` at a (possibly fractional, effective) sample size `size`; nil when
    /// `size` is not positive.
    public static func wilsonInterval(proportion p: Double, size n: Double, confidence: Double = 0.95)
        -> (lower: Double, upper: Double)?
    {
        guard n > 0 else { return nil }
        let z = zScore(confidence: confidence)
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        // At p = 0 and p = 1 the bounds are exactly 0 and 1 (centre − half is 0 in exact arithmetic, not 5.6e-17):
        // a `pass_rate_lower` gate must never see a model with no passes as above a tiny minimum.
        return (p <= 0 ? 0 : max(0, centre - half), p >= 1 ? 1 : min(1, centre + half))
    }

    /// Acklam's rational approximation of the standard normal quantile (relative error < 1.15e-9).
    public static func inverseNormal(_ p: Double) -> Double {
        precondition(p > 0 && p < 1)
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00,
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01,
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00,
        ]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * Foundation.log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low {
            return -inverseNormal(1 - p)
        }
        let q = p - 0.5
        let r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
