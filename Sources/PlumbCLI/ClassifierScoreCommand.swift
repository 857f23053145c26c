import Foundation
import PlumbCore

/// `plumb classifier score [FILE]`: texts in, one JSON line of scores out per text — so users audit a classifier on
/// their own data and choose thresholds.
enum ClassifierScoreCommand: Subcommand {
    static let name = "score"
    static let summary = "score texts (JSONL, a CSV column, or lines on stdin) with a classifier; JSONL out"
    static let usage = "plumb classifier score [<file.jsonl|file.csv|->] [--classifier NAME] [--field NAME]"
    static let options: [OptionSpec] = [
        .value("--classifier", "NAME", help: "toxicity (default), toxicity-v1, refusal or sentiment"),
        .value("--model", "FILE", help: "a toxicity model file (plumb-dev train) instead of the shipped one"),
        .value("--field", "NAME", help: "the JSON field or CSV column holding the text (default: text)"),
        .flag("--help", help: "show this help"),
    ]
    /// Texts per call to the classifier.
    static let batch = 256

    static func run(_ arguments: [String], console: Console) async throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options, command: "classifier score")
        if parsed.flag("--help") {
            console.out(
                PlumbCommand.help(
                    usage: usage,
                    summary: "Score texts with one of Plumb's classifiers: one JSON line per text on stdout.",
                    options: options,
                    details: """
                        Input: a .csv file (the --field column), a JSON Lines file (objects with the --field
                        member), or standard input (no file, or '-'): each line a JSON object, or else the text
                        itself. Output, one line per text, in input order:
                          {"line": 3, "id": "…", "scores": {"toxic": 0.934}}
                        ("id" when the record has one). The classifier, its version and labels go to stderr first.
                        A record without the field, or a line that is not valid JSON, is an error with its file and
                        line (exit 65), found before anything is scored.

                        EXAMPLE:
                          plumb classifier score outputs.jsonl --field output > scores.jsonl
                        """
                )
            )
            return ExitCode.success
        }
        guard parsed.positionals.count <= 1 else {
            throw UsageError("give at most one file", command: "classifier score")
        }
        let name = parsed.value("--classifier") ?? "toxicity"
        let field = parsed.value("--field") ?? "text"
        let registry = CheckSetup.classifiers()
        guard registry.contains(name) else {
            throw UsageError(
                "unknown classifier '\(name)'" + EditDistance.hint(for: name, among: registry.names)
                    + " (classifiers: \(registry.names.joined(separator: ", ")))",
                command: "classifier score"
            )
        }
        let path = parsed.positionals.first ?? "-"
        let texts = try readTexts(path, field: field)
        if parsed.value("--model") != nil, name != "toxicity" {
            throw UsageError(
                "--model is a toxicity model file; it cannot go with --classifier \(name)",
                command: "classifier score"
            )
        }
        let loaded: (any TextClassifier)? =
            parsed.value("--model") != nil
            ? try ToxicityCommandSupport.loadClassifier(parsed) : try registry.classifier(named: name)
        guard let classifier = loaded else { return ExitCode.internalFault }
        let identity = classifier.identity
        console.err(
            "plumb: scoring \(texts.count) text\(texts.count == 1 ? "" : "s") with \(identity.name) \(identity.version) "
                + "(labels: \(identity.labels.joined(separator: ", ")))\n"
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var start = 0
        while start < texts.count {
            let chunk = texts[start..<min(start + batch, texts.count)]
            let rows = try await classifier.scores(for: chunk.map(\.text))
            var lines = ""
            for (entry, row) in zip(chunk, rows) {
                let scores = Dictionary(uniqueKeysWithValues: zip(identity.labels, row))
                let record = Scored(line: entry.line, id: entry.id, scores: scores)
                lines += String(decoding: try encoder.encode(record), as: UTF8.self) + "\n"
            }
            console.out(lines)
            start += batch
        }
        return ExitCode.success
    }

    struct Scored: Encodable {
        var line: Int
        var id: String?
        var scores: [String: Double]
    }

    struct Entry {
        var line: Int
        var id: String?
        var text: String
    }

    /// The texts of `path` ('-': standard input), with their lines and ids; a located error (65) for a record
    /// without the field or a line that is not JSON.
    static func readTexts(_ path: String, field: String) throws -> [Entry] {
        func failure(_ message: String) -> CommandFailure {
            CommandFailure(exitCode: ExitCode.dataError, message: message)
        }
        if path.hasSuffix(".csv") {
            let table: CSVTable
            do {
                table = try ImportSupport.csvTable(path)
            } catch let error as ImportError {
                throw failure(error.message)
            }
            guard let column = table.header.firstIndex(of: field) else {
                throw failure(
                    "\(path):\(table.headerLine):1: no column '\(field)' (columns: \(table.header.joined(separator: ", ")); "
                        + "choose one with --field)"
                )
            }
            let idColumn = table.header.firstIndex(of: "id")
            return table.records.map { record in
                Entry(
                    line: record.line,
                    id: idColumn.flatMap { $0 < record.fields.count ? record.fields[$0] : nil },
                    text: column < record.fields.count ? record.fields[column] : ""
                )
            }
        }
        let bytes: [UInt8]
        let label = path == "-" ? "<stdin>" : path
        if path == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            do {
                bytes = try InputFile.read(path, limit: 4 << 30)
            } catch {
                throw failure("cannot read '\(path)': \(error)")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw failure("\(label): not valid UTF-8 text")
        }
        var entries: [Entry] = []
        let jsonLines = path != "-" || text.drop { $0.isWhitespace }.first == "{"
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            guard jsonLines else {
                entries.append(Entry(line: index + 1, id: nil, text: String(line)))
                continue
            }
            let value: JSONValue
            do {
                value = try JSON5Parser.parse(Array(line.utf8), json5: false).plain
            } catch {
                throw failure("\(label):\(index + 1):1: not a JSON object: \(error)")
            }
            guard case .object(let members) = value, let text = members[field]?.stringValue else {
                throw failure("\(label):\(index + 1):1: no text field '\(field)' (choose one with --field)")
            }
            entries.append(
                Entry(line: index + 1, id: members["id"].map { $0.stringValue ?? $0.description }, text: text)
            )
        }
        return entries
    }
}
