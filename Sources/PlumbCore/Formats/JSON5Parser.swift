/// A syntax error in a JSON or JSON5 document (see `TextSyntaxError`), for example
/// `expected ',' or '}' after an object member, found 'x'`.
public typealias JSON5SyntaxError = TextSyntaxError

/// A JSON5 (json5.org) and strict JSON (RFC 8259) parser that keeps the position of every value and key.
///
/// The parser works on UTF-8 bytes and is iterative, so deep nesting cannot overflow the stack; nesting deeper
/// than `maxDepth` arrays and objects is a syntax error. Lines are ended by LF, CRLF or a lone CR; columns count
/// Unicode scalars from 1. A leading byte order mark is skipped and not counted.
public enum JSON5Parser {
    /// The deepest nesting of arrays and objects accepted.
    public static let maxDepth = 512

    /// Parses one complete document. `json5: false` accepts strict JSON only (RFC 8259).
    public static func parse(_ bytes: [UInt8], json5: Bool = true) throws(JSON5SyntaxError) -> JSON5Node {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSON5SyntaxError) -> JSON5Node in
            let start = UTF8Validation.hasBOM(buffer, at: 0) ? 3 : 0
            return try parse(buffer: buffer, from: start, to: buffer.count, line: 1, json5: json5, endKind: .input)
        }
    }

    /// Parses one complete document. `json5: false` accepts strict JSON only (RFC 8259).
    public static func parse(_ text: String, json5: Bool = true) throws(JSON5SyntaxError) -> JSON5Node {
        try parse(Array(text.utf8), json5: json5)
    }

    /// What the end of the parsed bytes is called in messages.
    enum EndKind {
        case input, line
    }

    /// Parses `buffer[start..<end]`, whose first byte is at column 1 of `line`. Validates UTF-8 first.
    static func parse(
        buffer: UnsafeBufferPointer<UInt8>,
        from start: Int,
        to end: Int,
        line: Int,
        json5: Bool,
        endKind: EndKind
    ) throws(JSON5SyntaxError) -> JSON5Node {
        if let bad = UTF8Validation.firstInvalidOffset(in: buffer, from: start, to: end) {
            let position = TextCounter.position(of: bad, in: buffer, from: start, line: line, column: 1)
            throw JSON5SyntaxError("invalid UTF-8 (byte \(hexByte(buffer[bad])))", at: position)
        }
        var parser = JSON5ByteParser(buffer: buffer, start: start, end: end, line: line, json5: json5, endKind: endKind)
        return try parser.parseDocument()
    }

    /// `0xAB`.
    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}

// MARK: - Byte constants

private let tab: UInt8 = 0x09
private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D
private let space: UInt8 = 0x20
private let doubleQuote: UInt8 = 0x22
private let singleQuote: UInt8 = 0x27
private let plus: UInt8 = 0x2B
private let comma: UInt8 = 0x2C
private let minus: UInt8 = 0x2D
private let dot: UInt8 = 0x2E
private let slash: UInt8 = 0x2F
private let asterisk: UInt8 = 0x2A
private let colon: UInt8 = 0x3A
private let backslash: UInt8 = 0x5C
private let openBracket: UInt8 = 0x5B
private let closeBracket: UInt8 = 0x5D
private let openBrace: UInt8 = 0x7B
private let closeBrace: UInt8 = 0x7D

private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

private func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case 0x30...0x39: UInt32(byte - 0x30)
    case 0x41...0x46: UInt32(byte - 0x41 + 10)
    case 0x61...0x66: UInt32(byte - 0x61 + 10)
    default: nil
    }
}

private func isASCIILetter(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
}

/// ASCII characters that may appear in an unquoted key (digits only after the first character).
private func isASCIIIdentifierByte(_ byte: UInt8, first: Bool) -> Bool {
    isASCIILetter(byte) || byte == 0x24 || byte == 0x5F || (!first && isDigit(byte))
}

/// ECMAScript 5.1 IdentifierStart (without the escape): Unicode letters, `$` and `_`.
private func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == "$" || scalar == "_" { return true }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .letterNumber:
        return true
    default:
        return false
    }
}

/// ECMAScript 5.1 IdentifierPart: IdentifierStart, combining marks, digits, connector punctuation, ZWNJ, ZWJ.
private func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
    if isIdentifierStart(scalar) || scalar.value == 0x200C || scalar.value == 0x200D { return true }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .spacingMark, .decimalNumber, .connectorPunctuation:
        return true
    default:
        return false
    }
}

private func appendUTF8(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
    let value = scalar.value
    switch value {
    case 0..<0x80:
        bytes.append(UInt8(value))
    case 0x80..<0x800:
        bytes.append(UInt8(0xC0 | (value >> 6)))
        bytes.append(UInt8(0x80 | (value & 0x3F)))
    case 0x800..<0x10000:
        bytes.append(UInt8(0xE0 | (value >> 12)))
        bytes.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
        bytes.append(UInt8(0x80 | (value & 0x3F)))
    default:
        bytes.append(UInt8(0xF0 | (value >> 18)))
        bytes.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
        bytes.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
        bytes.append(UInt8(0x80 | (value & 0x3F)))
    }
}

/// `U+00A0`.
private func scalarCode(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}

// MARK: - Parser

/// An open array or object while the parser is inside it.
private struct Frame {
    var isObject: Bool
    var position: TextPosition
    var elements: [JSON5Node] = []
    var members: [JSON5Node.Member] = []
    var key = ""
    var keyPosition = TextPosition(line: 0, column: 0)
}

/// The parser state over already-validated UTF-8 bytes.
private struct JSON5ByteParser {
    let buffer: UnsafeBufferPointer<UInt8>
    let start: Int
    let end: Int
    let firstLine: Int
    let json5: Bool
    let endKind: JSON5Parser.EndKind

    /// The next byte to read.
    var i: Int
    /// The current line number and the offset where it starts.
    var line: Int
    var lineStart: Int
    /// A cache of the column at `columnOffset` on the current line, so positions cost O(distance moved).
    var columnOffset: Int
    var column = 1
    /// Reused storage for strings and keys that contain escapes.
    var scratch: [UInt8] = []

    init(
        buffer: UnsafeBufferPointer<UInt8>,
        start: Int,
        end: Int,
        line: Int,
        json5: Bool,
        endKind: JSON5Parser.EndKind
    ) {
        self.buffer = buffer
        self.start = start
        self.end = end
        self.firstLine = line
        self.json5 = json5
        self.endKind = endKind
        self.i = start
        self.line = line
        self.lineStart = start
        self.columnOffset = start
    }

    // MARK: Positions

    mutating func position(at offset: Int) -> TextPosition {
        guard offset >= lineStart else {
            return TextCounter.position(of: offset, in: buffer, from: start, line: firstLine, column: 1)
        }
        if offset < columnOffset {
            columnOffset = lineStart
            column = 1
        }
        column += TextCounter.scalarCount(in: buffer, from: columnOffset, to: offset)
        columnOffset = offset
        return TextPosition(line: line, column: column)
    }

    /// Records that a line break ended just before `offset`.
    mutating func newLine(at offset: Int) {
        line += 1
        lineStart = offset
        columnOffset = offset
        column = 1
    }

    // MARK: Errors

    var endName: String { endKind == .input ? "end of input" : "end of line" }
    var theEnd: String { endKind == .input ? "the end of input" : "the end of the line" }

    /// The scalar starting at `offset` (the bytes are valid UTF-8) and its length in bytes.
    func scalar(at offset: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = UInt32(buffer[offset])
        let value: UInt32
        let length: Int
        if lead < 0x80 {
            return (Unicode.Scalar(UInt8(lead)), 1)
        } else if lead < 0xE0 {
            length = 2
            value = (lead & 0x1F) << 6 | UInt32(buffer[offset + 1] & 0x3F)
        } else if lead < 0xF0 {
            length = 3
            value = (lead & 0x0F) << 12 | UInt32(buffer[offset + 1] & 0x3F) << 6 | UInt32(buffer[offset + 2] & 0x3F)
        } else {
            length = 4
            value =
                (lead & 0x07) << 18 | UInt32(buffer[offset + 1] & 0x3F) << 12
                | UInt32(buffer[offset + 2] & 0x3F) << 6 | UInt32(buffer[offset + 3] & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// How the character (or word) at `offset` is named in an error message: `'x'`, `'tru'`, `a line break`.
    func describe(at offset: Int) -> String {
        guard offset < end else { return theEnd }
        let (first, firstLength) = scalar(at: offset)
        if isIdentifierStart(first) {
            var j = offset + firstLength
            var count = 1
            while j < end && count < 32 {
                let (next, length) = scalar(at: j)
                guard isIdentifierPart(next) else { break }
                j += length
                count += 1
            }
            return "'" + String(decoding: UnsafeBufferPointer(rebasing: buffer[offset..<j]), as: UTF8.self) + "'"
        }
        switch first {
        case "\n", "\r": return "a line break"
        case "\t": return "a tab"
        case " ": return "a space"
        case "'": return "\"'\""
        default: break
        }
        switch first.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned,
            .surrogate:
            return scalarCode(first.value)
        default:
            return "'" + String(Character(first)) + "'"
        }
    }

    /// "expected X, found Y" (or "unexpected end of input; expected X") at `offset`, with a hint for JSON5
    /// syntax used in strict JSON.
    mutating func unexpected(_ expected: String, at offset: Int, hint: String? = nil) -> JSON5SyntaxError {
        var message: String
        if offset >= end {
            message = "unexpected \(endName); expected \(expected)"
        } else {
            message = "expected \(expected), found \(describe(at: offset))"
        }
        var hint = hint
        if hint == nil && !json5 && offset < end {
            switch buffer[offset] {
            case slash: hint = "comments are not allowed in strict JSON"
            case singleQuote: hint = "strings must use double quotes in strict JSON"
            default: break
            }
        }
        if let hint { message += "; " + hint }
        return JSON5SyntaxError(message, at: position(at: offset))
    }

    mutating func error(_ message: String, at offset: Int) -> JSON5SyntaxError {
        JSON5SyntaxError(message, at: position(at: offset))
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }

    // MARK: Whitespace and comments

    mutating func skipTrivia() throws(JSON5SyntaxError) {
        while i < end {
            let byte = buffer[i]
            switch byte {
            case space, tab:
                i += 1
            case lineFeed:
                i += 1
                newLine(at: i)
            case carriageReturn:
                i += 1
                if i < end && buffer[i] == lineFeed { i += 1 }
                newLine(at: i)
            case 0x0B, 0x0C:
                guard json5 else { return }
                i += 1
            case slash:
                guard json5 else { return }
                try skipComment()
            case 0x80...:
                guard json5, let length = unicodeSpaceLength(at: i) else { return }
                i += length
            default:
                return
            }
        }
    }

    /// The length of the JSON5 white space character (NBSP, LS, PS, BOM or another Zs character) at `offset`.
    func unicodeSpaceLength(at offset: Int) -> Int? {
        let lead = buffer[offset]
        if lead == 0xC2 {
            return offset + 1 < end && buffer[offset + 1] == 0xA0 ? 2 : nil
        }
        guard offset + 2 < end else { return nil }
        let second = buffer[offset + 1]
        let third = buffer[offset + 2]
        switch (lead, second) {
        case (0xE1, 0x9A): return third == 0x80 ? 3 : nil  // U+1680
        case (0xE2, 0x80):  // U+2000...U+200A, U+2028, U+2029, U+202F
            return (third >= 0x80 && third <= 0x8A) || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : nil
        case (0xE2, 0x81): return third == 0x9F ? 3 : nil  // U+205F
        case (0xE3, 0x80): return third == 0x80 ? 3 : nil  // U+3000
        case (0xEF, 0xBB): return third == 0xBF ? 3 : nil  // U+FEFF
        default: return nil
        }
    }

    /// True when U+2028 or U+2029 (JSON5 line terminators that do not start a new line number) is at `offset`.
    func isUnicodeLineTerminator(at offset: Int) -> Bool {
        offset + 2 < end && buffer[offset] == 0xE2 && buffer[offset + 1] == 0x80
            && (buffer[offset + 2] == 0xA8 || buffer[offset + 2] == 0xA9)
    }

    mutating func skipComment() throws(JSON5SyntaxError) {
        let open = i
        guard i + 1 < end, buffer[i + 1] == slash || buffer[i + 1] == asterisk else {
            throw unexpected("'/' or '*' after '/' to start a comment", at: i + 1)
        }
        if buffer[i + 1] == slash {
            i += 2
            while i < end {
                let byte = buffer[i]
                if byte == lineFeed || byte == carriageReturn || isUnicodeLineTerminator(at: i) { return }
                i += 1
            }
            return
        }
        let openPosition = position(at: open)
        i += 2
        while i < end {
            let byte = buffer[i]
            if byte == asterisk && i + 1 < end && buffer[i + 1] == slash {
                i += 2
                return
            } else if byte == lineFeed {
                i += 1
                newLine(at: i)
            } else if byte == carriageReturn {
                i += 1
                if i < end && buffer[i] == lineFeed { i += 1 }
                newLine(at: i)
            } else {
                i += 1
            }
        }
        throw JSON5SyntaxError("unterminated comment: expected '*/' before \(theEnd)", at: openPosition)
    }

    // MARK: Structure

    mutating func parseDocument() throws(JSON5SyntaxError) -> JSON5Node {
        try skipTrivia()
        let node = try parseValueTree()
        try skipTrivia()
        if i < end {
            throw unexpected(theEnd + " after the document", at: i)
        }
        return node
    }

    /// Parses one value, including everything nested in it, without recursion. Trivia before it is skipped.
    mutating func parseValueTree() throws(JSON5SyntaxError) -> JSON5Node {
        var stack: [Frame] = []
        var expected = "a value"
        var afterComma = false
        while true {
            var completed: JSON5Node
            let byte: UInt8 = i < end ? buffer[i] : 0
            if i < end && (byte == openBracket || byte == openBrace) {
                if stack.count >= JSON5Parser.maxDepth {
                    throw error(
                        "too deeply nested: more than \(JSON5Parser.maxDepth) levels of arrays and objects",
                        at: i
                    )
                }
                let position = self.position(at: i)
                i += 1
                try skipTrivia()
                if byte == openBrace {
                    if i < end && buffer[i] == closeBrace {
                        i += 1
                        completed = JSON5Node(.object([]), at: position)
                    } else {
                        let (key, keyPosition) = try parseKey(afterComma: false)
                        try parseColon(afterKey: key)
                        stack.append(Frame(isObject: true, position: position, key: key, keyPosition: keyPosition))
                        expected = "a value"
                        afterComma = false
                        continue
                    }
                } else {
                    if i < end && buffer[i] == closeBracket {
                        i += 1
                        completed = JSON5Node(.array([]), at: position)
                    } else {
                        stack.append(Frame(isObject: false, position: position))
                        expected = "a value or ']'"
                        afterComma = false
                        continue
                    }
                }
            } else {
                completed = try parseScalar(expected: expected, afterComma: afterComma)
            }

            // Attach the completed value to the open containers, closing every one that ends here.
            attach: while true {
                guard let top = stack.indices.last else { return completed }
                try skipTrivia()
                let next: UInt8 = i < end ? buffer[i] : 0
                if stack[top].isObject {
                    let member = JSON5Node.Member(
                        key: stack[top].key,
                        keyPosition: stack[top].keyPosition,
                        value: completed
                    )
                    stack[top].members.append(member)
                    if i < end && next == comma {
                        i += 1
                        try skipTrivia()
                        if json5 && i < end && buffer[i] == closeBrace {
                            i += 1
                            let frame = stack.removeLast()
                            completed = JSON5Node(.object(frame.members), at: frame.position)
                            continue attach
                        }
                        let (key, keyPosition) = try parseKey(afterComma: true)
                        try parseColon(afterKey: key)
                        stack[top].key = key
                        stack[top].keyPosition = keyPosition
                        expected = "a value"
                        afterComma = false
                        break attach
                    } else if i < end && next == closeBrace {
                        i += 1
                        let frame = stack.removeLast()
                        completed = JSON5Node(.object(frame.members), at: frame.position)
                    } else {
                        throw unexpected("',' or '}' after an object member", at: i)
                    }
                } else {
                    stack[top].elements.append(completed)
                    if i < end && next == comma {
                        i += 1
                        try skipTrivia()
                        if json5 && i < end && buffer[i] == closeBracket {
                            i += 1
                            let frame = stack.removeLast()
                            completed = JSON5Node(.array(frame.elements), at: frame.position)
                            continue attach
                        }
                        expected = json5 ? "a value or ']'" : "a value"
                        afterComma = true
                        break attach
                    } else if i < end && next == closeBracket {
                        i += 1
                        let frame = stack.removeLast()
                        completed = JSON5Node(.array(frame.elements), at: frame.position)
                    } else {
                        throw unexpected("',' or ']' after an array element", at: i)
                    }
                }
            }
        }
    }

    /// Parses an object key at `i` (trivia already skipped).
    mutating func parseKey(afterComma: Bool) throws(JSON5SyntaxError) -> (String, TextPosition) {
        let expected = json5 ? "a key or '}'" : (afterComma ? "a string key" : "a string key or '}'")
        guard i < end else { throw unexpected(expected, at: i) }
        let byte = buffer[i]
        if byte == doubleQuote || (json5 && byte == singleQuote) {
            let position = self.position(at: i)
            return (try parseString(), position)
        }
        let startsIdentifier =
            byte < 0x80
            ? isASCIIIdentifierByte(byte, first: true) || byte == backslash
            : isIdentifierStart(scalar(at: i).scalar)
        if json5 && startsIdentifier {
            let position = self.position(at: i)
            return (try parseIdentifier(), position)
        }
        var hint: String?
        if !json5 && startsIdentifier {
            hint = "keys must be double-quoted strings in strict JSON"
        } else if !json5 && afterComma && byte == closeBrace {
            hint = "trailing commas are not allowed in strict JSON"
        }
        throw unexpected(expected, at: i, hint: hint)
    }

    mutating func parseColon(afterKey key: String) throws(JSON5SyntaxError) {
        try skipTrivia()
        guard i < end && buffer[i] == colon else {
            let shown = key.unicodeScalars.count > 40 ? String(key.unicodeScalars.prefix(40)) + "…" : key
            throw unexpected("':' after the key '\(shown)'", at: i)
        }
        i += 1
        try skipTrivia()
    }

    /// Parses a string, number or literal at `i`.
    mutating func parseScalar(expected: String, afterComma: Bool) throws(JSON5SyntaxError) -> JSON5Node {
        guard i < end else { throw unexpected(expected, at: i) }
        let byte = buffer[i]
        switch byte {
        case doubleQuote:
            let position = self.position(at: i)
            return JSON5Node(.string(try parseString()), at: position)
        case singleQuote where json5:
            let position = self.position(at: i)
            return JSON5Node(.string(try parseString()), at: position)
        case minus, plus, dot, 0x30...0x39:
            return try parseNumber()
        case closeBracket, closeBrace:
            let hint = !json5 && afterComma ? "trailing commas are not allowed in strict JSON" : nil
            throw unexpected(expected, at: i, hint: hint)
        default:
            break
        }
        if isASCIILetter(byte) {
            let position = self.position(at: i)
            var j = i
            while j < end && isASCIIIdentifierByte(buffer[j], first: false) { j += 1 }
            let node: JSON5Node.Value? =
                switch j - i {
                case 4 where word(i, is: "true"): .bool(true)
                case 4 where word(i, is: "null"): .null
                case 5 where word(i, is: "false"): .bool(false)
                case 8 where json5 && word(i, is: "Infinity"): .number(.infinity, raw: "Infinity")
                case 3 where json5 && word(i, is: "NaN"): .number(.nan, raw: "NaN")
                default: nil
                }
            // A literal must not run into further identifier characters (e.g. `truex`, `nullé`).
            if let node, j == end || !(buffer[j] >= 0x80 && isIdentifierPart(scalar(at: j).scalar)) {
                i = j
                return JSON5Node(node, at: position)
            }
            let isNonFinite = (j - i == 8 && word(i, is: "Infinity")) || (j - i == 3 && word(i, is: "NaN"))
            let hint = !json5 && isNonFinite ? "Infinity and NaN are not allowed in strict JSON" : nil
            throw unexpected(expected, at: i, hint: hint)
        }
        throw unexpected(expected, at: i)
    }

    func word(_ offset: Int, is literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard end - offset >= count else { return false }
        let pointer = literal.utf8Start
        for k in 0..<count where buffer[offset + k] != pointer[k] {
            return false
        }
        return true
    }

    // MARK: Numbers

    mutating func parseNumber() throws(JSON5SyntaxError) -> JSON5Node {
        let start = i
        let position = self.position(at: start)
        var negative = false
        if buffer[i] == plus || buffer[i] == minus {
            negative = buffer[i] == minus
            i += 1
            if !json5 && buffer[start] == plus {
                throw numberError(start, "a leading '+' is not allowed in strict JSON", at: position)
            }
        }
        // Signed Infinity and NaN.
        if i < end && (buffer[i] == 0x49 || buffer[i] == 0x4E) {
            var j = i
            while j < end && isASCIIIdentifierByte(buffer[j], first: false) { j += 1 }
            let isInfinity = j - i == 8 && word(i, is: "Infinity")
            let isNaN = j - i == 3 && word(i, is: "NaN")
            guard isInfinity || isNaN else { throw numberError(start, nil, at: position) }
            guard json5 else {
                throw numberError(start, "Infinity and NaN are not allowed in strict JSON", at: position)
            }
            i = j
            try checkNumberEnd(start, at: position)
            let value: Double = isNaN ? .nan : (negative ? -.infinity : .infinity)
            return JSON5Node(.number(value, raw: text(start..<i)), at: position)
        }
        // Hexadecimal.
        if json5 && i + 1 < end && buffer[i] == 0x30 && (buffer[i + 1] == 0x78 || buffer[i + 1] == 0x58) {
            i += 2
            var value = 0.0
            let digitsStart = i
            while i < end, let digit = hexValue(buffer[i]) {
                value = value * 16 + Double(digit)
                i += 1
            }
            if i == digitsStart {
                throw numberError(start, "expected hexadecimal digits after '0x'", at: position)
            }
            try checkNumberEnd(start, at: position)
            return JSON5Node(.number(negative ? -value : value, raw: text(start..<i)), at: position)
        }
        // Decimal.
        let integerStart = i
        while i < end && isDigit(buffer[i]) { i += 1 }
        let integerDigits = i - integerStart
        if integerDigits > 1 && buffer[integerStart] == 0x30 {
            throw numberError(start, "leading zeros are not allowed", at: position)
        }
        if integerDigits == 0 && !json5 {
            let reason =
                i < end && buffer[i] == dot
                ? "a number must start with a digit in strict JSON" : "expected a digit after '-'"
            throw numberError(start, reason, at: position)
        }
        if integerDigits == 1 && buffer[integerStart] == 0x30 && i < end
            && (buffer[i] == 0x78 || buffer[i] == 0x58)
        {
            throw numberError(start, "hexadecimal numbers are not allowed in strict JSON", at: position)
        }
        var fractionDigits = 0
        if i < end && buffer[i] == dot {
            i += 1
            let fractionStart = i
            while i < end && isDigit(buffer[i]) { i += 1 }
            fractionDigits = i - fractionStart
            if fractionDigits == 0 && !json5 {
                throw numberError(start, "expected a digit after the decimal point", at: position)
            }
        }
        if integerDigits == 0 && fractionDigits == 0 {
            throw numberError(start, "expected a digit", at: position)
        }
        if i < end && (buffer[i] == 0x65 || buffer[i] == 0x45) {
            i += 1
            if i < end && (buffer[i] == plus || buffer[i] == minus) { i += 1 }
            let exponentStart = i
            while i < end && isDigit(buffer[i]) { i += 1 }
            if i == exponentStart {
                throw numberError(start, "expected a digit in the exponent", at: position)
            }
        }
        try checkNumberEnd(start, at: position)
        let raw = text(start..<i)
        return JSON5Node(.number(Double(raw) ?? .nan, raw: raw), at: position)
    }

    /// A number must not run straight into letters, digits or another '.'.
    mutating func checkNumberEnd(_ start: Int, at position: TextPosition) throws(JSON5SyntaxError) {
        guard i < end else { return }
        let byte = buffer[i]
        if isASCIIIdentifierByte(byte, first: false) || byte == dot
            || (byte >= 0x80 && isIdentifierPart(scalar(at: i).scalar))
        {
            throw numberError(start, nil, at: position)
        }
    }

    /// "invalid number '12abc'" (with the token extended over the characters that run into it).
    mutating func numberError(_ start: Int, _ reason: String?, at position: TextPosition) -> JSON5SyntaxError {
        var j = max(i, start + 1)
        while j < end && j - start < 40 {
            let byte = buffer[j]
            guard isASCIIIdentifierByte(byte, first: false) || byte == dot || byte == plus || byte == minus else {
                break
            }
            j += 1
        }
        let token = text(start..<min(j, end))
        var message = "invalid number '\(token)'"
        if let reason { message += ": " + reason }
        return JSON5SyntaxError(message, at: position)
    }

    // MARK: Strings

    /// Parses a string whose opening quote is at `i` and returns its value.
    mutating func parseString() throws(JSON5SyntaxError) -> String {
        let quote = buffer[i]
        let open = i
        i += 1
        var segment = i
        var escaped = false
        while true {
            guard i < end else { throw unterminatedString(open, atLineBreak: false) }
            let byte = buffer[i]
            if byte == quote { break }
            if byte == backslash {
                if !escaped {
                    escaped = true
                    scratch.removeAll(keepingCapacity: true)
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[segment..<i]))
                try parseEscape(open: open)
                segment = i
                continue
            }
            if byte < space {
                if byte == lineFeed || byte == carriageReturn {
                    throw unterminatedString(open, atLineBreak: true)
                }
                if !(json5 && byte == tab) {
                    let code = scalarCode(UInt32(byte))
                    let escape = "\\u" + code.dropFirst(2)
                    throw error("control character \(code) in a string; write it as \(escape)", at: i)
                }
            }
            i += 1
        }
        let result: String
        if escaped {
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[segment..<i]))
            result = String(decoding: scratch, as: UTF8.self)
        } else {
            result = text(segment..<i)
        }
        i += 1
        return result
    }

    mutating func unterminatedString(_ open: Int, atLineBreak: Bool) -> JSON5SyntaxError {
        let quote = buffer[open] == doubleQuote ? "'\"'" : "\"'\""
        let place = atLineBreak ? "the end of the line" : theEnd
        return error("unterminated string: expected a closing \(quote) before \(place)", at: open)
    }

    /// Parses the escape sequence whose backslash is at `i`, appending its value to `scratch`.
    mutating func parseEscape(open: Int) throws(JSON5SyntaxError) {
        let escapeStart = i
        guard i + 1 < end else { throw unterminatedString(open, atLineBreak: false) }
        let byte = buffer[i + 1]
        var simple: UInt8?
        switch byte {
        case doubleQuote, backslash, slash: simple = byte
        case 0x62: simple = 0x08  // b
        case 0x66: simple = 0x0C  // f
        case 0x6E: simple = lineFeed  // n
        case 0x72: simple = carriageReturn  // r
        case 0x74: simple = tab  // t
        case 0x75:  // u
            appendUTF8(try parseUnicodeEscape(), to: &scratch)
            return
        default: break
        }
        if let simple {
            scratch.append(simple)
            i += 2
            return
        }
        guard json5 else {
            throw error(
                "invalid escape \(describeEscape(at: escapeStart)) in a string; strict JSON allows only "
                    + "\\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
                at: escapeStart
            )
        }
        switch byte {
        case singleQuote:
            scratch.append(singleQuote)
            i += 2
        case 0x76:  // v
            scratch.append(0x0B)
            i += 2
        case 0x30:  // \0, not followed by a digit
            if i + 2 < end && isDigit(buffer[i + 2]) {
                throw error("invalid escape '\\0' followed by a digit in a string; use \\x or \\u", at: escapeStart)
            }
            scratch.append(0)
            i += 2
        case 0x31...0x39:
            let escape = describeEscape(at: escapeStart)
            throw error("invalid escape \(escape) in a string; use \\x or \\u", at: escapeStart)
        case 0x78:  // x
            guard i + 3 < end, let high = hexValue(buffer[i + 2]), let low = hexValue(buffer[i + 3]) else {
                throw error("invalid escape: expected two hexadecimal digits after '\\x'", at: escapeStart)
            }
            appendUTF8(Unicode.Scalar(UInt8(high << 4 | low)), to: &scratch)
            i += 4
        case lineFeed:  // line continuation
            i += 2
            newLine(at: i)
        case carriageReturn:
            i += 2
            if i < end && buffer[i] == lineFeed { i += 1 }
            newLine(at: i)
        default:
            // Any other character escapes itself (this includes the line continuations U+2028 and U+2029,
            // which produce nothing).
            let (character, length) = scalar(at: i + 1)
            if character.value != 0x2028 && character.value != 0x2029 {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[(i + 1)..<(i + 1 + length)]))
            }
            i += 1 + length
        }
    }

    /// `'\q'`, or `'\' followed by a line break`.
    func describeEscape(at offset: Int) -> String {
        let (character, _) = scalar(at: offset + 1)
        if character.value > 0x20 && character.value < 0x7F {
            return "'\\\(Character(character))'"
        }
        return "'\\' followed by \(describe(at: offset + 1))"
    }

    /// Parses `\uXXXX` (and a following low surrogate escape) at `i`, returning the scalar.
    mutating func parseUnicodeEscape() throws(JSON5SyntaxError) -> Unicode.Scalar {
        let escapeStart = i
        guard let unit = hex4(at: i + 2) else {
            throw error("invalid escape: expected four hexadecimal digits after '\\u'", at: escapeStart)
        }
        i += 6
        switch unit {
        case 0xD800...0xDBFF:
            if i + 1 < end && buffer[i] == backslash && buffer[i + 1] == 0x75, let low = hex4(at: i + 2),
                (0xDC00...0xDFFF).contains(low)
            {
                i += 6
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
            }
            throw error(
                "invalid escape '\(text(escapeStart..<(escapeStart + 6)))': a high surrogate must be followed by "
                    + "a low surrogate escape (\\uDC00-\\uDFFF)",
                at: escapeStart
            )
        case 0xDC00...0xDFFF:
            throw error(
                "invalid escape '\(text(escapeStart..<(escapeStart + 6)))': a low surrogate must follow "
                    + "a high surrogate escape",
                at: escapeStart
            )
        default:
            return Unicode.Scalar(unit)!
        }
    }

    func hex4(at offset: Int) -> UInt32? {
        guard offset + 4 <= end else { return nil }
        var value: UInt32 = 0
        for k in 0..<4 {
            guard let digit = hexValue(buffer[offset + k]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    // MARK: Unquoted keys

    /// Parses an ECMAScript IdentifierName (with `\uXXXX` escapes) at `i`.
    mutating func parseIdentifier() throws(JSON5SyntaxError) -> String {
        var segment = i
        var escaped = false
        var first = true
        while i < end {
            let byte = buffer[i]
            if byte < 0x80 {
                if isASCIIIdentifierByte(byte, first: first) {
                    i += 1
                } else if byte == backslash {
                    let escapeStart = i
                    guard i + 1 < end && buffer[i + 1] == 0x75 else {
                        throw error("invalid escape in a key: only \\uXXXX escapes are allowed in unquoted keys", at: i)
                    }
                    if !escaped {
                        escaped = true
                        scratch.removeAll(keepingCapacity: true)
                    }
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[segment..<i]))
                    let value = try parseUnicodeEscape()
                    guard first ? isIdentifierStart(value) : isIdentifierPart(value) else {
                        throw error(
                            "invalid escape '\(text(escapeStart..<i))' in a key: \(scalarCode(value.value)) cannot "
                                + "appear \(first ? "at the start of" : "in") an unquoted key",
                            at: escapeStart
                        )
                    }
                    appendUTF8(value, to: &scratch)
                    segment = i
                } else {
                    break
                }
            } else {
                let (character, length) = scalar(at: i)
                guard first ? isIdentifierStart(character) : isIdentifierPart(character) else { break }
                i += length
            }
            first = false
        }
        if escaped {
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[segment..<i]))
            return String(decoding: scratch, as: UTF8.self)
        }
        return text(segment..<i)
    }
}
