import Foundation
import PlumbCore

/// One command of a command line (`run`, `classifier refusal` …), in the shape of swift-argument-parser's
/// `CommandConfiguration`: the table of these is the one source of help, usage lines, did-you-mean and dispatch.
protocol Subcommand {
    /// The word that names it (`run`, `refusal`).
    static var name: String { get }
    /// One line for the command list.
    static var summary: String { get }
    /// The usage line, printed after a usage error.
    static var usage: String { get }
    /// Commands below this one (`classifier` → `eval`, `refusal`, `sentiment`); empty for a leaf.
    static var subcommands: [any Subcommand.Type] { get }
    /// Runs the command with the arguments after its name; returns the exit code.
    static func run(_ arguments: [String], console: Console) async throws -> Int32
}

extension Subcommand {
    static var subcommands: [any Subcommand.Type] { [] }

    /// A group's own run: dispatch to the subcommand named by the first argument, or print the group's help.
    static func dispatch(_ arguments: [String], path: String, console: Console) async throws -> Int32 {
        try await CommandTable(subcommands, path: path).dispatch(arguments, console: console, groupSummary: summary)
    }
}

/// Dispatch, help and usage lines for a list of commands under one path (`plumb`, `plumb classifier`).
struct CommandTable {
    var commands: [any Subcommand.Type]
    /// The words before these commands: `plumb`, `plumb classifier`.
    var path: String

    init(_ commands: [any Subcommand.Type], path: String) {
        self.commands = commands
        self.path = path
    }

    var names: [String] { commands.map { $0.name } }

    func command(named name: String) -> (any Subcommand.Type)? { commands.first { $0.name == name } }

    /// The command list for help: two spaces, the name padded, the summary.
    var listing: String {
        let width = (names.map(\.count).max() ?? 0) + 2
        return commands.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + $0.summary }
            .joined(separator: "\n")
    }

    /// The usage line of the command at `commandPath` (words after `plumb`, such as `classifier refusal`).
    func usageLine(_ commandPath: String) -> String? {
        var table = self
        var found: (any Subcommand.Type)?
        for word in commandPath.split(separator: " ").map(String.init) {
            guard let next = table.command(named: word) else { return found?.usage }
            found = next
            table = CommandTable(next.subcommands, path: table.path + " " + word)
        }
        return found?.usage
    }

    /// Runs the command the first argument names.
    func dispatch(_ arguments: [String], console: Console, groupSummary: String) async throws -> Int32 {
        let group = path.split(separator: " ").dropFirst().joined(separator: " ")
        guard let word = arguments.first else {
            throw UsageError("give a subcommand: \(names.joined(separator: ", "))", command: group)
        }
        if ["--help", "-h", "help"].contains(word) {
            console.out(
                """
                \(groupSummary)

                USAGE: \(path) <subcommand> [options]

                SUBCOMMANDS:
                \(listing)

                Run '\(path) <subcommand> --help' for its options.

                """
            )
            return ExitCode.success
        }
        guard let command = command(named: word) else {
            throw UsageError(
                "unknown subcommand '\(word)'" + EditDistance.hint(for: word, among: names)
                    + " (subcommands: \(names.joined(separator: ", ")))",
                command: group
            )
        }
        return try await command.run(Array(arguments.dropFirst()), console: console)
    }
}
