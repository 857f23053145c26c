import Foundation
public import PlumbCore
import Synchronization

/// An on-disk cache of model answers, so a re-run (or another suite asking the same thing) does not pay for the
/// same request twice.
///
/// One JSON Lines file per backend identity under the cache directory (`<sha256(identity)>.jsonl`); each line
/// holds a key and a response. The key is the item id (which already covers the suite content, sample, repeat
/// index and every generation parameter) — so each of k samples per prompt is its own entry and k samples stay
/// independent. Errors are never cached. Lines are appended with one `write` each, so concurrent runs (shards)
/// can share a cache; a torn last line (a killed process) is skipped when reading.
public final class ResponseCache: Sendable {
    struct Entry: Codable {
        var key: String
        var response: ModelResponse
    }

    public let directory: String
    public let file: String
    let entries: Mutex<[String: ModelResponse]>
    let lines: AppendOnlyJSONLines<Entry>

    /// Opens (creating if needed) the cache for `identity` in `directory`.
    public init(directory: String, identity: BackendIdentity) throws {
        self.directory = directory
        file = directory + "/" + SHA256.hex(Self.identityKey(identity)) + ".jsonl"
        let (lines, loaded) = try AppendOnlyJSONLines<Entry>.open(file)
        self.lines = lines
        entries = Mutex(Dictionary(loaded.map { ($0.key, $0.response) }, uniquingKeysWith: { _, last in last }))
    }

    /// The identity fields that change answers (kind, name, model, settings), in a canonical order.
    static func identityKey(_ identity: BackendIdentity) -> String {
        let settings = identity.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return (["plumb-cache-v1", identity.kind, identity.name, identity.model ?? ""] + settings)
            .joined(separator: "\u{1F}")
    }

    public var count: Int { entries.withLock { $0.count } }

    public func response(for key: String) -> ModelResponse? {
        entries.withLock { $0[key] }
    }

    public func store(_ response: ModelResponse, for key: String) {
        entries.withLock { $0[key] = response }
        lines.append(Entry(key: key, response: response))
    }
}
