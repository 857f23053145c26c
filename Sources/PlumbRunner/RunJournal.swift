public import Foundation
public import PlumbCore

/// The append-only record of a run: a header line, then one line per finished item, written through
/// `JSONLinesAppender` (one `write` call per line, so it reaches the operating system at once) as each item finishes. A run killed at any moment loses at
/// most the line being written; `plumb run --resume` reads the journal and asks the model only for what is missing.
public final class RunJournal: Sendable {
    /// What the journal belongs to; a resume checks it matches before reusing anything.
    public struct Header: Codable, Sendable, Hashable {
        public var journal: Int
        public var runID: String
        public var startedAt: Date
        public var backend: BackendIdentity
        /// Suite name → content hash.
        public var suites: [String: String]
        /// `i/n` when the run is one shard of a larger one.
        public var shard: String?
        /// What scores the outputs beyond the suite files: the Plumb version and each classifier the suites use, by
        /// name (`plumb` → `0.1.0`, `classifier toxicity` → `plumb-toxicity 1+a5019371a0c4`). A resumed run must
        /// match it, so that no item is scored by one classifier and the next by another. Nil in journals written
        /// before it was recorded.
        public var scoring: [String: String]?
        /// The part of the suites asked (`--tag`, `--limit`), as ``SuiteSelection/description`` says it; nil for
        /// whole runs.
        public var subset: String?

        public init(
            runID: String,
            startedAt: Date,
            backend: BackendIdentity,
            suites: [String: String],
            shard: String?,
            scoring: [String: String]? = nil,
            subset: String? = nil
        ) {
            self.subset = subset
            self.journal = 1
            self.runID = runID
            self.startedAt = startedAt
            self.backend = backend
            self.suites = suites
            self.shard = shard
            self.scoring = scoring
        }
    }

    /// A journal read back: its header, the finished items by id, and what was skipped.
    public struct Contents: Sendable {
        public var header: Header
        public var results: [String: ItemResult]
        /// Lines that could not be read (a torn last line after a kill, or damage).
        public var skippedLines: [Int]
    }

    /// Where the journal is.
    public var path: String { lines.path }
    let lines: JSONLinesAppender

    /// Starts a new journal at `path` (replacing any file there) with `header` as its first line.
    public static func create(at path: String, header: Header) throws -> RunJournal {
        var data = try Self.encoder().encode(header)
        data.append(UInt8(ascii: "\n"))
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return try RunJournal(appendingTo: path)
    }

    /// Opens an existing journal for appending.
    public init(appendingTo path: String) throws {
        lines = try JSONLinesAppender(appendingTo: path, encoder: Self.encoder())
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONLinesAppender.lineEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }

    /// Appends one finished item; a failed write is thrown (the runner reports it), never dropped.
    public func append(_ result: ItemResult) throws {
        try lines.append(result)
    }

    /// Reads a journal. A line that cannot be decoded is skipped and reported (a torn last line is expected after
    /// a kill); a missing or unreadable header is an error.
    public static func read(_ path: String) throws -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first, let header = try? decoder.decode(Header.self, from: Data(first)) else {
            throw JournalError(message: "\(path):1: not a Plumb journal (no header line)")
        }
        var results: [String: ItemResult] = [:]
        var skipped: [Int] = []
        for (offset, line) in lines.enumerated().dropFirst() {
            if let result = try? decoder.decode(ItemResult.self, from: Data(line)) {
                results[result.id] = result
            } else {
                skipped.append(offset + 1)
            }
        }
        return Contents(header: header, results: results, skippedLines: skipped)
    }
}

public struct JournalError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
