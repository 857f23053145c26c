import Foundation
import PlumbCore

/// What an importer produces: a suite file and its samples file, written side by side.
struct ImportedSuite {
    /// The suite's name (also the files' base name).
    var name: String
    /// The suite file's JSON5 text, which names `name.jsonl` as its samples.
    var suite: String
    /// The samples, one JSON object per line.
    var samples: [[String: JSONValue]]
    /// Records left out, and why (the first few), for the command to report.
    var skipped: Int = 0
    var notes: [String] = []

    /// The samples file's text: one compact JSON object a line, keys sorted.
    func samplesText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = ""
        for sample in samples {
            text += String(decoding: try encoder.encode(JSONValue.object(sample)), as: UTF8.self) + "\n"
        }
        return text
    }
}

extension ImportedSuite {
    init(name: String, suite: String, _ collected: SampleCollector) {
        self.init(
            name: name,
            suite: suite,
            samples: collected.samples,
            skipped: collected.skipped,
            notes: collected.notes
        )
    }
}

/// The samples an importer keeps, up to `limit`, and the records it leaves out (with the first three reasons).
struct SampleCollector {
    let limit: Int?
    var samples: [[String: JSONValue]] = []
    private(set) var skipped = 0
    private(set) var notes: [String] = []

    init(limit: Int?) { self.limit = limit }

    /// True once `limit` samples are kept: the importer reads no further.
    var isFull: Bool { limit.map { samples.count >= $0 } ?? false }

    /// Leaves out the record at `line`, saying why when there is a reason worth reporting.
    mutating func skip(line: Int, because reason: String? = nil) {
        skipped += 1
        if let reason, notes.count < 3 { notes.append("line \(line): \(reason)") }
    }
}

/// Why a file could not be imported, with where.
struct ImportError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Helpers shared by the importers.
enum ImportSupport {
    /// `text` as a JSON5 string literal.
    static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A sample id from free text: letters, digits and `-`, at most 60 characters.
    static func slug(_ text: String) -> String {
        let lowered = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let collapsed = String(lowered).split(separator: "-").joined(separator: "-")
        return String(collapsed.prefix(60))
    }

    /// The largest dataset file imported: 1 GiB (the largest public set Plumb imports, BOLD's profession prompts,
    /// is 1.5 MB; RealToxicityPrompts whole is 0.1 GB).
    static let maxInputBytes = 1 << 30

    /// `path:line:column: message` for a syntax error in the file at `path`.
    static func located(_ path: String, _ error: TextSyntaxError) -> ImportError {
        ImportError(message: "\(path):\(error.position.line):\(error.position.column): \(error.message)")
    }

    /// The records of a JSON Lines file; the first bad line is the error.
    static func jsonLines(_ path: String) throws -> [JSONLRecord] {
        let (records, errors) = JSONLReader.read(try read(path))
        if let first = errors.first { throw located(path, first) }
        return records
    }

    /// A CSV file with its header row; the first bad record is the error.
    static func csvTable(_ path: String) throws -> CSVTable {
        let (table, errors) = CSVReader.parse(try read(path))
        if let first = errors.first { throw located(path, first) }
        guard let table else { throw ImportError(message: "\(path):1:1: empty file: no header row") }
        return table
    }

    static func read(_ path: String) throws -> [UInt8] {
        do {
            return try InputFile.read(path, limit: maxInputBytes)
        } catch {
            throw ImportError(message: error.message)
        }
    }
}
