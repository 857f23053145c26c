import Foundation
import PlumbChecks
import PlumbCore
import PlumbMetrics

/// `plumb validate PATH...`: loads and checks suites without calling a model.
enum ValidateCommand: Subcommand {
    static let name = "validate"
    static let summary = "check suite files without calling a model"
    static let usage = "plumb validate <suite-or-directory>... [--quiet]"
    static let options: [OptionSpec] = [
        .flag("--quiet", help: "print only diagnostics, not the summary line"),
        .repeatable("--judge", "NAME=SPEC", help: "a judge model 'judge' checks may name (not called)"),
        .value("--config", "FILE", help: "named models for --judge (default: plumb.json5, if present)"),
        .flag("--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: Console) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: "validate")
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "Load and check suite files without calling a model.",
                    options: options,
                    details: """
                        Every problem in every file is printed to stderr as 'path:line:column: error: message',
                        sorted by file and line. Exit 0 when all suites are valid, 65 when any has an error.
                        A directory means every '*.suite.json5' and '*.suite.json' file below it.
                        """
                )
            )
            return ExitCode.success
        }
        guard !parsed.positionals.isEmpty else {
            throw UsageError("give at least one suite file or directory", command: "validate")
        }
        var config: ModelConfig?
        if let path = parsed.value("--config")
            ?? (FileManager.default.fileExists(atPath: ModelConfig.defaultFile) ? ModelConfig.defaultFile : nil)
        {
            let (loaded, diagnostics) = ModelConfig.load(path)
            if loaded == nil {
                printDiagnostics(diagnostics, console: console)
                return ExitCode.dataError
            }
            config = loaded
        }
        let judges = try CheckSetup.makeJudges(
            try CheckSetup.judges(parsed.all("--judge"), config: config, command: "validate")
        )
        let loader = SuiteLoader(registry: CheckSetup.registry(judges: judges), metrics: .builtins)
        let (suites, diagnostics) = loader.load(parsed.positionals)
        printDiagnostics(diagnostics, console: console)
        let errors = diagnostics.filter { $0.severity == .error }.count
        if errors > 0 {
            console.err("\(errors) error\(errors == 1 ? "" : "s"); nothing was run\n")
            return ExitCode.dataError
        }
        if !parsed.flag("--quiet") {
            for suite in suites {
                let items = suite.samples.count * suite.generation.samplesPerPrompt
                console.out(
                    "ok  \(suite.name)  (\(suite.file): \(suite.samples.count) samples, \(items) items, "
                        + "\(suite.checks.count) checks, \(suite.gates.count) gates)\n"
                )
            }
        }
        return ExitCode.success
    }

    static func printDiagnostics(_ diagnostics: [SuiteDiagnostic], console: Console) {
        for diagnostic in diagnostics {
            console.err(diagnostic.description + "\n")
        }
    }
}
