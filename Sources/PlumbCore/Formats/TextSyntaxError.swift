/// A problem at a position in a text file Plumb reads — a JSON or JSON5 syntax error, a bad JSON Lines line, a bad
/// CSV record — with the position of the offending character (or column 1 of a bad line). One type for every text
/// format, so loaders turn them into located diagnostics the same way.
///
/// `message` starts in lowercase and says what is wrong and what was expected.
public struct TextSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var position: TextPosition

    public init(_ message: String, at position: TextPosition) {
        self.message = message
        self.position = position
    }

    /// `line:column: message`.
    public var description: String {
        "\(position.line):\(position.column): \(message)"
    }
}
