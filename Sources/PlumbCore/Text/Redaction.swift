import Foundation

/// Removing secrets from text Plumb shows or writes: what a server said, what a child process printed.
public enum Redaction {
    /// `text` with every secret removed: each whole occurrence, and any word containing the first 8 characters of
    /// a long secret (servers echo keys partly masked, e.g. `sk-abc123****wxyz`). Secrets shorter than 4 characters
    /// are not looked for.
    public static func redact(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: "[redacted]")
            guard secret.count >= 12 else { continue }
            let prefix = String(secret.prefix(8))
            if "[redacted]".contains(prefix) { continue }
            while let range = result.range(of: prefix) {
                let isBoundary: (Character) -> Bool = { $0.isWhitespace || "\"'`,;()[]{}<>".contains($0) }
                var lower = range.lowerBound
                while lower > result.startIndex, !isBoundary(result[result.index(before: lower)]) {
                    lower = result.index(before: lower)
                }
                var upper = range.upperBound
                while upper < result.endIndex, !isBoundary(result[upper]) { upper = result.index(after: upper) }
                result.replaceSubrange(lower..<upper, with: "[redacted]")
            }
        }
        return result
    }

    /// Words in an environment variable's name that mark its value as a credential.
    static let credentialMarkers = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH", "COOKIE"]

    /// The values of the variables in `environment` whose names say they hold a credential (`OPENAI_API_KEY`,
    /// `HF_TOKEN`, `DB_PASSWORD` …) and whose values are long enough to be one (8 characters or more): what a child
    /// process was handed and must not be quoted back.
    public static func secrets(in environment: [String: String]) -> [String] {
        environment.compactMap { name, value in
            let upper = name.uppercased()
            guard value.count >= 8, credentialMarkers.contains(where: { upper.contains($0) }) else { return nil }
            return value
        }
        .sorted { $0.count > $1.count }
    }
}
