public import Foundation
public import PlumbCore
public import PlumbMetrics

/// Two runs of the same suites compared item by item: per suite and metric the difference with a paired interval
/// and p-value (Holm-adjusted across everything compared), the items that flipped, the items only one run has,
/// and the regression gates. Built by `Comparison.compare` (Comparison+Compute.swift); `plumb compare` and
/// `plumb run --baseline` render it. Definitions: Docs/metrics.md#comparing-runs.
public struct Comparison: Sendable, Hashable, Codable {
    /// The comparison document's own version (independent of the run reports' `schemaVersion`).
    public var comparisonVersion: Int
    public var baseline: RunSide
    public var candidate: RunSide
    /// With `--allow-changed`: what differs between the runs' suites or scoring, stated at the top. Absent when
    /// nothing does.
    public var changes: [String]?
    public var suites: [SuiteComparison]
    /// How the runs ended, when not `completed` (their items not run are errors, so not passed).
    public var baselineStatus: RunStatus?
    public var candidateStatus: RunStatus?
    /// Suites in only one of the runs: coverage, not regressions.
    public var suitesOnlyInBaseline: [String]
    public var suitesOnlyInCandidate: [String]
    /// The regression gates (`maxDrop`), from the suites and the command line.
    public var gates: [GateOutcome]
    public var bootstrap: Bootstrap

    /// The one verdict: held, or how many regression gates failed.
    public var verdict: Verdict {
        let failed = gates.filter { !$0.passed }.count
        return failed > 0 ? .gatesFailed(failed: failed, gates: gates.count) : .held(gates: gates.count, errors: 0)
    }

    public static let currentVersion = 1
}

/// One side of a comparison: which run, of which model.
public struct RunSide: Sendable, Hashable, Codable {
    /// What the user named (a file, a run directory or a baseline name).
    public var label: String
    public var runID: String
    public var backend: BackendIdentity
    public var startedAt: Date

    public init(label: String, runID: String, backend: BackendIdentity, startedAt: Date) {
        self.label = label
        self.runID = runID
        self.backend = backend
        self.startedAt = startedAt
    }
}

/// One suite in both runs.
public struct SuiteComparison: Sendable, Hashable, Codable {
    public var name: String
    /// Items (by id) both runs have: every number below is over these.
    public var sharedItems: Int
    /// Samples those items belong to: the units the paired bootstrap resamples.
    public var units: Int
    /// Items only one run has (coverage changes, not regressions): their ids, and how many.
    public var onlyInBaseline: [String]
    public var onlyInCandidate: [String]
    public var metrics: [MetricComparison]
    /// Items that passed in one run and not in the other (a fail or an error), in the candidate's order.
    public var flips: [Flip]
    /// Every shared item, compactly, for the HTML page's filters (outputs only where one run did not pass).
    public var items: [ComparedItem]?
}

/// One shared item as the comparison page lists it.
public struct ComparedItem: Sendable, Hashable, Codable {
    public var id: String
    public var sampleID: String
    /// `pairs` suites: the variant's group.
    public var group: String?
    public var baselineOutcome: ItemOutcome
    public var candidateOutcome: ItemOutcome
    /// The candidate's checks that did not pass.
    public var failingChecks: [String]
    /// Present when either run did not pass.
    public var baselineOutput: String?
    public var candidateOutput: String?
    public var reason: String?
}

/// One metric of one suite in both runs.
public struct MetricComparison: Sendable, Hashable, Codable {
    /// The metric with its qualifiers: `pass_rate`, `accuracy[tag=law]`.
    public var name: String
    public var spec: GateSpec
    /// `higher`, `lower` or `neither`.
    public var better: MetricDefinition.Better
    public var baseline: Double?
    public var candidate: Double?
    /// candidate − baseline, its paired interval and p-value.
    public var difference: PairedDifference
    /// The test behind `pValue`: `McNemar exact mid-p` or `paired bootstrap`.
    public var test: String
    public var mcnemar: McNemar.Result?
    public var pValue: Double?
    /// Holm-adjusted across every metric of the comparison.
    public var adjustedPValue: Double?
    /// `better`, `worse` (adjusted p below 0.05, in the metric's direction), `changed` (significant, no direction),
    /// or `unchanged` (no significant difference).
    public var change: String
}

/// An item that passed in one run and not in the other.
public struct Flip: Sendable, Hashable, Codable {
    public var id: String
    public var sampleID: String
    /// `pass→fail` (a regression) or `fail→pass`; an error counts as not passed.
    public var direction: String
    public var baselineOutcome: ItemOutcome
    public var candidateOutcome: ItemOutcome
    public var baselineOutput: String?
    public var candidateOutput: String?
    /// Why the side that did not pass did not: its first failing check's reason, or its error.
    public var reason: String?
}

/// Why two reports cannot be compared.
public struct ComparisonError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) {
        self.message = message
    }
    public var description: String { message }
}
