import Foundation
import Synchronization

/// A JSON Lines file that is read once and then only appended to, one `write` per line, so several processes
/// (shards) can share it and a process killed mid-write loses at most that line. Lines that cannot be decoded —
/// a torn last line, or another version's entries — are skipped when reading. The caches of answers use it.
public final class AppendOnlyJSONLines<Line: Codable>: Sendable {
    public let path: String
    // The handle and one encoder (making one per line costs more than the write); the Mutex is the only state.
    let state: Mutex<(file: FileHandle?, encoder: JSONEncoder)>

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
        let handle = FileHandle(forWritingAtPath: path)
        _ = try? handle?.seekToEnd()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        state = Mutex((handle, encoder))
    }

    /// Appends one line. A line that cannot be encoded or written is dropped: a cache miss later, never a fault.
    public func append(_ line: Line) {
        state.withLock { state in
            guard var data = try? state.encoder.encode(line) else { return }
            data.append(UInt8(ascii: "\n"))
            try? state.file?.write(contentsOf: data)
        }
    }
}
