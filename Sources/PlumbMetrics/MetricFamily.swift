public import PlumbCore

/// One family of metrics (pass rates; later toxicity over k continuations, fairness over tuples, choice accuracy):
/// the names it defines, and how to compute a gate's value from a suite's results.
///
/// A new family is one new file in `Families/` that conforms to this protocol, plus its entry in
/// `MetricFamilies.builtins`. Families read results and typed observations (`ClassifierObservation`), never
/// string keys.
public protocol MetricFamily: Sendable {
    /// The metrics this family defines, as gates may name them.
    var definitions: [MetricDefinition] { get }
    /// The value `gate` bounds, computed over `results`; nil when it is undefined (no items in scope), which fails
    /// the gate.
    func value(of gate: GateSpec, in results: SuiteResults) -> Double?

    /// For a metric that is a ratio of sums over items (a pass rate, an accuracy, a mean): each item's numerator
    /// and denominator, by item id (items outside the gate's scope are absent). Σ numerators ÷ Σ denominators over
    /// `results.items` equals `value(of:in:)`, so a comparison's thousands of resamples add numbers instead of
    /// recomputing the metric. Nil when the metric is not such a ratio (the default).
    func ratioTerms(of gate: GateSpec, in results: SuiteResults) -> [String: RatioTerm]?
}

/// One item's part of a ratio metric.
public struct RatioTerm: Sendable, Hashable {
    public var numerator: Double
    public var denominator: Double

    public init(_ numerator: Double, _ denominator: Double) {
        self.numerator = numerator
        self.denominator = denominator
    }

    public static let zero = RatioTerm(0, 0)

    /// Terms add part by part: a sum of terms is the ratio over their items together.
    public static func + (lhs: RatioTerm, rhs: RatioTerm) -> RatioTerm {
        RatioTerm(lhs.numerator + rhs.numerator, lhs.denominator + rhs.denominator)
    }

    public static func += (lhs: inout RatioTerm, rhs: RatioTerm) {
        lhs.numerator += rhs.numerator
        lhs.denominator += rhs.denominator
    }

    /// Numerator ÷ denominator; nil over no denominator.
    public var ratio: Double? { denominator > 0 ? numerator / denominator : nil }
}

extension GateSpec {
    /// Whether `item` is in the gate's scope: every item, or those with its tag.
    public func covers(_ item: ItemResult) -> Bool { tag.map { item.tags.contains($0) } ?? true }
}

extension MetricFamily {
    public func ratioTerms(of gate: GateSpec, in results: SuiteResults) -> [String: RatioTerm]? { nil }
}

/// The results of one suite, as families read them: the items, and the pass-rate tallies computed once.
public struct SuiteResults: Sendable {
    public var items: [ItemResult]
    public var passRates: SuiteMetrics
    /// For `pairs` suites.
    public var fairness: FairnessReport?

    /// Every family's inputs, the fairness report with its intervals (``Bootstrap/standard``); a comparison's
    /// resamples use ``init(items:for:)``, which computes only what one family needs.
    public init(items: [ItemResult]) {
        self.items = items
        self.passRates = PassRateFamily.metrics(for: items)
        self.fairness = FairnessFamily.report(for: items)
    }

    /// What `family` reads, no more: the pass-rate tallies only for the pass-rate family, the fairness report (values
    /// only) only for the fairness family — for the thousands of resamples a comparison evaluates.
    public init(items: [ItemResult], for family: any MetricFamily) {
        self.items = items
        self.passRates =
            family is PassRateFamily
            ? PassRateFamily.metrics(for: items)
            : SuiteMetrics(
                overall: Tally(items: 0, passed: 0, failed: 0, errors: 0),
                byTag: [:],
                byCheck: [:],
                meanScore: nil,
                cachedItems: 0
            )
        self.fairness = family is FairnessFamily ? FairnessFamily.report(for: items, bootstrap: .none) : nil
    }
}

/// Why a metric could not be computed: a gate names a metric no family defines (a report from a newer Plumb, or
/// an edited one).
public struct MetricError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The metric families a command uses: a value built once and passed down, never a global.
public struct MetricFamilies: Sendable {
    public private(set) var families: [any MetricFamily]

    public init(_ families: [any MetricFamily]) { self.families = families }

    /// Every family Plumb ships.
    public static let builtins = MetricFamilies([
        PassRateFamily(), FairnessFamily(), ToxicityFamily(), RepeatsFamily(), ChoiceFamily(), ShortAnswerFamily(),
    ])

    /// The names a suite loader accepts in gates.
    public var catalog: MetricCatalog { MetricCatalog(families.flatMap(\.definitions)) }

    /// The family that defines `metric`.
    public func family(of metric: MetricID) -> (any MetricFamily)? {
        families.last { family in family.definitions.contains { $0.id == metric } }
    }
}

extension MetricCatalog {
    /// The metrics of every family Plumb ships.
    public static var builtins: MetricCatalog { MetricFamilies.builtins.catalog }
}
