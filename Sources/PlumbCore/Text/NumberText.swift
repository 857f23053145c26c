import Foundation

/// Numbers as people write them in messages and gate text: `1`, not `1.0`; `0.25`, not `0.25000000000000001`.
public enum NumberText {
    /// Exact: whole numbers without a fraction, others in their shortest round-trip form.
    public static func text(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// For measured values in messages: whole numbers without a fraction, others with four significant digits
    /// (`0.6429`).
    public static func short(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e12 { return String(Int64(value)) }
        return String(format: "%.4g", value)
    }
}
