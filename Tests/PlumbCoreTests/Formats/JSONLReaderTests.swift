import PlumbCore
import Testing

private func read(_ text: String, json5: Bool = false, maxLineBytes: Int = 1 << 20)
    -> (records: [JSONLRecord], errors: [JSONLError])
{
    JSONLReader.read(Array(text.utf8), json5: json5, maxLineBytes: maxLineBytes)
}

private func pos(_ line: Int, _ column: Int) -> TextPosition {
    TextPosition(line: line, column: column)
}

@Suite("JSONLReader")
struct JSONLReaderTests {
    @Test(
        "records carry their line numbers whatever the line endings",
        arguments: [
            "{\"a\": 1}\n[2]\n\"three\"\n",
            "{\"a\": 1}\r\n[2]\r\n\"three\"\r\n",
            "{\"a\": 1}\n[2]\n\"three\"",  // no final newline
            "{\"a\": 1}\r\n[2]\n\"three\"",  // mixed
        ]
    )
    func lineNumbers(text: String) {
        let (records, errors) = read(text)
        #expect(errors.isEmpty)
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records.map(\.node.plain) == [.object(["a": .number(1)]), .array([.number(2)]), .string("three")])
    }

    @Test("node positions are absolute in the file")
    func absolutePositions() throws {
        let (records, errors) = read("{\"a\": 1}\n\n  {\"b\": [true, \"é\", 3]}\n")
        #expect(errors.isEmpty)
        let record = try #require(records.last)
        #expect(record.line == 3)
        #expect(record.node.position == pos(3, 3))
        guard case .object(let members) = record.node.value, case .array(let items) = members[0].value.value else {
            Issue.record("unexpected shape")
            return
        }
        #expect(members[0].keyPosition == pos(3, 4))
        #expect(items.map(\.position) == [pos(3, 10), pos(3, 16), pos(3, 21)])
    }

    @Test("blank lines are skipped", arguments: ["\n{}\n   \n\t\n\n[]", "\r\n{}\r\n  \r\n\t\r\n\r\n[]\r\n\r\n"])
    func blankLines(text: String) {
        let (records, errors) = read(text)
        #expect(errors.isEmpty)
        #expect(records.map(\.line) == [2, 6])
    }

    @Test("empty input has no records and no errors", arguments: ["", "\n", "\n\n  \n", "\u{FEFF}"])
    func emptyInput(text: String) {
        let (records, errors) = read(text)
        #expect(records.isEmpty)
        #expect(errors.isEmpty)
    }

    @Test("every bad line is reported and the good lines are kept")
    func collectsAllErrors() {
        let text = """
            {"id": 1}
            {"id": 2,}
            {"id": 3}
            {"id" 4}
            {"id": 5}
            not json
            """
        let (records, errors) = read(text)
        #expect(records.map(\.line) == [1, 3, 5])
        #expect(errors.map(\.position) == [pos(2, 10), pos(4, 7), pos(6, 1)])
        #expect(
            errors.map(\.message) == [
                "expected a string key, found '}'; trailing commas are not allowed in strict JSON",
                "expected ':' after the key 'id', found '4'",
                "expected a value, found 'not'",
            ]
        )
        #expect(errors[1].description == "4:7: expected ':' after the key 'id', found '4'")
    }

    @Test(
        "a torn last line is an error like any bad line",
        arguments: [
            ("{\"a\": 1}\n{\"a\": ", "unexpected end of line; expected a value", 2, 7),
            (
                "{\"a\": 1}\n{\"a\": \"unfinished",
                "unterminated string: expected a closing '\"' before the end of the line", 2, 7
            ),
            ("{\"a\": 1}\n[1, 2", "unexpected end of line; expected ',' or ']' after an array element", 2, 6),
        ]
    )
    func tornLastLine(text: String, message: String, line: Int, column: Int) {
        let (records, errors) = read(text)
        #expect(records.map(\.line) == [1])
        #expect(errors == [JSONLError(message, at: pos(line, column))])
    }

    @Test("two values on one line are an error")
    func twoValuesOnOneLine() {
        let (records, errors) = read("{} {}\n")
        #expect(records.isEmpty)
        #expect(errors == [JSONLError("expected the end of the line after the document, found '{'", at: pos(1, 4))])
    }

    @Test("lines are strict JSON unless json5 is true")
    func strictByDefault() {
        let text = "{id: 1, 'text': 'hi', n: +Infinity,} // comment\n"
        let strict = read(text)
        #expect(strict.records.isEmpty)
        #expect(
            strict.errors == [
                JSONLError(
                    "expected a string key or '}', found 'id'; keys must be double-quoted strings in strict JSON",
                    at: pos(1, 2)
                )
            ]
        )

        let loose = read(text, json5: true)
        #expect(loose.errors.isEmpty)
        #expect(
            loose.records.first?.node.plain
                == .object([
                    "id": .number(1), "text": .string("hi"), "n": .number(.infinity),
                ])
        )
    }

    @Test("JSON5 lines may have comments, but a block comment cannot span lines")
    func json5Comments() {
        let (records, errors) = read("[1] // one\n/* two */ [2]\n[3] /* not closed\n*/ [4]\n", json5: true)
        #expect(records.map(\.line) == [1, 2])
        #expect(
            errors == [
                JSONLError("unterminated comment: expected '*/' before the end of the line", at: pos(3, 5)),
                JSONLError("expected a value, found '*'", at: pos(4, 1)),
            ]
        )
    }

    @Test("a line longer than the limit is an error at that line and is not parsed")
    func lineTooLong() {
        let long = "\"" + String(repeating: "x", count: 18) + "\""  // 20 bytes
        let (records, errors) = read("[1]\n\(long)\r\n[3]\n", maxLineBytes: 10)
        #expect(records.map(\.line) == [1, 3])
        #expect(errors == [JSONLError("line is 20 bytes; the limit is 10", at: pos(2, 1))])

        // Exactly at the limit is fine (the CR of CRLF does not count).
        #expect(read("\(long)\r\n", maxLineBytes: 20).errors.isEmpty)
    }

    @Test("the default limit is 1 MiB")
    func defaultLimit() {
        let prefix = Array("{\"ok\": true}\n".utf8)
        var bytes = [UInt8](repeating: 0x61, count: prefix.count + 10_485_760 + 1)
        bytes.replaceSubrange(0..<prefix.count, with: prefix)
        bytes[prefix.count] = 0x22
        bytes[bytes.count - 2] = 0x22
        bytes[bytes.count - 1] = 0x0A
        let (records, errors) = JSONLReader.read(bytes)
        #expect(records.map(\.line) == [1])
        #expect(errors == [JSONLError("line is 10485760 bytes; the limit is 1048576", at: pos(2, 1))])
    }

    @Test("invalid UTF-8 spoils only its own line")
    func invalidUTF8() {
        var bytes = Array("[1]\n[\"é".utf8)
        bytes += [0xFF]
        bytes += Array("\"]\n[3]\n".utf8)
        let (records, errors) = JSONLReader.read(bytes)
        #expect(records.map(\.line) == [1, 3])
        #expect(errors == [JSONLError("invalid UTF-8 (byte 0xFF)", at: pos(2, 4))])
    }

    @Test("a leading byte order mark is skipped")
    func byteOrderMark() {
        let (records, errors) = JSONLReader.read([0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}\n{\"b\": 2}".utf8))
        #expect(errors.isEmpty)
        #expect(records.map(\.node.position) == [pos(1, 1), pos(2, 1)])
    }

    @Test("many lines")
    func manyLines() {
        let count = 50_000
        var text = ""
        for index in 1...count {
            text += "{\"id\": \(index), \"prompt\": \"Question \(index)?\", \"tags\": [\"x\"]}\n"
        }
        let (records, errors) = read(text)
        #expect(errors.isEmpty)
        #expect(records.count == count)
        #expect(records.last?.line == count)
        if case .object(let members) = records.last?.node.value {
            #expect(members[0].value.value == .number(Double(count), raw: "\(count)"))
            #expect(members[1].keyPosition == pos(count, 15))
        } else {
            Issue.record("expected an object")
        }
    }
}
