import Foundation

/// One CSV record (row after the header) and the 1-based line where it starts.
public struct CSVRecord: Sendable, Hashable {
    public var line: Int
    public var fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A problem in a CSV file, at the position of the offending character (or column 1 of a bad record's line) (see `TextSyntaxError`).
public typealias CSVError = TextSyntaxError

/// A CSV file read with its header row.
public struct CSVTable: Sendable, Hashable {
    public var header: [String]
    /// The line of the header row.
    public var headerLine: Int
    /// The records that had no errors, in file order.
    public var records: [CSVRecord]

    public init(header: [String], headerLine: Int, records: [CSVRecord]) {
        self.header = header
        self.headerLine = headerLine
        self.records = records
    }
}

/// An RFC 4180 CSV reader (first record is the header) and row writer.
///
/// Records end at LF, CRLF or a lone CR outside quotes; quoted fields may contain the delimiter, doubled quotes
/// and line breaks (kept as written). A leading byte order mark and empty lines between records are skipped.
/// Fields are not trimmed.
public enum CSVReader {
    /// Parses all records. Errors are collected rather than stopping at the first; a record with an error is left
    /// out of `table.records`. Reported: invalid UTF-8, an unterminated quoted field (at its opening quote),
    /// a quote inside an unquoted field, text after a closing quote, a record whose field count differs from the
    /// header's (`record has 3 fields; the header has 4`), and a field longer than `maxFieldBytes`.
    ///
    /// `table` is nil when there is no header row (`empty file: no header row`) or the header row has an error.
    public static func parse(
        _ bytes: [UInt8],
        delimiter: UInt8 = UInt8(ascii: ","),
        maxFieldBytes: Int = 1 << 20
    ) -> (table: CSVTable?, errors: [CSVError]) {
        precondition(
            delimiter < 0x80 && delimiter != 0x22 && delimiter != 0x0A && delimiter != 0x0D,
            "the CSV delimiter must be an ASCII character other than '\"', CR and LF"
        )
        return bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(buffer: buffer, delimiter: delimiter, maxFieldBytes: maxFieldBytes)
            return scanner.run()
        }
    }

    /// Writes one CSV line (without a line ending), quoting a field only when it contains a comma, a quote,
    /// CR or LF (or when it is the only field and empty, so the line is not read back as a blank line).
    public static func formatRow(_ fields: [String]) -> String {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { line += "," }
            let needsQuotes =
                (field.isEmpty && fields.count == 1)
                || field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            if needsQuotes {
                line += "\""
                line += field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
                line += "\""
            } else {
                line += field
            }
        }
        return line
    }
}

private let quote: UInt8 = 0x22
private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D

/// The state of one `CSVReader.parse` call.
private struct CSVScanner {
    let buffer: UnsafeBufferPointer<UInt8>
    let end: Int
    let delimiter: UInt8
    let maxFieldBytes: Int
    /// Whether the whole input is valid UTF-8; if not, each record is checked before it is accepted.
    let isValidUTF8: Bool

    var i = 0
    var line = 1
    var lineStart = 0
    var scratch: [UInt8] = []
    var errors: [CSVError] = []
    var records: [CSVRecord] = []
    var header: [String]?
    var headerLine = 0
    var sawHeader = false

    init(buffer: UnsafeBufferPointer<UInt8>, delimiter: UInt8, maxFieldBytes: Int) {
        self.buffer = buffer
        self.end = buffer.count
        self.delimiter = delimiter
        self.maxFieldBytes = maxFieldBytes
        self.isValidUTF8 = UTF8Validation.firstInvalidOffset(in: buffer, from: 0, to: buffer.count) == nil
    }

    mutating func run() -> (table: CSVTable?, errors: [CSVError]) {
        i = UTF8Validation.hasBOM(buffer, at: 0) ? 3 : 0
        lineStart = i
        while i < end {
            switch buffer[i] {
            case lineFeed:
                i += 1
                newLine()
            case carriageReturn:
                i += 1
                if i < end && buffer[i] == lineFeed { i += 1 }
                newLine()
            default:
                parseRecord()
            }
        }
        guard sawHeader else {
            errors.append(CSVError("empty file: no header row", at: TextPosition(line: 1, column: 1)))
            return (nil, errors)
        }
        guard let header else { return (nil, errors) }
        return (CSVTable(header: header, headerLine: headerLine, records: records), errors)
    }

    /// Records that a line break ended just before `i`.
    mutating func newLine() {
        line += 1
        lineStart = i
    }

    /// The position of `offset`, which is on the current line.
    func position(of offset: Int) -> TextPosition {
        TextCounter.position(of: offset, in: buffer, from: lineStart, line: line, column: 1)
    }

    mutating func fail(_ message: String, at position: TextPosition) {
        errors.append(CSVError(message, at: position))
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }

    /// `'x'`, `a space`, `U+00A0` or `byte 0xFF`.
    func describe(at offset: Int) -> String {
        let byte = buffer[offset]
        switch byte {
        case 0x20: return "a space"
        case 0x09: return "a tab"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        case 0x00..<0x80: return "U+00" + JSON5Parser.hexByte(byte).dropFirst(2)
        default:
            let slice = UnsafeBufferPointer(rebasing: buffer[offset..<min(offset + 4, end)])
            guard let scalar = String(decoding: slice, as: UTF8.self).unicodeScalars.first, scalar != "\u{FFFD}"
            else { return "byte \(JSON5Parser.hexByte(byte))" }
            switch scalar.properties.generalCategory {
            case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default:
                return "'\(Character(scalar))'"
            }
        }
    }

    var delimiterName: String {
        switch delimiter {
        case 0x09: "a tab"
        case 0x20: "a space"
        default: "'\(Character(Unicode.Scalar(delimiter)))'"
        }
    }

    /// Parses one record starting at `i` (at the start of a non-empty line) and its line ending.
    mutating func parseRecord() {
        let recordStart = i
        let recordLine = line
        var fields: [String] = []
        fields.reserveCapacity(header?.count ?? 8)
        var bad = false
        while true {
            if i < end && buffer[i] == quote {
                let open = i
                let openPosition = position(of: open)
                i += 1
                scratch.removeAll(keepingCapacity: true)
                var segment = i
                var closed = false
                while i < end {
                    let byte = buffer[i]
                    if byte == quote {
                        if i + 1 < end && buffer[i + 1] == quote {
                            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[segment..<(i + 1)]))
                            i += 2
                            segment = i
                            continue
                        }
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[segment..<i]))
                        i += 1
                        closed = true
                        break
                    } else if byte == lineFeed {
                        i += 1
                        newLine()
                    } else if byte == carriageReturn {
                        i += 1
                        if i < end && buffer[i] == lineFeed { i += 1 }
                        newLine()
                    } else {
                        i += 1
                    }
                }
                guard closed else {
                    fail("unterminated quoted field: expected a closing '\"' before the end of input", at: openPosition)
                    return
                }
                if scratch.count > maxFieldBytes {
                    fail("field is \(scratch.count) bytes; the limit is \(maxFieldBytes)", at: openPosition)
                    bad = true
                }
                fields.append(bad ? "" : String(decoding: scratch, as: UTF8.self))
                if i < end && buffer[i] != delimiter && buffer[i] != lineFeed && buffer[i] != carriageReturn {
                    fail(
                        "unexpected \(describe(at: i)) after the closing quote of a quoted field; "
                            + "expected \(delimiterName) or a line break",
                        at: position(of: i)
                    )
                    bad = true
                    while i < end && buffer[i] != delimiter && buffer[i] != lineFeed && buffer[i] != carriageReturn {
                        i += 1
                    }
                }
            } else {
                let fieldStart = i
                var reportedQuote = false
                while i < end {
                    let byte = buffer[i]
                    if byte == delimiter || byte == lineFeed || byte == carriageReturn { break }
                    if byte == quote && !reportedQuote {
                        fail(
                            "unexpected '\"' inside an unquoted field; enclose the whole field in quotes "
                                + "and double the quotes inside it",
                            at: position(of: i)
                        )
                        reportedQuote = true
                        bad = true
                    }
                    i += 1
                }
                if i - fieldStart > maxFieldBytes {
                    let length = i - fieldStart
                    fail("field is \(length) bytes; the limit is \(maxFieldBytes)", at: position(of: fieldStart))
                    bad = true
                }
                fields.append(bad ? "" : string(fieldStart..<i))
            }
            if i < end && buffer[i] == delimiter {
                i += 1
                continue
            }
            break
        }
        let recordEnd = i
        if i < end {
            if buffer[i] == carriageReturn {
                i += 1
                if i < end && buffer[i] == lineFeed { i += 1 }
            } else {
                i += 1  // LF
            }
            newLine()
        }
        if !isValidUTF8, let invalid = UTF8Validation.firstInvalidOffset(in: buffer, from: recordStart, to: recordEnd) {
            let position = TextCounter.position(of: invalid, in: buffer, from: recordStart, line: recordLine, column: 1)
            fail("invalid UTF-8 (byte \(JSON5Parser.hexByte(buffer[invalid])))", at: position)
            bad = true
        }
        finish(fields, line: recordLine, bad: bad)
    }

    mutating func finish(_ fields: [String], line recordLine: Int, bad: Bool) {
        guard sawHeader else {
            sawHeader = true
            headerLine = recordLine
            if !bad { header = fields }
            return
        }
        guard !bad else { return }
        if let header, fields.count != header.count {
            let noun = fields.count == 1 ? "field" : "fields"
            fail(
                "record has \(fields.count) \(noun); the header has \(header.count)",
                at: TextPosition(line: recordLine, column: 1)
            )
            return
        }
        records.append(CSVRecord(line: recordLine, fields: fields))
    }
}

/// Why a CSV file could not be read as a table: its message names the file, line and column.
public struct CSVFileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension CSVReader {
    /// Reads the CSV file at `path` and checks its header has `columns`. The first problem (unreadable file,
    /// malformed record, missing column) is thrown as `path:line:column: message`.
    public static func table(atPath path: String, requiring columns: [String] = []) throws -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CSVFileError(message: "\(path): cannot read (no such file, or not readable)")
        }
        let (table, errors) = parse([UInt8](data))
        if let error = errors.first {
            throw CSVFileError(message: "\(path):\(error.position.line):\(error.position.column): \(error.message)")
        }
        guard let table else { throw CSVFileError(message: "\(path):1: empty file: no header row") }
        let missing = columns.filter { !table.header.contains($0) }
        guard missing.isEmpty else {
            throw CSVFileError(
                message: "\(path):\(table.headerLine):1: the header has no "
                    + missing.map { "'\($0)'" }.joined(separator: ", ") + " column"
            )
        }
        return table
    }
}
