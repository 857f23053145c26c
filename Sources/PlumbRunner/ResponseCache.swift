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
        /// When the answer was stored; nil in entries written before it was recorded.
        var storedAt: Date?
    }

    public let directory: String
    public let file: String
    /// Answers older than this many seconds are not used (nil: any age).
    public let maxAge: Double?
    let entries: Mutex<[String: Entry]>
    let lines: AppendOnlyJSONLines<Entry>

    /// Opens (creating if needed) the cache for `identity` in `directory`. With `maxAge`, answers stored longer ago
    /// than that (or with no time recorded) are ignored and asked again.
    public init(directory: String, identity: BackendIdentity, maxAge: Double? = nil) throws {
        self.directory = directory
        self.maxAge = maxAge
        file = directory + "/" + SHA256.hex(Self.identityKey(identity)) + ".jsonl"
        let (lines, loaded) = try AppendOnlyJSONLines<Entry>.open(file)
        self.lines = lines
        entries = Mutex(Dictionary(loaded.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last }))
    }

    /// The identity fields that change answers (kind, name, model, settings), in a canonical order.
    static func identityKey(_ identity: BackendIdentity) -> String {
        let settings = identity.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return (["plumb-cache-v1", identity.kind, identity.name, identity.model ?? ""] + settings)
            .joined(separator: "\u{1F}")
    }

    public var count: Int { entries.withLock { $0.count } }

    public func response(for key: String) -> ModelResponse? {
        entry(for: key)?.response
    }

    /// The cached answer for `key` and when it was stored, unless it is older than `maxAge`.
    public func entry(for key: String, now: Date = Date()) -> (response: ModelResponse, storedAt: Date?)? {
        guard let entry = entries.withLock({ $0[key] }) else { return nil }
        if let maxAge {
            guard let storedAt = entry.storedAt, now.timeIntervalSince(storedAt) <= maxAge else { return nil }
        }
        return (entry.response, entry.storedAt)
    }

    public func store(_ response: ModelResponse, for key: String, at date: Date = Date()) {
        let entry = Entry(key: key, response: response, storedAt: date)
        entries.withLock { $0[key] = entry }
        lines.append(entry)
    }
}
