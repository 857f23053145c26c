import Foundation
import PlumbCore
import Testing

/// Parses `text`, returning the error it throws (or nil if it parses).
private func syntaxError(_ text: String, json5: Bool = true) -> JSON5SyntaxError? {
    do {
        _ = try JSON5Parser.parse(text, json5: json5)
        return nil
    } catch {
        return error
    }
}

private func syntaxError(_ bytes: [UInt8], json5: Bool = true) -> JSON5SyntaxError? {
    do {
        _ = try JSON5Parser.parse(bytes, json5: json5)
        return nil
    } catch {
        return error
    }
}

private func members(_ node: JSON5Node) -> [JSON5Node.Member] {
    if case .object(let members) = node.value { return members }
    Issue.record("expected an object, got \(node.kindName)")
    return []
}

private func elements(_ node: JSON5Node) -> [JSON5Node] {
    if case .array(let elements) = node.value { return elements }
    Issue.record("expected an array, got \(node.kindName)")
    return []
}

private func pos(_ line: Int, _ column: Int) -> TextPosition {
    TextPosition(line: line, column: column)
}

/// One error case: input, mode, exact message, line, column.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var input: String
    var json5: Bool
    var message: String
    var line: Int
    var column: Int

    init(_ input: String, json5: Bool = true, _ message: String, _ line: Int, _ column: Int) {
        self.input = input
        self.json5 = json5
        self.message = message
        self.line = line
        self.column = column
    }

    var testDescription: String { "\(json5 ? "json5" : "json") \(input.debugDescription)" }
}

@Suite("JSON5Parser")
struct JSON5ParserTests {
    // MARK: Values

    @Test(
        "scalars parse the same in JSON and JSON5",
        arguments: [
            ("null", JSON5Node.Value.null),
            ("true", .bool(true)),
            ("false", .bool(false)),
            ("\"\"", .string("")),
            ("\"hello\"", .string("hello")),
            ("\"h\\u00e9llo \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"", .string("héllo \"q\" \\ / \u{08}\u{0C}\n\r\t")),
            ("\"\\uD83D\\uDE00\"", .string("😀")),
            ("\"raw é 😀 \u{2028}\"", .string("raw é 😀 \u{2028}")),
            ("0", .number(0, raw: "0")),
            ("-0", .number(-0.0, raw: "-0")),
            ("42", .number(42, raw: "42")),
            ("-12.5e3", .number(-12500, raw: "-12.5e3")),
            ("1E-2", .number(0.01, raw: "1E-2")),
            ("1e+2", .number(100, raw: "1e+2")),
            ("0.25", .number(0.25, raw: "0.25")),
            ("12345678901234567890", .number(1.2345678901234567890e19, raw: "12345678901234567890")),
            ("  \t\r\n [ ] ", .array([])),
        ]
    )
    func scalars(text: String, expected: JSON5Node.Value) throws {
        let strict = try JSON5Parser.parse(text, json5: false)
        let loose = try JSON5Parser.parse(text)
        if case .array = expected {
            #expect(strict.plain == .array([]))
        } else {
            #expect(strict.value == expected)
            #expect(loose.value == expected)
        }
    }

    @Test(
        "JSON5 numbers",
        arguments: [
            ("0x1F", 31.0),
            ("0XaB", 171),
            ("-0x10", -16),
            ("+0x10", 16),
            (".5", 0.5),
            ("5.", 5),
            ("+1", 1),
            ("-.5e1", -5),
            ("5.e3", 5000),
            ("+.5", 0.5),
            ("Infinity", .infinity),
            ("-Infinity", -.infinity),
            ("+Infinity", .infinity),
            ("0xFFFFFFFFFFFFFFFF", 18_446_744_073_709_551_615.0),
        ]
    )
    func json5Numbers(text: String, expected: Double) throws {
        let node = try JSON5Parser.parse(text)
        #expect(node.value == .number(expected, raw: text))
        #expect(node.position == pos(1, 1))
    }

    @Test("NaN keeps its raw text", arguments: ["NaN", "-NaN", "+NaN"])
    func notANumber(text: String) throws {
        let node = try JSON5Parser.parse(text)
        guard case .number(let value, let raw) = node.value else {
            Issue.record("expected a number")
            return
        }
        #expect(value.isNaN)
        #expect(raw == text)
    }

    @Test(
        "JSON5 strings and escapes",
        arguments: [
            ("'single'", "single"),
            ("'it\\'s \"quoted\"'", "it's \"quoted\""),
            ("\"\\x41\\x7e\\xe9\"", "A~é"),
            ("\"\\v\\0\"", "\u{0B}\u{00}"),
            ("\"\\a\\q\\é\"", "aqé"),  // a non-escape character stands for itself
            ("\"line \\\ncontinued\"", "line continued"),
            ("\"line \\\r\ncontinued\"", "line continued"),
            ("\"line \\\rcontinued\"", "line continued"),
            ("\"line \\\u{2028}continued\"", "line continued"),
            ("\"tab\there\"", "tab\there"),  // raw tabs are allowed in JSON5 strings
            ("'😀 \\uD83D\\uDE00'", "😀 😀"),
        ]
    )
    func json5Strings(text: String, expected: String) throws {
        #expect(try JSON5Parser.parse(text).value == .string(expected))
    }

    @Test("comments, trailing commas, unquoted keys and extra white space")
    func json5Syntax() throws {
        let text = """
            // leading comment
            {
              /* block
                 comment */ unquoted: 1, $dollar: 2, _under_score3: 3,
              'single': [1, 2, 3,],\u{0B}\u{0C}\u{00A0}\u{FEFF}\u{2003}
              "double": {nested: true,}, // trailing
              café: 'ok', true: null, \\u0061b: 0,
            }
            /* trailing comment */
            """
        let node = try JSON5Parser.parse(text)
        let keys = ["unquoted", "$dollar", "_under_score3", "single", "double", "café", "true", "ab"]
        #expect(members(node).map(\.key) == keys)
        #expect(
            node.plain
                == .object([
                    "unquoted": .number(1), "$dollar": .number(2), "_under_score3": .number(3),
                    "single": .array([.number(1), .number(2), .number(3)]), "double": .object(["nested": .bool(true)]),
                    "café": .string("ok"), "true": .null, "ab": .number(0),
                ])
        )
    }

    @Test("duplicate keys are kept in order")
    func duplicateKeys() throws {
        let node = try JSON5Parser.parse(#"{"a": 1, "b": 2, "a": 3}"#, json5: false)
        let list = members(node)
        #expect(list.map(\.key) == ["a", "b", "a"])
        #expect(list.map(\.keyPosition) == [pos(1, 2), pos(1, 10), pos(1, 18)])
        #expect(list[2].value.value == .number(3, raw: "3"))
    }

    @Test("String and byte entry points agree")
    func entryPoints() throws {
        let text = #"{"a": [1, "é", {"b": null}]}"#
        #expect(try JSON5Parser.parse(text) == JSON5Parser.parse(Array(text.utf8)))
    }

    // MARK: Positions

    @Test("every node and key carries its start position")
    func positions() throws {
        let text = """
            {
              // comment
              "name": "x",
              list: [1, 'two', {nested: true}],
              "é": -3.5,
            }
            """
        let root = try JSON5Parser.parse(text)
        #expect(root.position == pos(1, 1))
        let list = members(root)
        #expect(list.map(\.keyPosition) == [pos(3, 3), pos(4, 3), pos(5, 3)])
        #expect(list.map(\.value.position) == [pos(3, 11), pos(4, 9), pos(5, 8)])
        let items = elements(list[1].value)
        #expect(items.map(\.position) == [pos(4, 10), pos(4, 13), pos(4, 20)])
        let nested = members(items[2])
        #expect(nested[0].keyPosition == pos(4, 21))
        #expect(nested[0].value.position == pos(4, 29))
    }

    @Test(
        "columns count Unicode scalars, not bytes",
        arguments: [
            (#"{"héllo": "wörld", x: 1}"#, [pos(1, 2), pos(1, 20)], [pos(1, 11), pos(1, 23)]),
            (#"{"😀": "😀😀", "k": 1}"#, [pos(1, 2), pos(1, 13)], [pos(1, 7), pos(1, 18)]),
            ("{\"e\u{301}\": 1, \"k\": 2}", [pos(1, 2), pos(1, 11)], [pos(1, 8), pos(1, 16)]),  // e + combining
        ]
    )
    func scalarColumns(text: String, keys: [TextPosition], values: [TextPosition]) throws {
        let list = members(try JSON5Parser.parse(text))
        #expect(list.map(\.keyPosition) == keys)
        #expect(list.map(\.value.position) == values)
    }

    @Test(
        "lines end at LF, CRLF and lone CR (also inside comments and line continuations)",
        arguments: [
            "[\n1,\n2]",
            "[\r\n1,\r\n2]",
            "[\r1,\r2]",
            "[/*\n*/1,//c\n2]",
            "[\"a\\\n\",\n2]",
        ]
    )
    func lineEndings(text: String) throws {
        let items = elements(try JSON5Parser.parse(text))
        #expect(items.last?.position == pos(3, 1))
    }

    @Test("a string with a line continuation moves later positions to the next line")
    func continuationPositions() throws {
        let list = members(try JSON5Parser.parse("{\"a\": \"x\\\ny\", \"b\": 2}"))
        #expect(list[1].keyPosition == pos(2, 5))
        #expect(list[1].value.position == pos(2, 10))
    }

    @Test("a leading byte order mark is skipped and not counted")
    func byteOrderMark() throws {
        let node = try JSON5Parser.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8), json5: false)
        #expect(node.position == pos(1, 1))
        #expect(members(node).first?.keyPosition == pos(1, 2))
        #expect(try JSON5Parser.parse("\u{FEFF}[1]").position == pos(1, 1))
    }

    // MARK: Errors

    static let errorCases: [ErrorCase] = [
        // Structure.
        ErrorCase("", "unexpected end of input; expected a value", 1, 1),
        ErrorCase("   \n  ", "unexpected end of input; expected a value", 2, 3),
        ErrorCase(#"{"a": 1 x}"#, "expected ',' or '}' after an object member, found 'x'", 1, 9),
        ErrorCase(#"{"a":1 "b":2}"#, #"expected ',' or '}' after an object member, found '"'"#, 1, 8),
        ErrorCase(#"{"a" 1}"#, "expected ':' after the key 'a', found '1'", 1, 6),
        ErrorCase(#"{"a": }"#, "expected a value, found '}'", 1, 7),
        ErrorCase("{\"a\": 1,", "unexpected end of input; expected a key or '}'", 1, 9),
        ErrorCase("[1, 2", "unexpected end of input; expected ',' or ']' after an array element", 1, 6),
        ErrorCase("[1 2]", "expected ',' or ']' after an array element, found '2'", 1, 4),
        ErrorCase("[,]", "expected a value or ']', found ','", 1, 2),
        ErrorCase("{a:1,,}", "expected a key or '}', found ','", 1, 6),
        ErrorCase("{1: 2}", "expected a key or '}', found '1'", 1, 2),
        ErrorCase(#"{"a":1} x"#, "expected the end of input after the document, found 'x'", 1, 9),
        ErrorCase(#"{"a":1}}"#, "expected the end of input after the document, found '}'", 1, 8),
        ErrorCase("tru", "expected a value, found 'tru'", 1, 1),
        ErrorCase("[True]", "expected a value or ']', found 'True'", 1, 2),
        ErrorCase("[nullx]", "expected a value or ']', found 'nullx'", 1, 2),
        ErrorCase("[@]", "expected a value or ']', found '@'", 1, 2),
        ErrorCase("{\n  \"a\": 1,\n  \"b\" 2\n}", "expected ':' after the key 'b', found '2'", 3, 7),
        ErrorCase("[\r\n1,\r\nx]", "expected a value or ']', found 'x'", 3, 1),
        ErrorCase("[\r1,\rx]", "expected a value or ']', found 'x'", 3, 1),
        ErrorCase(#"{"é": 1 x}"#, "expected ',' or '}' after an object member, found 'x'", 1, 9),
        ErrorCase(#"["😀" x]"#, "expected ',' or ']' after an array element, found 'x'", 1, 6),
        ErrorCase("[1]\u{1}", "expected the end of input after the document, found U+0001", 1, 4),
        // Strings.
        ErrorCase("\"abc", #"unterminated string: expected a closing '"' before the end of input"#, 1, 1),
        ErrorCase("{\"a\": \"abc\n}", #"unterminated string: expected a closing '"' before the end of the line"#, 1, 7),
        ErrorCase("'abc", #"unterminated string: expected a closing "'" before the end of input"#, 1, 1),
        ErrorCase("[\n \"ab\\\ncd", #"unterminated string: expected a closing '"' before the end of input"#, 2, 2),
        ErrorCase("\"a\u{1}b\"", "control character U+0001 in a string; write it as \\u0001", 1, 3),
        ErrorCase("\"é\u{1F}\"", "control character U+001F in a string; write it as \\u001F", 1, 3),
        ErrorCase("\"\\1\"", "invalid escape '\\1' in a string; use \\x or \\u", 1, 2),
        ErrorCase("\"\\01\"", "invalid escape '\\0' followed by a digit in a string; use \\x or \\u", 1, 2),
        ErrorCase("\"\\x4\"", "invalid escape: expected two hexadecimal digits after '\\x'", 1, 2),
        ErrorCase("\"\\u12\"", "invalid escape: expected four hexadecimal digits after '\\u'", 1, 2),
        ErrorCase(
            "\"\\uD83D\"",
            "invalid escape '\\uD83D': a high surrogate must be followed by a low surrogate escape (\\uDC00-\\uDFFF)",
            1,
            2
        ),
        ErrorCase(
            "\"\\uD83D\\u0041\"",
            "invalid escape '\\uD83D': a high surrogate must be followed by a low surrogate escape (\\uDC00-\\uDFFF)",
            1,
            2
        ),
        ErrorCase(
            "\"ab\\uDE00\"",
            "invalid escape '\\uDE00': a low surrogate must follow a high surrogate escape",
            1,
            4
        ),
        // Comments.
        ErrorCase("/* abc", "unterminated comment: expected '*/' before the end of input", 1, 1),
        ErrorCase("[1, /* x\n\n", "unterminated comment: expected '*/' before the end of input", 1, 5),
        ErrorCase("/x", "expected '/' or '*' after '/' to start a comment, found 'x'", 1, 2),
        ErrorCase("1 /", "unexpected end of input; expected '/' or '*' after '/' to start a comment", 1, 4),
        // Numbers.
        ErrorCase("01", "invalid number '01': leading zeros are not allowed", 1, 1),
        ErrorCase("[-007]", "invalid number '-007': leading zeros are not allowed", 1, 2),
        ErrorCase("[1, 12abc]", "invalid number '12abc'", 1, 5),
        ErrorCase("1.5.3", "invalid number '1.5.3'", 1, 1),
        ErrorCase("1e", "invalid number '1e': expected a digit in the exponent", 1, 1),
        ErrorCase("[1e+]", "invalid number '1e+': expected a digit in the exponent", 1, 2),
        ErrorCase("-", "invalid number '-': expected a digit", 1, 1),
        ErrorCase(".", "invalid number '.': expected a digit", 1, 1),
        ErrorCase("0x", "invalid number '0x': expected hexadecimal digits after '0x'", 1, 1),
        ErrorCase("0x1G", "invalid number '0x1G'", 1, 1),
        ErrorCase("-Infinit", "invalid number '-Infinit'", 1, 1),
        // Unquoted keys.
        ErrorCase("{a\\x: 1}", "invalid escape in a key: only \\uXXXX escapes are allowed in unquoted keys", 1, 3),
        ErrorCase(
            "{\\u0031a: 1}",
            "invalid escape '\\u0031' in a key: U+0031 cannot appear at the start of an unquoted key",
            1,
            2
        ),
        ErrorCase("{a-b: 1}", "expected ':' after the key 'a', found '-'", 1, 3),
        // Strict JSON.
        ErrorCase(
            "{a: 1}",
            json5: false,
            "expected a string key or '}', found 'a'; keys must be double-quoted strings in strict JSON",
            1,
            2
        ),
        ErrorCase(
            "[1,]",
            json5: false,
            "expected a value, found ']'; trailing commas are not allowed in strict JSON",
            1,
            4
        ),
        ErrorCase(
            #"{"a":1,}"#,
            json5: false,
            "expected a string key, found '}'; trailing commas are not allowed in strict JSON",
            1,
            8
        ),
        ErrorCase(
            "// c\n1",
            json5: false,
            "expected a value, found '/'; comments are not allowed in strict JSON",
            1,
            1
        ),
        ErrorCase(
            "[1 /* c */]",
            json5: false,
            "expected ',' or ']' after an array element, found '/'; comments are not allowed in strict JSON",
            1,
            4
        ),
        ErrorCase(
            "'a'",
            json5: false,
            "expected a value, found \"'\"; strings must use double quotes in strict JSON",
            1,
            1
        ),
        ErrorCase("+1", json5: false, "invalid number '+1': a leading '+' is not allowed in strict JSON", 1, 1),
        ErrorCase(".5", json5: false, "invalid number '.5': a number must start with a digit in strict JSON", 1, 1),
        ErrorCase("-", json5: false, "invalid number '-': expected a digit after '-'", 1, 1),
        ErrorCase("5.", json5: false, "invalid number '5.': expected a digit after the decimal point", 1, 1),
        ErrorCase(
            "0x10",
            json5: false,
            "invalid number '0x10': hexadecimal numbers are not allowed in strict JSON",
            1,
            1
        ),
        ErrorCase(
            "Infinity",
            json5: false,
            "expected a value, found 'Infinity'; Infinity and NaN are not allowed in strict JSON",
            1,
            1
        ),
        ErrorCase(
            "[NaN]",
            json5: false,
            "expected a value or ']', found 'NaN'; Infinity and NaN are not allowed in strict JSON",
            1,
            2
        ),
        ErrorCase(
            "-Infinity",
            json5: false,
            "invalid number '-Infinity': Infinity and NaN are not allowed in strict JSON",
            1,
            1
        ),
        ErrorCase("[1]\u{00A0}", json5: false, "expected the end of input after the document, found U+00A0", 1, 4),
        ErrorCase("\"a\tb\"", json5: false, "control character U+0009 in a string; write it as \\u0009", 1, 3),
        ErrorCase(
            "\"\\q\"",
            json5: false,
            "invalid escape '\\q' in a string; strict JSON allows only "
                + "\\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
            1,
            2
        ),
        ErrorCase(
            "\"a\\\nb\"",
            json5: false,
            "invalid escape '\\' followed by a line break in a string; strict JSON allows only "
                + "\\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
            1,
            3
        ),
        ErrorCase(
            "\"\\x41\"",
            json5: false,
            "invalid escape '\\x' in a string; strict JSON allows only "
                + "\\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
            1,
            2
        ),
    ]

    @Test("syntax errors have exact messages and positions", arguments: errorCases)
    func errors(_ testCase: ErrorCase) {
        let error = syntaxError(testCase.input, json5: testCase.json5)
        #expect(error?.message == testCase.message)
        #expect(error?.position == pos(testCase.line, testCase.column))
    }

    @Test("the error description is line:column: message")
    func errorDescription() {
        let error = syntaxError("{\n  \"a\" 1}")
        #expect(error?.description == "2:7: expected ':' after the key 'a', found '1'")
    }

    @Test(
        "invalid UTF-8 is reported at the first bad byte",
        arguments: [
            ([0x22, 0x61, 0xFF, 0x22], 0xFF, 1, 3),
            ([0x0A, 0x5B, 0xC3, 0x28, 0x5D], 0xC3, 2, 2),
            ([0x22, 0xC3, 0xA9, 0xE2, 0x82], 0xE2, 1, 3),
            ([0xEF, 0xBB, 0xBF, 0x5B, 0xED, 0xA0, 0x80, 0x5D], 0xED, 1, 2),  // a surrogate, after a BOM
            ([0x5B, 0x31, 0x5D, 0x20, 0xC0, 0x80], 0xC0, 1, 5),  // even after a complete document
        ] as [([UInt8], UInt8, Int, Int)]
    )
    func invalidUTF8(bytes: [UInt8], byte: UInt8, line: Int, column: Int) {
        let hex = String(byte, radix: 16, uppercase: true)
        for json5 in [true, false] {
            let error = syntaxError(bytes, json5: json5)
            #expect(error?.message == "invalid UTF-8 (byte 0x\(hex))")
            #expect(error?.position == pos(line, column))
        }
    }

    // MARK: Depth

    @Test("nesting up to 512 levels is accepted")
    func maximumDepth() throws {
        let arrays = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var node = try JSON5Parser.parse(arrays, json5: false)
        var depth = 1
        while case .array(let items) = node.value, let first = items.first {
            node = first
            depth += 1
        }
        #expect(depth == 512)

        let objects = String(repeating: "{\"a\":", count: 511) + "{}" + String(repeating: "}", count: 511)
        #expect(throws: Never.self) { try JSON5Parser.parse(objects) }
    }

    @Test(
        "nesting deeper than 512 levels is an error at the opening bracket",
        arguments: [
            (String(repeating: "[", count: 513) + String(repeating: "]", count: 513), 513),
            (String(repeating: "{\"a\":", count: 513) + "1" + String(repeating: "}", count: 513), 2561),
            (String(repeating: "[", count: 100_000), 513),
            (String(repeating: "[{a:", count: 300), 1025),
        ]
    )
    func tooDeep(text: String, column: Int) {
        let error = syntaxError(text)
        #expect(error?.message == "too deeply nested: more than 512 levels of arrays and objects")
        #expect(error?.position == pos(1, column))
    }

    // MARK: Larger inputs

    @Test("a multi-megabyte document parses with correct positions")
    func largeDocument() throws {
        var text = "[\n"
        let count = 40_000
        for index in 0..<count {
            text += #"  {"id": \#(index), "name": "item é \#(index)", "tags": ["a", "b"], "score": 0.5},"#
            text += "\n"
        }
        text += "]"
        #expect(text.utf8.count > 2_000_000)
        let items = elements(try JSON5Parser.parse(text))
        #expect(items.count == count)
        let last = try #require(items.last)
        #expect(last.position == pos(count + 1, 3))
        let digits = String(count - 1).count
        #expect(members(last).map(\.keyPosition.column) == [4, 12 + digits, 31 + 2 * digits, 51 + 2 * digits])
        // Strict mode rejects the trailing comma at the very end.
        let error = syntaxError(text, json5: false)
        #expect(error?.position == pos(count + 2, 1))
    }

    @Test("a long single-line document keeps exact columns")
    func longSingleLine() throws {
        let count = 100_000
        let text = "[" + (0..<count).map { _ in "\"é\"" }.joined(separator: ",") + "]"
        let items = elements(try JSON5Parser.parse(text, json5: false))
        #expect(items.count == count)
        #expect(items.last?.position == pos(1, 2 + (count - 1) * 4))
    }

    @Test("strict parsing agrees with JSONEncoder output for generated values")
    func agreesWithFoundation() throws {
        var generator = SeededGenerator(seed: 7)
        let encoder = JSONEncoder()
        for _ in 0..<200 {
            let value = randomValue(depth: 0, using: &generator)
            let data = try encoder.encode(value)
            let node = try JSON5Parser.parse(Array(data), json5: false)
            #expect(node.plain == value)
        }
    }

    private func randomValue(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2:
            let number = Double.random(in: -1e6...1e6, using: &generator)
            return .number(Bool.random(using: &generator) ? number.rounded() : number)
        case 3:
            let characters: [Character] = ["a", "é", "\"", "\\", "\n", "\u{1}", "😀", " ", "/", "\u{2028}"]
            return .string(
                String(
                    (0..<Int.random(in: 0...8, using: &generator)).map { _ in
                        characters.randomElement(using: &generator)!
                    }
                )
            )
        case 4:
            return .array(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    randomValue(depth: depth + 1, using: &generator)
                }
            )
        default:
            var object: [String: JSONValue] = [:]
            for index in 0..<Int.random(in: 0...4, using: &generator) {
                object["k\(index)é"] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(object)
        }
    }
}
