import PlumbCore
import Testing

@Suite("UTF8Validation")
struct UTF8ValidationTests {
    @Test(
        "accepts well-formed UTF-8 at every length boundary",
        arguments: [
            [],
            Array("plain ASCII text, long enough for the eight-byte fast path".utf8),
            [0xC2, 0x80],  // U+0080
            [0xDF, 0xBF],  // U+07FF
            [0xE0, 0xA0, 0x80],  // U+0800
            [0xED, 0x9F, 0xBF],  // U+D7FF, just below the surrogates
            [0xEE, 0x80, 0x80],  // U+E000, just above the surrogates
            [0xEF, 0xBF, 0xBF],  // U+FFFF
            [0xF0, 0x90, 0x80, 0x80],  // U+10000
            [0xF4, 0x8F, 0xBF, 0xBF],  // U+10FFFF
            [0xEF, 0xBB, 0xBF, 0x61],  // BOM + "a"
            Array("é😀€ mixed".utf8),
        ] as [[UInt8]]
    )
    func acceptsValid(bytes: [UInt8]) {
        #expect(UTF8Validation.firstInvalidByte(in: bytes) == nil)
    }

    @Test(
        "rejects ill-formed sequences at their first byte",
        arguments: [
            ([0x80], 0),  // stray continuation byte
            ([0x61, 0xBF], 1),
            ([0xC0, 0x80], 0),  // overlong NUL
            ([0xC1, 0xBF], 0),  // overlong
            ([0xE0, 0x80, 0x80], 0),  // overlong 3-byte
            ([0xE0, 0x9F, 0xBF], 0),  // overlong U+07FF
            ([0xED, 0xA0, 0x80], 0),  // U+D800 (surrogate)
            ([0xED, 0xBF, 0xBF], 0),  // U+DFFF (surrogate)
            ([0xF0, 0x80, 0x80, 0x80], 0),  // overlong 4-byte
            ([0xF0, 0x8F, 0xBF, 0xBF], 0),  // overlong U+FFFF
            ([0xF4, 0x90, 0x80, 0x80], 0),  // U+110000
            ([0xF5, 0x80, 0x80, 0x80], 0),
            ([0xFE], 0),
            ([0xFF], 0),
            ([0x61, 0xE2, 0x82], 1),  // truncated at the end
            ([0xE2, 0x82, 0x61], 0),  // truncated by ASCII
            ([0xF0, 0x9F, 0x98], 0),  // truncated 4-byte
            ([0xF0, 0x9F, 0x98, 0x41], 0),
            ([0xC3, 0xA9, 0xC3], 2),  // "é" then a lone lead byte
        ] as [([UInt8], Int)]
    )
    func rejectsInvalid(bytes: [UInt8], offset: Int) {
        #expect(UTF8Validation.firstInvalidByte(in: bytes)?.offset == offset)
    }

    @Test(
        "reports line and column (columns count scalars; LF, CRLF and CR end lines)",
        arguments: [
            (Array("ab\ncd".utf8) + [0xFF], 2, 3),
            (Array("é".utf8) + [0xFF], 1, 2),
            (Array("😀😀x".utf8) + [0x80], 1, 4),
            (Array("\r\n\r".utf8) + [0x80], 3, 1),
            (Array("a\r\nb\rc".utf8) + [0xC0, 0x80], 3, 2),
            ([0xEF, 0xBB, 0xBF, 0x61, 0xFF], 1, 2),  // the BOM is not counted
        ] as [([UInt8], Int, Int)]
    )
    func positions(bytes: [UInt8], line: Int, column: Int) {
        #expect(UTF8Validation.firstInvalidByte(in: bytes)?.position == TextPosition(line: line, column: column))
    }

    @Test("finds a bad byte after a long ASCII run")
    func longASCIIRun() {
        for badOffset in [0, 7, 8, 9, 1000, 4095] {
            var bytes = [UInt8](repeating: 0x61, count: 4096)
            bytes[badOffset] = 0x80
            let result = UTF8Validation.firstInvalidByte(in: bytes)
            #expect(result?.offset == badOffset)
            #expect(result?.position == TextPosition(line: 1, column: badOffset + 1))
        }
    }

    @Test("agrees with the standard library on random byte strings")
    func agreesWithStandardLibrary() {
        var generator = SeededGenerator(seed: 42)
        let alphabet: [UInt8] = [
            0x41, 0x0A, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED,
            0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
        ]
        for _ in 0..<5000 {
            let length = Int.random(in: 0...6, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            let standard = String(validating: bytes, as: UTF8.self)
            let ours = UTF8Validation.firstInvalidByte(in: bytes)
            #expect((standard == nil) == (ours != nil), "\(bytes)")
        }
    }
}

/// A small deterministic random number generator (SplitMix64) for reproducible generated inputs.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
