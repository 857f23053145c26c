/// A strict little tokenizer for the HTML the renderer writes, used to prove that report text can't create
/// elements or attributes. It only understands the renderer's own dialect: tags with lowercase names,
/// double-quoted attribute values, raw text in `<style>` and `<script>`.
struct HTMLTokenizer {
    struct Tag: Equatable {
        var name: String
        var attributes: [String: String]
        var isEnd: Bool
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var tags: [Tag] = []
    /// Text between tags (outside `<style>` and `<script>`).
    private(set) var texts: [String] = []
    /// The raw contents of `<script>` elements.
    private(set) var scripts: [String] = []

    init(_ html: String) throws {
        let bytes = Array(html.utf8)
        var position = 0
        var textStart = 0

        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func fail(_ message: String) -> Failure {
            let context = string(max(0, position - 40)..<min(bytes.count, position + 40))
            return Failure(description: "\(message) at byte \(position): …\(context)…")
        }
        func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
        }

        while position < bytes.count {
            guard bytes[position] == UInt8(ascii: "<") else {
                position += 1
                continue
            }
            texts.append(string(textStart..<position))
            position += 1
            guard position < bytes.count else { throw fail("'<' at the end") }
            if bytes[position] == UInt8(ascii: "!") {
                guard let end = bytes[position...].firstIndex(of: UInt8(ascii: ">")) else { throw fail("open <!") }
                position = end + 1
                textStart = position
                continue
            }
            var isEnd = false
            if bytes[position] == UInt8(ascii: "/") {
                isEnd = true
                position += 1
            }
            let nameStart = position
            while position < bytes.count, isNameByte(bytes[position]) { position += 1 }
            let name = string(nameStart..<position)
            guard !name.isEmpty else { throw fail("a '<' that starts no tag") }
            var attributes: [String: String] = [:]
            while true {
                guard position < bytes.count else { throw fail("unterminated tag") }
                let byte = bytes[position]
                if byte == UInt8(ascii: ">") {
                    position += 1
                    break
                }
                guard byte == UInt8(ascii: " "), !isEnd else { throw fail("unexpected character in <\(name)>") }
                position += 1
                let attributeStart = position
                while position < bytes.count, isNameByte(bytes[position]) { position += 1 }
                let attribute = string(attributeStart..<position)
                guard !attribute.isEmpty else { throw fail("empty attribute name in <\(name)>") }
                guard attributes[attribute] == nil else { throw fail("duplicate attribute \(attribute)") }
                if position < bytes.count, bytes[position] == UInt8(ascii: "=") {
                    position += 1
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                        throw fail("unquoted value for \(attribute)")
                    }
                    position += 1
                    let valueStart = position
                    while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                        let byte = bytes[position]
                        if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "'") {
                            throw fail("unescaped \(Character(Unicode.Scalar(byte))) in \(attribute)")
                        }
                        position += 1
                    }
                    guard position < bytes.count else { throw fail("unterminated value") }
                    attributes[attribute] = string(valueStart..<position)
                    position += 1
                } else {
                    attributes[attribute] = ""
                }
            }
            tags.append(Tag(name: name, attributes: attributes, isEnd: isEnd))
            if !isEnd, name == "script" || name == "style" {
                let closing = Array("</\(name)>".utf8)
                guard let end = Self.find(closing, in: bytes, from: position) else { throw fail("no </\(name)>") }
                if name == "script" { scripts.append(string(position..<end)) }
                position = end
            }
            textStart = position
        }
        texts.append(string(textStart..<bytes.count))
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
