import Foundation
import PlumbCore
import PlumbReports

/// `plumb baseline bless RUN --as NAME` and `plumb baseline list`: reports kept under `Reports/baselines/NAME/`
/// for committing beside the suites, so CI compares against them by name.
enum BaselineCommand: Subcommand {
    static let name = "baseline"
    static let summary = "keep a run as a named baseline to compare against (bless, list)"
    static let usage = "plumb baseline <bless|list> [options]"
    static var subcommands: [any Subcommand.Type] { [BlessCommand.self, ListCommand.self] }

    static func run(_ arguments: [String], console: Console) async throws -> Int32 {
        try await dispatch(arguments, path: "plumb baseline", console: console)
    }

    enum BlessCommand: Subcommand {
        static let name = "bless"
        static let summary = "store a compact copy of a run's report as a named baseline"
        static let usage = "plumb baseline bless <report.json|run-dir> --as NAME [--dir DIR] [--overwrite]"
        static let options: [OptionSpec] = [
            .value("--as", "NAME", help: "the baseline's name: lowercase letters, digits and '-'"),
            .value("--dir", "DIR", help: "where baselines are kept (default Reports/baselines)"),
            .flag("--overwrite", help: "replace a baseline of the same name"),
            .flag("--help", help: "show this help"),
        ]

        static func run(_ arguments: [String], console: Console) throws -> Int32 {
            let parsed = try ArgumentParser.parse(arguments, options: options, command: "baseline bless")
            if parsed.flag("--help") {
                console.out(
                    PlumbCommand.help(
                        usage: usage,
                        summary: "Keep a run as a baseline: DIR/NAME/report.json, for committing to the repository.",
                        options: options,
                        details: """
                            The copy is compact: each item keeps its id, sample, tags, outcome, checks and output
                            (what a comparison reads), not the prompt it was asked with. Compare against it with
                            'plumb compare NAME RUN' or 'plumb run ... --baseline NAME'.
                            """
                    )
                )
                return ExitCode.success
            }
            guard parsed.positionals.count == 1 else {
                throw UsageError("give the run to bless (a report.json or a run directory)", command: "baseline bless")
            }
            guard let baselineName = parsed.value("--as") else {
                throw UsageError("give the baseline's name with --as NAME", command: "baseline bless")
            }
            guard !baselineName.isEmpty, ImportSupport.slug(baselineName) == baselineName else {
                throw UsageError(
                    "a baseline name takes lowercase letters, digits and '-' (at most 60), not '\(baselineName)'",
                    command: "baseline bless"
                )
            }
            let directory = parsed.value("--dir") ?? ReportLocation.baselinesDirectory
            let (report, path) = try ReportLocation.load(parsed.positionals[0], baselines: directory)
            guard report.status == .completed else {
                throw CommandFailure(
                    exitCode: ExitCode.dataError,
                    message: "\(path): the run was \(report.status.rawValue); bless a run that completed"
                )
            }
            let target = (directory as NSString).appendingPathComponent(baselineName + "/report.json")
            if FileManager.default.fileExists(atPath: target), !parsed.flag("--overwrite") {
                throw UsageError(
                    "baseline '\(baselineName)' exists; pass --overwrite to replace it",
                    command: "baseline bless"
                )
            }
            do {
                try FileOutput.createDirectory((target as NSString).deletingLastPathComponent)
                try report.compacted().writeJSON(toFile: target)
            } catch {
                throw CommandFailure(exitCode: ExitCode.cannotCreate, message: "cannot write '\(target)': \(error)")
            }
            console.out(
                "blessed \(path) as baseline '\(baselineName)': \(target) (\(report.items.count) items, model "
                    + "\(report.backend), run \(report.runID))\n"
            )
            return ExitCode.success
        }
    }

    enum ListCommand: Subcommand {
        static let name = "list"
        static let summary = "list the baselines"
        static let usage = "plumb baseline list [--dir DIR]"
        static let options: [OptionSpec] = [
            .value("--dir", "DIR", help: "where baselines are kept (default Reports/baselines)"),
            .flag("--help", help: "show this help"),
        ]

        static func run(_ arguments: [String], console: Console) throws -> Int32 {
            let parsed = try ArgumentParser.parse(arguments, options: options, command: "baseline list")
            if parsed.flag("--help") {
                console.out(PlumbCommand.help(usage: usage, summary: summary, options: options, details: ""))
                return ExitCode.success
            }
            let directory = parsed.value("--dir") ?? ReportLocation.baselinesDirectory
            let names = ReportLocation.baselineNames(in: directory)
            guard !names.isEmpty else {
                console.out("no baselines in \(directory)/ (plumb baseline bless RUN --as NAME)\n")
                return ExitCode.success
            }
            var table = TextTable(header: ["name", "model", "run", "started", "suites", "items", "verdict"])
            table.rightAligned = [5]
            for name in names {
                let report = try ReportLocation.read(
                    (directory as NSString).appendingPathComponent(name + "/report.json")
                )
                table.rows.append([
                    name, report.backend.description, report.runID, ReportDates.format(report.startedAt),
                    report.suites.map(\.name).joined(separator: ", "), String(report.items.count), report.headline,
                ])
            }
            console.out(table.render() + "\n")
            return ExitCode.success
        }
    }
}

extension RunReport {
    /// The report without what a comparison does not read: each item's prompt (its request keeps only what
    /// identifies scored options) and outputs beyond 4,000 characters.
    func compacted() -> RunReport {
        var report = self
        for index in report.items.indices {
            var item = report.items[index]
            item.request = ModelRequest(messages: [], continuations: item.request.continuations)
            if let output = item.output, output.count > 4_000 { item.output = String(output.prefix(4_000)) + "…" }
            report.items[index] = item
        }
        return report
    }
}
