import Foundation
import PlumbChecks
import PlumbCore
import Synchronization
import Testing

/// A classifier for tests: scores from a table (unknown texts score 0 on every label), records every call, and can
/// hold its first call until the test opens a gate.
final class FakeClassifier: TextClassifier {
    let identity: ClassifierIdentity
    let table: [String: [Double]]
    let failing: Set<String>
    let gate: Gate?
    let log = Mutex<[[String]]>([])

    init(
        labels: [String] = ["toxic", "insult"],
        defaultThreshold: Double? = 0.5,
        table: [String: [Double]] = [:],
        failing: Set<String> = [],
        gate: Gate? = nil
    ) {
        identity = ClassifierIdentity(
            name: "fake-toxicity",
            version: "1.0",
            labels: labels,
            defaultThreshold: defaultThreshold,
            sensitivity: 0.9,
            specificity: 0.95
        )
        self.table = table
        self.failing = failing
        self.gate = gate
    }

    /// The texts of every call, in call order.
    var calls: [[String]] { log.withLock { $0 } }

    func scores(for texts: [String]) async throws -> [[Double]] {
        let first = log.withLock { log in
            log.append(texts)
            return log.count == 1
        }
        if first, let gate { await gate.wait() }
        if let bad = texts.first(where: failing.contains) {
            throw ClassifierError("fake classifier cannot score '\(bad)'", transient: true)
        }
        return texts.map { table[$0] ?? Array(repeating: 0, count: identity.labels.count) }
    }
}

/// A one-shot gate: `wait()` suspends until `open()`.
final class Gate: Sendable {
    let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// A judge for tests: answers from a closure and records every request.
final class FakeJudge: ModelBackend {
    typealias Script = @Sendable (ModelRequest, Int) throws -> String
    let identity: BackendIdentity
    let script: Script
    let log = Mutex<[ModelRequest]>([])

    init(name: String = "judge-a", model: String = "judge-model-1", script: @escaping Script) {
        identity = BackendIdentity(kind: "scripted", name: name, model: model)
        self.script = script
    }

    convenience init(name: String = "judge-a", model: String = "judge-model-1", answering text: String) {
        self.init(name: name, model: model) { _, _ in text }
    }

    var requests: [ModelRequest] { log.withLock { $0 } }

    func complete(_ request: ModelRequest, in context: RequestContext) async throws -> ModelResponse {
        let index = log.withLock { log in
            log.append(request)
            return log.count - 1
        }
        return ModelResponse(text: try script(request, index), finishReason: "stop")
    }
}

/// Builds and runs checks through a registry made with `CheckRegistry.builtins(classifiers:…)`.
struct GradedVerifier {
    let registry: CheckRegistry

    init(
        classifiers: ClassifierRegistry = ClassifierRegistry(),
        judges: [String: any ModelBackend] = [:],
        judgeCache: JudgeCache? = nil,
        environment: [String: String] = [:]
    ) {
        registry = CheckRegistry.builtins(
            classifiers: classifiers,
            judges: judges,
            judgeCache: judgeCache,
            environment: environment
        )
    }

    /// Builds a check as the loader would; records an issue if the factory left a parameter unread.
    func make(_ kind: String, _ members: KeyValuePairs<String, P>) throws -> any Check {
        let parameters = params(kind, Array(members))
        let check = try registry.makeCheck(parameters)
        let unknown = parameters.unknownKeys(ignoring: ["type", "name", "weight"])
        #expect(unknown.isEmpty, "parameters not read by '\(kind)': \(unknown)")
        return check
    }

    /// The diagnostic building the check throws, with the parameters (for positions); nil (an issue) if it builds.
    func loadError(_ kind: String, _ members: KeyValuePairs<String, P>) -> (CheckParameters, SuiteDiagnostic?) {
        let parameters = params(kind, Array(members))
        do {
            _ = try registry.makeCheck(parameters)
            Issue.record("'\(kind)' built, expected a diagnostic")
            return (parameters, nil)
        } catch {
            return (parameters, error)
        }
    }

    func evaluate(
        _ kind: String,
        _ members: KeyValuePairs<String, P>,
        output: String,
        fields: [String: JSONValue] = [:]
    ) async throws -> CheckResult {
        try await CheckVerifier.evaluate(make(kind, members), output: output, fields: fields)
    }
}

/// Waits until `condition` holds, checking every millisecond for up to a minute (the whole test process shares a
/// small thread pool, so a busy machine can delay other tasks for seconds); records an issue on timeout.
func eventually(
    _ what: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation,
    _ condition: () -> Bool
) async {
    let deadline = ContinuousClock.now + .seconds(60)
    while !condition() {
        if ContinuousClock.now > deadline {
            Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
            return
        }
        try? await Task.sleep(for: .milliseconds(1))
    }
}
