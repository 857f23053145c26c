public import Foundation
import Synchronization

/// Appends JSON values to a file, one line each, each line with one `write` call so it reaches the operating system
/// at once: several processes (shards) can share the file, and a process killed mid-write loses at most that line.
/// The one writer behind the run journal and the answer caches.
public final class JSONLinesAppender: Sendable {
    public let path: String
    // The handle and one encoder (making one per line costs more than the write); the Mutex is the only state.
    let state: Mutex<(file: FileHandle, encoder: JSONEncoder)>

    /// Opens `path` (which must exist) for appending; `encoder` writes each line (its output must have no newline).
    public init(appendingTo path: String, encoder: JSONEncoder) throws {
        self.path = path
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        try handle.seekToEnd()
        state = Mutex((handle, encoder))
    }

    /// An encoder for lines: sorted keys, slashes unescaped, one line.
    public static func lineEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Appends one line.
    public func append(_ value: some Encodable) throws {
        try state.withLock { state in
            var data = try state.encoder.encode(value)
            data.append(UInt8(ascii: "\n"))
            try state.file.write(contentsOf: data)
        }
    }
}

/// A JSON Lines file that is read once and then only appended to (through `JSONLinesAppender`). Lines that cannot be
/// decoded — a torn last line, or another version's entries — are skipped when reading. The caches of answers use
/// it: a line that cannot be written is dropped (a cache miss later, never a fault).
public final class AppendOnlyJSONLines<Line: Codable>: Sendable {
    public let path: String
    let appender: JSONLinesAppender?

    /// Opens the file at `path`, creating it (and its directory) if needed, and returns it with the lines it holds.
    public static func open(_ path: String) throws -> (AppendOnlyJSONLines<Line>, [Line]) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var lines: [Line] = []
        if let data = FileManager.default.contents(atPath: path) {
            let decoder = JSONDecoder()
            for line in data.split(separator: UInt8(ascii: "\n")) {
                if let value = try? decoder.decode(Line.self, from: Data(line)) { lines.append(value) }
            }
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        return (AppendOnlyJSONLines(path: path), lines)
    }

    init(path: String) {
        self.path = path
        appender = try? JSONLinesAppender(appendingTo: path, encoder: JSONLinesAppender.lineEncoder())
    }

    /// Appends one line. A line that cannot be encoded or written is dropped: a cache miss later, never a fault.
    public func append(_ line: Line) {
        try? appender?.append(line)
    }
}
