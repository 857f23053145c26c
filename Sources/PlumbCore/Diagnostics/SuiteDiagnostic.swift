/// A problem in a suite, samples or config file, printed like a compiler diagnostic:
/// `Suites/refusal.suite.json5:14:9: error: unknown check 'contians'; did you mean 'contains'? [unknownCheck]`
public struct SuiteDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let syntax = Code("syntax")
        public static let invalidEncoding = Code("invalidEncoding")
        public static let malformedRecord = Code("malformedRecord")
        public static let missingField = Code("missingField")
        public static let unknownKey = Code("unknownKey")
        public static let wrongType = Code("wrongType")
        public static let invalidValue = Code("invalidValue")
        public static let unknownCheck = Code("unknownCheck")
        public static let unknownVariable = Code("unknownVariable")
        public static let duplicateID = Code("duplicateID")
        public static let missingFile = Code("missingFile")
        public static let tooLarge = Code("tooLarge")
        public static let empty = Code("empty")
        public static let invalidRegex = Code("invalidRegex")
        public static let unsupported = Code("unsupported")
    }

    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning, note
    }

    public var code: Code
    public var severity: Severity
    public var message: String
    public var location: SourceLocation

    public init(_ code: Code, _ message: String, at location: SourceLocation, severity: Severity = .error) {
        self.code = code
        self.message = message
        self.location = location
        self.severity = severity
    }

    public var description: String {
        "\(location): \(severity.rawValue): \(message) [\(code)]"
    }
}

/// Several diagnostics thrown together, so a loader can report every problem in a file at once.
public struct SuiteDiagnostics: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [SuiteDiagnostic]

    public init(_ diagnostics: [SuiteDiagnostic]) {
        self.diagnostics = diagnostics.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while loading; throw them all at the end.
public struct DiagnosticCollector: Sendable {
    public private(set) var diagnostics: [SuiteDiagnostic] = []

    public init() {}

    public mutating func add(_ diagnostic: SuiteDiagnostic) { diagnostics.append(diagnostic) }

    public mutating func add(_ code: SuiteDiagnostic.Code, _ message: String, at location: SourceLocation) {
        diagnostics.append(SuiteDiagnostic(code, message, at: location))
    }

    public mutating func add(contentsOf other: [SuiteDiagnostic]) { diagnostics.append(contentsOf: other) }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Runs `body`, turning any diagnostic it throws into a collected one.
    @discardableResult
    public mutating func capture<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let diagnostic as SuiteDiagnostic {
            add(diagnostic)
        } catch let many as SuiteDiagnostics {
            add(contentsOf: many.diagnostics)
        } catch {
            add(.invalidValue, "\(error)", at: SourceLocation(file: "<unknown>", line: 0))
        }
        return nil
    }

    public func throwIfErrors() throws(SuiteDiagnostics) {
        if hasErrors { throw SuiteDiagnostics(diagnostics) }
    }
}
