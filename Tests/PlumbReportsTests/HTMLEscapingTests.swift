import Foundation
import Testing

@testable import PlumbReports

@Suite("HTML escaping")
struct HTMLEscapingTests {
    @Test("the five special characters become entities")
    func specialCharacters() {
        #expect(HTML.escape(#"a & b < c > d " e ' f"#) == "a &amp; b &lt; c &gt; d &quot; e &#39; f")
        #expect(HTML.escape("&amp;") == "&amp;amp;")
        #expect(HTML.escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
    }

    @Test("plain text, non-ASCII and emoji are kept")
    func plainText() {
        let text = "Grüße, 世界! 👩🏽‍💻 12 × 13 = 156 — naïve café\n\tindent\r\n"
        #expect(HTML.escape(text) == text)
        #expect(HTML.escape("") == "")
    }

    @Test("NUL and control characters become U+FFFD; tab, LF and CR stay")
    func controlCharacters() {
        #expect(HTML.escape("a\u{0}b") == "a\u{FFFD}b")
        let controls = "\u{1}\u{8}\u{B}\u{C}\u{1B}\u{1F}\u{7F}\u{85}\u{9F}"
        #expect(HTML.escape(controls) == String(repeating: "\u{FFFD}", count: 9))
        #expect(HTML.escape("\t\n\r") == "\t\n\r")
        #expect(HTML.escape("<\u{0}>") == "&lt;\u{FFFD}&gt;")
    }

    @Test("a combining character after a special character survives")
    func combiningCharacters() {
        // "<" followed by U+0338 is one Character (≮ as a grapheme); it must still be escaped.
        #expect(HTML.escape("<\u{338}") == "&lt;\u{338}")
        #expect(HTML.escape("\"\u{301}") == "&quot;\u{301}")
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    private func hex(_ text: String) -> String {
        SHA256.digest(Array(text.utf8)).map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }

    @Test("known test vectors")
    func vectors() {
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        #expect(
            hex("The quick brown fox jumps over the lazy dog")
                == "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
        )
        #expect(
            hex(String(repeating: "a", count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
        )
    }
}
