/// HTML escaping for the report renderers.
///
/// This is the one place HTML escaping lives. Every string that comes from a report (model outputs, prompts,
/// sample ids, suite names, check reasons, error messages, backend names, tags …) goes through
/// ``HTML/escape(_:)`` before it is written into a document, in element content and in attribute values alike.
public enum HTML {
    /// Escapes `text` for HTML element content and for quoted (single or double) attribute values.
    ///
    /// - `&`, `<`, `>`, `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;`.
    /// - NUL and the other C0 control characters except tab, line feed and carriage return, as well as DEL
    ///   and the C1 control characters (U+0080–U+009F), become U+FFFD REPLACEMENT CHARACTER, so text from a model
    ///   can't carry invisible control bytes into the page.
    ///
    /// Everything else, including non-ASCII text and emoji, is kept as it is (documents are UTF-8).
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscaping) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + text.utf8.count / 8 + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case _ where isForbiddenControl(scalar): result.unicodeScalars.append("\u{FFFD}")
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "&", "<", ">", "\"", "'": return true
        default: return isForbiddenControl(scalar)
        }
    }

    /// C0 controls other than tab, LF and CR; DEL; C1 controls.
    static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: return false
        }
    }
}

/// Builds an HTML document in which report text can only enter escaped.
///
/// Markup comes from `StaticString` literals written in the renderer's source; every dynamic `String`
/// (which may come from a report) is passed through ``HTML/escape(_:)``, in text and in attribute values.
/// There is deliberately no way to append a dynamic string unescaped.
struct HTMLBuilder {
    private(set) var output = ""
    /// Where output goes once it holds `flushBytes` bytes (writing a page to a file as it is built); nil keeps it all.
    private var sink: ((String) -> Void)?
    private var flushBytes = Int.max

    init() {
        output.reserveCapacity(64 * 1024)
    }

    /// A builder that hands its output to `sink` in pieces of about `flushBytes` (call ``flush()`` at the end).
    init(flushingEvery flushBytes: Int, to sink: @escaping (String) -> Void) {
        self.init()
        self.sink = sink
        self.flushBytes = flushBytes
    }

    /// Hands what is held to the sink.
    mutating func flush() {
        guard let sink, !output.isEmpty else { return }
        sink(output)
        output.removeAll(keepingCapacity: true)
    }

    private mutating func flushIfFull() {
        if output.utf8.count >= flushBytes { flush() }
    }

    /// Appends literal markup from the renderer's own source code.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { output += String(decoding: $0, as: UTF8.self) }
        flushIfFull()
    }

    /// Appends what another builder built (so itself only literal markup and escaped text) as the content of a
    /// data block (`<script type="text/x-…">`, never run): false, appending nothing, when the content could end the
    /// block or change how it is read (`</script`, `<!--`, `<script`), which escaped text never contains.
    mutating func dataBlockContent(_ built: HTMLBuilder) -> Bool {
        let lowered = built.output.lowercased()
        guard !lowered.contains("</script"), !lowered.contains("<!--"), !lowered.contains("<script") else {
            return false
        }
        output += built.output
        flushIfFull()
        return true
    }

    /// Appends text, escaped.
    mutating func text(_ value: String) {
        output += HTML.escape(value)
        flushIfFull()
    }

    /// Appends a start tag with attributes (values escaped, always double-quoted).
    /// A nil value leaves the attribute out; an empty value writes a bare boolean attribute.
    mutating func open(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:]) {
        raw("<")
        raw(tag)
        for (name, value) in attributes {
            guard let value else { continue }
            raw(" ")
            raw(name)
            if !value.isEmpty {
                raw("=\"")
                text(value)
                raw("\"")
            }
        }
        raw(">")
    }

    /// Appends an end tag.
    mutating func close(_ tag: StaticString) {
        raw("</")
        raw(tag)
        raw(">")
    }

    /// Appends `<tag attributes>escaped text</tag>`.
    mutating func element(
        _ tag: StaticString,
        _ attributes: KeyValuePairs<StaticString, String?> = [:],
        text value: String
    ) {
        open(tag, attributes)
        text(value)
        close(tag)
    }
}
