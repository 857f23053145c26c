import Foundation
import PlumbChecks
import PlumbCore
import Testing

@Suite struct JSONSchemaSubsetTests {
    struct ValidationCase: Sendable, CustomTestStringConvertible {
        var label: String
        var schema: P
        var json: String
        /// `nil` when the value conforms.
        var violation: String?

        init(_ label: String, _ schema: P, _ json: String, _ violation: String?) {
            self.label = label
            self.schema = schema
            self.json = json
            self.violation = violation
        }

        var testDescription: String { label }
    }

    static func compile(_ schema: P) throws -> JSONSchemaSubset {
        try JSONSchemaSubset(node: json5(schema), file: testFile, name: "'schema' of check 'is-json'")
    }

    static let cases: [ValidationCase] = [
        ValidationCase("empty schema accepts anything", [:], #"{"x": [1]}"#, nil),
        ValidationCase("true schema", true, "1", nil),
        ValidationCase("false schema", false, "1", "$: no value is allowed here (schema is false)"),
        ValidationCase("type string", ["type": "string"], #""a""#, nil),
        ValidationCase("type mismatch", ["type": "string"], "1", "$: expected string, found integer"),
        ValidationCase("integer accepts 1.0", ["type": "integer"], "1.0", nil),
        ValidationCase("integer rejects 1.5", ["type": "integer"], "1.5", "$: expected integer, found number"),
        ValidationCase("number accepts integers", ["type": "number"], "3", nil),
        ValidationCase("boolean is not a number", ["type": "number"], "true", "$: expected number, found boolean"),
        ValidationCase("number is not a boolean", ["type": "boolean"], "1", "$: expected boolean, found integer"),
        ValidationCase("boolean", ["type": "boolean"], "false", nil),
        ValidationCase("null", ["type": "null"], "null", nil),
        ValidationCase("type list", ["type": ["string", "null"]], "null", nil),
        ValidationCase(
            "type list mismatch",
            ["type": ["string", "null"]],
            "[]",
            "$: expected string or null, found array"
        ),
        ValidationCase("const", ["const": "yes"], #""yes""#, nil),
        ValidationCase("const mismatch", ["const": "yes"], #""no""#, #"$: expected "yes", found "no""#),
        ValidationCase("const null", ["const": nil], "0", "$: expected null, found 0"),
        ValidationCase("const object ignores member order", ["const": ["a": 1, "b": 2]], #"{"b": 2, "a": 1}"#, nil),
        ValidationCase("enum", ["enum": ["red", "green"]], #""green""#, nil),
        ValidationCase(
            "enum mismatch",
            ["enum": ["red", 2]],
            #""blue""#,
            #"$: expected one of "red", 2, found "blue""#
        ),
        ValidationCase("minimum", ["minimum": 18], "18", nil),
        ValidationCase("below minimum", ["minimum": 18], "17", "$: expected ≥ 18, found 17"),
        ValidationCase("above maximum", ["maximum": 1.5], "2", "$: expected ≤ 1.5, found 2"),
        ValidationCase("exclusiveMinimum", ["exclusiveMinimum": 0], "0", "$: expected > 0, found 0"),
        ValidationCase("exclusiveMaximum", ["exclusiveMaximum": 10], "9.99", nil),
        ValidationCase("exclusiveMaximum hit", ["exclusiveMaximum": 10], "10", "$: expected < 10, found 10"),
        ValidationCase("bounds ignore strings", ["minimum": 5], #""abc""#, nil),
        ValidationCase("minLength", ["minLength": 2], #""é""#, "$: expected at least 2 characters, found 1"),
        ValidationCase("maxLength", ["maxLength": 1], #""ab""#, "$: expected at most 1 character, found 2"),
        ValidationCase("pattern", ["pattern": #"^\d{3}$"#], #""123""#, nil),
        ValidationCase(
            "pattern mismatch",
            ["pattern": #"^\d{3}$"#],
            #""12a""#,
            #"$: "12a" does not match pattern "^\d{3}$""#
        ),
        ValidationCase("pattern matches anywhere", ["pattern": "b"], #""abc""#, nil),
        ValidationCase("minItems", ["minItems": 1], "[]", "$: expected at least 1 item, found 0"),
        ValidationCase("maxItems", ["maxItems": 2], "[1,2,3]", "$: expected at most 2 items, found 3"),
        ValidationCase("items", ["items": ["type": "integer"]], "[1, 2, 3]", nil),
        ValidationCase(
            "items violation",
            ["items": ["type": "integer"]],
            "[1, 2, \"3\"]",
            "$[2]: expected integer, found string"
        ),
        ValidationCase(
            "required",
            ["required": ["name", "age"]],
            #"{"name": "x"}"#,
            "$.age: required property is missing"
        ),
        ValidationCase(
            "properties",
            ["properties": ["age": ["minimum": 0]]],
            #"{"age": -1}"#,
            "$.age: expected ≥ 0, found -1"
        ),
        ValidationCase("properties only when present", ["properties": ["age": ["type": "integer"]]], "{}", nil),
        ValidationCase(
            "additionalProperties false",
            ["properties": ["a": [:]], "additionalProperties": false],
            #"{"a": 1, "z": 2, "b": 3}"#,
            "$.b: property is not allowed (additionalProperties is false)"
        ),
        ValidationCase(
            "additionalProperties true",
            ["properties": ["a": [:]], "additionalProperties": true],
            #"{"b": 1}"#,
            nil
        ),
        ValidationCase(
            "nested path",
            [
                "type": "object",
                "properties": [
                    "users": ["type": "array", "items": ["properties": ["first name": ["type": "string"]]]]
                ],
            ],
            #"{"users": [{"first name": "a"}, {"first name": 5}]}"#,
            #"$.users[1]["first name"]: expected string, found integer"#
        ),
        ValidationCase(
            "first violation wins: required before properties",
            ["required": ["b"], "properties": ["a": ["type": "string"]]],
            #"{"a": 1}"#,
            "$.b: required property is missing"
        ),
        ValidationCase(
            "annotations are accepted",
            ["title": "T", "description": "D", "$schema": "x", "type": "null"],
            "null",
            nil
        ),
        ValidationCase("big integers", ["type": "integer", "maximum": 1e30], "10000000000000000000000", nil),
    ]

    @Test(arguments: cases)
    func validates(_ testCase: ValidationCase) throws {
        let schema = try Self.compile(testCase.schema)
        let object = try JSONSerialization.jsonObject(with: Data(testCase.json.utf8), options: [.fragmentsAllowed])
        #expect(schema.validate(foundationObject: object)?.description == testCase.violation)
    }

    struct SchemaErrorCase: Sendable, CustomTestStringConvertible {
        var label: String
        var schema: P
        var code: SuiteDiagnostic.Code
        /// Line of the offending key or value in the laid-out schema (the schema object is line 1).
        var line: Int
        var message: String

        init(_ label: String, _ schema: P, _ code: SuiteDiagnostic.Code, line: Int, _ message: String) {
            self.label = label
            self.schema = schema
            self.code = code
            self.line = line
            self.message = message
        }

        var testDescription: String { label }
    }

    static let schemaErrors: [SchemaErrorCase] = [
        SchemaErrorCase(
            "unsupported keyword",
            ["type": "string", "format": "email"],
            .unsupported,
            line: 3,
            "'format'"
        ),
        SchemaErrorCase("keyword typo", ["requried": ["a"]], .unsupported, line: 2, "did you mean 'required'?"),
        SchemaErrorCase("nested unsupported", ["properties": ["a": ["anyOf": []]]], .unsupported, line: 4, "'anyOf'"),
        SchemaErrorCase("unknown type", ["type": "int"], .invalidValue, line: 2, "unknown type 'int'"),
        SchemaErrorCase("type in list", ["type": ["string", "text"]], .invalidValue, line: 4, "unknown type 'text'"),
        SchemaErrorCase("empty type list", ["type": []], .invalidValue, line: 2, "at least one type"),
        SchemaErrorCase("required not array", ["required": "a"], .wrongType, line: 2, "an array of property names"),
        SchemaErrorCase("minLength negative", ["minLength": -1], .wrongType, line: 2, "a whole number ≥ 0"),
        SchemaErrorCase("minimum not a number", ["minimum": "3"], .wrongType, line: 2, "a finite number"),
        SchemaErrorCase("invalid pattern", ["pattern": "(a"], .invalidRegex, line: 2, "expected ')'"),
        SchemaErrorCase(
            "additionalProperties schema",
            ["additionalProperties": [:]],
            .unsupported,
            line: 2,
            "true or false"
        ),
        SchemaErrorCase("tuple items", ["items": [["type": "string"]]], .unsupported, line: 2, "tuple"),
        SchemaErrorCase("enum empty", ["enum": []], .invalidValue, line: 2, "at least one value"),
        SchemaErrorCase(
            "property schema is a string",
            ["properties": ["a": "string"]],
            .wrongType,
            line: 3,
            "JSON Schema object"
        ),
    ]

    @Test(arguments: schemaErrors)
    func rejectsSchemas(_ testCase: SchemaErrorCase) {
        #expect {
            _ = try Self.compile(testCase.schema)
        } throws: { error in
            guard let diagnostic = error as? SuiteDiagnostic else { return false }
            return diagnostic.code == testCase.code && diagnostic.location.line == testCase.line
                && diagnostic.location.file == testFile && diagnostic.message.contains(testCase.message)
        }
    }

    @Test func describesItsKeywords() throws {
        let schema = try Self.compile(["type": "object", "properties": ["a": ["type": "string"]], "required": ["a"]])
        #expect(schema.types == [.object])
        #expect(schema.properties.map(\.name) == ["a"])
        #expect(schema.required == ["a"])
        #expect(schema.properties.first?.schema.types == [.string])
    }

    @Test func convertsFoundationValues() {
        #expect(JSONSchemaSubset.jsonValue(fromFoundation: NSNumber(value: true)) == .bool(true))
        #expect(JSONSchemaSubset.jsonValue(fromFoundation: NSNumber(value: 1)) == .number(1))
        #expect(JSONSchemaSubset.jsonValue(fromFoundation: NSNull()) == .null)
        #expect(
            JSONSchemaSubset.jsonValue(fromFoundation: ["a": [1, "x"]] as [String: Any])
                == .object(["a": .array([.number(1), .string("x")])])
        )
    }
}
