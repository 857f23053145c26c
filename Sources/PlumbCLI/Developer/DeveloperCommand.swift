import Foundation
import PlumbCore

/// `plumb-dev`: tools for Plumb's developers, whose defaults point into a checkout (`../shared/data`, `Sources/`):
/// training the toxicity classifier and measuring its speed. Not part of `plumb`.
public enum DeveloperCommand {
    static var table: CommandTable {
        CommandTable(
            [ToxicityTrainCommand.self, ToxicityBenchCommand.self, GateSimulationCommand.self],
            path: "plumb-dev"
        )
    }

    /// Runs `plumb-dev` with `arguments` (without the program name) and returns the exit code.
    public static func run(_ arguments: [String], console: Console = .standard) async -> Int32 {
        await PlumbCommand.guarded(console: console, usageLine: { table.usageLine($0) }) {
            try await table.dispatch(
                arguments,
                console: console,
                groupSummary: "Developer tools for Plumb: train the toxicity classifier, measure its speed."
            )
        }
    }
}
