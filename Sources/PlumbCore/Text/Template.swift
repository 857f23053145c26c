import Foundation

/// A text with `{{field}}` placeholders filled from a sample.
///
/// Names are letters, digits, `_`, `-`, `.` and inner spaces; spaces around the name are ignored (`{{ question }}`).
/// A backslash before `{{` makes the braces literal; inside a JSON5 string that backslash is written `\\{{`.
public struct Template: Sendable, Hashable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable {
        case text(String)
        case variable(String)
    }

    public var segments: [Segment]
    public var source: String

    public struct ParseError: Error, Sendable, Hashable {
        public var message: String
    }

    public init(parsing source: String) throws(ParseError) {
        self.source = source
        var segments: [Segment] = []
        var text = ""
        var scalars = Array(source.unicodeScalars)[...]
        while let scalar = scalars.first {
            if scalar == "\\", scalars.dropFirst().prefix(2).elementsEqual(["{", "{"]) {
                text += "{{"
                scalars = scalars.dropFirst(3)
                continue
            }
            if scalar == "{", scalars.dropFirst().first == "{" {
                scalars = scalars.dropFirst(2)
                guard let close = Template.findClose(scalars) else {
                    throw ParseError(
                        message: "'{{' is not closed by '}}' (for literal braces write '\\\\{{' in a JSON5 string)"
                    )
                }
                let name = String(String.UnicodeScalarView(scalars[scalars.startIndex..<close]))
                    .trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { throw ParseError(message: "empty placeholder '{{}}'") }
                guard name.unicodeScalars.allSatisfy(Template.isNameScalar) else {
                    throw ParseError(message: "'\(name)' is not a field name (use letters, digits, '_', '-', '.')")
                }
                if !text.isEmpty { segments.append(.text(text)) }
                text = ""
                segments.append(.variable(name))
                scalars = scalars[(close + 2)...]
                continue
            }
            text.unicodeScalars.append(scalar)
            scalars = scalars.dropFirst()
        }
        if !text.isEmpty { segments.append(.text(text)) }
        self.segments = segments
    }

    /// A template with no placeholders.
    public init(literal: String) {
        self.source = literal
        self.segments = literal.isEmpty ? [] : [.text(literal)]
    }

    private static func findClose(_ scalars: ArraySlice<Unicode.Scalar>) -> Int? {
        var index = scalars.startIndex
        while index + 1 < scalars.endIndex {
            if scalars[index] == "}" && scalars[index + 1] == "}" { return index }
            index += 1
        }
        return nil
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
            || scalar == "." || scalar == " "
    }

    public var variables: [String] {
        segments.compactMap { if case .variable(let name) = $0 { name } else { nil } }
    }

    public var isLiteral: Bool { variables.isEmpty }

    /// Fills the placeholders. A placeholder whose field the sample lacks renders empty; loaders reject such
    /// suites before anything runs, so this only happens for optional fields.
    public func render(_ sample: Sample) -> String {
        render { sample.value($0)?.description }
    }

    public func render(_ lookup: (String) -> String?) -> String {
        var result = ""
        for segment in segments {
            switch segment {
            case .text(let text): result += text
            case .variable(let name): result += lookup(name) ?? ""
            }
        }
        return result
    }

    public var description: String { source }
}
