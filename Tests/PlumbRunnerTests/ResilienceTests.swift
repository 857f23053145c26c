import Foundation
import PlumbCore
import PlumbRunner
import PlumbTestSupport
import Synchronization
import Testing

/// Fast retries for tests: 1 ms base delay, jitter fixed at its maximum.
let fastRetry = RetryPolicy(maxAttempts: 4, baseDelay: 0.001, maxDelay: 0.01, maxRetryAfter: 1)

func configuration(
    concurrency: Int = 4,
    retry: RetryPolicy = fastRetry,
    timeout: Double? = 5,
    budget: ErrorBudget? = nil,
    cache: ResponseCache? = nil,
    journal: RunJournal? = nil,
    prior: [String: ItemResult] = [:]
) -> RunConfiguration {
    RunConfiguration(
        concurrency: concurrency,
        requestTimeout: timeout,
        retry: retry,
        errorBudget: budget,
        cache: cache,
        journal: journal,
        priorResults: prior,
        random: { 0.999 }
    )
}

@Suite struct RetryPolicyTests {
    @Test func backoffDoublesUpToTheCapWithFullJitter() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 0.5, maxDelay: 4)
        let error = BackendError(.serverError, "500")
        #expect(policy.delay(after: error, attempt: 1, random: 1) == 0.5)
        #expect(policy.delay(after: error, attempt: 2, random: 1) == 1)
        #expect(policy.delay(after: error, attempt: 3, random: 1) == 2)
        #expect(policy.delay(after: error, attempt: 6, random: 1) == 4)
        #expect(policy.delay(after: error, attempt: 3, random: 0.25) == 0.5)
    }

    @Test func retryAfterWinsAndTooLongEndsRetries() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 4, maxRetryAfter: 60)
        #expect(policy.delay(after: BackendError(.rateLimited, "429", retryAfter: 7), attempt: 1, random: 0) == 7)
        #expect(policy.delay(after: BackendError(.rateLimited, "429", retryAfter: 120), attempt: 1, random: 0) == nil)
    }

    @Test func permanentErrorsAndSpentAttemptsAreNotRetried() {
        let policy = RetryPolicy(maxAttempts: 3)
        #expect(policy.delay(after: BackendError(.authentication, "401"), attempt: 1, random: 0.5) == nil)
        #expect(policy.delay(after: BackendError(.serverError, "500"), attempt: 3, random: 0.5) == nil)
    }
}

@Suite struct ResilienceTests {
    @Test func transientFailuresAreRetriedAndCounted() async {
        let calls = Mutex<[String: Int]>([:])
        let backend = ScriptedBackend { request, _ in
            let n = calls.withLock { calls in
                calls[request.lastUserText, default: 0] += 1
                return calls[request.lastUserText]!
            }
            if n < 3 { throw BackendError(.rateLimited, "429", retryAfter: 0.001) }
            return ModelResponse(text: "ok")
        }
        let outcome = await Runner(backend: backend, configuration: configuration()).run([SuiteFixtures.suite(count: 5)]
        )
        #expect(outcome.results.allSatisfy { $0.outcome == .pass && $0.attempts == 3 })
        #expect(outcome.statistics.requests == 15)
        #expect(outcome.statistics.retries == 10)
        #expect(outcome.statistics.rateLimited == 10)
    }

    @Test func permanentFailuresFailFastWithTheirCause() async {
        let backend = ScriptedBackend { _, _ in throw BackendError(.authentication, "401: set OPENAI_API_KEY") }
        let outcome = await Runner(backend: backend, configuration: configuration()).run([SuiteFixtures.suite(count: 2)]
        )
        #expect(outcome.statistics.requests == 2)
        #expect(
            outcome.results.map(\.error)
                == Array(
                    repeating: ItemError(code: "authentication", message: "401: set OPENAI_API_KEY", transient: false),
                    count: 2
                )
        )
    }

    @Test func aSlowAnswerTimesOutAndIsRetried() async {
        let calls = Mutex(0)
        let backend = ScriptedBackend { _, _ in
            if calls.withLock({
                $0 += 1; return $0
            }) == 1 {
                try await Task.sleep(for: .seconds(30))
            }
            return ModelResponse(text: "ok")
        }
        let outcome = await Runner(backend: backend, configuration: configuration(timeout: 0.2))
            .run([SuiteFixtures.suite(count: 1)])
        #expect(outcome.results[0].outcome == .pass)
        #expect(outcome.results[0].attempts == 2)
        #expect(outcome.statistics.timeouts == 1)
    }

    @Test func rateLimitsLowerTheConcurrency() async {
        let inFlight = Mutex((now: 0, peakAfterLimit: 0, limited: false))
        let backend = ScriptedBackend { _, _ in
            let first429 = inFlight.withLock { state -> Bool in
                state.now += 1
                if state.limited { state.peakAfterLimit = max(state.peakAfterLimit, state.now) }
                if !state.limited {
                    state.limited = true
                    return true
                }
                return false
            }
            defer { inFlight.withLock { $0.now -= 1 } }
            try await Task.sleep(for: .milliseconds(3))
            if first429 { throw BackendError(.rateLimited, "429", retryAfter: 0.05) }
            return ModelResponse(text: "ok")
        }
        var config = configuration(concurrency: 8)
        config.retry = RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.01, maxRetryAfter: 1)
        let outcome = await Runner(backend: backend, configuration: config).run([SuiteFixtures.suite(count: 40)])
        #expect(outcome.results.allSatisfy { $0.outcome == .pass })
        #expect(outcome.statistics.concurrencyDecreases == 1)
    }

    @Test func aRunWithATwentyPercentFaultRateScoresOrMarksEveryItem() async {
        // Every fifth call fails (transient or permanent), in a fixed pattern.
        let calls = Mutex(0)
        let backend = ScriptedBackend { request, _ in
            let n = calls.withLock {
                $0 += 1; return $0
            }
            if n % 5 == 0 {
                if request.lastUserText.hasSuffix("7") { throw BackendError(.badRequest, "400") }
                throw BackendError(.serverError, "503")
            }
            return ModelResponse(text: "ok")
        }
        let outcome = await Runner(backend: backend, configuration: configuration(concurrency: 6))
            .run([SuiteFixtures.suite(count: 100)])
        #expect(outcome.results.count == 100)
        #expect(!outcome.interrupted && !outcome.aborted)
        for result in outcome.results {
            switch result.outcome {
            case .pass: #expect(result.output == "ok" && result.error == nil)
            case .error: #expect(result.error?.code == "badRequest" && result.output == nil)
            case .fail: Issue.record("unexpected fail for \(result.sampleID)")
            }
        }
        #expect(outcome.results.filter { $0.outcome == .pass }.count >= 85)
    }

    @Test func beyondTheErrorBudgetTheRunStopsAndKeepsWhatFinished() async {
        let backend = ScriptedBackend { request, _ in
            if request.lastUserText.hasSuffix("3") || request.lastUserText.hasSuffix("4") {
                throw BackendError(.badRequest, "400")
            }
            try await Task.sleep(for: .milliseconds(2))
            return ModelResponse(text: "ok")
        }
        let outcome = await Runner(backend: backend, configuration: configuration(concurrency: 1, budget: .count(1)))
            .run([SuiteFixtures.suite(count: 50)])
        #expect(outcome.aborted)
        #expect(!outcome.interrupted)
        #expect(outcome.results.count == 50)
        #expect(outcome.results.prefix(3).allSatisfy { $0.outcome == .pass })
        #expect(outcome.results[3].error?.code == "badRequest")
        #expect(outcome.results[4].error?.code == "badRequest")
        #expect(outcome.results.dropFirst(5).allSatisfy { $0.error?.code == "notRun" })
    }

    @Test(arguments: ["3", "5%"])
    func errorBudgetsParse(_ text: String) {
        #expect(ErrorBudget(parsing: text) != nil)
        #expect(ErrorBudget(parsing: "-1") == nil)
        #expect(ErrorBudget(parsing: "150%") == nil)
    }
}

@Suite struct CacheAndJournalTests {
    @Test func answersComeFromTheCacheTheSecondTimeAndErrorsAreNotCached() async throws {
        let directory = TemporaryDirectory()
        let calls = Mutex(0)
        let backend = ScriptedBackend { request, _ in
            calls.withLock { $0 += 1 }
            if request.lastUserText == "prompt 2" { throw BackendError(.badRequest, "400") }
            return ModelResponse(text: "ok")
        }
        let suite = SuiteFixtures.suite(count: 4, samplesPerPrompt: 2)
        let cache = try ResponseCache(directory: directory.path, identity: backend.identity)
        let first = await Runner(backend: backend, configuration: configuration(retry: .none, cache: cache)).run([suite]
        )
        #expect(calls.withLock { $0 } == 8)
        #expect(first.statistics.cacheHits == 0)

        let reopened = try ResponseCache(directory: directory.path, identity: backend.identity)
        #expect(reopened.count == 6)
        let second = await Runner(backend: backend, configuration: configuration(retry: .none, cache: reopened)).run([
            suite
        ])
        #expect(calls.withLock { $0 } == 10)  // only the two errored items were asked again
        #expect(second.statistics.cacheHits == 6)
        #expect(second.results.filter(\.cached).count == 6)
        #expect(second.results.map(\.outcome) == first.results.map(\.outcome))

        let other = try ResponseCache(
            directory: directory.path,
            identity: BackendIdentity(kind: "scripted", name: "another-checkpoint")
        )
        #expect(other.count == 0)
    }

    @Test func aResumedRunAsksOnlyForWhatIsMissingAndMatchesAnUninterruptedOne() async throws {
        let directory = TemporaryDirectory()
        let suite = SuiteFixtures.suite(count: 30)
        let backend = ScriptedBackend { request, _ in
            try await Task.sleep(for: .milliseconds(2))
            return ModelResponse(text: request.lastUserText.hasSuffix("1") ? "no" : "ok")
        }
        let header = RunJournal.Header(
            runID: "r",
            startedAt: Date(timeIntervalSince1970: 1_790_000_000),
            backend: backend.identity,
            suites: [suite.name: suite.contentHash],
            shard: nil
        )
        let journal = try RunJournal.create(at: directory.file("journal.jsonl"), header: header)
        let runner = Runner(backend: backend, configuration: configuration(concurrency: 2, journal: journal))
        let finished = Mutex(0)
        let task = Task {
            await runner.run([suite], progress: { progress in finished.withLock { $0 = progress.finished } })
        }
        while finished.withLock({ $0 }) < 5 { try await Task.sleep(for: .milliseconds(1)) }
        task.cancel()
        let interrupted = await task.value
        #expect(interrupted.interrupted)
        let finishedFirst = interrupted.results.filter { $0.error?.code != "notRun" }.count
        #expect(finishedFirst > 0 && finishedFirst < 30)

        // Simulate a kill mid-write: a torn last line.
        let handle = try #require(FileHandle(forWritingAtPath: directory.file("journal.jsonl")))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"id\": \"torn".utf8))
        try handle.close()

        let contents = try RunJournal.read(directory.file("journal.jsonl"))
        #expect(contents.header == header)
        #expect(contents.results.count == finishedFirst)
        #expect(contents.skippedLines.count == 1)

        let before = backend.requests.count
        let resumed = await Runner(
            backend: backend,
            configuration: configuration(
                journal: try RunJournal(appendingTo: directory.file("journal.jsonl")),
                prior: contents.results
            )
        ).run([suite])
        #expect(backend.requests.count - before == 30 - finishedFirst)
        #expect(resumed.statistics.resumed == finishedFirst)
        let uninterrupted = await Runner(backend: backend, configuration: configuration()).run([suite])
        func stable(_ results: [ItemResult]) -> [ItemResult] {
            results.map { result in
                var result = result
                result.latency = nil
                return result
            }
        }
        #expect(stable(resumed.results) == stable(uninterrupted.results))
    }
}

@Suite struct ShardTests {
    @Test func shardsPartitionThePlanDeterministically() throws {
        let suite = SuiteFixtures.suite(count: 100, samplesPerPrompt: 3)
        let all = Runner.plan([suite])
        var seen: [Int] = []
        for index in 1...4 {
            let part = Runner.plan([suite], shard: Shard(index: index, count: 4))
            #expect(part.count > 40 && part.count < 110)
            seen += part.map(\.index)
            #expect(part.map(\.item.id) == Runner.plan([suite], shard: Shard(index: index, count: 4)).map(\.item.id))
        }
        #expect(seen.sorted() == all.map(\.index))
    }

    @Test(arguments: ["1/4", "4/4", "1/1"])
    func parses(_ text: String) {
        #expect(Shard(parsing: text)?.description == text)
    }

    @Test(arguments: ["0/4", "5/4", "1/0", "a/b", "1", "1/2/3"])
    func rejects(_ text: String) {
        #expect(Shard(parsing: text) == nil)
    }
}

@Suite struct MultipleChoiceTests {
    /// A backend that answers k choices per call, like OpenAI's `n`.
    final class ChoicesBackend: ModelBackend {
        let calls = Mutex<[Int]>([])
        var identity: BackendIdentity { BackendIdentity(kind: "scripted", name: "choices") }
        var capabilities: BackendCapabilities { BackendCapabilities(multipleChoices: true) }

        func complete(_ request: ModelRequest, in context: RequestContext) async throws -> ModelResponse {
            try await complete(request, count: 1, in: context)[0]
        }

        func complete(_ request: ModelRequest, count: Int, in context: RequestContext) async throws -> [ModelResponse] {
            calls.withLock { $0.append(count) }
            return (0..<count).map { ModelResponse(text: "ok \(context.repeatIndex + $0)") }
        }
    }

    @Test func repeatsOfASampleGoInOneCall() async {
        let backend = ChoicesBackend()
        let outcome = await Runner(backend: backend, configuration: configuration())
            .run([SuiteFixtures.suite(count: 3, samplesPerPrompt: 4)])
        #expect(backend.calls.withLock { $0 } == [4, 4, 4])
        #expect(outcome.results.map(\.output) == (0..<3).flatMap { _ in (0..<4).map { "ok \($0)" } })
        #expect(outcome.results.allSatisfy { $0.outcome == .pass })
    }

    @Test func onlyMissingRepeatsAreAskedForOnResume() async {
        let backend = ChoicesBackend()
        let suite = SuiteFixtures.suite(count: 1, samplesPerPrompt: 4)
        let first = await Runner(backend: backend, configuration: configuration()).run([suite])
        var prior: [String: ItemResult] = [:]
        for result in first.results.prefix(2) { prior[result.id] = result }
        let again = ChoicesBackend()
        let resumed = await Runner(backend: again, configuration: configuration(prior: prior)).run([suite])
        #expect(again.calls.withLock { $0 } == [2])
        #expect(resumed.results.map(\.output) == first.results.map(\.output))
    }
}
