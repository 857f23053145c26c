import Foundation
import PlumbChecks
import PlumbCore

/// `plumb checks`: the checks suites can use.
enum ChecksCommand: Subcommand {
    static let name = "checks"
    static let summary = "list the checks and classifiers a suite can use"
    static let usage = "plumb checks"
    static let options: [OptionSpec] = [.flag("--help", help: "show this help")]

    static func run(_ arguments: [String], console: Console) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: "checks")
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "List the checks a suite can name in 'checks'.",
                    options: options,
                    details:
                        "Any check can be negated with a 'not-' prefix, e.g. 'not-contains'. Docs/checks.md has details."
                )
            )
            return ExitCode.success
        }
        if let extra = parsed.positionals.first {
            throw UsageError("unexpected argument '\(extra)'", command: "checks")
        }
        let registry = CheckSetup.registry()
        let width = (registry.kinds.map(\.count).max() ?? 0) + 2
        for kind in registry.kinds {
            let summary = registry.entries[kind]?.summary ?? ""
            console.out(kind.padding(toLength: width, withPad: " ", startingAt: 0) + summary + "\n")
        }
        console.out("\nClassifiers for the 'classifier' check:\n")
        for (name, entry) in CheckSetup.classifiers().entries.sorted(by: { $0.key < $1.key }) {
            console.out(
                "  " + name.padding(toLength: max(width - 2, name.count + 2), withPad: " ", startingAt: 0)
                    + entry.summary + "\n"
            )
        }
        return ExitCode.success
    }
}
