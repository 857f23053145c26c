import PlumbCore

/// A usage mistake on the command line: printed as `error: …` plus the command's usage line; exit 64.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var command: String?

    public init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    public var description: String { message }
}

/// One option a command accepts.
public struct OptionSpec: Sendable {
    public enum Kind: Sendable { case flag, value, repeatable }

    public var name: String
    public var kind: Kind
    public var valueName: String
    public var help: String

    public static func flag(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .flag, valueName: "", help: help)
    }

    public static func value(_ name: String, _ valueName: String, help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .value, valueName: valueName, help: help)
    }

    public static func repeatable(_ name: String, _ valueName: String, help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .repeatable, valueName: valueName, help: help)
    }
}

/// Parsed command-line arguments: options by name, flags, and positional arguments in order.
public struct ParsedArguments: Sendable {
    public var values: [String: [String]] = [:]
    public var flags: Set<String> = []
    public var positionals: [String] = []

    public func value(_ name: String) -> String? { values[name]?.last }
    public func all(_ name: String) -> [String] { values[name] ?? [] }
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// An option's value as a whole number in `range`.
    /// The value of `name` when it is one of `choices` (`default` when the option is absent), or a usage error that
    /// lists them: `--format takes table, json or md, not 'x'`.
    public func choice(_ name: String, among choices: [String], default fallback: String, command: String)
        throws(UsageError) -> String
    {
        let text = value(name) ?? fallback
        guard choices.contains(text) else {
            let list = choices.dropLast().joined(separator: ", ") + " or " + (choices.last ?? "")
            throw UsageError("\(name) takes \(list), not '\(text)'", command: command)
        }
        return text
    }

    public func int(_ name: String, in range: ClosedRange<Int>, command: String) throws(UsageError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError(
                "\(name) takes a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'",
                command: command
            )
        }
        return number
    }
}

/// The hand-written argument parser: `--name value`, `--name=value`, flags, `--` to end options.
public enum ArgumentParser {
    public static func parse(_ arguments: [String], options: [OptionSpec], command: String) throws(UsageError)
        -> ParsedArguments
    {
        var result = ParsedArguments()
        var index = 0
        let byName = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                result.positionals.append(contentsOf: arguments[index...])
                break
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                result.positionals.append(argument)
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard let spec = byName[name] else {
                throw UsageError(
                    "unknown option '\(name)'" + EditDistance.hint(for: name, among: byName.keys.sorted())
                        + " (see 'plumb \(command) --help')",
                    command: command
                )
            }
            switch spec.kind {
            case .flag:
                if inlineValue != nil { throw UsageError("\(name) takes no value", command: command) }
                result.flags.insert(name)
            case .value, .repeatable:
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else {
                        throw UsageError("\(name) needs a value (\(spec.valueName))", command: command)
                    }
                    value = arguments[index]
                    index += 1
                }
                if spec.kind == .value, result.values[name] != nil {
                    throw UsageError("\(name) given twice", command: command)
                }
                result.values[name, default: []].append(value)
            }
        }
        return result
    }

    /// The OPTIONS part of a command's help.
    public static func help(for options: [OptionSpec]) -> String {
        let rows = options.map { spec -> (String, String) in
            let left = spec.kind == .flag ? spec.name : "\(spec.name) \(spec.valueName)"
            return (left, spec.help)
        }
        let width = min(28, (rows.map(\.0.count).max() ?? 0) + 2)
        return rows.map { left, help in
            let padded =
                left.count >= width
                ? left + "\n" + String(repeating: " ", count: width + 2)
                : left
                    + String(repeating: " ", count: width - left.count)
            return "  " + padded + help
        }.joined(separator: "\n")
    }
}
