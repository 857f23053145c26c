/// Strict UTF-8 validation (Unicode 15, table 3-7) with positions for error messages.
///
/// Overlong encodings, surrogates (U+D800–U+DFFF), code points above U+10FFFF, stray continuation bytes and
/// truncated sequences are all rejected. The reported byte is the first byte of the ill-formed sequence
/// (the lead byte of a truncated or overlong sequence, or the stray byte itself).
///
/// Positions follow the rules every Plumb reader uses: lines are ended by LF, CRLF or a lone CR; columns count
/// Unicode scalars from 1; a UTF-8 byte order mark at the very start of the input is not counted.
public enum UTF8Validation {
    /// The offset and position of the first byte that is not part of well-formed UTF-8, or nil if all of
    /// `bytes` is valid.
    public static func firstInvalidByte(in bytes: [UInt8]) -> (offset: Int, position: TextPosition)? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let offset = firstInvalidOffset(in: buffer, from: 0, to: buffer.count) else { return nil }
            let start = hasBOM(buffer, at: 0) ? 3 : 0
            let position = TextCounter.position(of: offset, in: buffer, from: start, line: 1, column: 1)
            return (offset, position)
        }
    }

    /// True when `buffer[offset...]` starts with the UTF-8 byte order mark EF BB BF.
    static func hasBOM(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        buffer.count - offset >= 3 && buffer[offset] == 0xEF && buffer[offset + 1] == 0xBB
            && buffer[offset + 2] == 0xBF
    }

    /// The offset of the first byte in `start..<end` that begins an ill-formed sequence, or nil.
    static func firstInvalidOffset(in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        var i = start
        while i < end {
            // Fast path: eight ASCII bytes at a time.
            if end - i >= 8 {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            let lead = base[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i  // 0x80...0xC1 (stray continuation or overlong lead) or 0xF5...0xFF
            }
            guard end - i >= length else { return i }
            let second = base[i + 1]
            guard second >= low && second <= high else { return i }
            if length >= 3 {
                guard base[i + 2] & 0xC0 == 0x80 else { return i }
            }
            if length == 4 {
                guard base[i + 3] & 0xC0 == 0x80 else { return i }
            }
            i += length
        }
        return nil
    }
}

/// Turns byte offsets into line and column positions (LF, CRLF and lone CR end lines; columns count scalars).
enum TextCounter {
    /// The position of byte `target`, counting forward from byte `start`, which is at `line`:`column`.
    /// Bytes that continue a multi-byte UTF-8 sequence do not advance the column.
    static func position(
        of target: Int,
        in buffer: UnsafeBufferPointer<UInt8>,
        from start: Int,
        line: Int,
        column: Int
    ) -> TextPosition {
        var line = line
        var column = column
        var i = start
        while i < target {
            let byte = buffer[i]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte == 0x0D {
                if i + 1 < buffer.count && buffer[i + 1] == 0x0A {
                    if i + 1 == target {
                        column += 1
                        break
                    }
                    i += 1
                }
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return TextPosition(line: line, column: column)
    }

    /// The number of Unicode scalars that start in `start..<end` (bytes that are not continuation bytes).
    static func scalarCount(in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var count = 0
        var i = start
        while i < end {
            if buffer[i] & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        return count
    }
}
