public import PlumbCore

/// Simulated pairs of runs with a known difference, for measuring the regression gate's false-alarm rate and
/// power (`plumb-dev gate-simulation`, and a test at a smaller scale). Docs/metrics.md#regression-gates.
///
/// Model: n items answered by a baseline whose pass rate is `base` and a candidate whose pass rate is
/// `base − drop`; a share `discordant` of the items differs between them (split so the rates come out right), as
/// two checkpoints of one model mostly agree. Each simulated pair of runs gets its own bootstrap seed.
public enum GateSimulation {
    /// Paired pass (1) / fail (0) outcomes of the two runs.
    public static func pairs(n: Int, base: Double, drop: Double, discordant: Double, generator: inout SplitMix64)
        -> [(baseline: Int, candidate: Int)]
    {
        let lost = (discordant + drop) / 2
        let gained = (discordant - drop) / 2
        return (0..<n).map { _ in
            let u = Double(generator.next() >> 11) / Double(UInt64(1) << 53)
            if u < lost { return (1, 0) }
            if u < lost + gained { return (0, 1) }
            if u < base + gained { return (1, 1) }
            return (0, 0)
        }
    }

    /// How often `maxDrop: margin` on the pass rate fails over `runs` simulated pairs of runs: the drop's 95%
    /// paired-bootstrap interval wholly above the margin.
    public static func failureRate(
        n: Int,
        base: Double = 0.9,
        drop: Double,
        margin: Double,
        discordant: Double = 0.11,
        runs: Int,
        resamples: Int,
        seed: UInt64 = 42
    ) -> Double {
        var generator = SplitMix64(seed: seed)
        var failures = 0
        for run in 0..<runs {
            let outcomes = pairs(n: n, base: base, drop: drop, discordant: discordant, generator: &generator)
            let baseline = outcomes.map(\.baseline)
            let candidate = outcomes.map(\.candidate)
            let difference = Bootstrap(resamples: resamples, seed: UInt64(run + 1)).difference(units: n) {
                indices in
                var b = 0
                var c = 0
                for index in indices {
                    b += baseline[index]
                    c += candidate[index]
                }
                return (Double(b) / Double(n), Double(c) / Double(n))
            }
            // The drop's interval is the difference's negated: the gate fails when −upper > margin.
            if let upper = difference.upper, -upper > margin { failures += 1 }
        }
        return Double(failures) / Double(runs)
    }
}
