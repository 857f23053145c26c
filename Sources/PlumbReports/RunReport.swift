public import Foundation
public import PlumbCore
public import PlumbMetrics

/// The one source of truth for a run: what ran, every item, every metric and gate.
/// Every other output (HTML, Markdown, JUnit) is rendered from it. Versioned by `schemaVersion`;
/// the schema is documented in Docs/report-schema.md.
public struct RunReport: Sendable, Hashable, Codable {
    /// 2: error budget, typed classifier observations, check parameters, correction requests, the verdict, and
    /// `group` on items (Docs/report-schema.md lists the changes). Version-1 reports are still read.
    public static let currentSchemaVersion = 2

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
    /// How many item errors the run allowed (`--max-errors`); nil: none. Part of the verdict.
    public var errorBudget: ErrorBudget?
    /// When the run asked only part of its suites: how it was chosen (`--tag harmful, --limit 12 (seed 1)`); nil
    /// for whole runs.
    public var subset: String?
    /// With `subset`: how many items the whole run (or this shard of it) would have asked.
    public var subsetOf: Int?

    /// `14 of 48 items (--limit 12 (seed 1))`, for the summaries; nil for whole runs.
    public var subsetLine: String? {
        subset.map { "\(totals.tally.items) of \(subsetOf.map(String.init) ?? "?") items (\($0))" }
    }

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
        statistics: RunStatistics? = nil,
        errorBudget: ErrorBudget? = nil
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
        self.errorBudget = errorBudget
    }

    /// The run's one verdict (see `Verdict`), from its status, errors, error budget and gates. Every renderer and
    /// every command's exit code reads this.
    public var verdict: Verdict {
        Verdict(
            status: status,
            items: totals.tally.items,
            errors: totals.tally.errors,
            gates: suites.flatMap(\.gates),
            errorBudget: errorBudget
        )
    }

    /// The verdict in a few words, as every output writes it.
    public var headline: String { verdict.headline(errorBudget: errorBudget) }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, runID, plumbVersion, status, startedAt, finishedAt, host, backend, suites, items, totals,
            shard, statistics, errorBudget, subset, subsetOf, verdict
    }

    /// The verdict as written into report.json, for readers such as `jq`; Plumb recomputes it when reading.
    struct WrittenVerdict: Codable {
        var result: String
        var summary: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        runID = try container.decode(String.self, forKey: .runID)
        plumbVersion = try container.decode(String.self, forKey: .plumbVersion)
        status = try container.decode(RunStatus.self, forKey: .status)
        startedAt = try container.decode(Date.self, forKey: .startedAt)
        finishedAt = try container.decode(Date.self, forKey: .finishedAt)
        host = try container.decode(HostInfo.self, forKey: .host)
        backend = try container.decode(BackendIdentity.self, forKey: .backend)
        suites = try container.decode([SuiteReport].self, forKey: .suites)
        items = try container.decode([ItemResult].self, forKey: .items)
        totals = try container.decode(Totals.self, forKey: .totals)
        shard = try container.decodeIfPresent(Shard.self, forKey: .shard)
        statistics = try container.decodeIfPresent(RunStatistics.self, forKey: .statistics)
        errorBudget = try container.decodeIfPresent(ErrorBudget.self, forKey: .errorBudget)
        subset = try container.decodeIfPresent(String.self, forKey: .subset)
        subsetOf = try container.decodeIfPresent(Int.self, forKey: .subsetOf)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(runID, forKey: .runID)
        try container.encode(plumbVersion, forKey: .plumbVersion)
        try container.encode(status, forKey: .status)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(host, forKey: .host)
        try container.encode(backend, forKey: .backend)
        try container.encode(suites, forKey: .suites)
        try container.encode(items, forKey: .items)
        try container.encode(totals, forKey: .totals)
        try container.encodeIfPresent(shard, forKey: .shard)
        try container.encodeIfPresent(statistics, forKey: .statistics)
        try container.encodeIfPresent(errorBudget, forKey: .errorBudget)
        try container.encodeIfPresent(subset, forKey: .subset)
        try container.encodeIfPresent(subsetOf, forKey: .subsetOf)
        try container.encode(WrittenVerdict(result: verdict.name, summary: headline), forKey: .verdict)
    }
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
    /// The scoring rule: `all`, `any` or `weighted >= T`.
    public var scoring: String?
    public var metrics: SuiteMetrics
    public var gates: [GateOutcome]
    /// The suite's regression gates (`maxDrop`), which need a baseline: `plumb compare` and `plumb run --baseline`
    /// evaluate them. Absent when the suite has none.
    public var regressionGates: [GateSpec]?
    /// Classifier detection rates corrected for the classifier's errors, as the suite asked (`corrections`).
    public var corrections: [CheckCorrection]?
    /// `pairs` suites: fairness over tuples (per group rates, gaps, flips), slot by slot.
    public var fairness: FairnessReport?
    /// Suites with a toxicity classifier check: toxicity over k continuations.
    public var toxicity: [ToxicityReport]?
    /// Suites with a `choice` check: multiple-choice accuracy and invalid answers.
    public var choice: [ChoiceReport]?
    /// Suites with an `equals` or `token-f1` check: short-answer accuracy.
    public var shortAnswer: [ShortAnswerReport]?
    /// Suites with several answers per prompt: pass@k, pass^k, flaky prompts, the design effect.
    public var repeats: RepeatsReport?
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
        scoring: String? = nil,
        metrics: SuiteMetrics,
        gates: [GateOutcome],
        corrections: [CheckCorrection]? = nil,
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
        self.scoring = scoring
        self.metrics = metrics
        self.gates = gates
        self.corrections = corrections
        self.source = source
        self.license = license
    }
}

/// A check as the suite bound it, with its parameters as written (so a comparison sees a changed threshold).
public struct CheckSummary: Sendable, Hashable, Codable {
    public var name: String
    public var type: String
    public var weight: Double
    /// The parameters as written in the suite, without `type`, `name` and `weight`; nil in version-1 reports.
    public var parameters: [String: JSONValue]?

    public init(name: String, type: String, weight: Double, parameters: [String: JSONValue]? = nil) {
        self.name = name
        self.type = type
        self.weight = weight
        self.parameters = parameters
    }
}

public struct Totals: Sendable, Hashable, Codable {
    public var tally: Tally
    public var cachedItems: Int
    public var gatesPassed: Int
    public var gatesFailed: Int
    /// Tokens over the items that report usage, cached answers left out (nil when none does).
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// Median and 95th percentile of the items' latency in seconds (nearest rank over the items that have one,
    /// cached answers included with their original latency); nil when none has.
    public var latencyP50: Double?
    public var latencyP95: Double?

    public init(tally: Tally, cachedItems: Int, gatesPassed: Int, gatesFailed: Int) {
        self.tally = tally
        self.cachedItems = cachedItems
        self.gatesPassed = gatesPassed
        self.gatesFailed = gatesFailed
    }
}
