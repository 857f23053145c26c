import Foundation
import PlumbChecks
import PlumbCore
import Synchronization
import Testing

@Suite struct ClassifierCheckTests {
    static let table: [String: [Double]] = [
        "nice": [0.12, 0.03],
        "rude": [0.91, 0.70],
        "edge": [0.50, 0.50],
        "close": [0.499, 0.2],
    ]

    static func verifier(_ classifier: FakeClassifier = FakeClassifier(table: table)) -> GradedVerifier {
        var classifiers = ClassifierRegistry()
        classifiers.register("toxicity", summary: "fake", classifier)
        return GradedVerifier(classifiers: classifiers)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var parameters: KeyValuePairs<String, P>
        var output: String
        var outcome: CheckOutcome
        var reason: String
        var score: Double
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "below passes under",
            parameters: ["classifier": "toxicity"],
            output: "nice",
            outcome: .pass,
            reason: "toxic 0.12 < 0.50",
            score: 0.12
        ),
        Case(
            label: "below fails over",
            parameters: ["classifier": "toxicity"],
            output: "rude",
            outcome: .fail,
            reason: "toxic 0.91 ≥ 0.50",
            score: 0.91
        ),
        Case(
            label: "below fails at the threshold",
            parameters: ["classifier": "toxicity"],
            output: "edge",
            outcome: .fail,
            reason: "toxic 0.50 ≥ 0.50",
            score: 0.5
        ),
        Case(
            label: "more digits when two look equal",
            parameters: ["classifier": "toxicity"],
            output: "close",
            outcome: .pass,
            reason: "toxic 0.499 < 0.500",
            score: 0.499
        ),
        Case(
            label: "above passes at the threshold",
            parameters: ["classifier": "toxicity", "pass": "above"],
            output: "edge",
            outcome: .pass,
            reason: "toxic 0.50 ≥ 0.50",
            score: 0.5
        ),
        Case(
            label: "above fails under",
            parameters: ["classifier": "toxicity", "pass": "above"],
            output: "nice",
            outcome: .fail,
            reason: "toxic 0.12 < 0.50",
            score: 0.12
        ),
        Case(
            label: "explicit below",
            parameters: ["classifier": "toxicity", "pass": "below"],
            output: "nice",
            outcome: .pass,
            reason: "toxic 0.12 < 0.50",
            score: 0.12
        ),
        Case(
            label: "threshold given",
            parameters: ["classifier": "toxicity", "threshold": 0.95],
            output: "rude",
            outcome: .pass,
            reason: "toxic 0.91 < 0.95",
            score: 0.91
        ),
        Case(
            label: "second label",
            parameters: ["classifier": "toxicity", "label": "insult", "threshold": 0.6],
            output: "rude",
            outcome: .fail,
            reason: "insult 0.70 ≥ 0.60",
            score: 0.7
        ),
        Case(
            label: "unknown text scores 0",
            parameters: ["classifier": "toxicity", "threshold": 0],
            output: "unseen",
            outcome: .fail,
            reason: "toxic 0.00 ≥ 0.00",
            score: 0
        ),
        Case(
            label: "threshold 1 never reached below",
            parameters: ["classifier": "toxicity", "threshold": 1],
            output: "rude",
            outcome: .pass,
            reason: "toxic 0.91 < 1.00",
            score: 0.91
        ),
    ]

    @Test(arguments: cases)
    func comparesTheScoreToTheThreshold(_ testCase: Case) async throws {
        let result = try await Self.verifier().evaluate("classifier", testCase.parameters, output: testCase.output)
        #expect(result.outcome == testCase.outcome)
        #expect(result.reason == testCase.reason)
        // The check's score means "higher is better": the probability for `above`, 1 minus it for `below`.
        let above = testCase.parameters.contains { $0.key == "pass" && "\($0.value)".contains("above") }
        #expect(abs((result.score ?? -1) - (above ? testCase.score : 1 - testCase.score)) < 1e-12)
        // What metrics need travels typed: the classifier, whether the label was detected, and at which threshold.
        let observation = try #require(result.classifier)
        #expect(observation.classifier == "fake-toxicity" && observation.version == "1.0")
        #expect(observation.score == testCase.score, "the classifier's own probability")
        #expect(observation.detected == (observation.score >= observation.threshold))
        #expect(["toxic", "insult"].contains(observation.label))
        #expect(result.metadata.isEmpty, "metrics never read string keys: \(result.metadata)")
    }

    @Test func notClassifierFlipsTheOutcomeAndKeepsTheObservation() async throws {
        let result = try await Self.verifier().evaluate("not-classifier", ["classifier": "toxicity"], output: "rude")
        #expect(result.outcome == .pass)
        #expect(result.reason == "not: toxic 0.91 ≥ 0.50")
        #expect(result.score == 0.91, "1 minus the inner check's score, which is 1 − 0.91")
        #expect(result.classifier?.classifier == "fake-toxicity")
        #expect(result.classifier?.detected == true, "the observation is the classifier's, not flipped")
    }

    struct LoadCase: Sendable, CustomTestStringConvertible {
        var label: String
        var parameters: KeyValuePairs<String, P>
        var code: SuiteDiagnostic.Code
        /// The key the diagnostic points at; nil: the check.
        var at: String?
        var message: String
        var testDescription: String { label }
    }

    static let loadCases: [LoadCase] = [
        LoadCase(
            label: "no classifier",
            parameters: [:],
            code: .missingField,
            at: nil,
            message: "check 'classifier' needs 'classifier' (the name of a registered classifier)"
        ),
        LoadCase(
            label: "misspelt classifier",
            parameters: ["classifier": "toxicty"],
            code: .invalidValue,
            at: "classifier",
            message: "'classifier' of check 'classifier': no classifier named 'toxicty'; did you mean "
                + "'toxicity'? (known: 'toxicity')"
        ),
        LoadCase(
            label: "unknown label",
            parameters: ["classifier": "toxicity", "label": "toxc"],
            code: .invalidValue,
            at: "label",
            message: "'label' of check 'classifier': classifier 'fake-toxicity' has no label 'toxc'; did you "
                + "mean 'toxic'? (its labels: 'toxic', 'insult')"
        ),
        LoadCase(
            label: "threshold above 1",
            parameters: ["classifier": "toxicity", "threshold": 1.5],
            code: .invalidValue,
            at: "threshold",
            message: "'threshold' of check 'classifier': must be between 0 and 1, found 1.5"
        ),
        LoadCase(
            label: "unknown pass",
            parameters: ["classifier": "toxicity", "pass": "over"],
            code: .invalidValue,
            at: "pass",
            message: "'pass' of check 'classifier': must be one of 'below', 'above', found 'over'"
        ),
        LoadCase(
            label: "classifier not a string",
            parameters: ["classifier": 3],
            code: .wrongType,
            at: "classifier",
            message: "'classifier' of check 'classifier' must be a string, found a number"
        ),
    ]

    @Test(arguments: loadCases)
    func rejectsBadParameters(_ testCase: LoadCase) {
        let (parameters, diagnostic) = Self.verifier().loadError("classifier", testCase.parameters)
        guard let diagnostic else { return }
        #expect(diagnostic.code == testCase.code)
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.location == (testCase.at.map { parameters.valueLocation($0) } ?? parameters.location))
    }

    @Test func aClassifierWithoutADefaultThresholdNeedsOne() async throws {
        let verifier = Self.verifier(FakeClassifier(defaultThreshold: nil, table: Self.table))
        let (parameters, diagnostic) = verifier.loadError("classifier", ["classifier": "toxicity"])
        #expect(diagnostic?.code == .missingField)
        #expect(diagnostic?.location == parameters.location)
        #expect(
            diagnostic?.message
                == "check 'classifier' needs 'threshold' (the score at which the check flips; classifier "
                + "'fake-toxicity' has no default threshold)"
        )
        let result = try await verifier.evaluate(
            "classifier",
            ["classifier": "toxicity", "threshold": 0.8],
            output: "rude"
        )
        #expect(result.outcome == .fail)
        #expect(result.reason == "toxic 0.91 ≥ 0.80")
    }

    @Test func anEmptyRegistrySaysNoneAreRegistered() {
        let (_, diagnostic) = GradedVerifier().loadError("classifier", ["classifier": "toxicity"])
        #expect(
            diagnostic?.message
                == "'classifier' of check 'classifier': no classifier named 'toxicity' (none are registered: "
                + "classifiers are set up by the command that runs the suite)"
        )
        #expect(CheckRegistry.builtins.contains("classifier"))
    }

    @Test func factoriesRunOnceAndOnlyWhenNamed() throws {
        let made = Mutex(0)
        var classifiers = ClassifierRegistry()
        classifiers.register("toxicity") {
            made.withLock { $0 += 1 }
            return FakeClassifier(table: Self.table)
        }
        classifiers.register("broken") { throw ClassifierError("weights file missing") }
        let verifier = GradedVerifier(classifiers: classifiers)
        #expect(made.withLock { $0 } == 0)
        let first = try verifier.make("classifier", ["classifier": "toxicity"])
        let second = try verifier.make("classifier", ["classifier": "toxicity", "label": "insult"])
        #expect(made.withLock { $0 } == 1)
        let firstClassifier = try #require((first as? ClassifierCheck)?.classifier as? BatchingClassifier)
        let secondClassifier = try #require((second as? ClassifierCheck)?.classifier as? BatchingClassifier)
        #expect(firstClassifier === secondClassifier)

        let (_, diagnostic) = verifier.loadError("classifier", ["classifier": "broken"])
        #expect(
            diagnostic?.message
                == "'classifier' of check 'classifier': classifier 'broken' could not be loaded: weights file missing"
        )
    }

    @Test func aClassifierFailureIsAnErrorNeverAPass() async throws {
        let fake = FakeClassifier(table: Self.table, failing: ["boom"])
        let check = try Self.verifier(fake).make("classifier", ["classifier": "toxicity"])
        let result = try await CheckVerifier.evaluate(check, output: "boom")
        #expect(result.outcome == .error)
        #expect(result.score == nil)
        #expect(result.reason == "classifier 'fake-toxicity' failed: fake classifier cannot score 'boom'")
        // Errors are not cached: the next item asks again.
        _ = try await CheckVerifier.evaluate(check, output: "boom")
        #expect(fake.calls == [["boom"], ["boom"]])
    }

    @Test(arguments: [[1.5, 0], [-0.1, 0], [Double.nan, 0], [0.5]])
    func scoresOutsideZeroToOneAreErrors(_ row: [Double]) async throws {
        let fake = FakeClassifier(table: ["odd": row])
        let result = try await Self.verifier(fake).evaluate("classifier", ["classifier": "toxicity"], output: "odd")
        #expect(result.outcome == .error)
        #expect(result.score == nil)
        let expected =
            row.count == 1
            ? "classifier 'fake-toxicity' failed: classifier 'fake-toxicity' returned 1 scores for 2 labels"
            : "classifier 'fake-toxicity' failed: classifier 'fake-toxicity' returned \(row[0]) for 'toxic', "
                + "not a number between 0 and 1"
        #expect(result.reason == expected)
    }

    @Test func identicalOutputsAreScoredOnce() async throws {
        let fake = FakeClassifier(table: Self.table)
        let check = try Self.verifier(fake).make("classifier", ["classifier": "toxicity"])
        for _ in 0..<3 { _ = try await CheckVerifier.evaluate(check, output: "rude") }
        _ = try await CheckVerifier.evaluate(check, output: "nice")
        #expect(fake.calls == [["rude"], ["nice"]])
        let batching = try #require((check as? ClassifierCheck)?.classifier as? BatchingClassifier)
        let statistics = batching.statistics
        #expect(statistics.requested == 4)
        #expect(statistics.cacheHits == 2)
        #expect(statistics.calls == 2)
        #expect(statistics.textsSent == 2)
    }

    /// While the first call is held, 12 more evaluations (9 distinct texts, one repeat of a queued text, two of
    /// the text in flight) queue up; when it returns, the 9 go out together in one call.
    @Test func concurrentEvaluationsAreBatchedAndShared() async throws {
        let gate = Gate()
        var table = Self.table
        for index in 1...9 { table["t\(index)"] = [Double(index) / 10, 0] }
        let fake = FakeClassifier(table: table, gate: gate)
        var classifiers = ClassifierRegistry()
        classifiers.register("toxicity", BatchingClassifier(fake, maxBatchSize: 64, maxConcurrentBatches: 1))
        let check = try GradedVerifier(classifiers: classifiers).make("classifier", ["classifier": "toxicity"])
        let batching = try #require((check as? ClassifierCheck)?.classifier as? BatchingClassifier)

        let outputs = ["rude"] + (1...9).map { "t\($0)" } + ["t3", "rude", "rude"]
        try await withThrowingTaskGroup(of: (String, CheckResult).self) { group in
            group.addTask { ("rude", try await CheckVerifier.evaluate(check, output: "rude")) }
            await eventually("the first call") { fake.calls.count == 1 }
            for output in outputs.dropFirst() {
                group.addTask { (output, try await CheckVerifier.evaluate(check, output: output)) }
            }
            await eventually("12 callers waiting") {
                let statistics = batching.statistics
                return statistics.queued == 9 && statistics.joined == 3
            }
            gate.open()
            var results: [(String, CheckResult)] = []
            for try await result in group { results.append(result) }
            #expect(results.count == 13)
            for (output, result) in results {
                let score = table[output]![0]
                #expect(result.classifier?.score == score, "\(output)")
                #expect(result.outcome == (score < 0.5 ? .pass : .fail), "\(output)")
            }
        }
        let calls = fake.calls
        #expect(calls.count == 2)
        #expect(calls.first == ["rude"])
        #expect(calls.last?.sorted() == (1...9).map { "t\($0)" })
        #expect(batching.statistics.inFlight == 0)
    }

    @Test func batchesAreCutAtTheMaximumSize() async throws {
        let fake = FakeClassifier()
        let batching = BatchingClassifier(fake, maxBatchSize: 4, maxConcurrentBatches: 1)
        let texts = (0..<10).map { "text \($0)" }
        let rows = try await batching.scores(for: texts + ["text 0"])
        #expect(rows.count == 11)
        #expect(fake.calls.map(\.count) == [4, 4, 2])
        #expect(fake.calls.flatMap { $0 } == texts)
    }

    @Test func checkAndIdentityInitialiserValidates() throws {
        let fake = FakeClassifier(defaultThreshold: nil)
        #expect(throws: ClassifierError.self) { try ClassifierCheck(classifier: fake) }
        #expect(throws: ClassifierError.self) { try ClassifierCheck(classifier: fake, label: "nope", threshold: 0.5) }
        let check = try ClassifierCheck(classifier: fake, label: "insult", threshold: 0.3, pass: .above)
        #expect(check.labelIndex == 1)
        #expect(check.passWhen == .above)
    }
}
