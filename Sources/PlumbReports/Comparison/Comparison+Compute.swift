public import PlumbCore
public import PlumbMetrics

extension Comparison {
    /// What to compare and how.
    public struct Options: Sendable {
        /// Regression gates given on the command line (`--max-drop METRIC=MARGIN`): applied to every shared suite
        /// where the metric has a value.
        public var maxDrops: [GateSpec]
        /// Compare even when a suite's content or scoring changed; the comparison then lists what did.
        public var allowChanged: Bool
        public var bootstrap: Bootstrap
        public var families: MetricFamilies

        public init(
            maxDrops: [GateSpec] = [],
            allowChanged: Bool = false,
            bootstrap: Bootstrap = .standard,
            families: MetricFamilies = .builtins
        ) {
            self.maxDrops = maxDrops
            self.allowChanged = allowChanged
            self.bootstrap = bootstrap
            self.families = families
        }
    }

    /// Compares `candidate` with `baseline` over the suites and items they share.
    ///
    /// - Throws: `ComparisonError` when the runs share no suite, share suites but no item, a command-line margin
    ///   bounds a metric no shared suite has, or (unless `options.allowChanged`) a shared suite's content or scoring
    ///   changed.
    public static func compare(
        baseline: RunReport,
        candidate: RunReport,
        baselineLabel: String,
        candidateLabel: String,
        options: Options = Options()
    ) throws(ComparisonError) -> Comparison {
        let baseSuites = Dictionary(baseline.suites.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let shared = candidate.suites.filter { baseSuites[$0.name] != nil }
        guard !shared.isEmpty else {
            throw ComparisonError(
                "\(candidateLabel) and \(baselineLabel) have no suite in common (baseline: "
                    + baseline.suites.map(\.name).joined(separator: ", ") + "; candidate: "
                    + candidate.suites.map(\.name).joined(separator: ", ") + ")"
            )
        }
        var changes: [String] = []
        for suite in shared { changes += Self.changes(baseSuites[suite.name]!, suite, baseline, candidate) }
        if !changes.isEmpty, !options.allowChanged {
            throw ComparisonError(
                "the runs did not measure the same thing, so their numbers do not compare:\n  "
                    + changes.joined(separator: "\n  ")
                    + "\n(compare anyway with --allow-changed, which the comparison then states at the top)"
            )
        }

        let baseItems = Dictionary(grouping: baseline.items, by: \.suite)
        let candItems = Dictionary(grouping: candidate.items, by: \.suite)
        var suites: [SuiteComparison] = []
        var pending: [[MetricComparison]] = []
        var gates: [GateOutcome] = []
        for suite in shared {
            let base = baseItems[suite.name] ?? []
            let cand = candItems[suite.name] ?? []
            let pairing = Pairing(baseline: base, candidate: cand)
            var specs = Self.metricSpecs(for: suite, baseline: baseSuites[suite.name]!)
            let regression =
                (suite.regressionGates ?? baseSuites[suite.name]!.regressionGates ?? [])
                + options.maxDrops.filter { gate in
                    options.families.family(of: gate.metric) != nil
                }
            for gate in regression where !specs.contains(where: { $0.qualifiedName == gate.qualifiedName }) {
                specs.append(
                    GateSpec(metric: gate.metric, tag: gate.tag, check: gate.check, group: gate.group, slot: gate.slot)
                )
            }
            var metrics: [MetricComparison] = []
            for spec in specs {
                guard let metric = pairing.compare(spec, options: options) else { continue }
                metrics.append(metric)
            }
            pending.append(metrics)
            suites.append(
                SuiteComparison(
                    name: suite.name,
                    sharedItems: pairing.sharedIDs.count,
                    units: pairing.clusters.count,
                    onlyInBaseline: pairing.onlyInBaseline,
                    onlyInCandidate: pairing.onlyInCandidate,
                    metrics: [],
                    flips: pairing.flips(),
                    items: pairing.comparedItems()
                )
            )
            for gate in regression {
                let fromSuite = options.maxDrops.firstIndex(of: gate) == nil
                let metric = metrics.first { $0.name == gate.qualifiedName }
                // A command-line margin applies where the metric exists; a suite's own gate always counts.
                if metric == nil && !fromSuite { continue }
                gates.append(Self.outcome(of: gate, suite: suite.name, metric: metric, baseline: baselineLabel))
            }
        }
        // A suite the candidate did not run cannot hold its regression gates: they fail, never vanish.
        for suite in baseline.suites where !shared.contains(where: { $0.name == suite.name }) {
            for gate in suite.regressionGates ?? [] {
                var outcome = Self.outcome(of: gate, suite: suite.name, metric: nil, baseline: baselineLabel)
                outcome.message = "no value: the candidate did not run suite '\(suite.name)'"
                gates.append(outcome)
            }
        }
        guard suites.contains(where: { $0.sharedItems > 0 }) else {
            throw ComparisonError(
                "\(candidateLabel) and \(baselineLabel) have no item in common in their shared suites ("
                    + shared.map(\.name).joined(separator: ", ")
                    + "): items pair by sample id (and variant, option order and repeat)"
            )
        }

        // A margin given on the command line must bound something: never a comparison of nothing that holds.
        for gate in options.maxDrops where !gates.contains(where: { $0.metric == gate.metric }) {
            throw ComparisonError(
                "--max-drop \(gate.metric): no suite shared by \(candidateLabel) and \(baselineLabel) has a value for it"
            )
        }

        // Holm across every metric compared, then the direction of each significant change.
        // (A metric without a p-value — undefined in a run — is not one of the hypotheses.)
        let tested = pending.flatMap { $0 }.compactMap(\.pValue)
        let adjusted = Holm.adjust(tested)
        var offset = 0
        for index in suites.indices {
            var metrics = pending[index]
            for m in metrics.indices where metrics[m].pValue != nil {
                metrics[m].adjustedPValue = adjusted[offset]
                offset += 1
            }
            for m in metrics.indices { metrics[m].change = Self.change(metrics[m]) }
            suites[index].metrics = metrics
        }
        return Comparison(
            comparisonVersion: currentVersion,
            baseline: RunSide(
                label: baselineLabel,
                runID: baseline.runID,
                backend: baseline.backend,
                startedAt: baseline.startedAt
            ),
            candidate: RunSide(
                label: candidateLabel,
                runID: candidate.runID,
                backend: candidate.backend,
                startedAt: candidate.startedAt
            ),
            changes: changes.isEmpty ? nil : changes,
            suites: suites,
            baselineStatus: baseline.status == .completed ? nil : baseline.status,
            candidateStatus: candidate.status == .completed ? nil : candidate.status,
            suitesOnlyInBaseline: baseline.suites.map(\.name).filter { name in !shared.contains { $0.name == name } },
            suitesOnlyInCandidate: candidate.suites.map(\.name).filter { baseSuites[$0] == nil },
            gates: gates,
            bootstrap: options.bootstrap
        )
    }

    static func change(_ metric: MetricComparison) -> String {
        guard let p = metric.adjustedPValue, p < 0.05, let difference = metric.difference.value, difference != 0
        else { return "unchanged" }
        switch metric.better {
        case .higher: return difference > 0 ? "better" : "worse"
        case .lower: return difference < 0 ? "better" : "worse"
        case .neither: return "changed"
        }
    }

    /// The metrics compared in a suite: the pass rate, the headline metrics of the families the suite reports,
    /// and every metric its gates bound (with their qualifiers). Metrics without a value in either run are skipped.
    static func metricSpecs(for candidate: SuiteReport, baseline: SuiteReport) -> [GateSpec] {
        var names: [MetricID] = [.passRate]
        if candidate.choice != nil || baseline.choice != nil {
            names += [
                .accuracy, .invalidRate, .accuracyNorm, .mc2, .stereotypeScore, .biasScoreDisambig, .biasScoreAmbig,
            ]
        }
        if candidate.shortAnswer != nil || baseline.shortAnswer != nil { names += [.exactMatch, .tokenF1] }
        if candidate.toxicity != nil || baseline.toxicity != nil {
            names += [.expectedMaxToxicity, .toxicityProbability]
        }
        if candidate.fairness != nil || baseline.fairness != nil { names += [.parityDifference, .flipRate, .meanGap] }
        if candidate.repeats != nil || baseline.repeats != nil { names += [.passAtK] }
        var specs = names.map { GateSpec(metric: $0) }
        for gate in candidate.gates + baseline.gates {
            let spec = GateSpec(
                metric: gate.metric,
                tag: gate.tag,
                check: gate.check,
                group: gate.group,
                slot: gate.slot
            )
            if !specs.contains(where: { $0.qualifiedName == spec.qualifiedName }) { specs.append(spec) }
        }
        return specs
    }

    /// A regression gate's outcome from the metric's comparison: the drop is baseline − candidate where higher is
    /// better (candidate − baseline where lower is), and the gate fails only when the drop's whole 95% interval is
    /// above the margin — a drop shown to exceed it, not noise.
    static func outcome(of gate: GateSpec, suite: String, metric: MetricComparison?, baseline: String) -> GateOutcome {
        var spec = gate
        spec.min = nil
        spec.max = nil
        let margin = gate.maxDrop ?? 0
        var outcome = GateOutcome(
            gate: spec.description,
            metric: gate.metric,
            tag: gate.tag,
            check: gate.check,
            group: gate.group,
            slot: gate.slot,
            min: nil,
            max: nil,
            actual: metric?.candidate,
            passed: false,
            message: ""
        )
        outcome.maxDrop = margin
        outcome.baseline = baseline
        outcome.suite = suite
        guard let metric, let difference = metric.difference.value, metric.better != .neither else {
            outcome.message = "no value: the metric is undefined in one of the runs"
            return outcome
        }
        let sign = metric.better == .higher ? -1.0 : 1.0
        let bounds = [metric.difference.lower, metric.difference.upper].map { $0.map { sign * $0 } }
        let drop = PairedDifference(
            value: sign * difference,
            lower: bounds.compactMap { $0 }.min(),
            upper: bounds.compactMap { $0 }.max(),
            pValue: metric.difference.pValue,
            method: metric.difference.method
        )
        outcome.drop = drop
        let shown =
            "drop \(NumberText.short(drop.value ?? 0))"
            + (drop.lower.map { " [\(NumberText.short($0)), \(NumberText.short(drop.upper ?? $0))]" } ?? "")
        // Without an interval (one sample, or no resample with a value) nothing shows the drop exceeds the margin.
        guard let evidence = drop.lower else {
            outcome.passed = true
            outcome.message =
                "\(shown): too few samples for an interval, so not shown to exceed the margin "
                + NumberText.short(margin)
            return outcome
        }
        if evidence > margin {
            outcome.message = "\(shown): the whole interval is above the margin \(NumberText.short(margin))"
        } else if (drop.upper ?? drop.value ?? 0) <= margin {
            outcome.passed = true
            outcome.message = "\(shown) is within the margin \(NumberText.short(margin))"
        } else {
            outcome.passed = true
            outcome.message =
                "\(shown) is not shown to exceed the margin \(NumberText.short(margin)) (the interval reaches below it)"
        }
        return outcome
    }

    /// What differs between a suite in two runs that changes what its numbers mean.
    static func changes(_ base: SuiteReport, _ cand: SuiteReport, _ baseline: RunReport, _ candidate: RunReport)
        -> [String]
    {
        var changes: [String] = []
        let name = "suite '\(cand.name)'"
        if base.contentHash != cand.contentHash {
            changes.append(
                "\(name): its content changed (suite and samples hash \(base.contentHash.prefix(12))… → "
                    + "\(cand.contentHash.prefix(12))…)"
            )
        }
        if base.scoring != cand.scoring, base.scoring != nil, cand.scoring != nil {
            changes.append("\(name): scoring '\(base.scoring!)' → '\(cand.scoring!)'")
        }
        let baseChecks = Dictionary(base.checks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for check in cand.checks {
            guard let before = baseChecks[check.name] else {
                changes.append("\(name): check '\(check.name)' is new")
                continue
            }
            if before.type != check.type || before.weight != check.weight
                || (before.parameters != nil && check.parameters != nil && before.parameters != check.parameters)
            {
                changes.append("\(name): check '\(check.name)' changed (type, weight or parameters)")
            }
        }
        for check in base.checks where !cand.checks.contains(where: { $0.name == check.name }) {
            changes.append("\(name): check '\(check.name)' is gone")
        }
        // Per check, in one pass over the suite's items: the classifier identity, version and threshold the items
        // were scored with, and the judge and rubric version the check records name.
        func recorded(_ report: RunReport) -> (classifiers: [String: String], judges: [String: String]) {
            var classifiers: [String: String] = [:]
            var judges: [String: String] = [:]
            for item in report.items where item.suite == cand.name {
                for record in item.checks {
                    if classifiers[record.name] == nil, let observation = record.classifier {
                        classifiers[record.name] =
                            "\(observation.classifier) \(observation.version), threshold "
                            + NumberText.short(observation.threshold)
                    }
                    if judges[record.name] == nil {
                        let judge = ["judge", "rubricVersion", "service"].compactMap { key in
                            record.metadata[key].map { "\(key) \($0)" }
                        }
                        if !judge.isEmpty { judges[record.name] = judge.joined(separator: ", ") }
                    }
                }
            }
            return (classifiers, judges)
        }
        let before = recorded(baseline)
        let after = recorded(candidate)
        for (check, now) in after.classifiers.sorted(by: { $0.key < $1.key }) {
            if let was = before.classifiers[check], was != now {
                changes.append("\(name): check '\(check)' scored with \(was) → \(now)")
            }
        }
        for (check, now) in after.judges.sorted(by: { $0.key < $1.key }) {
            if let was = before.judges[check], was != now {
                changes.append("\(name): check '\(check)' judged by \(was) → \(now)")
            }
        }
        return changes
    }
}

/// The items two runs share in one suite, grouped by sample: what every paired number is computed over.
struct Pairing {
    var sharedIDs: [String]
    var onlyInBaseline: [String]
    var onlyInCandidate: [String]
    /// Per sample (in the candidate's order): the shared items of each run.
    var clusters: [(baseline: [ItemResult], candidate: [ItemResult])]
    var baselineByID: [String: ItemResult]
    var candidateByID: [String: ItemResult]

    /// Items pair by what they ask of which sample — the sample id, the `pairs` variant (slot, group, tuple), the
    /// order of a choice question's options and the repeat — which the item id also hashes, together with the
    /// suite's content: so items still pair when a suite changed and the comparison was allowed
    /// (`--allow-changed`). The ids below are the candidate's.
    static func key(_ item: ItemResult) -> String {
        [
            item.sampleID, item.slot ?? "", item.group ?? "", item.tuple ?? "", String(item.optionRotation ?? 0),
            String(item.repeatIndex),
        ].joined(separator: "\u{1F}")
    }

    init(baseline: [ItemResult], candidate: [ItemResult]) {
        let baselineByKey = Dictionary(baseline.map { (Self.key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let candidateByKey = Dictionary(candidate.map { (Self.key($0), $0) }, uniquingKeysWith: { first, _ in first })
        var baselineByID: [String: ItemResult] = [:]
        for item in candidate { if let match = baselineByKey[Self.key(item)] { baselineByID[item.id] = match } }
        let candidateByID = Dictionary(candidate.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.baselineByID = baselineByID
        self.candidateByID = candidateByID
        sharedIDs = candidate.map(\.id).filter { baselineByID[$0] != nil }
        onlyInCandidate = candidate.filter { baselineByKey[Self.key($0)] == nil }.map(\.id)
        onlyInBaseline = baseline.filter { candidateByKey[Self.key($0)] == nil }.map(\.id)
        var order: [String] = []
        var bySample: [String: (baseline: [ItemResult], candidate: [ItemResult])] = [:]
        for id in sharedIDs {
            let cand = candidateByID[id]!
            if bySample[cand.sampleID] == nil {
                order.append(cand.sampleID)
                bySample[cand.sampleID] = ([], [])
            }
            bySample[cand.sampleID]!.baseline.append(baselineByID[id]!)
            bySample[cand.sampleID]!.candidate.append(cand)
        }
        // What metrics read, without prompts and outputs: a resample copies these thousands of times.
        func slim(_ item: ItemResult) -> ItemResult {
            var item = item
            item.request = ModelRequest(messages: [])
            item.output = nil
            item.usage = nil
            item.finishReason = nil
            for index in item.checks.indices {
                item.checks[index].reason = ""
                item.checks[index].metadata = item.checks[index].metadata.filter { $0.key == "normalization" }
            }
            return item
        }
        clusters = order.map { (bySample[$0]!.baseline.map(slim), bySample[$0]!.candidate.map(slim)) }
    }

    /// The items of the drawn clusters; a cluster drawn again is relabelled (`2~`, `3~` … before its id, sample and
    /// tuple, where no family parses) so that families that group by sample, tuple or id count it as another unit,
    /// as a resample means.
    static func draw(_ clusters: [[ItemResult]], _ indices: [Int]) -> [ItemResult] {
        var seen: [Int: Int] = [:]
        var items: [ItemResult] = []
        for index in indices {
            let copy = seen[index, default: 0]
            seen[index] = copy + 1
            if copy == 0 {
                items += clusters[index]
            } else {
                items += clusters[index].map { item in
                    var item = item
                    let prefix = "\(copy + 1)~"
                    item.id = prefix + item.id
                    item.sampleID = prefix + item.sampleID
                    item.tuple = item.tuple.map { prefix + $0 }
                    return item
                }
            }
        }
        return items
    }

    /// The comparison of one metric, or nil when neither run gives it a value.
    func compare(_ spec: GateSpec, options: Comparison.Options) -> MetricComparison? {
        guard let family = options.families.family(of: spec.metric) else { return nil }
        let definition = options.families.catalog.definition(of: spec.metric)
        let baseClusters = clusters.map(\.baseline)
        let candClusters = clusters.map(\.candidate)
        func value(_ items: [ItemResult]) -> Double? {
            family.value(of: spec, in: SuiteResults(items: items, for: family))
        }
        let baseResults = SuiteResults(items: baseClusters.flatMap { $0 }, for: family)
        let candResults = SuiteResults(items: candClusters.flatMap { $0 }, for: family)
        let baseValue = family.value(of: spec, in: baseResults)
        let candValue = family.value(of: spec, in: candResults)
        guard baseValue != nil || candValue != nil else { return nil }

        var difference: PairedDifference
        var test = "paired bootstrap"
        var mcnemar: McNemar.Result?
        var pValue: Double?
        if spec.metric == .passRate {
            // The pass rate from per-sample counts: fast enough for any number of resamples. With a tag, over the
            // samples that have it (a sample's items share its tags).
            let counts = clusters.filter { $0.candidate.contains(where: spec.covers) }.map { cluster in
                (
                    base: cluster.baseline.filter { spec.covers($0) && $0.outcome == .pass }.count,
                    cand: cluster.candidate.filter { spec.covers($0) && $0.outcome == .pass }.count,
                    n: cluster.candidate.filter(spec.covers).count
                )
            }
            difference = options.bootstrap.difference(units: counts.count) { indices in
                var base = 0
                var cand = 0
                var n = 0
                for index in indices {
                    base += counts[index].base
                    cand += counts[index].cand
                    n += counts[index].n
                }
                return n == 0 ? nil : (Double(base) / Double(n), Double(cand) / Double(n))
            }
            pValue = difference.pValue
            // Independent pairs (one item per sample): the exact McNemar test on the discordant pairs.
            if counts.allSatisfy({ $0.n == 1 }) {
                let b = counts.filter { $0.base == 1 && $0.cand == 0 }.count
                let c = counts.filter { $0.base == 0 && $0.cand == 1 }.count
                let result = McNemar.test(b: b, c: c)
                mcnemar = result
                pValue = result.midP
                test = "McNemar exact mid-p"
            }
        } else if let baseTerms = family.ratioTerms(of: spec, in: baseResults),
            let candTerms = family.ratioTerms(of: spec, in: candResults)
        {
            // A ratio of sums: each sample's sums once, then resamples add them.
            func sums(_ cluster: [ItemResult], _ terms: [String: RatioTerm]) -> RatioTerm {
                cluster.compactMap { terms[$0.id] }.reduce(.zero, +)
            }
            let base = baseClusters.map { sums($0, baseTerms) }
            let cand = candClusters.map { sums($0, candTerms) }
            difference = options.bootstrap.difference(units: clusters.count) { indices in
                var b = RatioTerm.zero
                var c = RatioTerm.zero
                for index in indices {
                    b += base[index]
                    c += cand[index]
                }
                guard let baseRatio = b.ratio, let candRatio = c.ratio else { return nil }
                return (baseRatio, candRatio)
            }
            pValue = difference.pValue
        } else {
            difference = options.bootstrap.difference(units: clusters.count) { indices in
                guard let base = value(Self.draw(baseClusters, indices)),
                    let cand = value(Self.draw(candClusters, indices))
                else { return nil }
                return (base, cand)
            }
            pValue = difference.pValue
        }
        return MetricComparison(
            name: spec.qualifiedName,
            spec: spec,
            better: definition?.better ?? .neither,
            baseline: baseValue,
            candidate: candValue,
            difference: difference,
            test: test,
            mcnemar: mcnemar,
            pValue: pValue,
            adjustedPValue: nil,
            change: "unchanged"
        )
    }

    /// Every shared item, compactly; outputs (clipped to 2,000 characters) where either run did not pass.
    func comparedItems() -> [ComparedItem] {
        func clip(_ text: String?) -> String? { text.map { $0.count > 2_000 ? String($0.prefix(2_000)) + "…" : $0 } }
        return sharedIDs.map { id in
            let base = baselineByID[id]!
            let cand = candidateByID[id]!
            let interesting = base.outcome != .pass || cand.outcome != .pass
            let failing = cand.outcome == .pass ? base : cand
            return ComparedItem(
                id: id,
                sampleID: cand.sampleID,
                group: cand.group,
                baselineOutcome: base.outcome,
                candidateOutcome: cand.outcome,
                failingChecks: cand.checks.filter { $0.outcome != .pass }.map(\.name),
                baselineOutput: interesting ? clip(base.output) : nil,
                candidateOutput: interesting ? clip(cand.output) : nil,
                reason: interesting ? Self.failureReason(failing) : nil
            )
        }
    }

    /// Why an item did not pass: its error, or its first check that did not pass (`name: reason`).
    static func failureReason(_ item: ItemResult) -> String? {
        item.error?.message ?? item.checks.first { $0.outcome != .pass }.map { "\($0.name): \($0.reason)" }
    }

    /// Items that passed in one run and not in the other (an error is not a pass).
    func flips() -> [Flip] {
        sharedIDs.compactMap { id -> Flip? in
            let base = baselineByID[id]!
            let cand = candidateByID[id]!
            let before = base.outcome == .pass
            let after = cand.outcome == .pass
            guard before != after else { return nil }
            let reason = Self.failureReason(before ? cand : base)
            return Flip(
                id: id,
                sampleID: cand.sampleID,
                direction: before ? "pass→fail" : "fail→pass",
                baselineOutcome: base.outcome,
                candidateOutcome: cand.outcome,
                baselineOutput: base.output,
                candidateOutput: cand.output,
                reason: reason
            )
        }
    }
}
