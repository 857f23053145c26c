import Foundation
import PlumbCore

/// The subset of JSON Schema that `is-json` validates against, compiled from the suite when it loads.
///
/// Supported keywords:
/// - `type`: `"null"`, `"boolean"`, `"number"`, `"integer"` (a number without a fraction, so `1.0` counts),
///   `"string"`, `"array"`, `"object"`, or an array of these.
/// - `enum` (array of allowed values), `const` (the one allowed value).
/// - numbers: `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (numbers, as in draft 6 and later).
/// - strings: `minLength`, `maxLength` (counted in Unicode code points), `pattern` (ICU regular expression,
///   matched anywhere unless anchored).
/// - arrays: `items` (one schema for every element), `minItems`, `maxItems`.
/// - objects: `properties`, `required` (array of names), `additionalProperties` (`true` or `false` only).
/// - the annotations `$schema`, `$id`, `$comment`, `title`, `description`, `default` and `examples`, which
///   are accepted and do not affect validation.
///
/// `true` and `false` are schemas that accept everything and nothing. Any other keyword (`format`, `oneOf`,
/// `$ref`, …) is an `unsupported` diagnostic when the suite loads rather than being ignored silently. Keywords
/// for one kind of value do not constrain the others, as in JSON Schema: `minLength` says nothing about numbers.
public struct JSONSchemaSubset: Sendable {
    /// A JSON Schema type name, as written in `type`.
    public enum JSONType: String, Sendable, Hashable, CaseIterable {
        case null, boolean, number, integer, string, array, object
    }

    /// A place where a value breaks the schema, e.g. `$.age: expected integer, found string`.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// A JSONPath such as `$`, `$.user.name`, `$.items[2]` or `$["first name"]`.
        public var path: String
        public var message: String

        public var description: String { "\(path): \(message)" }
    }

    public static let annotationKeywords: Set<String> = [
        "$schema", "$id", "$comment", "title", "description", "default", "examples",
    ]
    public static let validationKeywords: [String] = [
        "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
        "maxLength", "pattern", "items", "minItems", "maxItems", "properties", "required", "additionalProperties",
    ]

    /// `false` schemas reject every value.
    public internal(set) var acceptsNothing = false
    public internal(set) var types: [JSONType]?
    public internal(set) var enumValues: [JSONValue]?
    /// The required value; `.null` requires `null`, `nil` means no `const`.
    public internal(set) var constValue: JSONValue?
    public internal(set) var minimum: Double?
    public internal(set) var maximum: Double?
    public internal(set) var exclusiveMinimum: Double?
    public internal(set) var exclusiveMaximum: Double?
    public internal(set) var minLength: Int?
    public internal(set) var maxLength: Int?
    public internal(set) var pattern: String?
    var compiledPattern: NSRegularExpression?
    /// The element schema (zero or one of them; an array gives the recursive struct its indirection).
    var itemSchemas: [JSONSchemaSubset] = []
    public internal(set) var minItems: Int?
    public internal(set) var maxItems: Int?
    /// Property schemas in the order written.
    public internal(set) var properties: [(name: String, schema: JSONSchemaSubset)] = []
    public internal(set) var required: [String] = []
    /// `false` rejects members not listed in `properties`; `nil` and `true` allow them.
    public internal(set) var additionalProperties: Bool?

    public var items: JSONSchemaSubset? { itemSchemas.first }

    /// A schema that accepts every value.
    public init() {}

    /// Compiles a schema written in a suite, reporting problems at their line and column.
    /// `name` says where the schema sits in messages (`'schema' of check 'is-json'`).
    public init(node: JSON5Node, file: String, name: String) throws(SuiteDiagnostic) {
        let members: [JSON5Node.Member]
        switch node.value {
        case .bool(let value):
            acceptsNothing = !value
            return
        case .object(let objectMembers): members = objectMembers
        default:
            throw SuiteDiagnostic(
                .wrongType,
                "\(name) must be a JSON Schema object (or true/false), found \(node.kindName)",
                at: node.position.in(file)
            )
        }
        let reader = Reader(file: file, name: name)
        for member in members {
            try reader.read(member, into: &self)
        }
    }

    /// The first place where `value` breaks the schema, or `nil` when it conforms.
    public func validate(_ value: JSONValue) -> Violation? {
        validate(value, at: "$")
    }

    /// `validate` for a value that `JSONSerialization` produced.
    public func validate(foundationObject object: Any) -> Violation? {
        validate(JSONSchemaSubset.jsonValue(fromFoundation: object))
    }
}

// MARK: - Compiling

extension JSONSchemaSubset {
    private struct Reader {
        var file: String
        var name: String

        func location(_ position: TextPosition) -> SourceLocation { position.in(file) }

        func wrongType(_ key: String, _ node: JSON5Node, expected: String) -> SuiteDiagnostic {
            SuiteDiagnostic(
                .wrongType,
                "'\(key)' in \(name) must be \(expected), found \(node.kindName)",
                at: location(node.position)
            )
        }

        func invalid(_ key: String, _ node: JSON5Node, _ message: String) -> SuiteDiagnostic {
            SuiteDiagnostic(.invalidValue, "'\(key)' in \(name): \(message)", at: location(node.position))
        }

        func number(_ key: String, _ node: JSON5Node) throws(SuiteDiagnostic) -> Double {
            guard case .number(let value, _) = node.value, value.isFinite else {
                throw wrongType(key, node, expected: "a finite number")
            }
            return value
        }

        func count(_ key: String, _ node: JSON5Node) throws(SuiteDiagnostic) -> Int {
            guard case .number(let value, _) = node.value, value.rounded() == value, value >= 0, value < 1e15 else {
                throw wrongType(key, node, expected: "a whole number ≥ 0")
            }
            return Int(value)
        }

        func type(_ node: JSON5Node) throws(SuiteDiagnostic) -> JSONType {
            guard case .string(let text) = node.value else { throw wrongType("type", node, expected: "a type name") }
            guard let type = JSONType(rawValue: text) else {
                let names = JSONType.allCases.map(\.rawValue)
                throw invalid(
                    "type",
                    node,
                    "unknown type '\(text)' (use \(names.map { "'\($0)'" }.joined(separator: ", ")))"
                        + EditDistance.hint(for: text, among: names)
                )
            }
            return type
        }

        func read(_ member: JSON5Node.Member, into schema: inout JSONSchemaSubset) throws(SuiteDiagnostic) {
            let key = member.key
            let node = member.value
            switch key {
            case "type":
                switch node.value {
                case .string: schema.types = [try type(node)]
                case .array(let elements):
                    guard !elements.isEmpty else { throw invalid(key, node, "must list at least one type") }
                    var types: [JSONType] = []
                    for element in elements { types.append(try type(element)) }
                    schema.types = types
                default: throw wrongType(key, node, expected: "a type name or an array of type names")
                }
            case "enum":
                guard case .array(let elements) = node.value else { throw wrongType(key, node, expected: "an array") }
                guard !elements.isEmpty else { throw invalid(key, node, "must list at least one value") }
                schema.enumValues = elements.map(\.plain)
            case "const":
                schema.constValue = node.plain
            case "minimum": schema.minimum = try number(key, node)
            case "maximum": schema.maximum = try number(key, node)
            case "exclusiveMinimum": schema.exclusiveMinimum = try number(key, node)
            case "exclusiveMaximum": schema.exclusiveMaximum = try number(key, node)
            case "minLength": schema.minLength = try count(key, node)
            case "maxLength": schema.maxLength = try count(key, node)
            case "minItems": schema.minItems = try count(key, node)
            case "maxItems": schema.maxItems = try count(key, node)
            case "pattern":
                guard case .string(let pattern) = node.value else {
                    throw wrongType(key, node, expected: "a string")
                }
                do {
                    schema.compiledPattern = try RegexProblem.compile(pattern)
                } catch {
                    throw SuiteDiagnostic(
                        .invalidRegex,
                        "'pattern' in \(name) is not a valid regular expression: \(error.message)",
                        at: location(node.position)
                    )
                }
                schema.pattern = pattern
            case "items":
                if case .array = node.value {
                    throw SuiteDiagnostic(
                        .unsupported,
                        "'items' in \(name) must be one schema; per-position (tuple) items are not supported",
                        at: location(node.position)
                    )
                }
                schema.itemSchemas = [try JSONSchemaSubset(node: node, file: file, name: "'items' of \(name)")]
            case "properties":
                guard case .object(let members) = node.value else {
                    throw wrongType(key, node, expected: "an object of schemas")
                }
                var properties: [(name: String, schema: JSONSchemaSubset)] = []
                for member in members {
                    let property = try JSONSchemaSubset(
                        node: member.value,
                        file: file,
                        name: "property '\(member.key)' of \(name)"
                    )
                    properties.removeAll { $0.name == member.key }
                    properties.append((member.key, property))
                }
                schema.properties = properties
            case "required":
                guard case .array(let elements) = node.value else {
                    throw wrongType(key, node, expected: "an array of property names")
                }
                var names: [String] = []
                for element in elements {
                    guard case .string(let text) = element.value else {
                        throw wrongType(key, element, expected: "a property name")
                    }
                    if !names.contains(text) { names.append(text) }
                }
                schema.required = names
            case "additionalProperties":
                switch node.value {
                case .bool(let allowed): schema.additionalProperties = allowed
                case .object:
                    throw SuiteDiagnostic(
                        .unsupported,
                        "'additionalProperties' in \(name) must be true or false; schemas are not supported",
                        at: location(node.position)
                    )
                default: throw wrongType(key, node, expected: "true or false")
                }
            default:
                if JSONSchemaSubset.annotationKeywords.contains(key) { return }
                let supported = JSONSchemaSubset.validationKeywords
                throw SuiteDiagnostic(
                    .unsupported,
                    "JSON Schema keyword '\(key)' in \(name) is not supported"
                        + (EditDistance.suggestion(for: key, among: supported).map { "; did you mean '\($0)'?" }
                            ?? " (supported: \(supported.joined(separator: ", ")))"),
                    at: location(member.keyPosition)
                )
            }
        }
    }
}

// MARK: - Validating

extension JSONSchemaSubset {
    func validate(_ value: JSONValue, at path: String) -> Violation? {
        func violation(_ message: String) -> Violation { Violation(path: path, message: message) }

        if acceptsNothing { return violation("no value is allowed here (schema is false)") }
        if let types, !types.contains(where: { JSONSchemaSubset.value(value, is: $0) }) {
            let expected = types.map(\.rawValue).joined(separator: " or ")
            return violation("expected \(expected), found \(JSONSchemaSubset.typeName(value))")
        }
        if let constValue, !JSONSchemaSubset.equal(value, constValue) {
            return violation("expected \(JSONSchemaSubset.text(constValue)), found \(JSONSchemaSubset.text(value))")
        }
        if let enumValues, !enumValues.contains(where: { JSONSchemaSubset.equal(value, $0) }) {
            let allowed = enumValues.map { JSONSchemaSubset.text($0) }.joined(separator: ", ")
            return violation("expected one of \(allowed), found \(JSONSchemaSubset.text(value))")
        }
        switch value {
        case .number(let number):
            let found = Reason.number(number)
            if let minimum, number < minimum {
                return violation("expected ≥ \(Reason.number(minimum)), found \(found)")
            }
            if let maximum, number > maximum {
                return violation("expected ≤ \(Reason.number(maximum)), found \(found)")
            }
            if let exclusiveMinimum, number <= exclusiveMinimum {
                return violation("expected > \(Reason.number(exclusiveMinimum)), found \(found)")
            }
            if let exclusiveMaximum, number >= exclusiveMaximum {
                return violation("expected < \(Reason.number(exclusiveMaximum)), found \(found)")
            }
        case .string(let string):
            let length = string.unicodeScalars.count
            if let minLength, length < minLength {
                return violation(
                    "expected at least \(Reason.count(minLength, "character", "characters")), found \(length)"
                )
            }
            if let maxLength, length > maxLength {
                return violation(
                    "expected at most \(Reason.count(maxLength, "character", "characters")), found \(length)"
                )
            }
            if let compiledPattern, let pattern {
                let range = NSRange(string.startIndex..<string.endIndex, in: string)
                if compiledPattern.firstMatch(in: string, options: [], range: range) == nil {
                    return violation("\(Reason.quote(string)) does not match pattern \(Reason.quote(pattern))")
                }
            }
        case .array(let elements):
            if let minItems, elements.count < minItems {
                return violation(
                    "expected at least \(Reason.count(minItems, "item", "items")), found \(elements.count)"
                )
            }
            if let maxItems, elements.count > maxItems {
                return violation("expected at most \(Reason.count(maxItems, "item", "items")), found \(elements.count)")
            }
            if let items {
                for (index, element) in elements.enumerated() {
                    if let problem = items.validate(element, at: "\(path)[\(index)]") { return problem }
                }
            }
        case .object(let members):
            for name in required where members[name] == nil {
                return Violation(
                    path: JSONSchemaSubset.path(path, member: name),
                    message: "required property is missing"
                )
            }
            for (name, schema) in properties {
                guard let member = members[name] else { continue }
                if let problem = schema.validate(member, at: JSONSchemaSubset.path(path, member: name)) {
                    return problem
                }
            }
            if additionalProperties == false {
                let listed = Set(properties.map(\.name))
                if let extra = members.keys.sorted().first(where: { !listed.contains($0) }) {
                    return Violation(
                        path: JSONSchemaSubset.path(path, member: extra),
                        message: "property is not allowed (additionalProperties is false)"
                    )
                }
            }
        case .null, .bool:
            break
        }
        return nil
    }

    static func value(_ value: JSONValue, is type: JSONType) -> Bool {
        switch (type, value) {
        case (.null, .null), (.boolean, .bool), (.number, .number), (.string, .string), (.array, .array),
            (.object, .object):
            return true
        case (.integer, .number(let number)):
            return number.rounded() == number
        default:
            return false
        }
    }

    /// The schema type name of a value; whole numbers are `integer`.
    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .number(let number): number.rounded() == number ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// JSON equality as JSON Schema defines it: numbers by value, objects regardless of member order.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool { a == b }

    /// `$.name`, or `$["first name"]` for names that are not identifiers.
    static func path(_ path: String, member name: String) -> String {
        let isIdentifier =
            !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
            }
            && !("0"..."9").contains(name.unicodeScalars.first!)
        return isIdentifier ? "\(path).\(name)" : "\(path)[\(text(.string(name)))]"
    }

    /// Compact JSON text of a value, for messages; object members sorted by name.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let bool): return bool ? "true" : "false"
        case .number(let number): return Reason.number(number)
        case .string(let string):
            var escaped = "\""
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case "\r": escaped += "\\r"
                case "\t": escaped += "\\t"
                default:
                    if scalar.value < 0x20 {
                        escaped += String(format: "\\u%04x", scalar.value)
                    } else {
                        escaped.unicodeScalars.append(scalar)
                    }
                }
            }
            return escaped + "\""
        case .array(let elements): return "[" + elements.map { text($0) }.joined(separator: ",") + "]"
        case .object(let members):
            return "{"
                + members.keys.sorted().map { "\(text(.string($0))):\(text(members[$0]!))" }
                .joined(separator: ",") + "}"
        }
    }

    /// Converts what `JSONSerialization` returns to a `JSONValue`, telling booleans from numbers.
    public static func jsonValue(fromFoundation object: Any) -> JSONValue {
        switch object {
        case is NSNull: return .null
        case let string as String: return .string(string)
        case let number as NSNumber:
            if isBoolean(number) { return .bool(number.boolValue) }
            return .number(number.doubleValue)
        case let array as [Any]: return .array(array.map { jsonValue(fromFoundation: $0) })
        case let dictionary as [String: Any]: return .object(dictionary.mapValues { jsonValue(fromFoundation: $0) })
        default: return .string("\(object)")
        }
    }

    private static func isBoolean(_ number: NSNumber) -> Bool {
        type(of: number) == type(of: NSNumber(value: true)) || String(cString: number.objCType) == "c"
    }
}
