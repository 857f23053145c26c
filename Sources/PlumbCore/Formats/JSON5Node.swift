/// A JSON5 (or JSON) value together with where it was written, so loaders can say `file:line:column`
/// for any key or value they reject.
public struct JSON5Node: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var keyPosition: TextPosition
        public var value: JSON5Node

        public init(key: String, keyPosition: TextPosition, value: JSON5Node) {
            self.key = key
            self.keyPosition = keyPosition
            self.value = value
        }
    }

    public enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        /// A number, with the text it was written as (so integers beyond 2^53 survive).
        case number(Double, raw: String)
        case string(String)
        case array([JSON5Node])
        /// Members in the order written; duplicates are kept so a loader can report them.
        case object([Member])
    }

    public var value: Value
    public var position: TextPosition

    public init(_ value: Value, at position: TextPosition) {
        self.value = value
        self.position = position
    }

    /// A short name for the kind of value, for messages such as "expected a string, found a number".
    public var kindName: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value without positions.
    public var plain: JSONValue {
        switch value {
        case .null: .null
        case .bool(let value): .bool(value)
        case .number(let value, _): .number(value)
        case .string(let value): .string(value)
        case .array(let values): .array(values.map(\.plain))
        case .object(let members):
            .object(Dictionary(members.map { ($0.key, $0.value.plain) }, uniquingKeysWith: { _, last in last }))
        }
    }
}
