import Foundation
import PlumbReports

/// `plumb merge SHARD-REPORT... --out DIR`: joins shard reports into the report of the whole run.
enum MergeCommand: Subcommand {
    static let name = "merge"
    static let summary = "join the reports of a sharded run into one"
    static let usage = "plumb merge <shard-report.json>... --out <dir> [--format table|json|md|none]"
    static let options: [OptionSpec] = [
        .value("--out", "DIR", help: "where to write the merged report.json and report.html (required)"),
        .value("--format", "FORMAT", help: "what to print on stdout: table (default), json, md, none"),
        .flag("--overwrite", help: "replace a report already in --out"),
        .flag("--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: Console) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: "merge")
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "Join the reports of the shards of one run (plumb run --shard I/N) into one report.",
                    options: options,
                    details: """
                        Every shard must be given once, all of the same suites, model and error budget. Metrics, gates
                        and corrected rates are computed again over all items. The exit code is the merged run's
                        verdict: 0 gates held, 1 a gate failed, 69 items erred beyond the recorded error budget (or a
                        shard was aborted), 130 a shard was interrupted, 65 the reports do not fit together.
                        Docs/sharding.md shows how a CI matrix, a Kubernetes indexed job or a Slurm array runs shards.
                        """
                )
            )
            return ExitCode.success
        }
        guard !parsed.positionals.isEmpty else { throw UsageError("give the shard reports to merge", command: "merge") }
        guard let out = parsed.value("--out") else { throw UsageError("--out is required", command: "merge") }
        let format = try parsed.choice(
            "--format",
            among: ["table", "json", "md", "none"],
            default: "table",
            command: "merge"
        )
        let reportPath = out + "/report.json"
        if FileManager.default.fileExists(atPath: reportPath) && !parsed.flag("--overwrite") {
            throw UsageError(
                "'\(reportPath)' already exists; choose another --out or pass --overwrite",
                command: "merge"
            )
        }
        let reports = try parsed.positionals.map(ReportLocation.read)
        let merged: RunReport
        do {
            merged = try RunReport.merge(reports)
        } catch {
            throw CommandFailure(exitCode: ExitCode.dataError, message: "cannot merge: \(error)")
        }
        do {
            try FileOutput.createDirectory(out)
            try merged.writeJSON(toFile: reportPath)
            try FileOutput.writeAtomically(merged.renderHTML(), to: out + "/report.html")
        } catch {
            throw CommandFailure(exitCode: ExitCode.cannotCreate, message: "cannot write to '\(out)': \(error)")
        }
        switch format {
        case "json": console.out(String(decoding: try merged.jsonData(), as: UTF8.self) + "\n")
        case "md": console.out(merged.renderMarkdown())
        case "none": break
        default: console.out(merged.renderSummary())
        }
        console.err("plumb: merged \(reports.count) shards (\(merged.items.count) items) into \(reportPath)\n")
        return ExitCode.of(merged.verdict)
    }
}
