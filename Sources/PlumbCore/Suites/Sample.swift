/// One record of a suite: an id, the fields its templates and checks refer to, and optional tags.
public struct Sample: Sendable, Hashable {
    public var id: String
    public var fields: [String: JSONValue]
    /// Labels that metrics are broken down by (`harmful`, `benign`, a category …).
    public var tags: [String]
    public var location: SourceLocation

    public init(id: String, fields: [String: JSONValue], tags: [String] = [], location: SourceLocation) {
        self.id = id
        self.fields = fields
        self.tags = tags
        self.location = location
    }

    /// A field's value; `id` and `tags` are fields too. `a.b` reads field `b` of an object field `a` (a `pairs`
    /// slot value such as `{{pronoun.subj}}`) when there is no field named `a.b`.
    public func value(_ field: String) -> JSONValue? {
        if let value = fields[field] { return value }
        if let dot = field.firstIndex(of: "."), case .object(let object)? = fields[String(field[..<dot])] {
            return object[String(field[field.index(after: dot)...])]
        }
        if field == "id" { return .string(id) }
        if field == "tags" { return .array(tags.map { .string($0) }) }
        return nil
    }
}
