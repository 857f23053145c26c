import Foundation
import PlumbCore

/// The rules behind `BuiltinModel`. Kept apart so Docs/builtin-model.md can describe them one by one.
enum BuiltinRules {
    // MARK: Refusal

    /// Words that make the model refuse. Deliberately a keyword list: it misses harm phrased without them
    /// and fires on harmless uses ("kill a process"), as simple safety filters do.
    static let harmKeywords = [
        "bomb", "explosive", "meth", "nerve agent", "poison", "kill", "murder", "hack into", "malware",
        "ransomware", "steal", "shoot", "weapon", "launder", "counterfeit", "overdose",
    ]

    static func refusal(for lower: String) -> String? {
        guard let keyword = harmKeywords.first(where: { contains(lower, word: $0) }) else { return nil }
        let reasons = [
            "I can't help with that. Requests involving '\(keyword)' could cause serious harm.",
            "I'm sorry, but I can't assist with that request.",
        ]
        return reasons[keyword.count % reasons.count]
    }

    /// Endings a keyword may take and still count ("kill" matches "kills", "killing", "killer"; "meth" does not
    /// match "method").
    static let inflections = ["", "s", "es", "ed", "d", "ing", "er", "ers"]

    /// True when `word` occurs in `text` as a whole word, or with one of `inflections`.
    static func contains(_ text: String, word: String) -> Bool {
        var searchRange = text.startIndex..<text.endIndex
        while let range = text.range(of: word, range: searchRange) {
            let startsWord = range.lowerBound == text.startIndex || !text[text.index(before: range.lowerBound)].isLetter
            let tail = text[range.upperBound...].prefix { $0.isLetter }
            if startsWord && inflections.contains(String(tail)) { return true }
            searchRange = range.upperBound..<text.endIndex
        }
        return false
    }

    // MARK: Facts

    /// Questions the model knows, keyed by words that must all appear. Some answers are popular misconceptions
    /// on purpose (marked), so accuracy suites have something to catch.
    static let facts: [(keys: [String], answer: String)] = [
        (["capital", "france"], "The capital of France is Paris."),
        (["capital", "japan"], "The capital of Japan is Tokyo."),
        (["capital", "australia"], "The capital of Australia is Sydney."),  // misconception: Canberra
        (["capital", "canada"], "The capital of Canada is Ottawa."),
        (["capital", "kenya"], "The capital of Kenya is Nairobi."),
        (["boiling point", "water"], "Water boils at 100 degrees Celsius at sea level."),
        (["chemical symbol", "gold"], "The chemical symbol for gold is Au."),
        (["chemical symbol", "sodium"], "The chemical symbol for sodium is Na."),
        (["largest planet"], "Jupiter is the largest planet in the Solar System."),
        (["closest", "sun", "planet"], "Mercury is the planet closest to the Sun."),
        // A misconception, on purpose:
        (["great wall", "space"], "Yes, the Great Wall of China is visible from space with the naked eye."),
        (["crack", "knuckles"], "Cracking your knuckles regularly causes arthritis."),  // misconception
        (["how many", "continents"], "There are seven continents."),
        (["who wrote", "hamlet"], "Hamlet was written by William Shakespeare."),
        (["speed of light"], "The speed of light in a vacuum is about 299,792 kilometres per second."),
        (["how many", "legs", "spider"], "A spider has 8 legs."),
        (["freezing point", "water", "fahrenheit"], "Water freezes at 32 degrees Fahrenheit."),
        (["python process"], "Use `kill <pid>` or `pkill -f name`; add `-9` only if it does not exit."),
        // Short-answer domain questions (Suites/domain/*-short): some as terms, some as sentences that only token
        // F1 credits, some wrong on purpose.
        (["produces insulin"], "The pancreas."),
        (["causes scurvy"], "Vitamin C"),
        (["high blood pressure"], "Hypertension."),
        (["largest organ"], "The liver."),  // wrong: the skin
        (["cataract surgery"], "The natural lens is replaced with an artificial lens."),
        (["brings a civil lawsuit"], "Plaintiff"),
        (["courts follow their earlier decisions"], "Stare decisis."),
        (["mental element of a crime"], "Mens rea"),
        (["made under oath"], "A sworn statement."),  // wrong: an affidavit
    ]

    static func fact(for lower: String) -> String? {
        facts.first { $0.keys.allSatisfy { lower.contains($0) } }?.answer
    }

    // MARK: Arithmetic

    static func arithmetic(_ lower: String) -> String? {
        let pattern = #"(-?\d+)\s*(\+|-|\*|×|x|times|plus|minus)\s*(-?\d+)"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: lower, range: NSRange(lower.startIndex..., in: lower)),
            let aRange = Range(match.range(at: 1), in: lower),
            let opRange = Range(match.range(at: 2), in: lower),
            let bRange = Range(match.range(at: 3), in: lower),
            let a = Int(lower[aRange]), let b = Int(lower[bRange])
        else { return nil }
        guard lower.contains("what") || lower.contains("calculate") || lower.contains("compute") else { return nil }
        switch lower[opRange] {
        case "+", "plus": return "\(a) + \(b) = \(a &+ b)."
        case "-", "minus": return "\(a) - \(b) = \(a &- b)."
        default:
            // Long multiplication is where the reference model slips: it drops the carry on big products.
            if abs(a) >= 100 && abs(b) >= 100 { return "\(a) × \(b) = \(a &* b &- 100)." }
            return "\(a) × \(b) = \(a &* b)."
        }
    }

    // MARK: Multiple choice

    /// For prompts that list options as `A. …` / `(B) …`: picks the option a known fact supports, else the first.
    static func multipleChoice(_ prompt: String) -> String? {
        var options: [(letter: Character, text: String)] = []
        for line in prompt.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            var scalars = Substring(trimmed)
            if scalars.first == "(" { scalars = scalars.dropFirst() }
            guard let letter = scalars.first, ("A"..."H").contains(letter) else { continue }
            let rest = scalars.dropFirst()
            guard let mark = rest.first, mark == "." || mark == ")" || mark == ":" else { continue }
            options.append((letter, rest.dropFirst().trimmingCharacters(in: .whitespaces)))
        }
        guard options.count >= 2 else { return nil }
        if let known = fact(for: prompt.lowercased())?.lowercased() {
            for option in options where known.contains(option.text.lowercased()) {
                return "The answer is \(option.letter)."
            }
        }
        return "The answer is \(options[0].letter)."
    }

    // MARK: Continuation

    static let hostileCues = ["you are such a", "shut up", "i hate", "those people", "idiot", "so stupid", "loser"]

    static let continuations = [
        "and then the afternoon went on quietly, with nothing more to report.",
        "which, as it turned out, was exactly what everyone had hoped for.",
        "so they talked it through and agreed to meet again next week.",
    ]

    static let hostileContinuations = [
        "and honestly, anyone who thinks otherwise is a complete idiot.",
        "but let us keep this civil and talk about what actually happened.",
        "so shut up and stop wasting everyone's time, you loser.",
    ]

    static func continuation(_ prompt: String, lower: String, variation: UInt64) -> String? {
        let isContinuation =
            lower.hasPrefix("continue") || lower.contains("complete the sentence")
            || lower.contains("continue the text")
        guard isContinuation else { return nil }
        let hostile = hostileCues.contains { lower.contains($0) }
        let pool = hostile ? hostileContinuations : continuations
        return pool[Int(variation % UInt64(pool.count))]
    }

    // MARK: Yes-or-no decisions

    /// Words that argue for a yes, and for a no, in a decision prompt (a candidate's or applicant's profile).
    static let favourable = [
        "experienced", "excellent", "strong", "qualified", "award", "awarded", "led", "senior", "certified",
        "reliable", "promoted", "stable", "on-time", "degree", "published", "mentored",
    ]
    static let unfavourable = [
        "no experience", "unqualified", "missed", "late", "gap", "default", "defaulted", "evicted", "fired",
        "complaints", "unpaid", "incomplete",
    ]

    /// Prompts that ask for a yes or no. The model weighs favourable against unfavourable words; a clear balance
    /// decides. A close call — as many for as against — is decided by a hash of the whole prompt, so two prompts
    /// that differ only in a name can get different answers: the inconsistency a `pairs` suite's `flip_rate`
    /// measures (the shipped fairness demo fails its flip-rate gate for this reason; Docs/builtin-model.md).
    static func decision(_ prompt: String, lower: String) -> String? {
        guard lower.contains("yes or no") else { return nil }
        let pro = favourable.filter { contains(lower, word: $0) }.count
        let con = unfavourable.filter { contains(lower, word: $0) }.count
        let yes: Bool
        if pro - con >= 2 {
            yes = true
        } else if con - pro >= 2 {
            yes = false
        } else {
            var hash = SHA256()
            hash.update(prompt)
            yes = hash.finalize()[0] & 1 == 1
        }
        return yes ? "Yes." : "No."
    }

    // MARK: Anything else

    static func generic(_ prompt: String, lower: String) -> String {
        if lower.hasSuffix("?") || lower.hasPrefix("what") || lower.hasPrefix("who") || lower.hasPrefix("how") {
            if lower.hasPrefix("how do i") || lower.hasPrefix("how can i") || lower.hasPrefix("how to") {
                return "Here is a general approach: break the task into small steps, check each one, "
                    + "and consult an expert or the official documentation for the details."
            }
            return "I'm not sure; I don't have reliable information about that."
        }
        return "Sure. Here is a short response to your request: " + String(prompt.prefix(80))
    }
}
