/// One JSON Lines record: the parsed value and the 1-based line it is on.
///
/// Positions inside `node` are positions in the whole file (their `line` is `line`).
public struct JSONLRecord: Sendable, Hashable {
    public var line: Int
    public var node: JSON5Node

    public init(line: Int, node: JSON5Node) {
        self.line = line
        self.node = node
    }
}

/// A problem with one line of a JSON Lines file, at a position in the whole file (see `TextSyntaxError`).
public typealias JSONLError = TextSyntaxError

/// Reads JSON Lines (jsonlines.org): one JSON value per line, LF or CRLF line endings.
///
/// Every bad line produces one error and the reader carries on, so a loader can report all of them at once.
public enum JSONLReader {
    /// Reads every record. Blank lines (empty or only spaces and tabs) are skipped; a final line without a newline
    /// is fine; a leading byte order mark is skipped.
    ///
    /// A line longer than `maxLineBytes` (not counting its line ending) is an error at column 1 of that line
    /// (`line is 10485760 bytes; the limit is 1048576`) and is not parsed. Each line is parsed as strict JSON unless
    /// `json5` is true. Lines that are not valid UTF-8 are errors too (`invalid UTF-8 (byte 0xFF)`).
    public static func read(
        _ bytes: [UInt8],
        json5: Bool = false,
        maxLineBytes: Int = 1 << 20
    ) -> (records: [JSONLRecord], errors: [JSONLError]) {
        bytes.withUnsafeBufferPointer { buffer in
            var records: [JSONLRecord] = []
            var errors: [JSONLError] = []
            let count = buffer.count
            var lineStart = UTF8Validation.hasBOM(buffer, at: 0) ? 3 : 0
            var lineNumber = 1
            while lineStart < count {
                var lineEnd = lineStart
                while lineEnd < count && buffer[lineEnd] != 0x0A { lineEnd += 1 }
                var contentEnd = lineEnd
                if contentEnd > lineStart && buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                let length = contentEnd - lineStart
                if length > maxLineBytes {
                    errors.append(
                        JSONLError(
                            "line is \(length) bytes; the limit is \(maxLineBytes)",
                            at: TextPosition(line: lineNumber, column: 1)
                        )
                    )
                } else if !isBlank(buffer, from: lineStart, to: contentEnd) {
                    do throws(JSON5SyntaxError) {
                        let node = try JSON5Parser.parse(
                            buffer: buffer,
                            from: lineStart,
                            to: contentEnd,
                            line: lineNumber,
                            json5: json5,
                            endKind: .line
                        )
                        records.append(JSONLRecord(line: lineNumber, node: node))
                    } catch {
                        errors.append(JSONLError(error.message, at: error.position))
                    }
                }
                lineStart = lineEnd + 1
                lineNumber += 1
            }
            return (records, errors)
        }
    }

    private static func isBlank(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var i = start
        while i < end {
            guard buffer[i] == 0x20 || buffer[i] == 0x09 else { return false }
            i += 1
        }
        return true
    }
}
