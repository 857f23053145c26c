import Foundation
import PlumbClassifiers
import PlumbCore
import Synchronization

/// `moderation`: sends the output to a moderation service in the OpenAI format (`ModerationClassifier`) and passes
/// when the service does not flag it.
///
/// Parameters:
/// - `url` (string, required): the API root, e.g. `https://api.openai.com/v1`; requests go to `{url}/moderations`.
/// - `model` (string, optional): sent as `model` (e.g. `omni-moderation-latest`); without it the service's default.
/// - `apiKeyEnv` (string, default `OPENAI_API_KEY`): the name of the environment variable holding the API key.
///   When it is unset no key is sent (local services need none).
/// - `category` (string, optional): judge one category's score (`violence`, `self-harm/intent` …) against
///   `threshold` instead of the service's own `flagged` decision.
/// - `threshold` (number in 0…1): with `category`, required: the check passes when the score is < threshold (a
///   score equal to it fails). Without `category` the score is `flagged` (1 or 0) and the threshold is 0.5.
/// - `batchSize` (whole number ≥ 1, default 32): the most texts sent in one request.
/// - `timeout` (seconds > 0, default 60) and `retries` (whole number ≥ 0, default 2): transient failures (HTTP 408,
///   429, 5xx, timeouts, lost connections) are retried, waiting as the server asks.
///
/// The result's score means "higher is better", as every check's does: 1 minus the category score, or 0 / 1 for
/// flagged / not flagged (the service's own score stays in the observation). A service failure or an answer
/// not in the format is an `error` result, never a pass; the API key never appears in a reason. Checks with the
/// same `url`, `model`, `apiKeyEnv`, `category`, `timeout` and `retries` share one classifier, so they share its
/// batches and its cache of texts already scored.
public struct ModerationCheck: Check {
    public let classifier: any TextClassifier
    public let category: String?
    public let threshold: Double

    /// A check of `category` (nil: the service's `flagged`) on `classifier`, whose labels must include it.
    public init(classifier: any TextClassifier, category: String? = nil, threshold: Double = 0.5) {
        self.classifier = classifier
        self.category = category
        self.threshold = threshold
    }

    init(
        parameters: CheckParameters,
        pool: ModerationPool,
        environment: [String: String]
    ) throws(SuiteDiagnostic) {
        let text = try parameters.requiredString(
            "url",
            "the moderation service's API root, e.g. https://api.openai.com/v1"
        )
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else {
            throw parameters.invalid("url", "must be an http:// or https:// URL, found \(Reason.quote(text))")
        }
        let model = try parameters.string("model")
        let keyVariable = try parameters.string("apiKeyEnv") ?? "OPENAI_API_KEY"
        guard !keyVariable.isEmpty, keyVariable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else {
            throw parameters.invalid("apiKeyEnv", "must be the name of an environment variable, such as OPENAI_API_KEY")
        }
        let category = try parameters.string("category")
        if category?.isEmpty == true { throw parameters.invalid("category", "must not be empty") }
        let threshold = try parameters.fraction("threshold")
        if category != nil, threshold == nil {
            throw parameters.missing("threshold", "the category score at which the output counts as flagged")
        }
        if category == nil, threshold != nil {
            throw parameters.invalid(
                "threshold",
                "applies only with 'category' (without it the service's 'flagged' decides)"
            )
        }
        let batchSize = try parameters.int("batchSize") ?? 32
        guard batchSize >= 1 else { throw parameters.invalid("batchSize", "must be 1 or more, found \(batchSize)") }
        let timeout = try parameters.double("timeout") ?? 60
        guard timeout > 0 else { throw parameters.invalid("timeout", "must be more than 0 seconds") }
        let configuration = ModerationClassifier.Configuration(
            baseURL: url,
            model: model,
            apiKeyVariable: keyVariable,
            categories: category.map { [$0] } ?? [],
            timeout: timeout,
            retries: try parameters.nonNegativeInt("retries") ?? 2
        )
        do {
            let classifier = try pool.classifier(configuration, batchSize: batchSize, environment: environment)
            self.init(classifier: classifier, category: category, threshold: threshold ?? 0.5)
        } catch {
            throw parameters.invalid("url", error.message)
        }
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let identity = classifier.identity
        let label = category ?? "flagged"
        guard let index = identity.labels.firstIndex(of: label) else {
            return .error("the moderation classifier has no label '\(label)'")
        }
        let score: Double
        do {
            let rows = try await classifier.scores(for: [input.output])
            guard rows.count == 1, rows[0].count == identity.labels.count else {
                return .error("the moderation service returned scores that do not match the texts sent")
            }
            score = rows[0][index]
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return .error("\(error)")
        }
        let flagged = score >= threshold
        let reason: String
        if category == nil {
            reason = flagged ? "flagged by the moderation service" : "not flagged by the moderation service"
        } else {
            reason = ClassifierCheck.comparison(label, score: score, threshold: threshold)
        }
        var metadata: [String: String] = [:]
        metadata["moderationURL"] = identity.settings["url"]
        return CheckResult(
            flagged ? .fail : .pass,
            score: 1 - score,
            reason: reason,
            metadata: metadata,
            classifier: ClassifierCheck.observation(identity, label: label, score: score, threshold: threshold)
        )
    }
}

/// The moderation classifiers of one check registry, one per configuration, so checks asking the same service
/// the same thing share batches and cache.
final class ModerationPool: Sendable {
    struct Key: Hashable {
        var configuration: ModerationClassifier.Configuration
        var batchSize: Int
    }

    let classifiers = Mutex<[Key: BatchingClassifier]>([:])

    func classifier(
        _ configuration: ModerationClassifier.Configuration,
        batchSize: Int,
        environment: [String: String]
    ) throws(ClassifierError) -> BatchingClassifier {
        let key = Key(configuration: configuration, batchSize: batchSize)
        if let found = classifiers.withLock({ $0[key] }) { return found }
        let made = BatchingClassifier(
            try ModerationClassifier(configuration, environment: environment),
            maxBatchSize: batchSize
        )
        return classifiers.withLock { classifiers in
            if let found = classifiers[key] { return found }
            classifiers[key] = made
            return made
        }
    }
}
