/// Suggestions for misspelt names ("did you mean 'contains'?").
public enum EditDistance {
    /// Levenshtein distance over Unicode scalars.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The closest candidate within a distance that scales with the word's length, if any. Leading dashes (of
    /// options such as `--out`) count neither in the distance nor in the length, so `--quiet` is not taken for a
    /// misspelt `--out`.
    public static func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
        func core(_ text: String) -> String { String(text.drop { $0 == "-" }).lowercased() }
        let name = core(word)
        let limit = max(1, min(3, name.count / 3 + 1))
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(name, core(candidate))
            if d <= limit, d < (best?.1 ?? .max) { best = (candidate, d) }
        }
        return best?.0
    }

    /// "; did you mean 'x'?" or "".
    public static func hint(for word: String, among candidates: some Sequence<String>) -> String {
        guard let suggestion = suggestion(for: word, among: candidates) else { return "" }
        return "; did you mean '\(suggestion)'?"
    }
}
