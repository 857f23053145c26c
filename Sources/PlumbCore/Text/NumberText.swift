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

extension NumberText {
    /// `value` with `digits` decimals (`0.67`), never `-0.00` for a tiny negative value.
    public static func fixed(_ value: Double, digits: Int) -> String {
        let text = String(format: "%.\(digits)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    /// A wait or a limit in messages: `30 s`, `1.50 s`.
    public static func seconds(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e9 { return "\(Int(value)) s" }
        return String(format: "%.2f s", value)
    }

    /// Seconds from a duration written `90`, `90s`, `30m`, `12h` or `7d` (a non-negative number and an optional
    /// unit); nil for anything else.
    public static func parseDuration(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        var unit = 1.0
        if let last = body.last, let scale = units[last] {
            unit = scale
            body = body.dropLast()
        }
        guard let value = Double(body), value >= 0, value.isFinite else { return nil }
        return value * unit
    }

    /// An elapsed time for people: `12.3 s`, `4m 05s`, `1h 02m 03s`.
    public static func duration(_ seconds: Double) -> String {
        let seconds = max(0, seconds)
        if seconds < 60 { return fixed(seconds, digits: 1) + " s" }
        let whole = Int(seconds.rounded())
        let (hours, minutes, rest) = (whole / 3600, whole % 3600 / 60, whole % 60)
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if hours > 0 { return "\(hours)h \(pad(minutes))m \(pad(rest))s" }
        return "\(minutes)m \(pad(rest))s"
    }
}
