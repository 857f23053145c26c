public import PlumbCore

extension MetricID {
    /// Share of answers an `equals` check accepted: exact match, or normalised match with the check's options.
    public static let exactMatch: MetricID = "exact_match"
    /// Mean SQuAD token F1 of a `token-f1` check's scores.
    public static let tokenF1: MetricID = "token_f1"
}

/// Short-answer accuracy of `generation` suites, reported the way multiple-choice accuracy is: the share of
/// answers an `equals` check matched (Wilson interval, at the effective sample size when a sample is asked several
/// times) and the mean token F1 of a `token-f1` check (bootstrap interval over samples), overall and per tag.
/// Definitions: Docs/metrics.md#short-answer-accuracy.
public struct ShortAnswerFamily: MetricFamily {
    public init() {}

    /// The check types this family reads.
    static let types = ["equals", "token-f1"]

    public var definitions: [MetricDefinition] {
        [
            MetricDefinition(
                .exactMatch,
                "share of answers an 'equals' check matched (exact or normalised)",
                allows: [.check, .tag],
                needs: .checkOfType("equals", example: "{ type: \"equals\", value: \"{{answer}}\", ignoreCase: true }"),
                better: .higher
            ),
            MetricDefinition(
                .tokenF1,
                "mean token F1 of a 'token-f1' check (SQuAD normalisation)",
                allows: [.check, .tag],
                needs: .checkOfType("token-f1", example: "{ type: \"token-f1\", reference: \"{{answer}}\" }"),
                better: .higher
            ),
        ]
    }

    public func value(of gate: GateSpec, in results: SuiteResults) -> Double? {
        guard let (check, type) = Self.check(of: gate, in: results.items) else { return nil }
        let items = results.items.filter(gate.covers)
        guard let report = Self.summary(check: check, type: type, items: items) else { return nil }
        switch gate.metric {
        case .exactMatch: return report.exactMatch?.value
        case .tokenF1: return report.meanF1?.value
        default: return nil
        }
    }

    public func ratioTerms(of gate: GateSpec, in results: SuiteResults) -> [String: RatioTerm]? {
        guard [.exactMatch, .tokenF1].contains(gate.metric), let (check, _) = Self.check(of: gate, in: results.items)
        else { return nil }
        var terms: [String: RatioTerm] = [:]
        for item in results.items where gate.covers(item) {
            guard let record = item.checks.first(where: { $0.name == check }), record.outcome != .error else {
                continue
            }
            let passed = record.outcome == .pass
            terms[item.id] = RatioTerm(
                gate.metric == .exactMatch ? (passed ? 1 : 0) : record.score ?? (passed ? 1 : 0),
                1
            )
        }
        return terms
    }

    /// The check a gate reads, and its type: the one it names, else the first of the metric's type.
    static func check(of gate: GateSpec, in items: [ItemResult]) -> (name: String, type: String)? {
        let type = gate.metric == .exactMatch ? "equals" : "token-f1"
        guard let name = gate.check ?? checks(in: items).first(where: { $0.type == type })?.name else { return nil }
        return (name, type)
    }

    /// The `equals` and `token-f1` checks the items recorded, in order.
    static func checks(in items: [ItemResult]) -> [(name: String, type: String)] {
        var found: [(name: String, type: String)] = []
        for item in items {
            for record in item.checks
            where types.contains(record.type) && !found.contains(where: { $0.name == record.name }) {
                found.append((record.name, record.type))
            }
        }
        return found
    }

    /// A report per `equals` or `token-f1` check, overall and per tag; nil when a suite has none.
    public static func reports(for items: [ItemResult], bootstrap: Bootstrap = .standard) -> [ShortAnswerReport]? {
        var reports: [ShortAnswerReport] = []
        for (name, type) in checks(in: items) {
            guard var report = summary(check: name, type: type, items: items, bootstrap: bootstrap) else { continue }
            var byTag: [String: ShortAnswerReport] = [:]
            for tag in Set(items.flatMap(\.tags)).sorted() {
                byTag[tag] = summary(
                    check: name,
                    type: type,
                    items: items.filter { $0.tags.contains(tag) },
                    bootstrap: bootstrap
                )
            }
            report.byTag = byTag.isEmpty ? nil : byTag
            reports.append(report)
        }
        return reports.isEmpty ? nil : reports
    }

    /// The check's match rate (`equals`) or mean F1 (`token-f1`) over the items it scored; nil when it scored none.
    /// Items without an answer (a model error) or whose check errored are counted apart, in neither number.
    public static func summary(check: String, type: String, items: [ItemResult], bootstrap: Bootstrap? = nil)
        -> ShortAnswerReport?
    {
        var answered = 0
        var unanswered = 0
        var matched = 0
        var matchesBySample: [String: [Bool]] = [:]
        var scoresBySample: [String: [Double]] = [:]
        var order: [String] = []
        var normalization: String?
        for item in items {
            guard let record = item.checks.first(where: { $0.name == check }), record.outcome != .error else {
                unanswered += 1
                continue
            }
            answered += 1
            if matchesBySample[item.sampleID] == nil { order.append(item.sampleID) }
            let passed = record.outcome == .pass
            if passed { matched += 1 }
            matchesBySample[item.sampleID, default: []].append(passed)
            scoresBySample[item.sampleID, default: []].append(record.score ?? (passed ? 1 : 0))
            normalization = normalization ?? record.metadata["normalization"]
        }
        guard answered > 0 else { return nil }
        var report = ShortAnswerReport(check: check, type: type, answered: answered, unanswered: unanswered)
        if type == "equals" {
            report.matched = matched
            report.normalization = normalization
            report.exactMatch = Rate(
                successes: matched,
                total: answered,
                designEffect: Clustering.of(Array(matchesBySample.values))?.designEffect
            )
        } else {
            report.meanF1 = Bootstrap.mean(order.compactMap { scoresBySample[$0] }, bootstrap: bootstrap)
        }
        return report
    }
}

/// Short-answer accuracy of one `equals` or `token-f1` check.
public struct ShortAnswerReport: Sendable, Hashable, Codable {
    public var check: String
    /// `equals` or `token-f1`.
    public var type: String
    /// Items the check scored.
    public var answered: Int
    /// Items with no answer (a model error) or whose check errored: in neither number.
    public var unanswered: Int
    /// `equals`: answers matched, and the share matched with its Wilson interval.
    public var matched: Int?
    public var exactMatch: Rate?
    /// `equals`: the normalisations beyond trimming (`ignore case, strip punctuation`), nil for an exact match.
    public var normalization: String?
    /// `token-f1`: the mean F1 over answers, with a percentile bootstrap interval over samples.
    public var meanF1: Estimate?
    public var byTag: [String: ShortAnswerReport]?

    public init(check: String, type: String, answered: Int, unanswered: Int) {
        self.check = check
        self.type = type
        self.answered = answered
        self.unanswered = unanswered
    }
}
