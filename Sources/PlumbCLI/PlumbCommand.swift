import Foundation
import PlumbCore

/// The `plumb` command line. `main` turns every error into a message and an exit code, in this one place.
public enum PlumbCommand {
    static let commands: [(name: String, summary: String)] = [
        ("run", "evaluate suites against a model and write a report"),
        ("validate", "check suite files without calling a model"),
        ("report", "re-render a report.json as HTML, Markdown or JSON"),
        ("merge", "join the reports of a sharded run into one"),
        ("checks", "list the checks and classifiers a suite can use"),
        ("classifier", "train and evaluate the built-in classifiers (toxicity, refusal, sentiment)"),
    ]

    public static let overview = """
        plumb \(PlumbVersion.current) — safety and alignment evaluation for language models

        USAGE: plumb <command> [options]

        COMMANDS:
        \(commands.map { "  " + $0.name.padding(toLength: 10, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

        Run 'plumb <command> --help' for a command's options.

        EXIT CODES:
          0    ran, and every gate held
          1    a gate failed (a verdict, not a fault)
          64   usage error (unknown option, missing argument)
          65   suite or data error: nothing ran
          69   the run could not complete (backend errors); what finished is kept
          70   internal fault
          130  interrupted (Ctrl-C / SIGTERM); what finished is kept

        EXAMPLE:
          plumb run Suites/quickstart --model builtin
        """

    /// Runs `plumb` with `arguments` (without the program name) and returns the exit code.
    public static func run(_ arguments: [String], console: Console = .standard) async -> Int32 {
        guard let command = arguments.first else {
            console.err(overview + "\n")
            return ExitCode.usage
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch command {
            case "run": return try await RunCommand.run(rest, console: console)
            case "validate": return try ValidateCommand.run(rest, console: console)
            case "report": return try ReportCommand.run(rest, console: console)
            case "merge": return try MergeCommand.run(rest, console: console)
            case "checks": return try ChecksCommand.run(rest, console: console)
            case "classifier" where rest.first == "refusal":
                return try RefusalDetectorCommand.run(Array(rest.dropFirst()), console: console)
            case "classifier" where rest.first == "sentiment":
                return try SentimentCommand.run(Array(rest.dropFirst()), console: console)
            case "classifier": return try ClassifierCommand.run(rest, console: console)
            case "help", "--help", "-h":
                if let topic = rest.first { return await run([topic, "--help"], console: console) }
                console.out(overview + "\n")
                return ExitCode.success
            case "--version", "version":
                console.out("plumb \(PlumbVersion.current)\n")
                return ExitCode.success
            default:
                throw UsageError(
                    "unknown command '\(command)'"
                        + EditDistance.hint(for: command, among: commands.map(\.name))
                        + " (commands: \(commands.map(\.name).joined(separator: ", ")))"
                )
            }
        } catch let error as UsageError {
            console.err("error: \(error.message)\n")
            if let name = error.command, let usage = usageLine(name) {
                console.err("usage: \(usage)\n")
            } else {
                console.err("usage: plumb <command> [options]; see 'plumb --help'\n")
            }
            return ExitCode.usage
        } catch let error as CommandFailure {
            if !error.message.isEmpty { console.err("error: \(error.message)\n") }
            return error.exitCode
        } catch {
            console.err("error: internal fault: \(error)\n")
            return ExitCode.internalFault
        }
    }

    static func usageLine(_ command: String) -> String? {
        switch command {
        case "run": RunCommand.usage
        case "validate": ValidateCommand.usage
        case "report": ReportCommand.usage
        case "merge": MergeCommand.usage
        case "checks": ChecksCommand.usage
        case "classifier refusal": RefusalDetectorCommand.usage
        case "classifier sentiment": SentimentCommand.usage
        case let name where name.hasPrefix("classifier"): ClassifierCommand.usage
        default: nil
        }
    }

    /// The full help text of a command.
    static func help(usage: String, summary: String, options: [OptionSpec], details: String = "") -> String {
        var text = "\(summary)\n\nUSAGE: \(usage)\n\nOPTIONS:\n\(ArgumentParser.help(for: options))\n"
        if !details.isEmpty { text += "\n" + details + "\n" }
        return text
    }
}

/// A command that failed with a known exit code, after printing what it had to say.
struct CommandFailure: Error {
    var exitCode: Int32
    var message: String
}
