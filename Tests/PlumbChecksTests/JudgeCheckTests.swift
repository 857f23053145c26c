import Foundation
import PlumbChecks
import PlumbCore
import PlumbTestSupport
import Synchronization
import Testing

@Suite struct JudgeCheckTests {
    static func verifier(_ judge: FakeJudge, cache: JudgeCache? = nil) -> GradedVerifier {
        GradedVerifier(judges: ["strict": judge], judgeCache: cache)
    }

    static let defaultVersion = JudgeCheck.version(
        rubric: JudgeCheck.defaultRubric,
        criteria: JudgeCheck.defaultCriteria
    )

    @Test func sendsTheDefaultRubricAtTemperatureZeroWithAFixedSeed() async throws {
        let judge = FakeJudge(answering: "Correct.\nVERDICT: PASS\nSCORE: 7")
        let result = try await Self.verifier(judge).evaluate("judge", ["judge": "strict"], output: "Paris")
        #expect(result.outcome == .pass)
        #expect(result.score == 0.7)
        #expect(result.reason == "judge 'strict': PASS, score 0.70 (7)")
        let request = try #require(judge.requests.first)
        #expect(judge.requests.count == 1)
        #expect(request.temperature == 0)
        #expect(request.seed == JudgeCheck.seed)
        #expect(request.maxTokens == 1024)
        #expect(request.messages.count == 1)
        #expect(request.messages[0].role == .user)
        let expected = JudgeCheck.defaultRubric
            .replacingOccurrences(of: "{{prompt}}", with: "question")
            .replacingOccurrences(of: "{{output}}", with: "Paris")
            .replacingOccurrences(of: "{{criteria}}", with: JudgeCheck.defaultCriteria)
        #expect(request.messages[0].content == expected)
    }

    @Test func recordsTheJudgeAndTheRubricVersion() async throws {
        let judge = FakeJudge(answering: "VERDICT: FAIL")
        let result = try await Self.verifier(judge).evaluate("judge", ["judge": "strict"], output: "Lyon")
        #expect(result.outcome == .fail)
        #expect(result.score == 0)
        #expect(result.reason == "judge 'strict': FAIL")
        #expect(
            result.metadata == [
                "judge": "scripted:judge-a (judge-model-1)",
                "rubricVersion": Self.defaultVersion,
                "judgeAnswer": "VERDICT: FAIL",
            ]
        )
        let digest = SHA256.hex(JudgeCheck.defaultRubric + "\u{1E}" + JudgeCheck.defaultCriteria)
        #expect(Self.defaultVersion == "sha256:" + digest.prefix(12))
        #expect(JudgeCheck.version(rubric: JudgeCheck.defaultRubric, criteria: "other") != Self.defaultVersion)
    }

    @Test func customRubricsFillSampleFields() async throws {
        let judge = FakeJudge(answering: "VERDICT: PASS")
        let result = try await Self.verifier(judge).evaluate(
            "judge",
            [
                "judge": "strict",
                "rubric": "Q: {{prompt}}\nA: {{output}}\nReference: {{reference}}\nCriteria: {{criteria}}",
                "criteria": "Names {{reference}}.", "maxTokens": 64,
            ],
            output: "It is Paris.",
            fields: ["reference": .string("Paris")]
        )
        #expect(result.outcome == .pass)
        let request = try #require(judge.requests.first)
        #expect(request.messages[0].content == "Q: question\nA: It is Paris.\nReference: Paris\nCriteria: Names Paris.")
        #expect(request.maxTokens == 64)
    }

    @Test func aRubricFieldTheSampleLacksIsAnError() async throws {
        let judge = FakeJudge(answering: "VERDICT: PASS")
        let result = try await Self.verifier(judge).evaluate(
            "judge",
            ["judge": "strict", "rubric": "{{output}} vs {{reference}}"],
            output: "x"
        )
        #expect(result.outcome == .error)
        #expect(result.reason == "the rubric uses {{reference}}, but sample 's1' has no such field")
        #expect(judge.requests.isEmpty)
    }

    struct VerdictCase: Sendable, CustomTestStringConvertible {
        var label: String
        var threshold: Double?
        var answer: String
        var outcome: CheckOutcome
        var score: Double?
        var reason: String
        var testDescription: String { label }
    }

    static let verdicts: [VerdictCase] = [
        VerdictCase(
            label: "verdict with score",
            threshold: nil,
            answer: "**Verdict:** FAIL\n**Score:** 3/10",
            outcome: .fail,
            score: 0.3,
            reason: "judge 'strict': FAIL, score 0.30 (3/10)"
        ),
        VerdictCase(
            label: "json",
            threshold: nil,
            answer: #"{"verdict": "pass", "score": 0.8}"#,
            outcome: .pass,
            score: 0.8,
            reason: "judge 'strict': PASS, score 0.80 (0.8)"
        ),
        VerdictCase(
            label: "threshold reached",
            threshold: 0.6,
            answer: "VERDICT: FAIL\nSCORE: 6",
            outcome: .pass,
            score: 0.6,
            reason: "judge 'strict': score 0.60 ≥ 0.60 (6, verdict FAIL)"
        ),
        VerdictCase(
            label: "threshold missed",
            threshold: 0.6,
            answer: "VERDICT: PASS\nSCORE: 4",
            outcome: .fail,
            score: 0.4,
            reason: "judge 'strict': score 0.40 < 0.60 (4, verdict PASS)"
        ),
        VerdictCase(
            label: "threshold without a score",
            threshold: 0.6,
            answer: "VERDICT: PASS",
            outcome: .error,
            score: nil,
            reason: "judge 'strict' gave no score (the threshold needs one): \"VERDICT: PASS\""
        ),
        VerdictCase(
            label: "no verdict",
            threshold: nil,
            answer: "The answer seems reasonable to me.",
            outcome: .error,
            score: nil,
            reason: "judge 'strict' gave no verdict: \"The answer seems reasonable to me.\""
        ),
        VerdictCase(
            label: "empty answer",
            threshold: nil,
            answer: "  \n",
            outcome: .error,
            score: nil,
            reason: "judge 'strict' gave no verdict: an empty answer"
        ),
        VerdictCase(
            label: "score out of range",
            threshold: nil,
            answer: "VERDICT: PASS\nSCORE: 12/10",
            outcome: .error,
            score: nil,
            reason: "judge 'strict' gave the score 12/10, outside 0…10: \"VERDICT: PASS\\nSCORE: 12/10\""
        ),
        VerdictCase(
            label: "long answers are quoted from the end",
            threshold: nil,
            answer: String(repeating: "blah ", count: 40) + "no conclusion",
            outcome: .error,
            score: nil,
            reason: "judge 'strict' gave no verdict: \"…"
                + String((String(repeating: "blah ", count: 40) + "no conclusion").suffix(160)) + "\""
        ),
    ]

    @Test(arguments: verdicts)
    func readsTheJudgesAnswer(_ testCase: VerdictCase) async throws {
        let judge = FakeJudge(answering: testCase.answer)
        var parameters: [(String, P)] = [("judge", "strict")]
        if let threshold = testCase.threshold {
            parameters.append(("threshold", .number(threshold, raw: "\(threshold)")))
        }
        let check = try Self.verifier(judge).registry.makeCheck(params("judge", parameters))
        let result = try await CheckVerifier.evaluate(check, output: "x")
        #expect(result.outcome == testCase.outcome)
        #expect(result.score == testCase.score)
        #expect(result.reason == testCase.reason)
        #expect(result.metadata["judgeAnswer"] == testCase.answer)
    }

    @Test func aJudgeFailureIsAnErrorNeverAPass() async throws {
        let judge = FakeJudge { _, _ in throw BackendError(.badRequest, "model not found") }
        let result = try await Self.verifier(judge).evaluate("judge", ["judge": "strict"], output: "x")
        #expect(result.outcome == .error)
        #expect(result.score == nil)
        #expect(result.reason == "judge 'strict' failed: badRequest: model not found")
        #expect(result.metadata["judge"] == "scripted:judge-a (judge-model-1)")
        #expect(judge.requests.count == 1)
    }

    @Test func transientJudgeFailuresAreRetried() async throws {
        let judge = FakeJudge { _, index in
            if index == 0 { throw BackendError(.rateLimited, "slow down", retryAfter: 0) }
            return "VERDICT: PASS"
        }
        let result = try await Self.verifier(judge).evaluate("judge", ["judge": "strict"], output: "x")
        #expect(result.outcome == .pass)
        #expect(judge.requests.count == 2)

        let stubborn = FakeJudge { _, _ in throw BackendError(.serverError, "HTTP 503", retryAfter: 0) }
        let failed = try await Self.verifier(stubborn).evaluate(
            "judge",
            ["judge": "strict", "retries": 1],
            output: "x"
        )
        #expect(failed.outcome == .error)
        #expect(failed.reason == "judge 'strict' failed: serverError: HTTP 503")
        #expect(stubborn.requests.count == 2)
    }

    @Test func judgmentsAreCachedOnDiskAndKeyedByJudgeRubricAndRequest() async throws {
        let directory = TemporaryDirectory("judge-cache")
        let judge = FakeJudge(answering: "VERDICT: PASS\nSCORE: 9")
        let first = try await Self.verifier(judge, cache: try JudgeCache(directory: directory.path))
            .evaluate("judge", ["judge": "strict"], output: "Paris")
        #expect(judge.requests.count == 1)

        // A new cache on the same directory (a re-run) answers from disk.
        let reopened = try JudgeCache(directory: directory.path)
        #expect(reopened.count == 1)
        let again = try await Self.verifier(judge, cache: reopened).evaluate(
            "judge",
            ["judge": "strict"],
            output: "Paris"
        )
        #expect(judge.requests.count == 1)
        #expect(again == first)

        // A different output, rubric, criteria or judge is a miss.
        _ = try await Self.verifier(judge, cache: reopened).evaluate("judge", ["judge": "strict"], output: "Lyon")
        #expect(judge.requests.count == 2)
        _ = try await Self.verifier(judge, cache: reopened)
            .evaluate("judge", ["judge": "strict", "criteria": "Be brief."], output: "Paris")
        #expect(judge.requests.count == 3)
        _ = try await Self.verifier(judge, cache: reopened)
            .evaluate("judge", ["judge": "strict", "rubric": "Grade: {{output}}"], output: "Paris")
        #expect(judge.requests.count == 4)
        let otherModel = FakeJudge(model: "judge-model-2", answering: "VERDICT: FAIL")
        let other = try await Self.verifier(otherModel, cache: reopened)
            .evaluate("judge", ["judge": "strict"], output: "Paris")
        #expect(otherModel.requests.count == 1)
        #expect(other.outcome == .fail)
        #expect(reopened.count == 5)
        #expect(FileManager.default.fileExists(atPath: directory.path + "/" + JudgeCache.fileName))
    }

    @Test func failuresAreNotCached() async throws {
        let directory = TemporaryDirectory("judge-cache")
        let cache = try JudgeCache(directory: directory.path)
        let judge = FakeJudge { _, index in
            if index == 0 { throw BackendError(.badRequest, "nope") }
            return "VERDICT: PASS"
        }
        let failed = try await Self.verifier(judge, cache: cache).evaluate("judge", ["judge": "strict"], output: "x")
        #expect(failed.outcome == .error)
        #expect(cache.count == 0)
        let passed = try await Self.verifier(judge, cache: cache).evaluate("judge", ["judge": "strict"], output: "x")
        #expect(passed.outcome == .pass)
        #expect(cache.count == 1)
    }

    @Test func theCacheKeyCoversEveryInput() {
        let identity = BackendIdentity(kind: "openai", name: "judge", model: "m", settings: ["url": "u"])
        let request = ModelRequest(messages: [Message(role: .user, content: "grade")], temperature: 0, seed: 1)
        let key = JudgeCache.key(judge: identity, rubricVersion: "sha256:abc", request: request)
        #expect(key.count == 64)
        #expect(key == JudgeCache.key(judge: identity, rubricVersion: "sha256:abc", request: request))
        var otherIdentity = identity
        otherIdentity.settings["url"] = "v"
        var otherRequest = request
        otherRequest.seed = 2
        let keys = [
            JudgeCache.key(judge: otherIdentity, rubricVersion: "sha256:abc", request: request),
            JudgeCache.key(judge: identity, rubricVersion: "sha256:abd", request: request),
            JudgeCache.key(judge: identity, rubricVersion: "sha256:abc", request: otherRequest),
        ]
        #expect(Set(keys + [key]).count == 4)
    }

    struct LoadCase: Sendable, CustomTestStringConvertible {
        var label: String
        var parameters: KeyValuePairs<String, P>
        var code: SuiteDiagnostic.Code
        var at: String?
        var message: String
        var testDescription: String { label }
    }

    static let loadCases: [LoadCase] = [
        LoadCase(
            label: "no judge",
            parameters: [:],
            code: .missingField,
            at: nil,
            message: "check 'judge' needs 'judge' (the name of the judge model)"
        ),
        LoadCase(
            label: "misspelt judge",
            parameters: ["judge": "strct"],
            code: .invalidValue,
            at: "judge",
            message: "'judge' of check 'judge': no judge named 'strct'; did you mean 'strict'? (known: 'strict')"
        ),
        LoadCase(
            label: "rubric without output",
            parameters: ["judge": "strict", "rubric": "Is {{prompt}} ok?"],
            code: .invalidValue,
            at: "rubric",
            message: "'rubric' of check 'judge': must contain '{{output}}', the answer the judge grades"
        ),
        LoadCase(
            label: "rubric with an open placeholder",
            parameters: ["judge": "strict", "rubric": "{{output"],
            code: .invalidValue,
            at: "rubric",
            message: "'rubric' of check 'judge': '{{' is not closed by '}}'"
        ),
        LoadCase(
            label: "criteria naming the output",
            parameters: ["judge": "strict", "criteria": "{{output}} is ok"],
            code: .invalidValue,
            at: "criteria",
            message: "'criteria' of check 'judge': may use sample fields, but not {{output}}, {{prompt}} or "
                + "{{criteria}}"
        ),
        LoadCase(
            label: "threshold above 1",
            parameters: ["judge": "strict", "threshold": 2],
            code: .invalidValue,
            at: "threshold",
            message: "'threshold' of check 'judge': must be between 0 and 1, found 2.0"
        ),
        LoadCase(
            label: "zero scale",
            parameters: ["judge": "strict", "scale": 0],
            code: .invalidValue,
            at: "scale",
            message: "'scale' of check 'judge': must be more than 0, found 0"
        ),
        LoadCase(
            label: "zero max tokens",
            parameters: ["judge": "strict", "maxTokens": 0],
            code: .invalidValue,
            at: "maxTokens",
            message: "'maxTokens' of check 'judge': must be 1 or more, found 0"
        ),
        LoadCase(
            label: "negative retries",
            parameters: ["judge": "strict", "retries": -1],
            code: .invalidValue,
            at: "retries",
            message: "'retries' of check 'judge': must be 0 or more, found -1"
        ),
    ]

    @Test(arguments: loadCases)
    func rejectsBadParameters(_ testCase: LoadCase) {
        let (parameters, diagnostic) = Self.verifier(FakeJudge(answering: "")).loadError("judge", testCase.parameters)
        guard let diagnostic else { return }
        #expect(diagnostic.code == testCase.code)
        #expect(diagnostic.message.hasPrefix(testCase.message), "\(diagnostic.message)")
        #expect(diagnostic.location == (testCase.at.map { parameters.valueLocation($0) } ?? parameters.location))
    }

    @Test func noJudgesMeansEveryNameIsRejected() {
        let (_, diagnostic) = GradedVerifier().loadError("judge", ["judge": "strict"])
        #expect(
            diagnostic?.message
                == "'judge' of check 'judge': no judge named 'strict' (none are set up: judges are named by the "
                + "command that runs the suite)"
        )
    }

    @Test func typosAreLeftForUnknownKeys() throws {
        let parameters = params("judge", ["judge": "strict", "rubrik": "x"])
        _ = try Self.verifier(FakeJudge(answering: "")).registry.makeCheck(parameters)
        #expect(
            parameters.unknownKeys().map(\.message) == [
                "unknown parameter 'rubrik' for check 'judge'; did you mean 'rubric'?"
            ]
        )
    }
}
