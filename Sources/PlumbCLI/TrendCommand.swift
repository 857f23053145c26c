import Foundation
import PlumbCore
import PlumbMetrics
import PlumbReports

/// `plumb trend DIR`: each metric over a directory of runs (nightly runs), with the nights it moved flagged.
enum TrendCommand: Subcommand {
    static let name = "trend"
    static let summary = "show each metric over a directory of runs, flagging the runs where it moved"
    static let usage = "plumb trend <dir> [--format table|json] [--resamples N]"
    static let options: [OptionSpec] = [
        .value("--format", "FORMAT", help: "table (default) or json"),
        .value("--resamples", "N", help: "paired bootstrap resamples per comparison (default 1000, seed 1)"),
        .flag("--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: Console) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: name)
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "Show each suite's metrics over the runs in a directory, oldest first.",
                    options: options,
                    details: """
                        DIR holds run directories (each with a report.json, as plumb run --out writes them) or
                        report .json files. Runs are ordered by start time. Each run is compared with the one
                        before it as 'plumb compare' does (paired, Holm-adjusted): ▲ or ▼ marks a metric that moved
                        significantly better or worse, ≠ a run whose suites changed so it could not be compared.
                        Each value shows its 95% interval: Wilson's for the pass rate, a bootstrap over the run's
                        samples otherwise. Exit 0, or 65 when DIR holds no readable run.
                        """
                )
            )
            return ExitCode.success
        }
        guard parsed.positionals.count == 1 else { throw UsageError("give one directory of runs", command: name) }
        let format = try parsed.choice("--format", among: ["table", "json"], default: "table", command: name)
        let resamples = try parsed.int("--resamples", in: 100...100_000, command: name) ?? 1_000
        let directory = parsed.positionals[0]
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandFailure(exitCode: ExitCode.dataError, message: "'\(directory)' is not a directory of runs")
        }
        var reports: [(report: RunReport, label: String)] = []
        for entry in ((try? manager.contentsOfDirectory(atPath: directory)) ?? []).sorted() {
            let path = (directory as NSString).appendingPathComponent(entry)
            var entryIsDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &entryIsDirectory) else { continue }
            let report =
                entryIsDirectory.boolValue ? (path as NSString).appendingPathComponent("report.json") : path
            let isRun = entryIsDirectory.boolValue ? manager.fileExists(atPath: report) : entry.hasSuffix(".json")
            guard isRun else { continue }
            let label = entryIsDirectory.boolValue ? entry : (entry as NSString).deletingPathExtension
            reports.append((try ReportLocation.read(report), label))
        }
        guard !reports.isEmpty else {
            throw CommandFailure(
                exitCode: ExitCode.dataError,
                message: "'\(directory)' holds no run (a directory with a report.json, or a report .json file)"
            )
        }
        let trend = Trend.build(reports, bootstrap: Bootstrap(resamples: resamples))
        if format == "json" {
            console.out(String(decoding: try RunReport.jsonEncoder().encode(trend), as: UTF8.self) + "\n")
        } else {
            console.out(trend.renderSummary())
        }
        return ExitCode.success
    }
}
