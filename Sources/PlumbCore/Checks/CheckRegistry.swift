/// The checks a suite may name, built by the CLI and passed down (never a global).
public struct CheckRegistry: Sendable {
    public typealias Factory = @Sendable (CheckParameters) throws(SuiteDiagnostic) -> any Check

    public struct Entry: Sendable {
        public var kind: String
        /// One line for `plumb checks` and the docs.
        public var summary: String
        public var factory: Factory
    }

    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    public mutating func register(_ kind: String, summary: String, factory: @escaping Factory) {
        entries[kind] = Entry(kind: kind, summary: summary, factory: factory)
    }

    public var kinds: [String] { entries.keys.sorted() }

    /// Builds a check. `not-<kind>` wraps any registered kind in `NotCheck`.
    public func makeCheck(_ parameters: CheckParameters) throws(SuiteDiagnostic) -> any Check {
        let kind = parameters.kind
        if let entry = entries[kind] { return try entry.factory(parameters) }
        if kind.hasPrefix("not-"), let entry = entries[String(kind.dropFirst(4))] {
            return NotCheck(try entry.factory(parameters))
        }
        let candidates = kinds + kinds.map { "not-\($0)" }
        throw SuiteDiagnostic(
            .unknownCheck,
            "unknown check '\(kind)'" + EditDistance.hint(for: kind, among: candidates)
                + (EditDistance.suggestion(for: kind, among: candidates) == nil
                    ? " (run 'plumb checks' to list them)" : ""),
            at: parameters.location
        )
    }

    public func contains(_ kind: String) -> Bool {
        entries[kind] != nil || (kind.hasPrefix("not-") && entries[String(kind.dropFirst(4))] != nil)
    }
}
