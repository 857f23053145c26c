/// The parameters of one check as written in a suite file, with typed accessors that report
/// mistakes at the value's line and column. Accessors remember which keys a check knows, so
/// `unknownKeys()` can flag typos.
public final class CheckParameters {
    public let kind: String
    public let file: String
    public let position: TextPosition
    public private(set) var members: [JSON5Node.Member]
    public private(set) var knownKeys: Set<String> = []
    /// Fields of the sample that templated parameters refer to, with where they were written.
    public private(set) var referencedFields: [(name: String, location: SourceLocation)] = []

    public init(kind: String, file: String, position: TextPosition, members: [JSON5Node.Member]) {
        self.kind = kind
        self.file = file
        self.position = position
        self.members = members
    }

    public var location: SourceLocation { position.in(file) }

    public func node(_ key: String) -> JSON5Node? {
        knownKeys.insert(key)
        return members.last { $0.key == key }?.value
    }

    public func has(_ key: String) -> Bool { node(key) != nil }

    func wrongType(_ key: String, _ node: JSON5Node, expected: String) -> SuiteDiagnostic {
        SuiteDiagnostic(
            .wrongType,
            "'\(key)' of check '\(kind)' must be \(expected), found \(node.kindName)",
            at: node.position.in(file)
        )
    }

    public func invalid(_ key: String, _ message: String) -> SuiteDiagnostic {
        let position = members.last { $0.key == key }?.value.position ?? self.position
        return SuiteDiagnostic(.invalidValue, "'\(key)' of check '\(kind)': \(message)", at: position.in(file))
    }

    public func missing(_ key: String, _ what: String) -> SuiteDiagnostic {
        SuiteDiagnostic(.missingField, "check '\(kind)' needs '\(key)' (\(what))", at: location)
    }

    public func string(_ key: String) throws(SuiteDiagnostic) -> String? {
        guard let node = node(key) else { return nil }
        guard case .string(let value) = node.value else { throw wrongType(key, node, expected: "a string") }
        return value
    }

    public func requiredString(_ key: String, _ what: String) throws(SuiteDiagnostic) -> String {
        guard let value = try string(key) else { throw missing(key, what) }
        return value
    }

    /// A string that may hold `{{field}}` placeholders filled from each sample.
    public func template(_ key: String) throws(SuiteDiagnostic) -> Template? {
        guard let node = node(key) else { return nil }
        let text: String
        switch node.value {
        case .string(let value): text = value
        case .number(_, let raw): text = raw
        case .bool(let value): text = value ? "true" : "false"
        default: throw wrongType(key, node, expected: "a string")
        }
        return try parseTemplate(text, key: key, at: node.position)
    }

    public func requiredTemplate(_ key: String, _ what: String) throws(SuiteDiagnostic) -> Template {
        guard let value = try template(key) else { throw missing(key, what) }
        return value
    }

    /// One string or an array of strings, each a template.
    public func templates(_ key: String) throws(SuiteDiagnostic) -> [Template]? {
        guard let node = node(key) else { return nil }
        switch node.value {
        case .string(let value):
            return [try parseTemplate(value, key: key, at: node.position)]
        case .array(let elements):
            var result: [Template] = []
            for element in elements {
                guard case .string(let value) = element.value else {
                    throw wrongType(key, element, expected: "a string")
                }
                result.append(try parseTemplate(value, key: key, at: element.position))
            }
            return result
        default:
            throw wrongType(key, node, expected: "a string or an array of strings")
        }
    }

    private func parseTemplate(_ text: String, key: String, at position: TextPosition) throws(SuiteDiagnostic)
        -> Template
    {
        do {
            let template = try Template(parsing: text)
            for name in template.variables { referencedFields.append((name, position.in(file))) }
            return template
        } catch {
            throw SuiteDiagnostic(.invalidValue, "'\(key)' of check '\(kind)': \(error.message)", at: position.in(file))
        }
    }

    public func strings(_ key: String) throws(SuiteDiagnostic) -> [String]? {
        guard let node = node(key) else { return nil }
        switch node.value {
        case .string(let value): return [value]
        case .array(let elements):
            var result: [String] = []
            for element in elements {
                guard case .string(let value) = element.value else {
                    throw wrongType(key, element, expected: "a string")
                }
                result.append(value)
            }
            return result
        default: throw wrongType(key, node, expected: "a string or an array of strings")
        }
    }

    public func double(_ key: String) throws(SuiteDiagnostic) -> Double? {
        guard let node = node(key) else { return nil }
        guard case .number(let value, _) = node.value, value.isFinite else {
            throw wrongType(key, node, expected: "a finite number")
        }
        return value
    }

    public func int(_ key: String) throws(SuiteDiagnostic) -> Int? {
        guard let node = node(key) else { return nil }
        guard case .number(let value, _) = node.value, value.rounded() == value, abs(value) < 1e15 else {
            throw wrongType(key, node, expected: "a whole number")
        }
        return Int(value)
    }

    public func bool(_ key: String) throws(SuiteDiagnostic) -> Bool? {
        guard let node = node(key) else { return nil }
        guard case .bool(let value) = node.value else { throw wrongType(key, node, expected: "true or false") }
        return value
    }

    /// A number in 0...1 (thresholds, probabilities).
    public func fraction(_ key: String) throws(SuiteDiagnostic) -> Double? {
        guard let value = try double(key) else { return nil }
        guard (0...1).contains(value) else { throw invalid(key, "must be between 0 and 1, found \(value)") }
        return value
    }

    /// Diagnostics for keys no accessor asked for: typos must not pass silently.
    public func unknownKeys(ignoring reserved: Set<String> = []) -> [SuiteDiagnostic] {
        let known = knownKeys.union(reserved)
        return members.filter { !known.contains($0.key) }.map { member in
            SuiteDiagnostic(
                .unknownKey,
                "unknown parameter '\(member.key)' for check '\(kind)'"
                    + EditDistance.hint(for: member.key, among: knownKeys.sorted()),
                at: member.keyPosition.in(file)
            )
        }
    }
}
