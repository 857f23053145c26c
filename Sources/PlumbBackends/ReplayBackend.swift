import Foundation
public import PlumbCore

/// `replay:PATH`: answers from a recorded run instead of a model, so checks and reports can be re-run,
/// changed and compared without asking a model again.
///
/// PATH is a Plumb `report.json`, or a JSONL file with one recorded answer per line:
/// `{"id": "<item id>", "output": "…"}` or `{"suite": "…", "sampleID": "…", "repeatIndex": 0, "output": "…"}`
/// (`finishReason`, `usage` optional). An item is looked up by its id first, then by suite, sample id and repeat
/// index (so a recording still answers after a suite's wording changed). An item with no recording, or whose
/// recording is an error, is a permanent `missingRecording` error — never a pass.
public struct ReplayBackend: ModelBackend {
    struct Recording: Sendable {
        var output: String?
        var finishReason: String?
        var usage: TokenUsage?
        var error: String?
        /// Log-probability suites: the recorded score of each option, and the texts scored (from a report's
        /// `request.continuations`, or a JSONL line's `continuations`).
        var scores: [ContinuationScore]?
        var continuations: [String]?
    }

    struct Key: Hashable {
        var suite: String
        var sampleID: String
        var repeatIndex: Int
    }

    public let path: String
    let byID: [String: Recording]
    let byKey: [Key: Recording]

    /// Answers from memory: never cached.
    public var capabilities: BackendCapabilities { BackendCapabilities(answersLocally: true, scoring: true) }

    public var identity: BackendIdentity {
        BackendIdentity(kind: "replay", name: "replay:\(path)", model: recordedModel, settings: [:])
    }

    /// The model the recording was made with, when the file says.
    public let recordedModel: String?

    public init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BackendError(.configuration, "replay: cannot read '\(path)' (no such file or not readable)")
        }
        var byID: [String: Recording] = [:]
        var byKey: [Key: Recording] = [:]
        var recordedModel: String?
        let bytes = [UInt8](data)
        // A report is one JSON object with an `items` array (pretty-printed or compact); anything else is JSONL.
        var report: [String: JSONValue]?
        if !path.hasSuffix(".jsonl"), let root = try? JSON5Parser.parse(bytes, json5: false),
            case .object(let members) = root.plain, case .array? = members["items"]
        {
            report = members
        }
        if let report, case .array(let items)? = report["items"] {
            if case .object(let backend)? = report["backend"] {
                recordedModel = backend["model"]?.stringValue ?? backend["name"]?.stringValue
            }
            for item in items { Self.add(item, byID: &byID, byKey: &byKey) }
        } else {
            let (records, errors) = JSONLReader.read(bytes, json5: false)
            if let error = errors.first {
                throw BackendError(
                    .configuration,
                    "replay: \(path):\(error.position.line):\(error.position.column): \(error.message)"
                )
            }
            for record in records {
                guard case .object = record.node.value else {
                    throw BackendError(.configuration, "replay: \(path):\(record.line): expected a JSON object")
                }
                Self.add(record.node.plain, byID: &byID, byKey: &byKey)
            }
        }
        self.byID = byID
        self.byKey = byKey
        self.recordedModel = recordedModel
    }

    static func add(_ value: JSONValue, byID: inout [String: Recording], byKey: inout [Key: Recording]) {
        guard case .object(let fields) = value else { return }
        var recording = Recording(
            output: fields["output"]?.stringValue,
            finishReason: fields["finishReason"]?.stringValue
        )
        if case .object(let usage)? = fields["usage"], case .number(let prompt)? = usage["promptTokens"],
            case .number(let completion)? = usage["completionTokens"]
        {
            recording.usage = TokenUsage(promptTokens: Int(prompt), completionTokens: Int(completion))
        }
        if case .array(let scores)? = fields["optionScores"] {
            recording.scores = scores.compactMap { value in
                guard case .object(let score) = value, case .number(let logprob)? = score["logprob"] else { return nil }
                var tokens = 0
                if case .number(let count)? = score["tokens"], count >= 0, count < 1e9 { tokens = Int(count) }
                return ContinuationScore(logprob: logprob, tokens: tokens)
            }
        }
        var continuations = fields["continuations"]
        if case .object(let request)? = fields["request"] { continuations = request["continuations"] }
        if case .array(let texts)? = continuations { recording.continuations = texts.compactMap(\.stringValue) }
        if case .object(let error)? = fields["error"] {
            recording.error = error["message"]?.stringValue ?? "error"
        }
        if let id = fields["id"]?.stringValue { byID[id] = recording }
        if let suite = fields["suite"]?.stringValue, let sampleID = fields["sampleID"]?.stringValue {
            var repeatIndex = 0
            if case .number(let value)? = fields["repeatIndex"] { repeatIndex = Int(value) }
            byKey[Key(suite: suite, sampleID: sampleID, repeatIndex: repeatIndex)] = recording
        }
    }

    public var recordingCount: Int { max(byID.count, byKey.count) }

    /// The recorded option scores (`optionScores` in a report's items, or a JSONL line's
    /// `"optionScores": [{"logprob": -3.2, "tokens": 2}, …]`).
    ///
    /// Scores mean nothing without the texts they belong to: an item found by suite, sample and repeat rather than
    /// by id must have been scored on the same continuations, in the same order (a recording that names none is
    /// trusted only when found by id); otherwise it is `missingRecording`.
    public func score(_ request: ModelRequest, in context: RequestContext) async throws -> [ContinuationScore] {
        let recording = try self.recording(for: context)
        if byID[context.itemID] == nil, recording.continuations != request.continuations {
            throw BackendError(
                .missingRecording,
                "replay: '\(path)' has no scores for item \(context.itemID): the recording of sample "
                    + "'\(context.sampleID)' scored other options (or did not say which), and scores are only "
                    + "replayed for the same options in the same order"
            )
        }
        guard let scores = recording.scores else {
            throw BackendError(
                .missingRecording,
                "replay: the recording for item \(context.itemID) has no 'optionScores' (it was not scored by "
                    + "log-probability)"
            )
        }
        return scores
    }

    func recording(for context: RequestContext) throws -> Recording {
        let key = Key(suite: context.suiteName, sampleID: context.sampleID, repeatIndex: context.repeatIndex)
        guard let recording = byID[context.itemID] ?? byKey[key] else {
            throw BackendError(
                .missingRecording,
                "replay: '\(path)' has no answer for item \(context.itemID) "
                    + "(suite '\(context.suiteName)', sample '\(context.sampleID)', repeat \(context.repeatIndex))"
            )
        }
        if let error = recording.error, recording.output == nil {
            throw BackendError(.missingRecording, "replay: the recorded item was an error: \(error)")
        }
        return recording
    }

    public func complete(_ request: ModelRequest, in context: RequestContext) async throws -> ModelResponse {
        let recording = try self.recording(for: context)
        guard let output = recording.output else {
            throw BackendError(.missingRecording, "replay: the recording for item \(context.itemID) has no 'output'")
        }
        return ModelResponse(text: output, finishReason: recording.finishReason, usage: recording.usage, latency: 0)
    }
}
