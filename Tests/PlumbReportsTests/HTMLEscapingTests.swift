import PlumbMetrics
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
