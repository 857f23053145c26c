import Foundation
import PlumbReports

/// `plumb report REPORT.json --format html|json|md`: re-renders without calling a model.
enum ReportCommand: Subcommand {
    static let name = "report"
    static let summary = "re-render a report.json as HTML, Markdown, JSON, JUnit XML or a summary table"
    static let usage = "plumb report <report.json> [--format html|json|md|junit|table] [--out <file>]"
    static let options: [OptionSpec] = [
        .value("--format", "FORMAT", help: "html, json, md, junit (CI test tabs) or table (the summary) (default: md)"),
        .value("--out", "FILE", help: "write to FILE instead of stdout"),
        .value(
            "--page-size",
            "N",
            help: "html: items laid out when the page opens, per group (default \(RunReport.htmlPageSize))"
        ),
        .flag("--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: Console) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: "report")
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "Render a saved report.json again (no model is called).",
                    options: options,
                    details: """
                        The exit code is the run's verdict, recomputed from the report: 0 every gate held, 1 a gate
                        failed, 69 items erred beyond the error budget the run recorded (or the run was aborted),
                        130 the run was interrupted; 65 when the file is not a report.
                        """
                )
            )
            return ExitCode.success
        }
        guard parsed.positionals.count == 1, let path = parsed.positionals.first else {
            throw UsageError("give exactly one report.json", command: "report")
        }
        let pageSize = try parsed.int("--page-size", in: 1...10_000_000, command: "report")
        if pageSize != nil && (parsed.value("--format") ?? "md") != "html" {
            throw UsageError("--page-size applies to --format html only", command: "report")
        }
        let format = try parsed.choice(
            "--format",
            among: ["html", "json", "md", "junit", "table"],
            default: "md",
            command: "report"
        )
        let report = try ReportLocation.read(path)
        let text: String
        switch format {
        case "html":
            text = report.renderHTML(pageSize: pageSize ?? RunReport.htmlPageSize)
        case "json": text = String(decoding: try report.jsonData(), as: UTF8.self) + "\n"
        case "table": text = report.renderSummary()
        case "junit": text = report.renderJUnit()
        default: text = report.renderMarkdown()
        }
        if let out = parsed.value("--out") {
            do {
                try FileOutput.writeAtomically(Data(text.utf8), to: out)
            } catch {
                throw CommandFailure(exitCode: ExitCode.cannotCreate, message: "cannot write '\(out)': \(error)")
            }
            console.err("plumb: wrote \(out)\n")
        } else {
            console.out(text)
        }
        return ExitCode.of(report.verdict)
    }
}
