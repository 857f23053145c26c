import Foundation
import PlumbBackends
import PlumbChecks
import PlumbClassifiers
import PlumbCore

/// The checks, classifiers and judges a command offers to suites, built once per command from its options.
enum CheckSetup {
    /// The classifiers `classifier` checks may name. Loaded lazily: a classifier's weights are read only when a
    /// suite names it.
    static func classifiers() -> ClassifierRegistry {
        var registry = ClassifierRegistry()
        registry.register(
            "toxicity",
            summary:
                "Plumb's toxicity classifier (hashed n-gram logistic regression, trained by Plumb with its contrast "
                + "corpus); label 'toxic'",
            maxBatchSize: 256,
            factory: { try ToxicityClassifier.shipped() }
        )
        registry.register(
            "toxicity-v1",
            summary: "the first toxicity model (Davidson, RTP, ToxiGen only): flags most mentions of groups; kept to "
                + "score as earlier runs did; label 'toxic'",
            maxBatchSize: 256,
            factory: { try ToxicityClassifier.shippedV1() }
        )
        registry.register(
            "refusal",
            summary: "Plumb's scored refusal detector (XSTest-trained logistic regression); label 'refusal'",
            RefusalClassifier()
        )
        registry.register(
            "sentiment",
            summary: "lexicon-based sentiment / regard score, 0.5 neutral; label 'positive' (Docs/classifiers.md)",
            SentimentClassifier()
        )
        return registry
    }

    /// `--judge NAME=SPEC` options, with model specs resolved like `--model` (inline or from plumb.json5).
    static func judges(_ options: [String], config: ModelConfig?, command: String) throws -> [String: ModelSpec] {
        var judges: [String: ModelSpec] = [:]
        for option in options {
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw UsageError(
                    "--judge takes NAME=MODEL, such as grader=openai:gpt-4o-mini, not '\(option)'",
                    command: command
                )
            }
            guard judges[parts[0]] == nil else {
                throw UsageError("judge '\(parts[0])' is named twice", command: command)
            }
            do {
                judges[parts[0]] = try BackendRegistry.builtins.spec(for: parts[1], config: config)
            } catch let error as BackendError {
                throw UsageError("--judge \(parts[0]): \(error.message)", command: command)
            }
        }
        return judges
    }

    static func makeJudges(_ specs: [String: ModelSpec]) throws -> [String: any ModelBackend] {
        var judges: [String: any ModelBackend] = [:]
        for (name, spec) in specs {
            do {
                judges[name] = try BackendRegistry.builtins.make(spec, connections: spec.concurrency ?? 4)
            } catch let error as BackendError {
                throw CommandFailure(exitCode: ExitCode.dataError, message: "judge '\(name)': \(error.message)")
            }
        }
        return judges
    }

    static func registry(judges: [String: any ModelBackend] = [:], judgeCache: JudgeCache? = nil) -> CheckRegistry {
        CheckRegistry.builtins(classifiers: classifiers(), judges: judges, judgeCache: judgeCache)
    }
}
