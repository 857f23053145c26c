public import Foundation
import PlumbCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What HTTP clients say about URLs, answers and waits — shown to people, scrubbed of secrets. Shared by every
/// HTTP client in Plumb (model backends, the moderation classifier).
package enum HTTPText {
    /// `url` as reports and messages may show it: no user, password, query or fragment.
    package static func displayURL(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "<url>" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "<url>"
    }

    /// Seconds to wait before retrying, from `retry-after-ms`, `Retry-After` (seconds or an HTTP-date),
    /// `x-ratelimit-reset-requests` or `x-ratelimit-reset-tokens` (durations such as `1s`, `6m0s`, `20ms`),
    /// in that order of preference.
    package static func retryAfter(_ header: (String) -> String?, now: Date = Date()) -> Double? {
        if let text = header("retry-after-ms"), let milliseconds = Double(text.trimmingCharacters(in: .whitespaces)),
            milliseconds >= 0, milliseconds.isFinite
        {
            return milliseconds / 1000
        }
        if let text = header("Retry-After"), let seconds = parseRetryAfter(text, now: now) { return seconds }
        for name in ["x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"] {
            if let text = header(name), let seconds = parseDuration(text) { return seconds }
        }
        return nil
    }

    /// A `Retry-After` value: delay-seconds (`120`, also `1.5`) or an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`,
    /// read relative to `now`; a date in the past means 0).
    package static func parseRetryAfter(_ text: String, now: Date = Date()) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) {
            return seconds >= 0 && seconds.isFinite ? seconds : nil
        }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) {
                return max(0, date.timeIntervalSince(now))
            }
        }
        return nil
    }

    /// A duration such as `1s`, `6m0s`, `20ms`, `1h2m3.5s` or a bare number of seconds.
    package static func parseDuration(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return seconds >= 0 && seconds.isFinite ? seconds : nil }
        var total = 0.0
        var index = trimmed.startIndex
        var sawPart = false
        while index < trimmed.endIndex {
            let numberStart = index
            while index < trimmed.endIndex, trimmed[index].isNumber || trimmed[index] == "." {
                index = trimmed.index(after: index)
            }
            guard let value = Double(trimmed[numberStart..<index]) else { return nil }
            let unitStart = index
            while index < trimmed.endIndex, trimmed[index].isLetter { index = trimmed.index(after: index) }
            switch trimmed[unitStart..<index] {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            case "ms": total += value / 1000
            case "us", "µs": total += value / 1_000_000
            case "ns": total += value / 1_000_000_000
            default: return nil
            }
            sawPart = true
        }
        return sawPart ? total : nil
    }

    /// What the server said went wrong, from the error shapes OpenAI-compatible servers and Anthropic use:
    /// `{"error": {"message": …, "type": …}}`, `{"error": "…"}`, `{"message": …}`, `{"detail": …}`.
    /// A body that is not JSON is returned as text when it is short and printable.
    package static func serverMessage(_ body: Data) -> String? {
        guard !body.isEmpty else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty || text.hasPrefix("<") ? nil : text
        }
        if let error = object["error"] as? [String: Any] {
            let message = error["message"] as? String
            let type = (error["type"] as? String) ?? (error["code"] as? String)
            switch (type, message) {
            case (let type?, let message?) where !message.contains(type): return "\(type): \(message)"
            case (_, let message?): return message
            case (let type?, nil): return type
            default: break
            }
        }
        if let error = object["error"] as? String { return error }
        if let message = object["message"] as? String { return message }
        if let detail = object["detail"] as? String { return detail }
        if let detail = object["detail"],
            let data = try? JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys])
        {
            return String(decoding: data, as: UTF8.self)
        }
        return nil
    }

    /// `text` on one line, cut to about `limit` characters with an ellipsis.
    package static func clip(_ text: String, _ limit: Int) -> String {
        let oneLine = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return oneLine.count <= limit ? oneLine : String(oneLine.prefix(limit)) + "…"
    }

    /// `text` with every secret removed: each whole occurrence, and any word containing the first 8 characters of
    /// a long secret (servers echo keys partly masked, e.g. `sk-abc123****wxyz`).
    package static func redact(_ text: String, secrets: [String]) -> String {
        Redaction.redact(text, secrets: secrets)
    }
}
