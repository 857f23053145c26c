import Foundation
import PlumbCore

/// `classifier`: scores the output with a `TextClassifier` and compares one label's score to a threshold.
///
/// Parameters:
/// - `classifier` (string, required): the name of a classifier in the `ClassifierRegistry` the CLI passes to
///   `CheckRegistry.builtins(classifiers:)`. An unknown name is an error when the suite loads.
/// - `label` (string, default: the classifier's first label): which of the classifier's labels to read.
/// - `threshold` (number in 0…1, default: the classifier's `defaultThreshold`): where the check flips. A
///   classifier without a default threshold needs one written in the suite.
/// - `pass` (`"below"` or `"above"`, default `"below"`): `below` passes when score < threshold (for labels that
///   are bad, such as `toxic`); `above` passes when score ≥ threshold (for labels that are wanted). A score equal
///   to the threshold counts as reaching it: it fails `below` and passes `above`.
///
/// The result's `score` means "higher is better", as every check's does: the classifier's score for the label with
/// `pass: "above"`, and 1 minus it with `pass: "below"` (a toxicity check scores a clean output near 1), so
/// weighted scoring and `mean_score` rank outputs the way the check does. The classifier's own score stays in the
/// observation, which toxicity and corrected-rate metrics read. The reason states the comparison: `toxic 0.91 ≥ 0.50`, `toxic 0.12 < 0.50`. Scores are shown with
/// two decimals, or more when two decimals would make them look equal to the threshold. A classifier failure is an
/// `error` result, never a pass. What the check saw (classifier, version, score, threshold, detected, published
/// sensitivity and specificity) is the result's typed `classifier` observation.
///
/// Concurrent evaluations share the classifier's calls (see `BatchingClassifier`): identical outputs are scored
/// once and outputs scored at the same time go out in one batch.
public struct ClassifierCheck: Check {
    /// Which side of the threshold passes.
    public enum PassWhen: String, Sendable, Hashable, CaseIterable {
        /// Passes when score < threshold.
        case below
        /// Passes when score ≥ threshold.
        case above
    }

    public let classifier: any TextClassifier
    public let label: String
    public let labelIndex: Int
    public let threshold: Double
    public let passWhen: PassWhen

    /// A check of `label` (default: the first label). Throws when the label is not one of the classifier's, or no
    /// threshold is given and the classifier has no default one.
    public init(
        classifier: any TextClassifier,
        label: String? = nil,
        threshold: Double? = nil,
        pass passWhen: PassWhen = .below
    ) throws(ClassifierError) {
        let identity = classifier.identity
        guard let label = label ?? identity.labels.first else {
            throw ClassifierError("classifier '\(identity.name)' has no labels")
        }
        guard let index = identity.labels.firstIndex(of: label) else {
            throw ClassifierError(
                "classifier '\(identity.name)' has no label '\(label)'; its labels are "
                    + identity.labels.map { "'\($0)'" }.joined(separator: ", ")
            )
        }
        guard let threshold = threshold ?? identity.defaultThreshold else {
            throw ClassifierError("classifier '\(identity.name)' has no default threshold; give a 'threshold'")
        }
        self.classifier = classifier
        self.label = label
        self.labelIndex = index
        self.threshold = threshold
        self.passWhen = passWhen
    }

    public init(parameters: CheckParameters, classifiers: ClassifierRegistry) throws(SuiteDiagnostic) {
        let name = try parameters.requiredString("classifier", "the name of a registered classifier")
        let classifier: any TextClassifier
        do {
            guard let found = try classifiers.classifier(named: name) else {
                let known = classifiers.names
                let listing =
                    known.isEmpty
                    ? " (none are registered: classifiers are set up by the command that runs the suite)"
                    : EditDistance.hint(for: name, among: known)
                        + " (known: \(known.map { "'\($0)'" }.joined(separator: ", ")))"
                throw parameters.invalid("classifier", "no classifier named '\(name)'\(listing)")
            }
            classifier = found
        } catch let diagnostic as SuiteDiagnostic {
            throw diagnostic
        } catch {
            throw parameters.invalid("classifier", "classifier '\(name)' could not be loaded: \(error)")
        }
        try self.init(parameters: parameters, classifier: classifier)
    }

    /// Reads `label`, `threshold` and `pass` for `classifier` (shared with checks built on a classifier, such as
    /// `moderation`).
    init(
        parameters: CheckParameters,
        classifier: any TextClassifier,
        defaultLabel: String? = nil,
        readsPass: Bool = true
    ) throws(SuiteDiagnostic) {
        let identity = classifier.identity
        let label = try parameters.string("label") ?? defaultLabel
        if let label, !identity.labels.contains(label) {
            throw parameters.invalid(
                "label",
                "classifier '\(identity.name)' has no label '\(label)'"
                    + EditDistance.hint(for: label, among: identity.labels)
                    + " (its labels: \(identity.labels.map { "'\($0)'" }.joined(separator: ", ")))"
            )
        }
        let threshold = try parameters.fraction("threshold")
        if threshold == nil, identity.defaultThreshold == nil {
            throw parameters.missing(
                "threshold",
                "the score at which the check flips; classifier '\(identity.name)' has no default threshold"
            )
        }
        let pass =
            readsPass ? try parameters.option("pass", among: PassWhen.allCases.map(\.rawValue)) : nil
        do {
            try self.init(
                classifier: classifier,
                label: label,
                threshold: threshold,
                pass: pass.flatMap(PassWhen.init(rawValue:)) ?? .below
            )
        } catch {
            throw parameters.invalid("classifier", error.message)
        }
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let identity = classifier.identity
        let score: Double
        do {
            let rows = try await classifier.scores(for: [input.output])
            guard rows.count == 1, rows[0].count == identity.labels.count else {
                return .error("classifier '\(identity.name)' returned scores that do not match its labels")
            }
            score = rows[0][labelIndex]
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return .error("classifier '\(identity.name)' failed: \(error)")
        }
        guard score >= 0, score <= 1 else {
            return .error("classifier '\(identity.name)' returned \(score) for '\(label)', not a number in 0…1")
        }
        let reached = score >= threshold
        let passed = passWhen == .above ? reached : !reached
        return CheckResult(
            passed ? .pass : .fail,
            score: passWhen == .above ? score : 1 - score,
            reason: ClassifierCheck.comparison(label, score: score, threshold: threshold),
            classifier: ClassifierCheck.observation(identity, label: label, score: score, threshold: threshold)
        )
    }

    /// What the check saw, for metrics (corrected rates, toxicity): the score, the threshold, whether the label was
    /// detected, and the classifier's published sensitivity and specificity (and the threshold they were measured
    /// at) when it has them.
    static func observation(_ identity: ClassifierIdentity, label: String, score: Double, threshold: Double)
        -> ClassifierObservation
    {
        ClassifierObservation(
            classifier: identity.name,
            version: identity.version,
            label: label,
            score: score,
            threshold: threshold,
            detected: score >= threshold,
            sensitivity: identity.sensitivity,
            specificity: identity.specificity,
            measuredAtThreshold: identity.defaultThreshold,
            measuredOn: identity.sensitivity == nil ? nil : identity.settings["measuredOn"],
            measuredPositives: identity.measuredPositives,
            measuredNegatives: identity.measuredNegatives
        )
    }

    /// `toxic 0.91 ≥ 0.50` or `toxic 0.12 < 0.50`.
    static func comparison(_ label: String, score: Double, threshold: Double) -> String {
        let (shown, limit) = ScoreText.pair(score, threshold)
        return "\(label) \(shown) \(score >= threshold ? "≥" : "<") \(limit)"
    }
}

/// How reasons show scores.
enum ScoreText {
    /// `score` and `threshold` with two decimals, or with as many more (up to six) as it takes for them not to look
    /// equal when they differ.
    static func pair(_ score: Double, _ threshold: Double) -> (String, String) {
        var digits = 2
        while digits < 6, score != threshold,
            Reason.fixed(score, digits: digits) == Reason.fixed(threshold, digits: digits)
        {
            digits += 1
        }
        return (Reason.fixed(score, digits: digits), Reason.fixed(threshold, digits: digits))
    }
}
