import PlumbCore
import PlumbRunner
import PlumbTestSupport
import Synchronization
import Testing

@Suite struct RunnerTests {
    @Test func resultsComeBackInPlanOrderWhateverTheFinishingOrder() async {
        let suite = SuiteFixtures.suite(count: 40, samplesPerPrompt: 2)
        let backend = ScriptedBackend { request, context in
            // Later items answer faster, so they finish first.
            let index = Int(request.lastUserText.split(separator: " ").last!)!
            try await Task.sleep(for: .milliseconds(40 - index))
            return ModelResponse(text: context.repeatIndex == 0 ? "ok" : "no")
        }
        let outcome = await Runner(backend: backend, configuration: RunConfiguration(concurrency: 8)).run([suite])
        #expect(!outcome.interrupted)
        #expect(outcome.results.map(\.sampleID) == Planner.items(for: suite).map(\.sampleID))
        #expect(outcome.results.map(\.repeatIndex) == Array(repeating: [0, 1], count: 40).flatMap { $0 })
        #expect(outcome.results.filter { $0.outcome == .pass }.count == 40)
        #expect(outcome.results.filter { $0.outcome == .fail }.count == 40)
    }

    @Test(arguments: [1, 3, 16])
    func neverExceedsTheConcurrencyLimit(_ limit: Int) async {
        let inFlight = Mutex((now: 0, peak: 0))
        let backend = ScriptedBackend { _, _ in
            inFlight.withLock {
                $0.now += 1; $0.peak = max($0.peak, $0.now)
            }
            try await Task.sleep(for: .milliseconds(2))
            inFlight.withLock { $0.now -= 1 }
            return ModelResponse(text: "ok")
        }
        _ = await Runner(backend: backend, configuration: RunConfiguration(concurrency: limit))
            .run([SuiteFixtures.suite(count: 30)])
        let peak = inFlight.withLock { $0.peak }
        #expect(peak <= limit)
        #expect(peak >= 1)
    }

    @Test func aBackendFailureIsAnErrorNeverAPass() async {
        let backend = ScriptedBackend { request, _ in
            if request.lastUserText == "prompt 1" { throw BackendError(.serverError, "HTTP 500") }
            return ModelResponse(text: "ok")
        }
        let outcome = await Runner(backend: backend, configuration: RunConfiguration(retry: .none))
            .run([SuiteFixtures.suite(count: 3)])
        #expect(outcome.results.map(\.outcome) == [.pass, .error, .pass])
        #expect(outcome.results[1].error == ItemError(code: "serverError", message: "HTTP 500", transient: true))
        #expect(outcome.results[1].checks.isEmpty)
        #expect(outcome.results[1].output == nil)
    }

    @Test func aCheckThatThrowsMakesTheItemAnError() async {
        struct Exploding: Check {
            struct Boom: Error {}
            func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult { throw Boom() }
        }
        var suite = SuiteFixtures.suite(count: 1)
        suite.checks.append(
            CheckBinding(name: "boom", type: "boom", check: Exploding(), location: SourceLocation(file: "f", line: 1))
        )
        let outcome = await Runner(backend: ScriptedBackend(answering: "ok")).run([suite])
        #expect(outcome.results[0].outcome == .error)
        #expect(outcome.results[0].checks.map(\.outcome) == [.pass, .error])
    }

    @Test func cancellingStopsStartingItemsAndMarksTheRestNotRun() async {
        let started = Mutex(0)
        let backend = ScriptedBackend { _, _ in
            started.withLock { $0 += 1 }
            try await Task.sleep(for: .milliseconds(20))
            return ModelResponse(text: "ok")
        }
        let runner = Runner(backend: backend, configuration: RunConfiguration(concurrency: 2))
        let task = Task { await runner.run([SuiteFixtures.suite(count: 200)]) }
        try? await Task.sleep(for: .milliseconds(60))
        task.cancel()
        let outcome = await task.value
        #expect(outcome.interrupted)
        #expect(outcome.results.count == 200)
        let notRun = outcome.results.filter { $0.error?.code == "notRun" }
        #expect(notRun.count > 100)
        #expect(notRun.allSatisfy { $0.outcome == .error })
        #expect(started.withLock { $0 } < 200)
    }

    @Test func progressReachesTheTotal() async {
        let seen = Mutex<[Int]>([])
        _ = await Runner(backend: ScriptedBackend(answering: "ok"))
            .run(
                [SuiteFixtures.suite(count: 5)],
                progress: { progress in seen.withLock { $0.append(progress.finished) } }
            )
        #expect(seen.withLock { $0 } == [1, 2, 3, 4, 5])
    }
}

@Suite struct ScorerTests {
    func record(_ outcome: CheckOutcome, score: Double?, weight: Double) -> CheckRecord {
        CheckRecord(name: "c", type: "t", outcome: outcome, score: score, reason: "", weight: weight)
    }

    @Test func weightedScoreIsTheWeightedMean() {
        let score = Scorer.weightedScore([
            record(.pass, score: 1, weight: 3),
            record(.fail, score: 0, weight: 1),
            record(.pass, score: 0.5, weight: 0),
        ])
        #expect(score == 0.75)
    }

    @Test func checksWithoutAScoreCountOneOrZero() {
        #expect(
            Scorer.weightedScore([record(.pass, score: nil, weight: 1), record(.fail, score: nil, weight: 1)]) == 0.5
        )
    }
}
