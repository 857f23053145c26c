import Foundation
import PlumbCore
import PlumbMetrics

/// Number, date and text formatting shared by the HTML and Markdown renderers.
/// Everything here is deterministic: no locale, no current time, UTC only.
enum ReportFormat {
    /// Placeholder for a value that does not exist (no items, no latency …).
    static let none = "—"

    /// `value` with `digits` decimals, `—` when it isn't finite.
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return none }
        return NumberText.fixed(value, digits: digits)
    }

    /// A fraction as a percentage with one decimal: `0.72` → `72.0%`.
    static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return none }
        return fixed(fraction * 100, digits: 1) + "%"
    }

    /// A rate with its interval: `72.0% [58.4–82.5]`, or `—` when it has no items.
    static func rate(_ rate: Rate) -> String {
        guard let value = rate.value else { return none }
        var text = percent(value)
        if let lower = rate.lower, let upper = rate.upper {
            text += " [\(fixed(lower * 100, digits: 1))–\(fixed(upper * 100, digits: 1))]"
        }
        return text
    }

    /// The confidence level as a whole percentage where it is one: `0.95` → `95%`.
    static func confidence(_ level: Double) -> String {
        let percent = level * 100
        if percent.isFinite, percent == percent.rounded() { return "\(Int(percent))%" }
        return fixed(percent, digits: 1) + "%"
    }

    /// A number with up to three decimals and no trailing zeros: `0.9`, `12`, `0.833`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return none }
        var text = fixed(value, digits: 3)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// A score in [0, 1] with two decimals.
    static func score(_ value: Double) -> String { fixed(value, digits: 2) }

    /// Seconds as a latency: `850 ms`, `1.24 s`.
    static func latency(_ seconds: Double) -> String {
        guard seconds.isFinite else { return none }
        if seconds < 1 { return fixed(seconds * 1000, digits: 0) + " ms" }
        return fixed(seconds, digits: 2) + " s"
    }

    /// Seconds as a duration: `12.3 s`, `4m 05s`, `1h 02m 03s`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return none }
        return NumberText.duration(seconds)
    }

    /// Token usage: `42 in / 17 out`.
    static func tokens(_ usage: TokenUsage) -> String {
        "\(usage.promptTokens) in / \(usage.completionTokens) out"
    }

    /// A date for people, in UTC: `2026-11-21 20:05:15 UTC`.
    static func timestamp(_ date: Date) -> String {
        let parts = utcComponents(date)
        return "\(parts.date) \(parts.time) UTC"
    }

    /// A date for machines (`datetime` attributes): `2026-11-21T20:05:15Z`.
    static func isoTimestamp(_ date: Date) -> String {
        let parts = utcComponents(date)
        return "\(parts.date)T\(parts.time)Z"
    }

    /// `1 item`, `2 items`.
    static func count(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(value) \(value == 1 ? singular : plural ?? singular + "s")"
    }

    private static func utcComponents(_ date: Date) -> (date: String, time: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = String(c.year ?? 0)
        return (
            "\(year)-\(pad(c.month ?? 0))-\(pad(c.day ?? 0))",
            "\(pad(c.hour ?? 0)):\(pad(c.minute ?? 0)):\(pad(c.second ?? 0))"
        )
    }

    private static func pad(_ value: Int) -> String {
        value < 10 && value >= 0 ? "0\(value)" : String(value)
    }
}

/// An item with its position in `RunReport.items`.
typealias IndexedItem = (index: Int, item: ItemResult)

extension RunReport {
    /// Failing and error items first, then passing ones; report order is kept within each group.
    var itemsNeedingAttentionFirst: (attention: [IndexedItem], passing: [IndexedItem]) {
        var attention: [IndexedItem] = []
        var passing: [IndexedItem] = []
        for (index, item) in items.enumerated() {
            if item.outcome == .pass {
                passing.append((index, item))
            } else {
                attention.append((index, item))
            }
        }
        return (attention, passing)
    }

    /// Every gate with the suite it belongs to, in report order.
    var allGates: [(suite: String, gate: GateOutcome)] {
        suites.flatMap { suite in suite.gates.map { (suite.name, $0) } }
    }

    /// Suite names for filtering: the report's suites, then any suite only the items name.
    var suiteNames: [String] {
        var seen = Set<String>()
        var names: [String] = []
        for name in suites.map(\.name) + items.map(\.suite) where seen.insert(name).inserted {
            names.append(name)
        }
        return names
    }
}

extension ItemResult {
    /// The one-line reason an item did not pass: the error for error items, else the first failing check's reason.
    var headlineReason: String? {
        if outcome == .error, let error { return error.message }
        if let check = checks.first(where: { $0.outcome == .fail }) ?? checks.first(where: { $0.outcome == .error }) {
            return check.reason
        }
        return error?.message
    }
}
