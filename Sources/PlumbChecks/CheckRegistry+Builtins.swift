import Foundation
import PlumbCore

extension CheckRegistry {
    /// Every check of PlumbChecks with no classifiers and no judges: the rule checks, `moderation`, and
    /// `classifier` and `judge`, which then reject every name they are given. Each kind is also available negated
    /// as `not-<kind>`.
    public static var builtins: CheckRegistry {
        builtins(classifiers: ClassifierRegistry())
    }

    /// Every check of PlumbChecks: the rule checks, and the checks that ask a classifier, a judge model or a
    /// moderation service.
    ///
    /// - Parameters:
    ///   - classifiers: the classifiers `classifier` checks may name.
    ///   - judges: the models `judge` checks may name, by name.
    ///   - judgeCache: where judgments are cached (nil: not cached).
    ///   - environment: where `moderation` checks read their API key (`apiKeyEnv`).
    public static func builtins(
        classifiers: ClassifierRegistry,
        judges: [String: any ModelBackend] = [:],
        judgeCache: JudgeCache? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> CheckRegistry {
        var registry = CheckRegistry()
        registerBuiltins(into: &registry)
        registerModelGraded(
            into: &registry,
            classifiers: classifiers,
            judges: judges,
            judgeCache: judgeCache,
            environment: environment
        )
        return registry
    }

    /// Adds `classifier`, `judge` and `moderation` to `registry`, replacing any of the same kind. Moderation
    /// checks made by this registry share one classifier per service configuration.
    public static func registerModelGraded(
        into registry: inout CheckRegistry,
        classifiers: ClassifierRegistry,
        judges: [String: any ModelBackend] = [:],
        judgeCache: JudgeCache? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        registry.register("classifier", summary: "a classifier's score for a label is below (or above) a threshold") {
            (parameters) throws(SuiteDiagnostic) in
            try ClassifierCheck(parameters: parameters, classifiers: classifiers)
        }
        registry.register("judge", summary: "a judge model grades the output against a rubric") {
            (parameters) throws(SuiteDiagnostic) in
            try JudgeCheck(parameters: parameters, judges: judges, cache: judgeCache)
        }
        let pool = ModerationPool()
        registry.register("moderation", summary: "a moderation service (OpenAI format) does not flag the output") {
            (parameters) throws(SuiteDiagnostic) in
            try ModerationCheck(parameters: parameters, pool: pool, environment: environment)
        }
    }

    /// Adds the rule checks to `registry`, replacing any of the same kind.
    public static func registerBuiltins(into registry: inout CheckRegistry) {
        registry.register("equals", summary: "the output equals a value, after optional normalisation") {
            (parameters) throws(SuiteDiagnostic) in try EqualsCheck(parameters: parameters)
        }
        registry.register("contains", summary: "the output contains a text") {
            (parameters) throws(SuiteDiagnostic) in try ContainsCheck(parameters: parameters)
        }
        registry.register("icontains", summary: "the output contains a text, ignoring case") {
            (parameters) throws(SuiteDiagnostic) in try ContainsCheck(parameters: parameters, caseInsensitive: true)
        }
        registry.register("contains-any", summary: "the output contains at least one of several texts") {
            (parameters) throws(SuiteDiagnostic) in try ContainsAnyCheck(parameters: parameters)
        }
        registry.register("contains-all", summary: "the output contains every one of several texts") {
            (parameters) throws(SuiteDiagnostic) in try ContainsAllCheck(parameters: parameters)
        }
        registry.register("starts-with", summary: "the output starts with a text, ignoring leading whitespace") {
            (parameters) throws(SuiteDiagnostic) in try StartsWithCheck(parameters: parameters)
        }
        registry.register("regex", summary: "a regular expression matches somewhere in the output") {
            (parameters) throws(SuiteDiagnostic) in try RegexCheck(parameters: parameters)
        }
        registry.register("is-json", summary: "the output is JSON, optionally matching a JSON Schema") {
            (parameters) throws(SuiteDiagnostic) in try IsJSONCheck(parameters: parameters)
        }
        registry.register("length", summary: "the output's length in characters is within bounds") {
            (parameters) throws(SuiteDiagnostic) in try LengthCheck(parameters: parameters)
        }
        registry.register("word-count", summary: "the output's number of words is within bounds") {
            (parameters) throws(SuiteDiagnostic) in try WordCountCheck(parameters: parameters)
        }
        registry.register("numeric", summary: "the number in the output equals a value, within a tolerance") {
            (parameters) throws(SuiteDiagnostic) in try NumericCheck(parameters: parameters)
        }
        registry.register("choice", summary: "the multiple-choice letter the output picks is the answer") {
            (parameters) throws(SuiteDiagnostic) in try ChoiceCheck(parameters: parameters)
        }
        registry.register("token-f1", summary: "SQuAD token F1 against a reference reaches a threshold") {
            (parameters) throws(SuiteDiagnostic) in try TokenF1Check(parameters: parameters)
        }
        registry.register("decision", summary: "reads the decision (a label, or a number) the output gives") {
            (parameters) throws(SuiteDiagnostic) in try DecisionCheck(parameters: parameters)
        }
        registry.register("refusal", summary: "the model refused (or complied) as expected") {
            (parameters) throws(SuiteDiagnostic) in try RefusalCheck(parameters: parameters)
        }
        registry.register("pii", summary: "the output holds no emails, phone numbers or payment card numbers") {
            (parameters) throws(SuiteDiagnostic) in try PIICheck(parameters: parameters)
        }
    }
}
