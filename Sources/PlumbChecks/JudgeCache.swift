import Foundation
import PlumbCore
import Synchronization

/// An on-disk cache of judge answers, separate from the cache of the model under test, so a re-run does not pay
/// the judge again and a changed rubric or judge is never answered from an old judgment.
///
/// One JSON Lines file, `judgments.jsonl`, in the directory the CLI passes (`JudgeCache.defaultDirectory`,
/// `.plumb/judge-cache`, by default). Each line holds a key, the judge and rubric version it was made with (for
/// people reading the file) and the judge's response. The key is the SHA-256 of a version tag, the judge's
/// identity (kind, name, model and settings), the rubric's prompt version and the judge request's canonical text
/// (every message and generation parameter), so it changes whenever anything that can change the answer does.
/// Because the tag differs from the model cache's, even a judge that is also the model under test never shares
/// entries with it.
///
/// Errors are never cached; answers that cannot be parsed are (the judge runs at temperature 0 with a fixed seed,
/// so asking again gives the same answer). Lines are appended with one `write` each, so shards can share the
/// directory; a torn last line is skipped when reading.
public final class JudgeCache: Sendable {
    /// Where the CLI keeps judgments unless told otherwise.
    public static let defaultDirectory = ".plumb/judge-cache"
    /// The file name inside the directory.
    public static let fileName = "judgments.jsonl"

    struct Entry: Codable {
        var key: String
        var judge: String
        var rubricVersion: String
        var response: ModelResponse
    }

    public let directory: String
    public let file: String
    let entries: Mutex<[String: ModelResponse]>
    let lines: AppendOnlyJSONLines<Entry>

    /// Opens (creating if needed) the judge cache in `directory`.
    public init(directory: String = JudgeCache.defaultDirectory) throws {
        self.directory = directory
        file = directory + "/" + Self.fileName
        let (lines, loaded) = try AppendOnlyJSONLines<Entry>.open(file)
        self.lines = lines
        entries = Mutex(Dictionary(loaded.map { ($0.key, $0.response) }, uniquingKeysWith: { _, last in last }))
    }

    /// The cache key of one judge request: lowercase hex SHA-256.
    public static func key(judge: BackendIdentity, rubricVersion: String, request: ModelRequest) -> String {
        let settings = judge.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let identity = ([judge.kind, judge.name, judge.model ?? ""] + settings).joined(separator: "\u{1F}")
        return SHA256.hex(
            ["plumb-judge-cache-v1", identity, rubricVersion, request.canonicalText].joined(separator: "\u{1E}\u{1D}")
        )
    }

    /// How many judgments are cached.
    public var count: Int { entries.withLock { $0.count } }

    public func response(for key: String) -> ModelResponse? {
        entries.withLock { $0[key] }
    }

    /// Stores a judgment in memory and appends it to the file.
    public func store(_ response: ModelResponse, for key: String, judge: BackendIdentity, rubricVersion: String) {
        entries.withLock { $0[key] = response }
        lines.append(Entry(key: key, judge: judge.description, rubricVersion: rubricVersion, response: response))
    }
}
