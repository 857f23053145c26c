import Foundation
import PlumbCore

/// Runs one unit of work: one item, or the k repeats of a sample when the backend answers k choices per call.
struct ExecutionContext: Sendable {
    let backend: any ModelBackend
    let configuration: RunConfiguration
    let controller: ConcurrencyController
    let rateLimiter: RequestRateLimiter?

    func execute(_ items: [PlannedItem], suites: [Suite]) async -> ([ItemResult], RunStatistics) {
        var statistics = RunStatistics()
        var results: [ItemResult?] = Array(repeating: nil, count: items.count)
        var toAsk: [Int] = []

        for (offset, planned) in items.enumerated() {
            if let (cached, storedAt) = configuration.cache?.entry(for: planned.item.id) {
                statistics.cacheHits += 1
                if let storedAt {
                    statistics.oldestCached = min(statistics.oldestCached ?? storedAt, storedAt)
                }
                var result = await score(planned, cached, suites: suites, attempts: 0)
                result.cached = true
                results[offset] = result
            } else {
                toAsk.append(offset)
            }
        }

        if !toAsk.isEmpty {
            let first = items[toAsk[0]]
            let (outcome, attempts) = await ask(first.item, count: toAsk.count, statistics: &statistics)
            switch outcome {
            case .success(let responses):
                for (offset, response) in zip(toAsk, responses) {
                    configuration.cache?.store(response, for: items[offset].item.id)
                    results[offset] = await score(items[offset], response, suites: suites, attempts: attempts)
                }
            case .failure(let error):
                for offset in toAsk {
                    let planned = items[offset]
                    var result = Runner.emptyResult(
                        planned,
                        sample: planned.item.sample(in: suites[planned.suite])
                    )
                    result.attempts = attempts
                    result.error = error
                    results[offset] = result
                }
            }
        }
        return (results.map { $0! }, statistics)
    }

    func score(_ planned: PlannedItem, _ response: ModelResponse, suites: [Suite], attempts: Int) async -> ItemResult {
        let suite = suites[planned.suite]
        let sample = planned.item.sample(in: suite)
        var result = Runner.emptyResult(planned, sample: sample)
        result.attempts = attempts
        result.output = response.text
        result.finishReason = response.finishReason
        result.usage = response.usage
        result.latency = response.latency
        result.served = response.served
        result.optionScores = response.scores
        let scored = await Scorer.score(item: planned.item, sample: sample, response: response, suite: suite)
        result.checks = scored.checks
        result.outcome = scored.outcome
        result.score = scored.score
        return result
    }

    enum AskOutcome {
        case success([ModelResponse])
        case failure(ItemError)
    }

    /// Asks with retries. Returns the responses (one per repeat) or the final error, and the attempts made.
    func ask(_ item: EvalItem, count: Int, statistics: inout RunStatistics) async -> (AskOutcome, Int) {
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { return (.failure(Self.notRun), attempt - 1) }
            do {
                try await rateLimiter?.acquire()
            } catch {
                return (.failure(Self.notRun), attempt - 1)
            }
            await controller.acquire()
            statistics.requests += 1
            let clock = ContinuousClock()
            let start = clock.now
            do {
                var responses = try await withTimeout(configuration.requestTimeout) { [backend] in
                    if let continuations = item.request.continuations {
                        let scores = try await backend.score(item.request, in: item.context)
                        return try [ModelResponse.scored(scores, continuations: continuations.count)]
                    }
                    return count == 1
                        ? [try await backend.complete(item.request, in: item.context)]
                        : try await backend.complete(item.request, count: count, in: item.context)
                }
                await controller.release()
                if configuration.adaptiveConcurrency { await controller.recordSuccess() }
                guard responses.count == count else {
                    return (
                        .failure(
                            ItemError(
                                code: BackendError.Code.invalidResponse.rawValue,
                                message: "asked for \(count) answers, got \(responses.count)",
                                transient: false
                            )
                        ), attempt
                    )
                }
                let elapsed = clock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                for index in responses.indices where responses[index].latency == nil {
                    responses[index].latency = seconds
                }
                return (.success(responses), attempt)
            } catch let error as BackendError {
                await controller.release()
                if error.code == .rateLimited {
                    statistics.rateLimited += 1
                    if configuration.adaptiveConcurrency { await controller.recordRateLimited() }
                }
                if error.code == .timeout { statistics.timeouts += 1 }
                if Task.isCancelled { return (.failure(Self.notRun), attempt) }
                guard
                    let delay = configuration.retry.delay(
                        after: error,
                        attempt: attempt,
                        random: configuration.random()
                    )
                else {
                    var message = error.message
                    if attempt > 1 { message += " (after \(attempt) attempts)" }
                    return (
                        .failure(ItemError(code: error.code.rawValue, message: message, transient: error.isTransient)),
                        attempt
                    )
                }
                statistics.retries += 1
                do {
                    try await Task.sleep(for: .seconds(delay))
                } catch {
                    return (.failure(Self.notRun), attempt)
                }
            } catch is CancellationError {
                await controller.release()
                return (.failure(Self.notRun), attempt)
            } catch {
                await controller.release()
                if Task.isCancelled { return (.failure(Self.notRun), attempt) }
                return (.failure(ItemError(code: "backend", message: "\(error)", transient: false)), attempt)
            }
        }
    }

    static let notRun = ItemError(code: "notRun", message: "not run: the run was interrupted", transient: true)
}

/// Runs `body`, throwing a transient `.timeout` BackendError if it takes longer than `seconds`.
func withTimeout<T: Sendable>(_ seconds: Double?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let seconds else { return try await body() }
    return try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw BackendError(.timeout, "no answer within \(NumberText.seconds(seconds))")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
