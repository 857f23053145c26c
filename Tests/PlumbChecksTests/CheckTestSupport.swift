import Foundation
import PlumbChecks
import PlumbCore
import Testing

/// A JSON5 value written as a Swift literal, for building check parameters by hand (the JSON5 parser lives
/// elsewhere): `["value": "Paris", "ignoreCase": true, "values": ["a", "b"], "min": 3]`.
indirect enum P: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    case null
    case bool(Bool)
    /// A number and the text it was written as.
    case number(Double, raw: String)
    case string(String)
    case array([P])
    case object([(String, P)])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .number(Double(value), raw: String(value)) }
    init(floatLiteral value: Double) { self = .number(value, raw: String(value)) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: P...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, P)...) { self = .object(elements) }
    init(nilLiteral: ()) { self = .null }
}

/// The file every test check claims to come from.
let testFile = "test.suite.json5"

/// Lays parameters out one per line, as a suite writer would:
///
///     {                         // line 1, the check at column 3
///         value: "Paris",       // line 2: key at column 5, value at column 5 + key length + 2
///         values: [             // nested elements and members each take the next line, indented by 2
///
/// so tests can compute where a diagnostic must point.
private final class Layout {
    var line = 1

    func node(_ value: P, column: Int) -> JSON5Node {
        let position = TextPosition(line: line, column: column)
        switch value {
        case .null: return JSON5Node(.null, at: position)
        case .bool(let bool): return JSON5Node(.bool(bool), at: position)
        case .number(let number, let raw): return JSON5Node(.number(number, raw: raw), at: position)
        case .string(let string): return JSON5Node(.string(string), at: position)
        case .array(let elements):
            let nodes = elements.map { element -> JSON5Node in
                line += 1
                return node(element, column: column + 2)
            }
            return JSON5Node(.array(nodes), at: position)
        case .object(let members):
            return JSON5Node(.object(self.members(members, column: column + 2)), at: position)
        }
    }

    func members(_ members: [(String, P)], column: Int) -> [JSON5Node.Member] {
        members.map { key, value in
            line += 1
            let keyPosition = TextPosition(line: line, column: column)
            return JSON5Node.Member(
                key: key,
                keyPosition: keyPosition,
                value: node(value, column: column + key.count + 2)
            )
        }
    }
}

/// Where the check object itself starts.
let checkPosition = TextPosition(line: 1, column: 3)

/// Parameters of a check of `kind`, e.g. `params("contains", ["value": .string("Paris"), "ignoreCase": .bool(true)])`.
func params(_ kind: String, _ members: KeyValuePairs<String, P> = [:]) -> CheckParameters {
    params(kind, Array(members))
}

func params(_ kind: String, _ members: [(String, P)]) -> CheckParameters {
    let layout = Layout()
    return CheckParameters(
        kind: kind,
        file: testFile,
        position: checkPosition,
        members: layout.members(members, column: 5)
    )
}

extension CheckParameters {
    /// Where the value of `key` was written.
    func valueLocation(_ key: String) -> PlumbCore.SourceLocation {
        let member = members.last { $0.key == key }!
        return member.value.position.in(file)
    }

    /// Where `key` itself was written.
    func keyLocation(_ key: String) -> PlumbCore.SourceLocation {
        members.last { $0.key == key }!.keyPosition.in(file)
    }
}

/// Builds checks from hand-written parameters through `CheckRegistry.builtins` and runs them on an output.
enum CheckVerifier {
    static let registry = CheckRegistry.builtins
    static let context = CheckContext(suiteName: "test", location: checkPosition.in(testFile))

    /// Builds a check as the loader would; also records an issue if the factory left a parameter unread.
    static func make(_ kind: String, _ members: [(String, P)]) throws -> any Check {
        let parameters = params(kind, members)
        let check = try registry.makeCheck(parameters)
        let unknown = parameters.unknownKeys(ignoring: ["type", "name", "weight"])
        #expect(unknown.isEmpty, "parameters not read by '\(kind)': \(unknown)")
        return check
    }

    /// Runs `check` on `output`, with a sample holding `fields`.
    static func evaluate(
        _ check: any Check,
        output: String,
        fields: [String: JSONValue] = [:]
    ) async throws -> CheckResult {
        let sample = Sample(
            id: "s1",
            fields: fields,
            location: PlumbCore.SourceLocation(file: "samples.jsonl", line: 1)
        )
        let input = CheckInput(
            sample: sample,
            request: ModelRequest(messages: [Message(role: .user, content: "question")]),
            response: ModelResponse(text: output)
        )
        return try await check.evaluate(input, in: context)
    }

    /// Builds a check of `kind` and runs it on `output`.
    static func evaluate(
        _ kind: String,
        _ members: KeyValuePairs<String, P> = [:],
        output: String,
        fields: [String: JSONValue] = [:]
    ) async throws -> CheckResult {
        try await evaluate(make(kind, Array(members)), output: output, fields: fields)
    }

    static func evaluate(
        _ kind: String,
        _ members: [(String, P)],
        output: String,
        fields: [String: JSONValue] = [:]
    ) async throws -> CheckResult {
        try await evaluate(make(kind, members), output: output, fields: fields)
    }

    /// The diagnostic building a check of `kind` throws, or `nil` (recorded as an issue) when it builds.
    static func loadError(_ kind: String, _ members: KeyValuePairs<String, P>) -> SuiteDiagnostic? {
        loadError(params(kind, Array(members))).1
    }

    /// Builds from `parameters`, returning them (for positions) and the diagnostic.
    static func loadError(_ parameters: CheckParameters) -> (CheckParameters, SuiteDiagnostic?) {
        do {
            _ = try registry.makeCheck(parameters)
            Issue.record("'\(parameters.kind)' built, expected a diagnostic")
            return (parameters, nil)
        } catch {
            return (parameters, error)
        }
    }
}

/// One evaluation case: parameters, a sample's fields, an output, and the expected outcome (and reason, when
/// given), named by `label` in the test report.
struct EvalCase: Sendable, CustomTestStringConvertible {
    var label: String
    var parameters: [(String, P)]
    var fields: [String: JSONValue]
    var output: String
    var outcome: CheckOutcome
    var reason: String?
    var score: Double?

    init(
        _ label: String,
        _ parameters: KeyValuePairs<String, P>,
        fields: [String: JSONValue] = [:],
        output: String,
        _ outcome: CheckOutcome,
        reason: String? = nil,
        score: Double? = nil
    ) {
        self.label = label
        self.parameters = Array(parameters)
        self.fields = fields
        self.output = output
        self.outcome = outcome
        self.reason = reason
        self.score = score
    }

    var testDescription: String { label }

    /// Builds the check of `kind`, runs it, and checks outcome, reason and score; errors must not score.
    func verify(_ kind: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let result = try await CheckVerifier.evaluate(kind, parameters, output: output, fields: fields)
        #expect(result.outcome == outcome, "reason: \(result.reason)", sourceLocation: sourceLocation)
        if let reason {
            #expect(result.reason == reason, sourceLocation: sourceLocation)
        }
        if let score {
            #expect(result.score == score, sourceLocation: sourceLocation)
        }
        if outcome == .error {
            #expect(result.score == nil, sourceLocation: sourceLocation)
        }
        #expect(!result.reason.isEmpty, sourceLocation: sourceLocation)
    }
}

/// A parameter mistake that must stop the suite from loading.
struct LoadErrorCase: Sendable, CustomTestStringConvertible {
    var label: String
    var kind: String
    var parameters: [(String, P)]
    var code: SuiteDiagnostic.Code
    /// The key whose value the diagnostic points at; `nil` means the check itself.
    var at: String?
    /// A part of the message that must appear.
    var message: String

    init(
        _ label: String,
        _ kind: String,
        _ parameters: KeyValuePairs<String, P>,
        _ code: SuiteDiagnostic.Code,
        at: String?,
        _ message: String
    ) {
        self.label = label
        self.kind = kind
        self.parameters = Array(parameters)
        self.code = code
        self.at = at
        self.message = message
    }

    var testDescription: String { "\(kind): \(label)" }

    func verify(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let (parameters, diagnostic) = CheckVerifier.loadError(params(kind, self.parameters))
        guard let diagnostic else { return }
        #expect(diagnostic.code == code, "\(diagnostic)", sourceLocation: sourceLocation)
        let location = at.map { parameters.valueLocation($0) } ?? parameters.location
        #expect(diagnostic.location == location, "\(diagnostic)", sourceLocation: sourceLocation)
        #expect(diagnostic.message.contains(message), "\(diagnostic.message)", sourceLocation: sourceLocation)
        #expect(diagnostic.severity == .error, sourceLocation: sourceLocation)
    }
}

/// A hand-built JSON5 node, laid out like parameters (the value at line 1, column 1).
func json5(_ value: P) -> JSON5Node {
    Layout().node(value, column: 1)
}
