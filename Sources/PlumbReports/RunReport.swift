public import Foundation
public import PlumbCore

/// The one source of truth for a run: what ran, every item, every metric and gate.
/// Every other output (HTML, Markdown, JUnit) is rendered from it. Versioned by `schemaVersion`;
/// the schema is documented in Docs/report-schema.md.
public struct RunReport: Sendable, Hashable, Codable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var runID: String
    public var plumbVersion: String
    /// `completed`, `interrupted` (stopped by a signal; what finished is kept) or `aborted` (error budget spent).
    public var status: RunStatus
    public var startedAt: Date
    public var finishedAt: Date
    public var host: HostInfo
    public var backend: BackendIdentity
    public var suites: [SuiteReport]
    public var items: [ItemResult]
    public var totals: Totals
    /// When the run was one slice of a larger one (`--shard i/n`); nil for whole runs and merged reports.
    public var shard: Shard?
    /// What the runner did: requests, retries, rate limits, cache hits, resumed items.
    public var statistics: RunStatistics?

    public init(
        schemaVersion: Int = RunReport.currentSchemaVersion,
        runID: String,
        plumbVersion: String = PlumbVersion.current,
        status: RunStatus,
        startedAt: Date,
        finishedAt: Date,
        host: HostInfo,
        backend: BackendIdentity,
        suites: [SuiteReport],
        items: [ItemResult],
        totals: Totals,
        shard: Shard? = nil,
        statistics: RunStatistics? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.runID = runID
        self.plumbVersion = plumbVersion
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.host = host
        self.backend = backend
        self.suites = suites
        self.items = items
        self.totals = totals
        self.shard = shard
        self.statistics = statistics
    }

    /// True when every gate of every suite held.
    public var gatesHeld: Bool { suites.allSatisfy { $0.gates.allSatisfy(\.passed) } }
}

public enum RunStatus: String, Sendable, Hashable, Codable {
    case completed, interrupted, aborted
}

public struct HostInfo: Sendable, Hashable, Codable {
    public var name: String
    public var operatingSystem: String
    public var processorCount: Int

    public init(name: String, operatingSystem: String, processorCount: Int) {
        self.name = name
        self.operatingSystem = operatingSystem
        self.processorCount = processorCount
    }

    public static var current: HostInfo {
        let info = ProcessInfo.processInfo
        return HostInfo(
            name: info.hostName,
            operatingSystem: info.operatingSystemVersionString,
            processorCount: info.activeProcessorCount
        )
    }
}

/// One suite as it ran: its definition summary, metrics and gate outcomes.
public struct SuiteReport: Sendable, Hashable, Codable {
    public var name: String
    public var description: String?
    public var kind: String
    public var file: String
    /// SHA-256 of the suite file and its samples file (line endings normalised).
    public var contentHash: String
    public var generation: GenerationParameters
    public var checks: [CheckSummary]
    public var metrics: SuiteMetrics
    public var gates: [GateOutcome]
    /// Classifier detection rates corrected for the classifier's errors, as the suite asked (`corrections`).
    public var corrections: [CheckCorrection]?
    /// Where the samples come from and their licence, as the suite says.
    public var source: String?
    public var license: String?

    public init(
        name: String,
        description: String?,
        kind: String,
        file: String,
        contentHash: String,
        generation: GenerationParameters,
        checks: [CheckSummary],
        metrics: SuiteMetrics,
        gates: [GateOutcome],
        source: String? = nil,
        license: String? = nil
    ) {
        self.name = name
        self.description = description
        self.kind = kind
        self.file = file
        self.contentHash = contentHash
        self.generation = generation
        self.checks = checks
        self.metrics = metrics
        self.gates = gates
        self.source = source
        self.license = license
    }
}

/// One check's detection rate, observed and corrected.
public struct CheckCorrection: Sendable, Hashable, Codable {
    public var check: String
    public var classifier: String?
    public var rate: CorrectedRate

    public init(check: String, classifier: String?, rate: CorrectedRate) {
        self.check = check
        self.classifier = classifier
        self.rate = rate
    }
}

public struct CheckSummary: Sendable, Hashable, Codable {
    public var name: String
    public var type: String
    public var weight: Double

    public init(name: String, type: String, weight: Double) {
        self.name = name
        self.type = type
        self.weight = weight
    }
}

/// A proportion with its Wilson score interval.
public struct Rate: Sendable, Hashable, Codable {
    public var successes: Int
    public var total: Int
    /// `successes / total`, or nil when `total` is 0.
    public var value: Double?
    public var lower: Double?
    public var upper: Double?
    public var confidence: Double

    public init(successes: Int, total: Int, confidence: Double = 0.95) {
        self.successes = successes
        self.total = total
        self.confidence = confidence
        if let interval = Statistics.wilsonInterval(successes: successes, total: total, confidence: confidence) {
            value = Double(successes) / Double(total)
            lower = interval.lower
            upper = interval.upper
        }
    }
}

/// Counts and rates for a set of items.
public struct Tally: Sendable, Hashable, Codable {
    public var items: Int
    public var passed: Int
    public var failed: Int
    public var errors: Int
    /// Passed over all items: errors count as not passed.
    public var passRate: Rate

    public init(items: Int, passed: Int, failed: Int, errors: Int) {
        self.items = items
        self.passed = passed
        self.failed = failed
        self.errors = errors
        self.passRate = Rate(successes: passed, total: items)
    }

    public init(_ outcomes: some Sequence<ItemOutcome>) {
        var passed = 0
        var failed = 0
        var errors = 0
        for outcome in outcomes {
            switch outcome {
            case .pass: passed += 1
            case .fail: failed += 1
            case .error: errors += 1
            }
        }
        self.init(items: passed + failed + errors, passed: passed, failed: failed, errors: errors)
    }

    public var errorRate: Double? { items == 0 ? nil : Double(errors) / Double(items) }
}

public struct SuiteMetrics: Sendable, Hashable, Codable {
    public var overall: Tally
    /// The same counts for the items of each tag.
    public var byTag: [String: Tally]
    /// How often each check passed, over items where it ran.
    public var byCheck: [String: Tally]
    /// Mean weighted score over items that have one.
    public var meanScore: Double?
    public var cachedItems: Int

    public init(
        overall: Tally,
        byTag: [String: Tally],
        byCheck: [String: Tally],
        meanScore: Double?,
        cachedItems: Int
    ) {
        self.overall = overall
        self.byTag = byTag
        self.byCheck = byCheck
        self.meanScore = meanScore
        self.cachedItems = cachedItems
    }
}

public struct GateOutcome: Sendable, Hashable, Codable {
    /// The gate as written, e.g. `pass_rate[tag=harmful] >= 0.9`.
    public var gate: String
    public var metric: String
    public var tag: String?
    /// The check a `check_pass_rate` gate bounds.
    public var check: String?
    public var min: Double?
    public var max: Double?
    /// The metric's value; nil when it could not be computed (no items), which fails the gate.
    public var actual: Double?
    public var passed: Bool
    public var message: String

    public init(
        gate: String,
        metric: String,
        tag: String?,
        check: String? = nil,
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
        self.min = min
        self.max = max
        self.actual = actual
        self.passed = passed
        self.message = message
    }
}

public struct Totals: Sendable, Hashable, Codable {
    public var tally: Tally
    public var cachedItems: Int
    public var gatesPassed: Int
    public var gatesFailed: Int

    public init(tally: Tally, cachedItems: Int, gatesPassed: Int, gatesFailed: Int) {
        self.tally = tally
        self.cachedItems = cachedItems
        self.gatesPassed = gatesPassed
        self.gatesFailed = gatesFailed
    }
}
