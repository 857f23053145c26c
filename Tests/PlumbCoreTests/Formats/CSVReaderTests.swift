import Foundation
import PlumbCore
import PlumbTestSupport
import Testing

private func parse(_ text: String, delimiter: UInt8 = UInt8(ascii: ","), maxFieldBytes: Int = 1 << 20)
    -> (table: CSVTable?, errors: [CSVError])
{
    CSVReader.parse(Array(text.utf8), delimiter: delimiter, maxFieldBytes: maxFieldBytes)
}

private func pos(_ line: Int, _ column: Int) -> TextPosition {
    TextPosition(line: line, column: column)
}

private let davidsonPath = "/work/shared/data/toxicity/davidson/labeled_data.csv"

@Suite("CSVReader")
struct CSVReaderTests {
    @Test(
        "header and records with any line ending",
        arguments: [
            "a,b,c\n1,2,3\n4,5,6\n", "a,b,c\r\n1,2,3\r\n4,5,6\r\n", "a,b,c\n1,2,3\n4,5,6", "a,b,c\r1,2,3\r4,5,6\r",
        ]
    )
    func basic(text: String) throws {
        let (table, errors) = parse(text)
        #expect(errors.isEmpty)
        let parsed = try #require(table)
        #expect(parsed.header == ["a", "b", "c"])
        #expect(parsed.headerLine == 1)
        #expect(
            parsed.records == [
                CSVRecord(line: 2, fields: ["1", "2", "3"]), CSVRecord(line: 3, fields: ["4", "5", "6"]),
            ]
        )
    }

    @Test("quoted fields hold delimiters, doubled quotes and line breaks")
    func quotedFields() throws {
        let text = "id,text,note\n1,\"x, y\",\"he said \"\"hi\"\"\"\n2,\"multi\nline\r\nfield\",\"\"\n3,,\"\"\"\"\n"
        let (table, errors) = parse(text)
        #expect(errors.isEmpty)
        let records = try #require(table).records
        #expect(
            records == [
                CSVRecord(line: 2, fields: ["1", "x, y", "he said \"hi\""]),
                CSVRecord(line: 3, fields: ["2", "multi\nline\r\nfield", ""]),
                CSVRecord(line: 6, fields: ["3", "", "\""]),
            ]
        )
    }

    @Test("fields are not trimmed, and empty fields are kept")
    func emptyAndSpacedFields() throws {
        let (table, errors) = parse(",,\n a , b,\n,\"\",\n")
        #expect(errors.isEmpty)
        let parsed = try #require(table)
        #expect(parsed.header == ["", "", ""])
        #expect(parsed.records.map(\.fields) == [[" a ", " b", ""], ["", "", ""]])
    }

    @Test(
        "blank lines between records are skipped",
        arguments: ["\n\na,b\n\n1,2\n\r\n\n3,4\n\n", "\r\n\r\na,b\r\n\r\n1,2\r\n\r\n\r\n3,4"]
    )
    func blankLines(text: String) throws {
        let (table, errors) = parse(text)
        #expect(errors.isEmpty)
        let parsed = try #require(table)
        #expect(parsed.headerLine == 3)
        #expect(parsed.records.map(\.line) == [5, 8])
    }

    @Test("a leading byte order mark is skipped")
    func byteOrderMark() throws {
        let (table, errors) = CSVReader.parse([0xEF, 0xBB, 0xBF] + Array("name,x\n\"é\",1\nb,\"2\"x\n".utf8))
        #expect(try #require(table).header == ["name", "x"])
        #expect(table?.records.map(\.fields) == [["é", "1"]])
        // The BOM is not part of the first header field; columns count scalars.
        #expect(
            errors == [
                CSVError(
                    "unexpected 'x' after the closing quote of a quoted field; expected ',' or a line break",
                    at: pos(3, 6)
                )
            ]
        )
    }

    @Test("empty input has no table", arguments: ["", "\n", "\r\n\n\r\n", "\u{FEFF}"])
    func emptyFile(text: String) {
        let (table, errors) = parse(text)
        #expect(table == nil)
        #expect(errors == [CSVError("empty file: no header row", at: pos(1, 1))])
    }

    @Test(
        "syntax errors have exact messages and positions",
        arguments: [
            ("a,b\n1,\"abc\n2,3\n", "unterminated quoted field: expected a closing '\"' before the end of input", 2, 3),
            ("a,b\n\"x\"\"\n", "unterminated quoted field: expected a closing '\"' before the end of input", 2, 1),
            (
                "a,b\n1,ab\"c\n",
                "unexpected '\"' inside an unquoted field; enclose the whole field in quotes and double "
                    + "the quotes inside it", 2, 5
            ),
            (
                "a,b\né,x\"y\n",
                "unexpected '\"' inside an unquoted field; enclose the whole field in quotes and double "
                    + "the quotes inside it", 2, 4
            ),
            (
                "a,b\n \"x\",2\n",
                "unexpected '\"' inside an unquoted field; enclose the whole field in quotes and "
                    + "double the quotes inside it", 2, 2
            ),
            (
                "a,b\n\"x\"y,2\n",
                "unexpected 'y' after the closing quote of a quoted field; expected ',' or a line "
                    + "break", 2, 4
            ),
            (
                "a,b\n\"x\" ,2\n",
                "unexpected a space after the closing quote of a quoted field; expected ',' or a line "
                    + "break", 2, 4
            ),
            (
                "a,b\n\"multi\nline\"é,2\n",
                "unexpected 'é' after the closing quote of a quoted field; expected ',' or "
                    + "a line break", 3, 6
            ),
            ("a,b,c,d\n1,2,3\n", "record has 3 fields; the header has 4", 2, 1),
            ("a,b\n1\n", "record has 1 field; the header has 2", 2, 1),
            ("a,b\n1,2,\n", "record has 3 fields; the header has 2", 2, 1),
            ("a,b\n\"x\ny\",2,3\n", "record has 3 fields; the header has 2", 2, 1),
        ]
    )
    func syntaxErrors(text: String, message: String, line: Int, column: Int) throws {
        let (table, errors) = parse(text)
        #expect(errors == [CSVError(message, at: pos(line, column))])
        #expect(try #require(table).records.isEmpty)
    }

    @Test("errors are collected and good records are kept")
    func collectsAllErrors() throws {
        let text = """
            id,text
            1,fine
            2,bad"quote
            3,also fine
            4,"closed"junk
            5
            6,"ok, really"
            7,"never closed
            8,swallowed
            """
        let (table, errors) = parse(text)
        #expect(try #require(table).records.map(\.line) == [2, 4, 7])
        #expect(errors.map(\.position) == [pos(3, 6), pos(5, 11), pos(6, 1), pos(8, 3)])
        #expect(
            errors.map(\.description).last
                == "8:3: unterminated quoted field: expected a closing '\"' before the end of input"
        )
    }

    @Test("a header with an error gives no table but later errors are still reported")
    func badHeader() {
        let (table, errors) = parse("a,b\"c\n1,\"x\"y\n")
        #expect(table == nil)
        #expect(errors.map(\.position) == [pos(1, 4), pos(2, 6)])
    }

    @Test(
        "fields longer than the limit are errors",
        arguments: [
            ("a\n123456\n", 2, 1),
            ("a\n\"123\"\"56\"\n", 2, 1),  // six bytes once the doubled quote is undone
            ("a,b\nx,\"1\n3456\"\n", 2, 3),
        ]
    )
    func fieldTooLong(text: String, line: Int, column: Int) {
        let (table, errors) = parse(text, maxFieldBytes: 5)
        #expect(errors == [CSVError("field is 6 bytes; the limit is 5", at: pos(line, column))])
        #expect(table?.records.isEmpty == true)
        #expect(parse(text, maxFieldBytes: 6).errors.isEmpty)
    }

    @Test("invalid UTF-8 is reported with its position and spoils only its record")
    func invalidUTF8() throws {
        var bytes = Array("a,b\n1,".utf8) + [0xFF] + Array("\n2,\"line\né".utf8) + [0xC3] + Array("\"\n3,4\n".utf8)
        let (table, errors) = CSVReader.parse(bytes)
        #expect(try #require(table).records == [CSVRecord(line: 5, fields: ["3", "4"])])
        #expect(
            errors == [
                CSVError("invalid UTF-8 (byte 0xFF)", at: pos(2, 3)),
                CSVError("invalid UTF-8 (byte 0xC3)", at: pos(4, 2)),
            ]
        )

        bytes = [0x61, 0x80, 0x0A, 0x31, 0x0A]
        let badHeader = CSVReader.parse(bytes)
        #expect(badHeader.table == nil)
        #expect(badHeader.errors == [CSVError("invalid UTF-8 (byte 0x80)", at: pos(1, 2))])
    }

    @Test(
        "other delimiters",
        arguments: [(UInt8(ascii: "\t"), "a\tb\n\"x\ty\"\t2\n"), (UInt8(ascii: ";"), "a;b\n\"x;y\";2\n")]
    )
    func delimiters(delimiter: UInt8, text: String) throws {
        let (table, errors) = parse(text, delimiter: delimiter)
        #expect(errors.isEmpty)
        #expect(try #require(table).records.map(\.fields) == [[delimiter == 9 ? "x\ty" : "x;y", "2"]])
    }

    @Test("the delimiter is named in errors")
    func delimiterInMessage() {
        let (_, errors) = parse("a\tb\n\"x\"y\t2\n", delimiter: UInt8(ascii: "\t"))
        #expect(
            errors.map(\.message) == [
                "unexpected 'y' after the closing quote of a quoted field; expected a tab or a line break"
            ]
        )
    }

    @Test(
        "formatRow quotes only when needed",
        arguments: [
            (["a", "b"], "a,b"),
            (["a,b", "c"], "\"a,b\",c"),
            (["say \"hi\""], "\"say \"\"hi\"\"\""),
            (["line\nbreak", "cr\rlf"], "\"line\nbreak\",\"cr\rlf\""),
            ([" spaced ", "é"], " spaced ,é"),
            ([""], "\"\""),
            (["", ""], ","),
            ([], ""),
        ] as [([String], String)]
    )
    func formatRow(fields: [String], expected: String) {
        #expect(CSVReader.formatRow(fields) == expected)
    }

    @Test("formatRow output reads back to the same fields")
    func roundTrip() throws {
        var generator = CSVTestGenerator(seed: 11)
        let pieces = ["a", "é", ",", "\"", "\n", "\r\n", " ", "x y", "😀", ""]
        let columns = 4
        var rows: [[String]] = []
        for _ in 0..<300 {
            rows.append(
                (0..<columns).map { _ in
                    (0..<generator.next(upTo: 4)).map { _ in pieces[generator.next(upTo: pieces.count)] }.joined()
                }
            )
        }
        let header = (0..<columns).map { "c\($0)" }
        let text = ([header] + rows).map(CSVReader.formatRow).joined(separator: "\r\n") + "\r\n"
        let (table, errors) = parse(text)
        #expect(errors.isEmpty)
        #expect(try #require(table).records.map(\.fields) == rows)
    }

    @Test("a large file with many multiline quoted fields")
    func largeFile() throws {
        var text = "id,label,score,text\n"
        var expectedLines: [Int] = []
        var line = 2
        for index in 0..<25_000 {
            expectedLines.append(line)
            if index % 27 == 0 && index / 27 < 900 {
                text += "\(index),toxic,0.5,\"first line, with comma\nsecond \"\"quoted\"\" line\"\n"
                line += 2
            } else {
                text += "\(index),clean,0.25,plain text number \(index)\n"
                line += 1
            }
        }
        let (table, errors) = parse(text)
        #expect(errors.isEmpty)
        let records = try #require(table).records
        #expect(records.count == 25_000)
        #expect(records.map(\.line) == expectedLines)
        #expect(records.filter { $0.fields[3].contains("\n") }.count == 900)
        #expect(records[27].fields == ["27", "toxic", "0.5", "first line, with comma\nsecond \"quoted\" line"])
    }

    @Test(
        "the Davidson toxicity dataset parses completely",
        .enabled(
            if: FileManager.default.fileExists(atPath: davidsonPath),
            "needs \(davidsonPath), which is not present on this machine"
        )
    )
    func davidsonDataset() throws {
        let data = try #require(FileManager.default.contents(atPath: davidsonPath))
        let (table, errors) = CSVReader.parse([UInt8](data))
        #expect(errors.isEmpty)
        let parsed = try #require(table)
        #expect(parsed.header == ["", "count", "hate_speech", "offensive_language", "neither", "class", "tweet"])
        #expect(parsed.records.count == 24_783)
        #expect(parsed.records.allSatisfy { $0.fields.count == 7 })
    }
}

/// A small deterministic generator for the round-trip test.
private struct CSVTestGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(upTo bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}

@Suite struct CSVFileTests {
    @Test func readsATableAndLocatesProblems() throws {
        let directory = TemporaryDirectory()
        let good = directory.write("good.csv", "id,text\n1,hello\n")
        #expect(try CSVReader.table(atPath: good, requiring: ["text"]).records.count == 1)
        let broken = directory.write("broken.csv", "id,text\n1,\"open\n")
        #expect(throws: CSVFileError.self) { try CSVReader.table(atPath: broken) }
        do {
            _ = try CSVReader.table(atPath: good, requiring: ["label"])
            Issue.record("expected an error")
        } catch let error as CSVFileError {
            #expect(error.message == "\(good):1:1: the header has no 'label' column")
        }
        do {
            _ = try CSVReader.table(atPath: broken)
        } catch let error as CSVFileError {
            #expect(error.message.hasPrefix("\(broken):2:"))
        }
    }
}
