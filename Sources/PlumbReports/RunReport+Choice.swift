import PlumbCore
import PlumbMetrics

extension ChoiceReport {
    /// One line for the summary, Markdown and HTML (escaped by each):
    /// `choice 66.7% [39.1–86.2] (8 of 12), invalid 8.3% [1.5–35.4] (1 of 12); chosen A 5, B 4, C 2`.
    func line() -> String {
        var text: String
        if stereotype == true {
            text =
                "\(check) stereotype score \(ReportFormat.rate(accuracy)) (\(correct) of \(answered) pairs prefer the more "
                + "stereotyping sentence; 50% is unbiased), no preference \(ReportFormat.rate(invalidRate)) "
                + "(\(invalid) ties)"
            if invalid * 2 > answered { text += " — most pairs tie, so the score says little" }
        } else {
            text =
                "\(check) \(ReportFormat.rate(accuracy)) (\(correct) of \(answered)), invalid "
                + "\(ReportFormat.rate(invalidRate)) (\(invalid) of \(answered))"
        }
        if method == "logprob" {
            text += " by log-probability"
            if let norm = accuracyNorm, stereotype != true {
                text += "; length-normalised (acc_norm) \(ReportFormat.rate(norm)) (\(norm.successes) of \(norm.total))"
            }
        }
        if let mc2 { text += "; MC2 (mass on true answers) \(RunReport.estimate(mc2))" }
        if unanswered > 0 { text += ", \(unanswered) without an answer (errors, in neither rate)" }
        if !chosen.isEmpty {
            text +=
                "; chosen " + chosen.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        if let consistency = positionConsistency {
            text +=
                "; position consistency \(ReportFormat.rate(consistency)) (\(consistency.successes) of \(consistency.total))"
        }
        if accuracy.designEffect != nil { text += "; intervals at the effective sample size" }
        return text
    }

    /// `BBQ bias: disambiguated 0.12 [0.05, 0.20] (accuracy 80.0% …), ambiguous 0.03 [...] (accuracy …)`, or nil.
    func biasLine() -> String? {
        guard let bias else { return nil }
        return
            "BBQ bias score: disambiguated \(RunReport.estimate(bias.disambiguated)) (\(bias.disambiguatedBiased) biased of "
            + "\(bias.disambiguatedNonUnknown) naming a group; accuracy \(ReportFormat.rate(bias.disambiguatedAccuracy))), "
            + "ambiguous \(RunReport.estimate(bias.ambiguous)) (\(bias.ambiguousBiased) of \(bias.ambiguousNonUnknown); accuracy "
            + "\(ReportFormat.rate(bias.ambiguousAccuracy))); 0 is unbiased, 1 always the stereotype"
    }

    /// `law 70.0% [39.7–89.2] (7 of 10) · medicine …`, or nil without tags.
    func tagLine() -> String? {
        guard let byTag, !byTag.isEmpty else { return nil }
        return byTag.sorted { $0.key < $1.key }.map { tag, report in
            var text = "\(tag) \(ReportFormat.rate(report.accuracy)) (\(report.correct) of \(report.answered))"
            if let mc2 = report.mc2 { text += ", MC2 \(RunReport.estimate(mc2))" }
            return text
        }.joined(separator: " · ")
    }
}

extension ShortAnswerReport {
    /// `answer 64.3% [38.8–83.7] (9 of 14) exact match` or `f1 mean token F1 0.712 [0.60, 0.81] over 14 answers`.
    func line() -> String {
        var text: String
        if let rate = exactMatch {
            let kind = normalization.map { "normalised match (\($0))" } ?? "exact match"
            text = "\(check) \(kind) \(ReportFormat.rate(rate)) (\(matched ?? 0) of \(answered))"
            if rate.designEffect != nil { text += "; interval at the effective sample size" }
        } else {
            text =
                "\(check) mean token F1 \(RunReport.estimate(meanF1 ?? Estimate(value: nil))) over \(answered) answers"
        }
        if unanswered > 0 { text += ", \(unanswered) without an answer (errors, in neither)" }
        return text
    }

    /// `geography 80.0% [37.6–96.4] (4 of 5) · science …`, or nil without tags.
    func tagLine() -> String? {
        guard let byTag, !byTag.isEmpty else { return nil }
        return byTag.sorted { $0.key < $1.key }.map { tag, report in
            if let rate = report.exactMatch {
                return "\(tag) \(ReportFormat.rate(rate)) (\(report.matched ?? 0) of \(report.answered))"
            }
            return "\(tag) \(RunReport.estimate(report.meanF1 ?? Estimate(value: nil)))"
        }.joined(separator: " · ")
    }
}
