import Foundation
import PlumbCore

/// `is-json`: passes when the output is JSON, and, with a `schema`, when that JSON conforms to it.
///
/// Parameters:
/// - `extractCodeBlock` (bool, default `false`): parse the first fenced code block labelled `json`
///   (`` ```json … ``` ``), else the first unlabelled fenced block, else the whole output.
/// - `schema` (object, optional): a JSON Schema in the subset `JSONSchemaSubset` documents. Keywords outside it
///   are rejected when the suite loads.
///
/// The text is trimmed and parsed with `JSONSerialization`; any JSON value counts, including a bare string or
/// number. The reason for a schema failure names the first violation's path, e.g. `$.age: expected integer,
/// found string`.
public struct IsJSONCheck: Check {
    public var extractCodeBlock: Bool
    public var schema: JSONSchemaSubset?

    public init(extractCodeBlock: Bool = false, schema: JSONSchemaSubset? = nil) {
        self.extractCodeBlock = extractCodeBlock
        self.schema = schema
    }

    public init(parameters: CheckParameters) throws(SuiteDiagnostic) {
        let extractCodeBlock = try parameters.bool("extractCodeBlock") ?? false
        var schema: JSONSchemaSubset?
        if let node = parameters.node("schema") {
            guard case .object = node.value else {
                throw parameters.typeMismatch("schema", node, expected: "an object (a JSON Schema)")
            }
            schema = try JSONSchemaSubset(
                node: node,
                file: parameters.file,
                name: "'schema' of check '\(parameters.kind)'"
            )
        }
        self.init(extractCodeBlock: extractCodeBlock, schema: schema)
    }

    public func evaluate(_ input: CheckInput, in context: CheckContext) async throws -> CheckResult {
        var text = input.output
        var source = "output"
        if extractCodeBlock, let block = IsJSONCheck.codeBlock(in: text) {
            text = block
            source = "code block"
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .fail("\(source) is empty, not JSON") }
        if let offset = IsJSONCheck.trailingCommaOffset(in: text) {
            return .fail(
                "\(source) is not valid JSON (trailing comma around character \(offset)): \(Reason.quote(text))"
            )
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return .fail("\(source) is not valid JSON\(detail.map { " (\($0))" } ?? ""): \(Reason.quote(text))")
        }
        let value = JSONSchemaSubset.jsonValue(fromFoundation: object)
        let kind = JSONSchemaSubset.typeName(value)
        guard let schema else { return .pass("\(source) is valid JSON (\(kind))") }
        if let violation = schema.validate(value) { return .fail(violation.description) }
        return .pass("\(source) is valid JSON (\(kind)) matching the schema")
    }

    /// The byte offset of a comma that directly precedes `]` or `}` outside strings, if any.
    ///
    /// `JSONSerialization` on Linux (swift-foundation) accepts such trailing commas, which strict JSON parsers
    /// reject; this check stays strict.
    static func trailingCommaOffset(in text: String) -> Int? {
        let bytes = Array(text.utf8)
        var inString = false
        var escaped = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: ",") {
                var next = index + 1
                while next < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[next]) { next += 1 }
                if next < bytes.count, bytes[next] == UInt8(ascii: "]") || bytes[next] == UInt8(ascii: "}") {
                    return index
                }
            }
            index += 1
        }
        return nil
    }

    /// The contents of the first fenced block labelled `json` (any case), else of the first unlabelled one.
    public static func codeBlock(in text: String) -> String? {
        var unlabelled: String?
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)[...]
        while let line = lines.popFirst() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("```") else { continue }
            let label = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased()
            var body: [Substring] = []
            var closed = false
            while let inner = lines.popFirst() {
                if inner.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                    closed = true
                    break
                }
                body.append(inner)
            }
            let content = body.joined(separator: "\n")
            if label == "json" { return content }
            if label.isEmpty, unlabelled == nil { unlabelled = content }
            if !closed { break }
        }
        return unlabelled
    }
}
