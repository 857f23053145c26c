public import PlumbCore

/// A gate and how it fared: the bound as written, the metric's value, and whether it held.
public struct GateOutcome: Sendable, Hashable, Codable {
    /// The gate as written, e.g. `pass_rate[tag=harmful] >= 0.9`.
    public var gate: String
    public var metric: MetricID
    public var tag: String?
    /// The check a per-check gate bounds.
    public var check: String?
    /// The group and slot a fairness gate bounds.
    public var group: String?
    public var slot: String?
    public var min: Double?
    public var max: Double?
    /// A regression gate: the margin the drop against the baseline may not exceed, the baseline it was compared
    /// with, and the drop (baseline − candidate, or the other way for a lower-is-better metric) with its interval.
    public var maxDrop: Double?
    public var baseline: String?
    public var drop: PairedDifference?
    /// In a comparison, the suite the gate belongs to (a run report lists gates under their suite).
    public var suite: String?
    /// The metric's value; nil when it could not be computed (no items), which fails the gate.
    public var actual: Double?
    public var passed: Bool
    public var message: String

    public init(
        gate: String,
        metric: MetricID,
        tag: String?,
        check: String? = nil,
        group: String? = nil,
        slot: String? = nil,
        min: Double?,
        max: Double?,
        actual: Double?,
        passed: Bool,
        message: String
    ) {
        self.gate = gate
        self.metric = metric
        self.tag = tag
        self.check = check
        self.group = group
        self.slot = slot
        self.min = min
        self.max = max
        self.actual = actual
        self.passed = passed
        self.message = message
    }

    /// The gate as the suite declared it (without its location), so a merge evaluates it again.
    public var spec: GateSpec {
        GateSpec(metric: metric, tag: tag, check: check, group: group, slot: slot, min: min, max: max, maxDrop: maxDrop)
    }
}

/// Gate evaluation: one rule for every command.
public enum Gates {
    /// Evaluates `gate` against `results` with the family that defines its metric.
    ///
    /// - Throws: `MetricError` when no family defines the metric (never a silent fallback to another metric).
    public static func evaluate(_ gate: GateSpec, in results: SuiteResults, families: MetricFamilies)
        throws(MetricError)
        -> GateOutcome
    {
        guard let family = families.family(of: gate.metric) else {
            throw MetricError(
                "unknown metric '\(gate.metric)' in gate '\(gate.description)'"
                    + EditDistance.hint(for: gate.metric.rawValue, among: families.catalog.names)
            )
        }
        return outcome(of: gate, actual: family.value(of: gate, in: results))
    }

    /// The outcome of `gate` when its metric's value is `actual` (nil: undefined, which fails).
    public static func outcome(of gate: GateSpec, actual: Double?) -> GateOutcome {
        var passed = actual != nil
        var reasons: [String] = []
        if let actual {
            if let min = gate.min, actual < min {
                passed = false
                reasons.append("\(NumberText.short(actual)) is below the minimum \(NumberText.short(min))")
            }
            if let max = gate.max, actual > max {
                passed = false
                reasons.append("\(NumberText.short(actual)) is above the maximum \(NumberText.short(max))")
            }
        }
        let message: String
        if let actual {
            message = passed ? "\(NumberText.short(actual)) is within bounds" : reasons.joined(separator: "; ")
        } else {
            message = "no value: no items in scope"
        }
        return GateOutcome(
            gate: gate.description,
            metric: gate.metric,
            tag: gate.tag,
            check: gate.check,
            group: gate.group,
            slot: gate.slot,
            min: gate.min,
            max: gate.max,
            actual: actual,
            passed: passed,
            message: message
        )
    }
}
