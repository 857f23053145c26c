import Foundation
import PlumbCore

/// The `plumb` command line. `main` turns every error into a message and an exit code, in this one place.
public enum PlumbCommand {
    /// Every command: help, usage lines, did-you-mean and dispatch all come from this table.
    static var table: CommandTable {
        CommandTable(
            [
                RunCommand.self, ValidateCommand.self, ReportCommand.self, MergeCommand.self, ChecksCommand.self,
                ClassifierCommand.self, ImportCommand.self, CompareCommand.self, BaselineCommand.self,
                TrendCommand.self,
            ],
            path: "plumb"
        )
    }

    public static let overview = """
        plumb \(PlumbVersion.current) — safety and alignment evaluation for language models

        USAGE: plumb <command> [options]

        COMMANDS:
        \(table.listing)

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
        // A write to a closed pipe or socket (a backend or server that went away, a reader of stdout that quit)
        // must fail with EPIPE where it happens, never kill the run before it writes what it finished.
        signal(SIGPIPE, SIG_IGN)
        guard let command = arguments.first else {
            console.err(overview + "\n")
            return ExitCode.usage
        }
        let rest = Array(arguments.dropFirst())
        return await guarded(console: console, usageLine: { table.usageLine($0) }) {
            switch command {
            case "help", "--help", "-h":
                if let topic = rest.first { return await run([topic, "--help"], console: console) }
                console.out(overview + "\n")
                return ExitCode.success
            case "--version", "version":
                console.out("plumb \(PlumbVersion.current)\n")
                return ExitCode.success
            default:
                guard let found = table.command(named: command) else {
                    throw UsageError(
                        "unknown command '\(command)'" + EditDistance.hint(for: command, among: table.names)
                            + " (commands: \(table.names.joined(separator: ", ")))"
                    )
                }
                return try await found.run(rest, console: console)
            }
        }
    }

    /// Runs `body` and turns every error into a message on stderr and an exit code — the one place this happens.
    static func guarded(
        console: Console,
        usageLine: (String) -> String?,
        _ body: () async throws -> Int32
    ) async -> Int32 {
        do {
            return try await body()
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
