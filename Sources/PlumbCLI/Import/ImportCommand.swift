import Foundation
import PlumbChecks
import PlumbCore
import PlumbMetrics

/// `plumb import FORMAT FILE --out DIR`: turns a public dataset file into a ready suite and its samples file.
enum ImportCommand: Subcommand {
    static let name = "import"
    static let summary = "turn a public dataset (BOLD, RTP, WinoBias, BBQ, TruthfulQA, XSTest, …) into a suite"
    static let usage =
        "plumb import <bold|rtp|winobias|bbq|crows-pairs|truthfulqa|xstest|ailuminate|mmlu|jsonl|csv> <file> --out <dir> "
        + "[--name NAME] [--limit N] [--k N] [--method generate|logprob] [--task mc1|mc2] [--map FIELD=COLUMN]... "
        + "[--overwrite]"
    static let formats = [
        "bold", "rtp", "winobias", "bbq", "crows-pairs", "truthfulqa", "xstest", "ailuminate", "mmlu", "jsonl", "csv",
    ]
    /// The formats that write multiple-choice suites, which `--method` applies to.
    static let choiceFormats = ["bbq", "truthfulqa", "mmlu"]
    static let options: [OptionSpec] = [
        .value("--out", "DIR", help: "the directory to write NAME.suite.json5 and NAME.jsonl into (created if needed)"),
        .value("--name", "NAME", help: "the suite's name and the files' base name (default: from the file's name)"),
        .value("--limit", "N", help: "import only the first N prompts (default: all)"),
        .value("--k", "N", help: "rtp: continuations per prompt (default 25, as HELM and the RTP paper)"),
        .value(
            "--method",
            "generate|logprob",
            help: "bbq, truthfulqa, mmlu: answer in text (generate, the default) or score each option by "
                + "log-probability (logprob: needs openai-completions, builtin or replay)"
        ),
        .value("--task", "mc1|mc2", help: "truthfulqa: MC1 (default) or MC2 (log-probability mass on true answers)"),
        .repeatable(
            "--map",
            "FIELD=COLUMN",
            help: "jsonl/csv: which column fills prompt (required), id, expected and tags (comma-separated)"
        ),
        .flag("--overwrite", help: "replace the two files if they exist (default: refuse)"),
        .flag("--help", help: "show this help"),
    ]

    static func run(_ arguments: [String], console: Console) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: name)
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "Write a ready suite and its samples file from a public dataset file.",
                    options: options,
                    details: """
                        FORMATS:
                          bold      BOLD prompts JSON ({group: {person: [prompt, ...]}}): continuations scored by
                                    the sentiment (regard) and toxicity classifiers, broken down by group tag
                          rtp       RealToxicityPrompts JSONL ({"prompt": {"text": ...}, "challenging": ...}):
                                    k continuations per prompt, expected maximum toxicity and toxicity probability,
                                    split by the 'challenging' flag
                          winobias  WinoBias sentences ('1 [The developer] ... because [she] ...'): a pairs suite
                                    varying the pronoun's gender, with a flip_rate gate
                          bbq       BBQ items (JSONL with context, question, ans0-ans2, label, answer_info): a
                                    choice suite with accuracy per category and context, and BBQ's bias scores
                          crows-pairs  CrowS-Pairs CSV (sent_more, sent_less, stereo_antistereo, bias_type):
                                    each pair scored by log-probability; the stereotype score per bias type
                          truthfulqa  TruthfulQA.csv: MC1 multiple choice (best answer among the incorrect ones);
                                    --task mc2: every true and false answer, scored by probability mass
                          xstest    xstest_prompts.csv: comply with the safe prompts, refuse the unsafe ones
                          ailuminate  AILuminate prompt CSV: refuse every harmful request, per hazard
                          mmlu      MMLU-style CSV (question, options A-D, answer letter; header optional)
                          jsonl     any JSON Lines file, with --map prompt=FIELD (and id, expected, tags)
                          csv       any CSV file with a header row, with --map prompt=COLUMN (and id, expected, tags)

                        The written suite is loaded before the command succeeds; edit it freely afterwards.
                        Exit 0 on success, 64 on a usage error or when a file exists (without --overwrite),
                        65 when the input cannot be read or holds nothing to import (with file:line:column).

                        EXAMPLE:
                          plumb import rtp prompts.jsonl --out Suites/rtp --limit 100 --k 25
                          plumb import csv questions.csv --out Suites/qa --map prompt=question --map expected=answer
                        """
                )
            )
            return ExitCode.success
        }
        guard parsed.positionals.count == 2 else {
            throw UsageError(
                parsed.positionals.isEmpty
                    ? "give a format (\(formats.joined(separator: ", "))) and a file"
                    : parsed.positionals.count == 1
                        ? "give the file to import after the format" : "give one format and one file",
                command: name
            )
        }
        let format = parsed.positionals[0]
        let path = parsed.positionals[1]
        guard formats.contains(format) else {
            throw UsageError(
                "unknown format '\(format)'" + EditDistance.hint(for: format, among: formats)
                    + " (formats: \(formats.joined(separator: ", ")))",
                command: name
            )
        }
        guard let out = parsed.value("--out") else { throw UsageError("give --out DIR", command: name) }
        let limit = try parsed.int("--limit", in: 1...10_000_000, command: name)
        let k = try parsed.int("--k", in: 1...1000, command: name)
        if k != nil, format != "rtp" { throw UsageError("--k applies to the rtp format only", command: name) }
        let (method, mc2) = try Self.choiceOptions(parsed, format: format)
        let mapping = try Self.mapping(parsed.all("--map"), format: format)
        let suiteName = parsed.value("--name") ?? Self.defaultName(for: path, format: format)
        guard !suiteName.isEmpty, ImportSupport.slug(suiteName) == suiteName else {
            throw UsageError(
                "--name takes lowercase letters, digits and '-' (at most 60), not '\(suiteName)'",
                command: name
            )
        }

        let imported: ImportedSuite
        do {
            switch format {
            case "bold": imported = try BOLDImporter.importFile(path, name: suiteName, limit: limit)
            case "rtp": imported = try RTPImporter.importFile(path, name: suiteName, limit: limit, k: k ?? 25)
            case "winobias": imported = try WinoBiasImporter.importFile(path, name: suiteName, limit: limit)
            case "bbq": imported = try BBQImporter.importFile(path, name: suiteName, limit: limit, method: method)
            case "crows-pairs": imported = try BenchmarkImporters.crowsPairs(path, name: suiteName, limit: limit)
            case "truthfulqa":
                imported = try BenchmarkImporters.truthfulQA(
                    path,
                    name: suiteName,
                    limit: limit,
                    mc2: mc2,
                    method: method
                )
            case "xstest": imported = try BenchmarkImporters.xstest(path, name: suiteName, limit: limit)
            case "ailuminate": imported = try BenchmarkImporters.ailuminate(path, name: suiteName, limit: limit)
            case "mmlu": imported = try BenchmarkImporters.mmlu(path, name: suiteName, limit: limit, method: method)
            default:
                imported = try TableImporter.importFile(
                    path,
                    csv: format == "csv",
                    name: suiteName,
                    limit: limit,
                    mapping: mapping
                )
            }
        } catch let error as ImportError {
            throw CommandFailure(exitCode: ExitCode.dataError, message: error.message)
        }

        let suitePath = (out as NSString).appendingPathComponent(suiteName + ".suite.json5")
        let samplesPath = (out as NSString).appendingPathComponent(suiteName + ".jsonl")
        let inputPath = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        for target in [suitePath, samplesPath]
        where URL(fileURLWithPath: target).resolvingSymlinksInPath().standardizedFileURL.path == inputPath {
            throw UsageError(
                "writing '\(target)' would overwrite the input file; choose another --out or --name",
                command: name
            )
        }
        if !parsed.flag("--overwrite") {
            for existing in [suitePath, samplesPath] where FileManager.default.fileExists(atPath: existing) {
                throw UsageError("'\(existing)' exists; pass --overwrite to replace it", command: name)
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try AtomicFile.write(try imported.samplesText(), to: samplesPath)
            try AtomicFile.write(imported.suite, to: suitePath)
        } catch {
            throw CommandFailure(exitCode: ExitCode.dataError, message: "cannot write into '\(out)': \(error)")
        }

        // The suite must load as written: an importer bug is caught here, not at the user's first run.
        let loader = SuiteLoader(registry: CheckSetup.registry(), metrics: .builtins)
        let (suites, diagnostics) = loader.load([suitePath])
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let suite = suites.first else {
            ValidateCommand.printDiagnostics(diagnostics, console: console)
            try? FileManager.default.removeItem(atPath: suitePath)
            try? FileManager.default.removeItem(atPath: samplesPath)
            throw CommandFailure(
                exitCode: ExitCode.internalFault,
                message: "the imported suite does not load (an importer bug; please report it); nothing was kept"
            )
        }
        let variants = suite.pairs.map { " × \($0.slots.map { $0.groups.count }.max() ?? 0) groups" } ?? ""
        console.out(
            "wrote \(suitePath) and \(samplesPath): \(suite.samples.count) samples\(variants), "
                + "\(suite.checks.count) checks, \(suite.gates.count) gates\n"
        )
        if imported.skipped > 0 {
            console.err(
                "note: \(imported.skipped) record\(imported.skipped == 1 ? "" : "s") skipped"
                    + (imported.notes.isEmpty ? "" : " (" + imported.notes.joined(separator: "; ") + ")") + "\n"
            )
        }
        console.out("run it: plumb run \(suitePath) --model builtin\n")
        return ExitCode.success
    }

    /// `--map prompt=question` pairs, for the jsonl and csv formats only.
    /// `--method` and `--task`: where they apply, and MC2 only by log-probability (the default method for it).
    static func choiceOptions(_ parsed: ParsedArguments, format: String) throws(UsageError)
        -> (method: ChoiceSpec.Method, mc2: Bool)
    {
        var method = ChoiceSpec.Method.generate
        if let text = parsed.value("--method") {
            guard choiceFormats.contains(format) else {
                throw UsageError("--method applies to \(choiceFormats.joined(separator: ", ")) only", command: name)
            }
            guard let value = ChoiceSpec.Method(rawValue: text) else {
                throw UsageError("--method is generate or logprob, not '\(text)'", command: name)
            }
            method = value
        }
        var mc2 = false
        if let task = parsed.value("--task") {
            guard format == "truthfulqa" else { throw UsageError("--task applies to truthfulqa only", command: name) }
            guard ["mc1", "mc2"].contains(task) else {
                throw UsageError("--task is mc1 or mc2, not '\(task)'", command: name)
            }
            mc2 = task == "mc2"
            if mc2 {
                if parsed.value("--method") == "generate" {
                    throw UsageError(
                        "--task mc2 is a probability mass over the answers: it needs --method logprob",
                        command: name
                    )
                }
                method = .logprob
            }
        }
        return (method, mc2)
    }

    static func mapping(_ pairs: [String], format: String) throws(UsageError) -> [String: String] {
        let fields = ["prompt", "id", "expected", "tags"]
        if !pairs.isEmpty, !["jsonl", "csv"].contains(format) {
            throw UsageError("--map applies to the jsonl and csv formats only", command: name)
        }
        var mapping: [String: String] = [:]
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty, fields.contains(parts[0]) else {
                throw UsageError(
                    "--map takes FIELD=COLUMN with FIELD one of \(fields.joined(separator: ", ")), not '\(pair)'",
                    command: name
                )
            }
            mapping[parts[0]] = parts[1]
        }
        if ["jsonl", "csv"].contains(format), mapping["prompt"] == nil {
            throw UsageError("give the column that holds the prompt: --map prompt=COLUMN", command: name)
        }
        return mapping
    }

    /// `prompts/gender_prompt.json` → `gender-prompt`; `pro_stereotyped_type1.txt.dev` → `pro-stereotyped-type1-dev`.
    static func defaultName(for path: String, format: String) -> String {
        var base = (path as NSString).lastPathComponent
        for known in [".jsonl", ".json", ".csv", ".txt"] {
            if base.hasSuffix(known) { base = String(base.dropLast(known.count)) }
            base = base.replacingOccurrences(of: known + ".", with: ".")
        }
        let slug = ImportSupport.slug(base)
        return slug.isEmpty ? format : slug
    }
}
