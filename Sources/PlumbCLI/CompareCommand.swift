import Foundation
import PlumbCore
import PlumbMetrics
import PlumbReports

/// `plumb compare BASE CAND [CAND...]`: paired comparisons of runs of the same suites, with regression gates.
enum CompareCommand: Subcommand {
    static let name = "compare"
    static let summary = "compare runs of the same suites with paired statistics; gate on regressions"
    static let usage =
        "plumb compare <baseline> <candidate> [<candidate>...] [--max-drop METRIC=MARGIN]... [--allow-changed] "
        + "[--format table|json|md|html|junit] [--out DIR]"
    static let options: [OptionSpec] = [
        .repeatable(
            "--max-drop",
            "METRIC=MARGIN",
            help: "a regression gate on every suite with the metric: fails only when the drop's 95% interval lies "
                + "wholly above MARGIN (e.g. pass_rate=0.02)"
        ),
        .flag("--allow-changed", help: "compare even when a suite's content or scoring changed (said at the top)"),
        .value("--format", "FORMAT", help: "table (default), json, md, html or junit, to stdout"),
        .value("--out", "DIR", help: "also write comparison.json, .html, .md and junit.xml into DIR"),
        .value("--resamples", "N", help: "paired bootstrap resamples (default 1000, seed 1)"),
        .value("--baselines", "DIR", help: "where baseline names are looked up (default Reports/baselines)"),
        .flag("--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: Console) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: name)
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "Compare a candidate run (or several) with a baseline run of the same suites.",
                    options: options,
                    details: """
                        Each argument is a report.json, a run directory, or a baseline name (plumb baseline bless).
                        Over the items both runs share, per suite and metric: the difference (candidate − baseline)
                        with a 95% paired-bootstrap interval (resampling whole samples, so k repeats, pairs tuples
                        and option orders stay together), a p-value (exact McNemar mid-p for the pass rate when
                        every sample has one item, the paired bootstrap otherwise) and Holm's adjustment across all
                        metrics compared; the items that flipped, with both outputs; items in one run only, as
                        coverage changes. Definitions: Docs/metrics.md#comparing-runs.

                        Regression gates come from the suites ({ metric: "pass_rate", maxDrop: 0.02 }) and from
                        --max-drop. A gate fails only when the whole interval of the drop is above the margin, so
                        noise does not fail a build; a report compared with itself holds every gate.

                        Exit codes: 0 every regression gate held; 1 one failed; 65 the reports cannot be compared
                        (a suite's content, checks, classifier, threshold or judge changed — unless
                        --allow-changed —, no suite or no item in common, not a report, no such baseline).
                        """
                )
            )
            return ExitCode.success
        }
        guard parsed.positionals.count >= 2 else {
            throw UsageError("give a baseline and at least one candidate", command: name)
        }
        let format = try parsed.choice(
            "--format",
            among: ["table", "json", "md", "html", "junit"],
            default: "table",
            command: name
        )
        if ["html", "junit"].contains(format), parsed.positionals.count > 2 {
            throw UsageError(
                "--format \(format) prints one comparison; with several candidates use --out DIR (one directory each) "
                    + "or --format table, md or json",
                command: name
            )
        }
        let resamples = try parsed.int("--resamples", in: 100...100_000, command: name) ?? 1_000
        let baselines = parsed.value("--baselines") ?? ReportLocation.baselinesDirectory
        let options = Comparison.Options(
            maxDrops: try ReportLocation.maxDrops(parsed.all("--max-drop"), command: name),
            allowChanged: parsed.flag("--allow-changed"),
            bootstrap: Bootstrap(resamples: resamples)
        )
        let base = try ReportLocation.load(parsed.positionals[0], baselines: baselines)
        var comparisons: [Comparison] = []
        for argument in parsed.positionals.dropFirst() {
            let candidate = try ReportLocation.load(argument, baselines: baselines)
            comparisons.append(
                try compare(base.report, candidate.report, parsed.positionals[0], argument, options: options)
            )
        }
        if let out = parsed.value("--out") {
            for comparison in comparisons {
                let directory =
                    comparisons.count == 1
                    ? out : (out as NSString).appendingPathComponent(ImportSupport.slug(comparison.candidate.label))
                try write(comparison, to: directory, console: console)
            }
        }
        switch format {
        case "json":
            if comparisons.count == 1 {
                console.out(String(decoding: try comparisons[0].jsonData(), as: UTF8.self) + "\n")
            } else {
                console.out(String(decoding: try RunReport.jsonEncoder().encode(comparisons), as: UTF8.self) + "\n")
            }
        case "md": console.out(comparisons.map { $0.renderMarkdown() }.joined(separator: "\n---\n\n"))
        case "html": console.out(comparisons[0].renderHTML())
        case "junit": console.out(comparisons[0].renderJUnit())
        default:
            console.out(comparisons.count == 1 ? comparisons[0].renderSummary() : Comparison.renderMatrix(comparisons))
        }
        let failed = comparisons.contains { !$0.verdict.isSuccess }
        return failed ? ExitCode.gateFailed : ExitCode.success
    }

    /// One comparison, its errors as exit 65 with the reason.
    static func compare(
        _ baseline: RunReport,
        _ candidate: RunReport,
        _ baselineLabel: String,
        _ candidateLabel: String,
        options: Comparison.Options
    ) throws -> Comparison {
        do {
            return try Comparison.compare(
                baseline: baseline,
                candidate: candidate,
                baselineLabel: baselineLabel,
                candidateLabel: candidateLabel,
                options: options
            )
        } catch {
            throw CommandFailure(exitCode: ExitCode.dataError, message: error.message)
        }
    }

    static func write(_ comparison: Comparison, to directory: String, console: Console) throws {
        do {
            try FileOutput.createDirectory(directory)
            try comparison.writeDocuments(in: directory)
            try FileOutput.writeAtomically(comparison.renderJUnit(), to: directory + "/junit.xml")
        } catch {
            throw CommandFailure(exitCode: ExitCode.cannotCreate, message: "cannot write to '\(directory)': \(error)")
        }
        console.err("plumb: wrote \(directory)/comparison.json, comparison.html, comparison.md and junit.xml\n")
    }
}

extension Comparison {
    /// Writes comparison.json, comparison.html and comparison.md into `directory` (which exists), each atomically.
    func writeDocuments(in directory: String) throws {
        try FileOutput.writeAtomically(jsonData(), to: directory + "/comparison.json")
        try FileOutput.writeAtomically(renderHTML(), to: directory + "/comparison.html")
        try FileOutput.writeAtomically(renderMarkdown(), to: directory + "/comparison.md")
    }
}
