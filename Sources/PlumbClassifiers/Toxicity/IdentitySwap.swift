public import PlumbCore

/// Counterfactual data augmentation against identity-term bias: copies of a training text with its identity terms
/// (`gay`, `muslim`, `jewish` …) swapped for others, with the same label, so that the model cannot learn that an
/// identity term by itself is toxic (Dixon et al. 2018, "Measuring and Mitigating Unintended Bias in Text
/// Classification"; Garg et al. 2019, "Counterfactual Fairness in Text Classification").
public enum IdentitySwap {
    /// Single-word identity terms, after the lists of the papers above (lowercase, as normalised text is).
    /// A term followed by `s` (`jews`, `muslims`) is matched too and keeps its `s`.
    public static let terms: [String] = [
        "lesbian", "gay", "bisexual", "transgender", "trans", "queer", "lgbt", "lgbtq", "homosexual", "heterosexual",
        "straight", "nonbinary", "male", "female", "african", "black", "white", "european", "hispanic", "latino",
        "latina", "mexican", "canadian", "american", "asian", "indian", "chinese", "japanese", "arab", "christian",
        "muslim", "jewish", "jew", "buddhist", "hindu", "catholic", "protestant", "sikh", "taoist", "atheist",
        "mormon", "older", "younger", "teenage", "elderly", "blind", "deaf", "paralyzed", "immigrant", "feminist",
    ]

    private static let index: [Substring: Int] = Dictionary(
        uniqueKeysWithValues: terms.enumerated().map { (Substring($1), $0) }
    )

    /// `count` copies of a normalised text, each identity term replaced by a different term drawn uniformly with
    /// `random` (a term's replacement is never itself); empty when the text has no identity term.
    ///
    /// Tokens are split at spaces; a token's term is its run of letters `a`–`z` after dropping leading and
    /// trailing other bytes (`"gay!"` → `gay`).
    public static func variants(of normalized: String, count: Int, random: inout SplitMix64) -> [String] {
        let tokens = normalized.split(separator: " ")
        var matches: [(token: Int, term: Int, core: Range<String.Index>, plural: Bool)] = []
        for (position, token) in tokens.enumerated() {
            guard let start = token.firstIndex(where: isLetter),
                let last = token.lastIndex(where: isLetter)
            else { continue }
            let core = start..<token.index(after: last)
            let word = token[core]
            if let term = index[word] {
                matches.append((position, term, core, false))
            } else if word.hasSuffix("s"), let term = index[word.dropLast()] {
                matches.append((position, term, core, true))
            }
        }
        guard !matches.isEmpty, count > 0 else { return [] }
        return (0..<count).map { _ in
            var copy = tokens.map(String.init)
            for match in matches {
                var replacement = random.below(terms.count - 1)
                if replacement >= match.term { replacement += 1 }
                let token = tokens[match.token]
                copy[match.token] =
                    String(token[token.startIndex..<match.core.lowerBound]) + terms[replacement]
                    + (match.plural ? "s" : "") + String(token[match.core.upperBound...])
            }
            return copy.joined(separator: " ")
        }
    }

    private static func isLetter(_ character: Character) -> Bool {
        character >= "a" && character <= "z"
    }
}
