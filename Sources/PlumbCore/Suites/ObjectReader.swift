/// Collects diagnostics while a loader walks nested objects.
final class DiagnosticSink {
    var diagnostics: [SuiteDiagnostic] = []

    func add(_ code: SuiteDiagnostic.Code, _ message: String, at location: SourceLocation) {
        diagnostics.append(SuiteDiagnostic(code, message, at: location))
    }

    func add(_ diagnostic: SuiteDiagnostic) { diagnostics.append(diagnostic) }
}

/// Reads the members of one JSON5 object with located, typed accessors and reports keys nobody asked for.
final class ObjectReader {
    let file: String
    /// What the object is, for messages: "suite", "prompt", "gate" …
    let context: String
    let node: JSON5Node
    let sink: DiagnosticSink
    private(set) var members: [JSON5Node.Member] = []
    private var asked: Set<String> = []

    /// Nil (with a diagnostic) when `node` is not an object.
    init?(_ node: JSON5Node, file: String, context: String, sink: DiagnosticSink) {
        self.file = file
        self.context = context
        self.node = node
        self.sink = sink
        guard case .object(let members) = node.value else {
            sink.add(.wrongType, "\(context) must be an object, found \(node.kindName)", at: node.position.in(file))
            return nil
        }
        var seen: [String: TextPosition] = [:]
        for member in members {
            if let first = seen[member.key] {
                sink.add(
                    .duplicateID,
                    "duplicate key '\(member.key)' in \(context) (first at line \(first.line))",
                    at: member.keyPosition.in(file)
                )
            }
            seen[member.key] = member.keyPosition
        }
        self.members = members
    }

    var location: SourceLocation { node.position.in(file) }

    func member(_ key: String) -> JSON5Node.Member? {
        asked.insert(key)
        return members.last { $0.key == key }
    }

    func node(_ key: String) -> JSON5Node? { member(key)?.value }

    func wrongType(_ key: String, _ node: JSON5Node, _ expected: String) {
        sink.add(
            .wrongType,
            "'\(key)' in \(context) must be \(expected), found \(node.kindName)",
            at: node.position.in(file)
        )
    }

    func missing(_ key: String, _ hint: String) {
        sink.add(.missingField, "\(context) needs '\(key)' (\(hint))", at: location)
    }

    func string(_ key: String, required hint: String? = nil) -> String? {
        guard let node = node(key) else {
            if let hint { missing(key, hint) }
            return nil
        }
        guard case .string(let value) = node.value else {
            wrongType(key, node, "a string")
            return nil
        }
        return value
    }

    func double(_ key: String, in range: ClosedRange<Double>? = nil) -> Double? {
        guard let node = node(key) else { return nil }
        guard case .number(let value, _) = node.value, value.isFinite else {
            wrongType(key, node, "a finite number")
            return nil
        }
        if let range, !range.contains(value) {
            sink.add(
                .invalidValue,
                "'\(key)' in \(context) must be between \(NumberText.text(range.lowerBound)) and "
                    + "\(NumberText.text(range.upperBound)), found \(NumberText.text(value))",
                at: node.position.in(file)
            )
            return nil
        }
        return value
    }

    func int(_ key: String, min: Int? = nil) -> Int? {
        guard let node = node(key) else { return nil }
        guard case .number(let value, _) = node.value, value.rounded() == value, abs(value) < 1e15 else {
            wrongType(key, node, "a whole number")
            return nil
        }
        if let min, Int(value) < min {
            sink.add(
                .invalidValue,
                "'\(key)' in \(context) must be at least \(min), found \(Int(value))",
                at: node.position.in(file)
            )
            return nil
        }
        return Int(value)
    }

    func uint64(_ key: String) -> UInt64? {
        guard let node = node(key) else { return nil }
        guard case .number(let number, let raw) = node.value,
            let value = UInt64(raw)
                ?? (number >= 0 && number < 1.8e19 && number.rounded() == number ? UInt64(number) : nil)
        else {
            wrongType(key, node, "a whole number from 0 to 18446744073709551615")
            return nil
        }
        return value
    }

    func bool(_ key: String) -> Bool? {
        guard let node = node(key) else { return nil }
        guard case .bool(let value) = node.value else {
            wrongType(key, node, "true or false")
            return nil
        }
        return value
    }

    func strings(_ key: String) -> [String]? {
        guard let node = node(key) else { return nil }
        switch node.value {
        case .string(let value): return [value]
        case .array(let elements):
            var result: [String] = []
            for element in elements {
                guard case .string(let value) = element.value else {
                    wrongType(key, element, "a string")
                    continue
                }
                result.append(value)
            }
            return result
        default:
            wrongType(key, node, "a string or an array of strings")
            return nil
        }
    }

    func array(_ key: String) -> [JSON5Node]? {
        guard let node = node(key) else { return nil }
        guard case .array(let elements) = node.value else {
            wrongType(key, node, "an array")
            return nil
        }
        return elements
    }

    /// Reports members that no accessor asked for, with a suggestion among the known keys.
    func reportUnknownKeys(known: [String] = []) {
        let knownKeys = asked.union(known)
        for member in members where !knownKeys.contains(member.key) {
            sink.add(
                .unknownKey,
                "unknown key '\(member.key)' in \(context)"
                    + EditDistance.hint(for: member.key, among: knownKeys.sorted()),
                at: member.keyPosition.in(file)
            )
        }
    }
}
