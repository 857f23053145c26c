import Foundation
import PlumbMetrics

/// A corrected rate in one sentence, for the Markdown and HTML reports.
enum CorrectionText {
    static func line(suite: String, _ correction: CheckCorrection, text: (String) -> String) -> String {
        let rate = correction.rate
        func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
        var line = "\(text(suite)): \(text(correction.check)) detected \(percent(rate.observed)) of \(rate.total)"
        if let corrected = rate.corrected {
            line += ", corrected \(percent(corrected))"
            if let lower = rate.lower, let upper = rate.upper {
                line += " [\(percent(lower))–\(percent(upper))]"
            }
            line += " (\(text(rate.method))"
            if let sensitivity = rate.sensitivity, let specificity = rate.specificity {
                line += String(format: ", sensitivity %.3f, specificity %.3f", sensitivity, specificity)
            }
            line += ")"
        }
        if let note = rate.note { line += "; " + text(note) }
        return line
    }
}
