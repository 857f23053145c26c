import Foundation
import PlumbCore
import PlumbMetrics
import PlumbReports

/// `plumb-dev gate-simulation`: the regression gate's false-alarm rate and power by simulation, at the scale the
/// numbers in Docs/metrics.md were measured at.
enum GateSimulationCommand: Subcommand {
    static let name = "gate-simulation"
    static let summary = "measure the regression gate's false-alarm rate and power by simulation"
    static let usage = "plumb-dev gate-simulation [--runs N] [--resamples N]"
    static let options: [OptionSpec] = [
        .value("--runs", "N", help: "simulated pairs of runs per cell (default 1000)"),
        .value("--resamples", "N", help: "bootstrap resamples per comparison (default 1000)"),
        .flag("--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: Console) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: name)
        if parsed.flag("--help") {
            console.out(PlumbCommand.help(usage: usage, summary: summary, options: options, details: ""))
            return ExitCode.success
        }
        let runs = try parsed.int("--runs", in: 10...100_000, command: name) ?? 1_000
        let resamples = try parsed.int("--resamples", in: 100...100_000, command: name) ?? 1_000
        console.out("baseline pass rate 0.90, 11% of items discordant, gate maxDrop: 0.02; \(runs) runs per cell\n")
        var table = TextTable(header: ["n", "true drop 0", "0.02 (false alarms)", "0.03", "0.05", "0.10"])
        table.rightAligned = Set(0..<6)
        for n in [100, 250, 500, 1_000, 2_000] {
            var row = [String(n)]
            for drop in [0, 0.02, 0.03, 0.05, 0.10] {
                let rate = GateSimulation.failureRate(n: n, drop: drop, margin: 0.02, runs: runs, resamples: resamples)
                row.append(String(format: "%.1f%%", rate * 100))
            }
            table.rows.append(row)
            console.err("plumb-dev: n = \(n) done\n")
        }
        console.out(table.render() + "\n(the share of runs in which the gate failed)\n")
        return ExitCode.success
    }
}
