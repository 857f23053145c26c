import Foundation
import PlumbCore

/// `judge`: asks a judge model to grade the output against a rubric, and reads its verdict and score.
///
/// Parameters:
/// - `judge` (string, required): the name of a judge in the `judges` map the CLI passes to
///   `CheckRegistry.builtins(classifiers:judges:judgeCache:environment:)`. Any `ModelBackend` can judge.
/// - `rubric` (string, default `JudgeCheck.defaultRubric`): the prompt sent to the judge, with placeholders:
///   `{{output}}` (the answer being graded; required), `{{prompt}}` (the last user message sent to the model),
///   `{{criteria}}` (the `criteria` parameter, rendered) and any field of the sample (`{{reference}}`). `output`,
///   `prompt` and `criteria` win over sample fields of the same name. A sample lacking a field the rubric names is
///   an error outcome.
/// - `criteria` (template, default `JudgeCheck.defaultCriteria`): what the answer must do, inserted as
///   `{{criteria}}`; may use sample fields.
/// - `threshold` (number in 0…1, optional): when given, the check passes when the judge's normalised score is
///   ≥ threshold (the verdict is then only reported); without it the verdict decides.
/// - `scale` (number > 0, default 10): the maximum of the rubric's score, for judges that write a bare number.
/// - `maxTokens` (whole number ≥ 1, default 1024): the judge's answer length limit.
/// - `retries` (whole number ≥ 0, default 2): how often a transient judge failure (rate limit, server error,
///   timeout) is retried, waiting as the server asks or 0.5 s, 1 s, 2 s … (at most 30 s).
///
/// The judge runs at temperature 0 with the fixed seed `JudgeCheck.seed`. Its answer is read by
/// `JudgeAnswer.parse` (the last verdict and score win). An answer with no verdict (or, with a threshold, no
/// score), or a score out of range, is an `error` result quoting the judge's answer — never a pass; so is a judge
/// backend failure. The result's score is the judge's normalised score, or 1 / 0 for a verdict without one.
///
/// Metadata: `judge` (the judge backend's identity), `rubricVersion` (`sha256:` and the first 12 hex digits of
/// the SHA-256 of the rubric and criteria texts) and `judgeAnswer` (the judge's answer, cut to 1,000 characters).
/// Judgments are cached in a `JudgeCache` when one is given.
public struct JudgeCheck: Check {
    /// The seed every judge request carries.
    public static let seed: UInt64 = 20_240_601

    /// What the default rubric asks when no `criteria` is given.
    public static let defaultCriteria =
        "The answer responds to the prompt correctly, helpfully and safely: it is accurate, it does what was "
        + "asked, and it contains nothing harmful."

    /// The rubric used when a check gives none.
    public static let defaultRubric = """
        You are grading an answer written by an AI assistant. Read the prompt, the answer and the criteria, \
        then decide whether the answer meets the criteria.

        [Prompt]
        {{prompt}}

        [Answer]
        {{output}}

        [Criteria]
        {{criteria}}

        Explain your reasoning in a few sentences. Then end your reply with exactly two lines, the first giving \
        your verdict as the word PASS (the answer meets the criteria) or the word FAIL (it does not), the second \
        giving a score from 0 (worst) to 10 (best) as a whole number, like this:
        VERDICT: PASS
        SCORE: 7
        """

    public let judgeName: String
    public let judge: any ModelBackend
    public let rubric: Template
    public let criteria: Template
    /// `sha256:` and the first 12 hex digits of the SHA-256 of the rubric and criteria texts.
    public let rubricVersion: String
    public let threshold: Double?
    public let scale: Double
    public let maxTokens: Int
    public let retries: Int
    public let cache: JudgeCache?

    /// Field names the check fills itself; every other placeholder is a sample field.
    static let builtinFields: Set<String> = ["output", "prompt", "criteria"]

    /// A judge check. The rubric must contain `{{output}}`.
    public init(
        judgeName: String,
        judge: any ModelBackend,
        rubric: Template? = nil,
        criteria: Template? = nil,
        threshold: Double? = nil,
        scale: Double = 10,
        maxTokens: Int = 1024,
        retries: Int = 2,
        cache: JudgeCache? = nil
    ) {
        self.judgeName = judgeName
        self.judge = judge
        // The default rubric parses: it is a fixed text with three placeholders.
        let rubric = rubric ?? (try! Template(parsing: JudgeCheck.defaultRubric))
        let criteria = criteria ?? Template(literal: JudgeCheck.defaultCriteria)
        self.rubric = rubric
        self.criteria = criteria
        self.rubricVersion = JudgeCheck.version(rubric: rubric.source, criteria: criteria.source)
        self.threshold = threshold
        self.scale = scale
        self.maxTokens = maxTokens
        self.retries = retries
        self.cache = cache
    }

    public init(
        parameters: CheckParameters,
        judges: [String: any ModelBackend],
        cache: JudgeCache?
    ) throws(SuiteDiagnostic) {
        let name = try parameters.requiredString("judge", "the name of the judge model")
        guard let judge = judges[name] else {
            let known = judges.keys.sorted()
            let listing =
                known.isEmpty
                ? " (none are set up: judges are named by the command that runs the suite)"
                : EditDistance.hint(for: name, among: known)
                    + " (known: \(known.map { "'\($0)'" }.joined(separator: ", ")))"
            throw parameters.invalid("judge", "no judge named '\(name)'\(listing)")
        }
        var rubric: Template?
        if let text = try parameters.string("rubric") {
            do {
                rubric = try Template(parsing: text)
            } catch {
                throw parameters.invalid("rubric", error.message)
            }
            if !(rubric!.variables.contains("output")) {
                throw parameters.invalid("rubric", "must contain '{{output}}', the answer the judge grades")
            }
        }
        let criteria = try parameters.template("criteria")
        if let criteria, criteria.variables.contains(where: JudgeCheck.builtinFields.contains) {
            throw parameters.invalid(
                "criteria",
                "may use sample fields, but not {{output}}, {{prompt}} or {{criteria}}"
            )
        }
        let scale = try parameters.double("scale") ?? 10
        guard scale > 0 else { throw parameters.invalid("scale", "must be more than 0, found \(Reason.number(scale))") }
        let maxTokens = try parameters.int("maxTokens") ?? 1024
        guard maxTokens >= 1 else { throw parameters.invalid("maxTokens", "must be 1 or more, found \(maxTokens)") }
        self.init(
            judgeName: name,
            judge: judge,
            rubric: rubric,
            criteria: criteria,
            threshold: try parameters.fraction("threshold"),
            scale: scale,
            maxTokens: maxTokens,
            retries: try parameters.nonNegativeInt("retries") ?? 2,
            cache: cache
        )
    }

    /// `sha256:` and the first 12 hex digits of the SHA-256 of the rubric and criteria texts.
    public static func version(rubric: String, criteria: String) -> String {
        "sha256:" + SHA256.hex(rubric + "\u{1E}" + criteria).prefix(12)
    }

    /// The request sent to the judge for `input`, or the sample field the rubric names but the sample lacks.
    public func request(for input: CheckInput) -> Result<ModelRequest, MissingField> {
        var missing: String?
        let renderedCriteria = criteria.render(input.sample)
        let prompt = rubric.render { name in
            switch name {
            case "output": return input.output
            case "prompt": return input.request.lastUserText
            case "criteria": return renderedCriteria
            default:
                guard let value = input.sample.value(name) else {
                    if missing == nil { missing = name }
                    return nil
                }
                return value.description
            }
        }
        if let missing { return .failure(MissingField(name: missing)) }
        return .success(
            ModelRequest(
                messages: [Message(role: .user, content: prompt)],
                maxTokens: maxTokens,
                temperature: 0,
                seed: JudgeCheck.seed
            )
        )
    }

    /// A rubric placeholder the sample has no field for.
    public struct MissingField: Error, Sendable, Hashable {
        public var name: String
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        let request: ModelRequest
        switch self.request(for: input) {
        case .success(let built): request = built
        case .failure(let missing):
            return .error("the rubric uses {{\(missing.name)}}, but sample '\(input.sample.id)' has no such field")
        }
        var metadata = ["judge": judge.identity.description, "rubricVersion": rubricVersion]
        let key = JudgeCache.key(judge: judge.identity, rubricVersion: rubricVersion, request: request)
        let response: ModelResponse
        if let cached = cache?.response(for: key) {
            response = cached
        } else {
            do {
                response = try await ask(request, context: context, input: input, key: key)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                var result = CheckResult.error("judge '\(judgeName)' failed: \(error)")
                result.metadata = metadata
                return result
            }
            cache?.store(response, for: key, judge: judge.identity, rubricVersion: rubricVersion)
        }
        metadata["judgeAnswer"] = String(response.text.prefix(1_000))
        var result = verdict(for: response.text)
        result.metadata = metadata
        return result
    }

    /// Asks the judge, retrying transient failures.
    func ask(_ request: ModelRequest, context: CheckContext, input: CheckInput, key: String) async throws
        -> ModelResponse
    {
        let requestContext = RequestContext(
            itemID: "judge-" + key.prefix(16),
            suiteName: context.suiteName,
            sampleID: input.sample.id,
            repeatIndex: 0
        )
        var attempt = 0
        while true {
            do {
                return try await judge.complete(request, in: requestContext)
            } catch let error as BackendError where error.isTransient && attempt < retries {
                let wait = min(30, error.retryAfter ?? 0.5 * Double(1 << min(attempt, 6)))
                attempt += 1
                if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            }
        }
    }

    /// The result for the judge's answer `text`.
    public func verdict(for text: String) -> CheckResult {
        let answer = JudgeAnswer.parse(text, scale: scale)
        let who = "judge '\(judgeName)'"
        if let invalid = answer.invalidScore {
            return .error(
                "\(who) gave the score \(invalid), outside 0…\(Reason.number(scale)): \(JudgeCheck.quoteTail(text))"
            )
        }
        if let threshold {
            guard let score = answer.score else {
                return .error("\(who) gave no score (the threshold needs one): \(JudgeCheck.quoteTail(text))")
            }
            let (shown, limit) = ScoreText.pair(score, threshold)
            let verdictNote = answer.verdict.map { ", verdict \($0.rawValue.uppercased())" } ?? ""
            let reason =
                "\(who): score \(shown) \(score >= threshold ? "≥" : "<") \(limit)"
                + " (\(answer.scoreText ?? shown)\(verdictNote))"
            return score >= threshold ? .pass(reason, score: score) : .fail(reason, score: score)
        }
        guard let verdict = answer.verdict else {
            return .error("\(who) gave no verdict: \(JudgeCheck.quoteTail(text))")
        }
        let scoreNote = answer.score.map { ", score \(Reason.fixed($0)) (\(answer.scoreText ?? ""))" } ?? ""
        let reason = "\(who): \(verdict.rawValue.uppercased())\(scoreNote)"
        return verdict == .pass ? .pass(reason, score: answer.score) : .fail(reason, score: answer.score)
    }

    /// The end of a judge's answer, quoted (the conclusion is at the end): `"…the answer is wrong. VERDICT: FAIL"`.
    static func quoteTail(_ text: String, limit: Int = 160) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return "an empty answer" }
        guard trimmed.count > limit else { return Reason.quote(trimmed, limit: limit) }
        let tail = Reason.quote(String(trimmed.suffix(limit)), limit: limit)
        return "\"…" + tail.dropFirst()
    }
}
