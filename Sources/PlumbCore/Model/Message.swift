/// One turn of a conversation sent to a model.
public struct Message: Sendable, Hashable, Codable {
    public struct Role: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
        public var description: String { rawValue }

        public static let system = Role(rawValue: "system")
        public static let user = Role(rawValue: "user")
        public static let assistant = Role(rawValue: "assistant")
        public static let all: [Role] = [.system, .user, .assistant]
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}
