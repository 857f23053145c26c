import Foundation

/// The settings of the hashed n-gram features: everything that decides which bucket a piece of text lands in.
///
/// A model file stores them, and scoring uses the stored settings, so a model is always scored the way it was trained.
///
/// ## The features, exactly
///
/// 1. **Normalisation** (`normalization` 1, see ``HashedFeatureExtractor/normalize(_:)``), on UTF-8 bytes.
/// 2. **Word n-grams** (family W): word tokens are maximal runs of `a`–`z`, `0`–`9`, `'` and non-ASCII bytes, with
///    leading and trailing `'` trimmed. Unigrams are hashed as FNV-1a 64 of the tag byte `0x02` followed by the
///    token's bytes; bigrams (when `wordMax` is 2) of consecutive tokens as FNV-1a 64 of `0x03`, the first token,
///    a space, the second token.
/// 3. **Character n-grams** (family C): for each space-separated token of the normalised text, padded with one
///    space on each side (as scikit-learn's `char_wb`), every byte n-gram of length `charMin`…`charMax` that fits
///    in the padded token, hashed as FNV-1a 64 of the tag byte `0x01` followed by the n-gram's bytes. (Byte, not
///    character, n-grams: a multi-byte character may be split; that is consistent and cheap.)
/// 4. **Buckets**: a 64-bit hash `h` goes to bucket `(h ^ (h >> 32)) & (2^bucketBits - 1)`. (The xor-fold mixes
///    the high bits in: FNV-1a's low bits alone depend only on the low bits of the input bytes.)
/// 5. **Values**: within each family, the n-grams that fall into bucket `b` are counted (`c_b`), the value is
///    sublinear TF `1 + ln(c_b)`, and the family's values are divided by their L2 norm. The feature vector is
///    the sum of the two unit-length family vectors (its norm is at most √2; a family with no n-grams adds
///    nothing).
///
/// FNV-1a 64: start from `0xcbf29ce484222325`; for each byte `h = (h ^ byte) &* 0x100000001b3`.
public struct FeatureSettings: Sendable, Hashable, Codable {
    /// The version of the normalisation rules (currently 1).
    public var normalization: Int
    /// The hash, for the record: `fnv1a64-xorfold` (the only one).
    public var hash: String
    /// log2 of the number of buckets (weights).
    public var bucketBits: Int
    /// The shortest and longest character n-gram, in bytes.
    public var charMin: Int
    public var charMax: Int
    /// 1 for word unigrams only, 2 for unigrams and bigrams.
    public var wordMax: Int

    public init(
        normalization: Int = 1,
        hash: String = "fnv1a64-xorfold",
        bucketBits: Int = 18,
        charMin: Int = 1,
        charMax: Int = 4,
        wordMax: Int = 2
    ) {
        self.normalization = normalization
        self.hash = hash
        self.bucketBits = bucketBits
        self.charMin = charMin
        self.charMax = charMax
        self.wordMax = wordMax
    }

    /// The number of buckets, `2^bucketBits`.
    public var bucketCount: Int { 1 << bucketBits }

    /// Why these settings cannot be used, or nil when they can.
    public var problem: String? {
        if normalization != 1 { return "unsupported normalization version \(normalization) (this build knows 1)" }
        if hash != "fnv1a64-xorfold" { return "unsupported feature hash '\(hash)' (this build knows fnv1a64-xorfold)" }
        if !(4...24).contains(bucketBits) { return "bucketBits \(bucketBits) is outside 4...24" }
        if !(1...8).contains(charMin) || !(charMin...8).contains(charMax) {
            return "character n-gram range \(charMin)...\(charMax) is outside 1...8"
        }
        if !(1...2).contains(wordMax) { return "wordMax \(wordMax) must be 1 or 2" }
        return nil
    }
}

/// FNV-1a 64, the feature hash.
public enum FNV1a64 {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// One step: mixes `byte` into `hash`.
    @inline(__always)
    public static func step(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* prime
    }

    /// The hash of `bytes`, continuing from `hash`.
    public static func hash(_ bytes: some Sequence<UInt8>, from hash: UInt64 = offsetBasis) -> UInt64 {
        var value = hash
        for byte in bytes { value = step(value, byte) }
        return value
    }

    /// The bucket of a hash: `(h ^ (h >> 32)) & mask`.
    @inline(__always)
    public static func bucket(_ hash: UInt64, mask: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: hash ^ (hash >> 32)) & mask
    }
}

/// Turns text into hashed n-gram features (see ``FeatureSettings``), reusing its buffers between texts.
///
/// One pass over the text's UTF-8 bytes normalises it and, as each token ends, counts the token's word and
/// character n-grams into two small open-addressing tables (one per family); then the families' values are
/// normalised and either dotted with the weights (``margin(_:weights:bias:)``) or listed
/// (``features(of:indices:values:)``). Nothing is allocated per text or per n-gram once the buffers have grown to
/// the longest text seen.
///
/// Not thread-safe: use one extractor per thread (they are cheap to make).
public final class HashedFeatureExtractor {
    public let settings: FeatureSettings

    /// The normalised text: a space, then each token followed by a space.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var bufferCapacity: Int
    private var bufferCount = 0
    /// The counting tables of the two families, kept between texts (always empty between calls).
    private var words: Counter
    private var characters: Counter
    /// Character 1-grams are counted per byte value (cheaper than the table), then merged into the table:
    /// counts by byte, bytes in first-seen order, and each byte's bucket.
    private let byteCounts: UnsafeMutablePointer<UInt32>
    private let byteOrder: UnsafeMutablePointer<UInt8>
    private let byteKeys: UnsafeMutablePointer<UInt64>
    /// `1 + ln(c)` for small counts `c`.
    private let sublinear: UnsafeMutablePointer<Double>
    /// The hidden layer's scratch space, made for the first model with a hidden layer this extractor scores.
    private var hiddenScratch: HiddenLayerScratch?
    private static let sublinearTableSize = 256
    private static let sublinearValues: [Double] = (0..<sublinearTableSize).map { $0 == 0 ? 0 : 1 + log(Double($0)) }

    public init(settings: FeatureSettings = FeatureSettings()) {
        precondition(settings.problem == nil, settings.problem ?? "")
        self.settings = settings
        let mask = UInt32((1 << settings.bucketBits) - 1)
        bufferCapacity = 1024
        buffer = .allocate(capacity: bufferCapacity)
        words = Counter(capacity: 256, bucketMask: mask)
        characters = Counter(capacity: 1024, bucketMask: mask)
        byteCounts = .allocate(capacity: 256)
        byteCounts.initialize(repeating: 0, count: 256)
        byteOrder = .allocate(capacity: 256)
        byteOrder.initialize(repeating: 0, count: 256)
        byteKeys = .allocate(capacity: 256)
        for byte in 0..<256 {
            let hash = FNV1a64.step(FNV1a64.step(FNV1a64.offsetBasis, 0x01), UInt8(byte))
            byteKeys[byte] = UInt64(FNV1a64.bucket(hash, mask: mask))
        }
        sublinear = .allocate(capacity: Self.sublinearTableSize)
        sublinear.initialize(from: Self.sublinearValues, count: Self.sublinearTableSize)
    }

    deinit {
        buffer.deallocate()
        words.deallocate()
        characters.deallocate()
        byteCounts.deallocate()
        byteOrder.deallocate()
        byteKeys.deallocate()
        sublinear.deallocate()
    }

    // MARK: - Public API

    /// The normalised text: what the n-grams are taken from.
    ///
    /// Rules (normalisation 1):
    /// - HTML entities are decoded once: `&amp; &lt; &gt; &quot; &apos; &nbsp;` and numeric `&#8220;` / `&#x201C;`.
    /// - ASCII and Latin-1 capitals (`À`–`Þ`) are lowercased.
    /// - Typographic quotes, primes and acute accents become `'` or `"`, dashes `-`, `…` `...`; zero-width
    ///   characters, soft hyphens and emoji variation selectors are dropped; emoji and other pictographs
    ///   (U+2190–21FF, U+2600–27BF, U+2B00–2BFF, U+1F000–1FAFF) are split off as tokens of their own.
    /// - Whitespace and control characters separate tokens; tokens are joined by single spaces.
    /// - A byte is dropped when the three bytes before it in its token are the same byte (`soooooo` → `sooo`,
    ///   `!!!!!` → `!!!`).
    /// - In a token with `@`, `:` or `www.`: an @mention (`@` at the token's start or after a byte that is not a
    ///   letter, digit or non-ASCII, then `[a-z0-9_]+`, then an optional `:`) is removed, and a URL (`http://`,
    ///   `https://` or `www.` at such a boundary) is removed with the rest of the token; then runs are cut again.
    /// - A token `rt` directly before a token that starts with `@` is removed (`RT @user: …`).
    /// - Tokens left empty disappear.
    public func normalize(_ text: String) -> String {
        run(text, emit: false)
        guard bufferCount > 2 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: buffer + 1, count: bufferCount - 2), as: UTF8.self)
    }

    /// The logistic-regression margin `bias + w · x` of one text, for a weight table of `settings.bucketCount`.
    public func margin(_ text: String, weights: UnsafeBufferPointer<Float>, bias: Double) -> Double {
        precondition(weights.count == settings.bucketCount, "weight table does not match the feature settings")
        run(text, emit: true)
        let base = weights.baseAddress!
        var sum = bias
        sum += dotAndReset(&words, base)
        sum += dotAndReset(&characters, base)
        return sum
    }

    /// The margin of a model with a hidden layer: `bias + w · x` over the first `settings.bucketCount` numbers of
    /// `parameters`, plus the hidden layer's output (``HiddenLayerSettings``) over the rest.
    public func margin(
        _ text: String,
        parameters: UnsafeBufferPointer<Float>,
        bias: Double,
        hidden: HiddenLayerSettings
    ) -> Double {
        precondition(
            parameters.count == settings.bucketCount + hidden.parameterCount,
            "parameter table does not match the feature and hidden-layer settings"
        )
        if hiddenScratch?.settings != hidden { hiddenScratch = HiddenLayerScratch(settings: hidden) }
        let scratch = hiddenScratch!
        run(text, emit: true)
        let base = parameters.baseAddress!
        let deep = base + settings.bucketCount
        var sum = bias
        // The word family: its dot product with the wide weights, and its embedding sum (a mean weighted by value).
        var total = 0.0
        sum += dotAndReset(&words, base) { bucket, value in
            scratch.add(bucket: bucket, value: Float(value), parameters: deep)
            total += value
        }
        sum += scratch.output(scale: total > 0 ? Float(1 / total) : 0, parameters: deep)
        scratch.clear()
        sum += dotAndReset(&characters, base)
        return sum
    }

    /// Appends the non-zero features of one text (bucket, value) to `indices` and `values`: first the word family
    /// in first-occurrence order, then the character family (longer n-grams in first-occurrence order, then the
    /// 1-grams in first-seen order). A bucket can appear once per family. Returns how many word features it
    /// appended.
    @discardableResult
    public func features(of text: String, indices: inout [UInt32], values: inout [Float]) -> Int {
        run(text, emit: true)
        let before = indices.count
        appendAndReset(&words, &indices, &values)
        let wordCount = indices.count - before
        appendAndReset(&characters, &indices, &values)
        return wordCount
    }

    // MARK: - The pass

    /// Normalises `text` into `buffer` and, when `emit` is true, counts its n-grams.
    private func run(_ text: String, emit: Bool) {
        var text = text
        text.withUTF8 { input in
            // Output is at most 1.5 bytes per input byte (a 4-byte emoji becomes itself and a separator) plus 2.
            let needed = input.count * 2 + 8
            if needed > bufferCapacity {
                buffer.deallocate()
                bufferCapacity = max(needed, bufferCapacity * 2)
                buffer = .allocate(capacity: bufferCapacity)
            }
            let characterGrams = settings.charMax - settings.charMin + 1
            words.prepare(expected: input.count + 2)
            characters.prepare(expected: characterGrams * (input.count + 2))
            var pass = Pass(
                out: buffer,
                words: words,
                characters: characters,
                emit: emit,
                byteCounts: byteCounts,
                byteOrder: byteOrder,
                byteKeys: byteKeys,
                charMin: settings.charMin,
                charMax: settings.charMax,
                bigrams: settings.wordMax >= 2
            )
            pass.run(input)
            // The tables may have grown.
            words = pass.words
            characters = pass.characters
            bufferCount = pass.o
        }
    }

    /// The state of one text's pass, held in a local so that the hot loops keep it in registers.
    private struct Pass {
        let out: UnsafeMutablePointer<UInt8>
        var words: Counter
        var characters: Counter
        let emit: Bool
        let byteCounts: UnsafeMutablePointer<UInt32>
        let byteOrder: UnsafeMutablePointer<UInt8>
        let byteKeys: UnsafeMutablePointer<UInt64>
        var bytesSeen = 0
        let charMin: Int
        let charMax: Int
        let bigrams: Bool
        /// The next byte to write; `out[0]` is the leading space.
        var o = 1
        /// Where the current token starts (`out[tokenStart - 1]` is a space).
        var tokenStart = 1
        /// Whether the current token holds `@`, `:` or `www.` and needs `fixToken`.
        var special = false
        /// Where a token `rt` that may still be removed starts, or -1.
        var pendingRT = -1
        let characterSeed = FNV1a64.step(FNV1a64.offsetBasis, 0x01)
        let unigramSeed = FNV1a64.step(FNV1a64.offsetBasis, 0x02)
        let bigramSeed = FNV1a64.step(FNV1a64.offsetBasis, 0x03)
        /// The word-bigram hash prefix of the previous word, if any.
        var previousWord: UInt64 = 0
        var hasPreviousWord = false

        init(
            out: UnsafeMutablePointer<UInt8>,
            words: Counter,
            characters: Counter,
            emit: Bool,
            byteCounts: UnsafeMutablePointer<UInt32>,
            byteOrder: UnsafeMutablePointer<UInt8>,
            byteKeys: UnsafeMutablePointer<UInt64>,
            charMin: Int,
            charMax: Int,
            bigrams: Bool
        ) {
            self.out = out
            self.words = words
            self.characters = characters
            self.emit = emit
            self.byteCounts = byteCounts
            self.byteOrder = byteOrder
            self.byteKeys = byteKeys
            self.charMin = charMin
            self.charMax = charMax
            self.bigrams = bigrams
            out[0] = 0x20
        }

        mutating func run(_ input: UnsafeBufferPointer<UInt8>) {
            guard let p = input.baseAddress else { return }
            let n = input.count
            var i = 0
            while i < n {
                let byte = p[i]
                if byte >= 0x61 && byte <= 0x7A {  // a-z: the common case
                    append(byte)
                    i &+= 1
                } else if byte < 0x80 {
                    if byte == 0x26, let (value, length) = entity(p, at: i, count: n) {
                        scalar(value)
                        i &+= length
                    } else {
                        ascii(byte)
                        i &+= 1
                    }
                } else {
                    // Swift strings are valid UTF-8: decode one scalar.
                    let length = byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                    guard i + length <= n else { break }
                    var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                    for k in 1..<length { value = (value << 6) | UInt32(p[i + k] & 0x3F) }
                    scalar(value)
                    i &+= length
                }
            }
            endToken()
            if pendingRT >= 0 { countToken(pendingRT, pendingRT + 2) }
            // Merge the character 1-grams into the table, in first-seen order.
            characters.reserve(bytesSeen)
            for k in 0..<bytesSeen {
                let byte = Int(byteOrder[k])
                characters.add(key: byteKeys[byte], count: byteCounts[byte])
                byteCounts[byte] = 0
            }
        }

        /// Writes one byte of the current token, unless the token already ends with three of it.
        @inline(__always)
        mutating func append(_ byte: UInt8) {
            if o &- tokenStart >= 3 && out[o &- 1] == byte && out[o &- 2] == byte && out[o &- 3] == byte { return }
            out[o] = byte
            o &+= 1
        }

        @inline(__always)
        mutating func ascii(_ byte: UInt8) {
            if byte >= 0x41 && byte <= 0x5A {
                append(byte | 0x20)
            } else if byte <= 0x20 || byte == 0x7F {
                endToken()
            } else {
                if byte == 0x40 || byte == 0x3A
                    || (byte == 0x2E && o &- tokenStart >= 3 && out[o &- 1] == 0x77 && out[o &- 2] == 0x77
                        && out[o &- 3] == 0x77)
                {
                    special = true
                }
                append(byte)
            }
        }

        /// Maps one non-letter scalar (see `normalize`).
        mutating func scalar(_ value: UInt32) {
            if value < 0x80 {
                ascii(UInt8(value))
                return
            }
            var v = value
            switch value {
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x00B4, 0x02BC:
                ascii(0x27)
                return
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x00AB, 0x00BB:
                ascii(0x22)
                return
            case 0x2010...0x2015, 0x2212:
                ascii(0x2D)
                return
            case 0x2026:
                ascii(0x2E)
                ascii(0x2E)
                ascii(0x2E)
                return
            case 0x0080...0x00A0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
                endToken()
                return
            case 0x00AD, 0x200B...0x200D, 0x2060, 0xFE0E, 0xFE0F, 0xFEFF:
                return
            case 0x00C0...0x00DE where value != 0x00D7:
                v = value + 0x20
            default:
                break
            }
            let pictograph =
                (0x1F000...0x1FAFF).contains(v) || (0x2600...0x27BF).contains(v) || (0x2B00...0x2BFF).contains(v)
                || (0x2190...0x21FF).contains(v)
            if pictograph { endToken() }
            if v < 0x800 {
                append(UInt8(0xC0 | (v >> 6)))
                append(UInt8(0x80 | (v & 0x3F)))
            } else if v < 0x10000 {
                append(UInt8(0xE0 | (v >> 12)))
                append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                append(UInt8(0x80 | (v & 0x3F)))
            } else {
                append(UInt8(0xF0 | (v >> 18)))
                append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                append(UInt8(0x80 | (v & 0x3F)))
            }
            if pictograph { endToken() }
        }

        /// Finishes the current token: resolves a pending `rt`, applies the mention and URL rules, counts it.
        mutating func endToken() {
            guard o > tokenStart else { return }
            if pendingRT >= 0 {
                let rt = pendingRT
                pendingRT = -1
                if out[tokenStart] == 0x40 {
                    // Drop "rt ": move this token back over it.
                    let length = o &- tokenStart
                    (out + rt).update(from: out + tokenStart, count: length)
                    tokenStart = rt
                    o = rt &+ length
                } else {
                    countToken(rt, rt &+ 2)
                }
            }
            if special {
                special = false
                fixToken()
                guard o > tokenStart else { return }
            }
            let start = tokenStart
            out[o] = 0x20
            o &+= 1
            tokenStart = o
            if o &- start == 3 && out[start] == 0x72 && out[start &+ 1] == 0x74 {
                pendingRT = start
            } else {
                countToken(start, o &- 1)
            }
        }

        /// Removes mentions and URLs from the current token in place and cuts runs again.
        mutating func fixToken() {
            let s = tokenStart
            let e = o
            var w = s
            var last: UInt8 = 0
            var run = 0
            var i = s
            while i < e {
                let byte = out[i]
                // Reading out[i - 1] is safe: it holds the original byte (w ≤ i, and a write at i - 1 wrote it).
                let atBoundary = i == s || !isAlphanumeric(out[i &- 1])
                if byte == 0x40 && atBoundary && i &+ 1 < e && isMentionByte(out[i &+ 1]) {
                    i &+= 1
                    while i < e && isMentionByte(out[i]) { i &+= 1 }
                    if i < e && out[i] == 0x3A { i &+= 1 }
                    continue
                }
                if atBoundary && (byte == 0x68 || byte == 0x77)
                    && (hasPrefix(at: i, end: e, "http://") || hasPrefix(at: i, end: e, "https://")
                        || hasPrefix(at: i, end: e, "www."))
                {
                    break
                }
                if byte == last {
                    run &+= 1
                    if run > 3 {
                        i &+= 1
                        continue
                    }
                } else {
                    last = byte
                    run = 1
                }
                out[w] = byte
                w &+= 1
                i &+= 1
            }
            o = w
        }

        func hasPrefix(at i: Int, end: Int, _ prefix: StaticString) -> Bool {
            let length = prefix.utf8CodeUnitCount
            guard end - i >= length else { return false }
            let bytes = prefix.utf8Start
            for k in 0..<length where out[i + k] != bytes[k] { return false }
            return true
        }

        @inline(__always)
        func isMentionByte(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
        }

        @inline(__always)
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte >= 0x80
        }

        @inline(__always)
        func isWordByte(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x27 || byte >= 0x80
        }

        /// Counts the n-grams of the token `out[start..<end]` (which has a space before and after it).
        mutating func countToken(_ start: Int, _ end: Int) {
            guard emit else { return }
            let p = out
            // Work on local copies of the counters, so that their fields stay in registers.
            var words = self.words
            var characters = self.characters
            defer {
                self.words = words
                self.characters = characters
            }
            // Words: runs of word bytes, apostrophes trimmed.
            words.reserve(end &- start &+ 1)
            var i = start
            while i < end {
                guard isWordByte(p[i]) else {
                    i &+= 1
                    continue
                }
                var wordStart = i
                while i < end && isWordByte(p[i]) { i &+= 1 }
                var wordEnd = i
                while wordStart < wordEnd && p[wordStart] == 0x27 { wordStart &+= 1 }
                while wordEnd > wordStart && p[wordEnd &- 1] == 0x27 { wordEnd &-= 1 }
                guard wordStart < wordEnd else { continue }
                var unigram = unigramSeed
                var bigram = previousWord
                var prefix = bigramSeed
                for k in wordStart..<wordEnd {
                    let byte = p[k]
                    unigram = FNV1a64.step(unigram, byte)
                    bigram = FNV1a64.step(bigram, byte)
                    prefix = FNV1a64.step(prefix, byte)
                }
                words.add(unigram)
                guard bigrams else { continue }
                if hasPreviousWord { words.add(bigram) }
                previousWord = FNV1a64.step(prefix, 0x20)
                hasPreviousWord = true
            }
            // Characters: every n-gram of the padded token p[start - 1 ... end].
            let paddedStart = start &- 1
            let paddedEnd = end &+ 1
            let high = charMax
            characters.reserve((high &- charMin &+ 1) &* (paddedEnd &- paddedStart))
            var low = charMin
            if low == 1 {
                // 1-grams are counted by byte value and merged into the table at the end of the text.
                for k in paddedStart..<paddedEnd {
                    let byte = Int(p[k])
                    let count = byteCounts[byte]
                    if count == 0 {
                        byteOrder[bytesSeen] = UInt8(truncatingIfNeeded: byte)
                        bytesSeen &+= 1
                    }
                    byteCounts[byte] = count &+ 1
                }
                low = 2
            }
            guard low <= high else { return }
            var g = paddedStart
            while g &+ low <= paddedEnd {
                var hash = characterSeed
                for k in 0..<low { hash = FNV1a64.step(hash, p[g &+ k]) }
                characters.add(hash)
                let limit = min(high, paddedEnd &- g)
                var k = low
                while k < limit {
                    hash = FNV1a64.step(hash, p[g &+ k])
                    k &+= 1
                    characters.add(hash)
                }
                g &+= 1
            }
        }

        /// The scalar value and length of the HTML entity at `i` (which holds `&`), if it is one this build
        /// decodes.
        func entity(_ p: UnsafePointer<UInt8>, at i: Int, count n: Int) -> (UInt32, Int)? {
            var j = i + 1
            guard j < n else { return nil }
            if p[j] == 0x23 {  // '#'
                j += 1
                var value: UInt32 = 0
                var digits = 0
                if j < n && (p[j] == 0x78 || p[j] == 0x58) {  // 'x'
                    j += 1
                    while j < n, digits < 7, let digit = hexDigit(p[j]) {
                        value = value * 16 + digit
                        digits += 1
                        j += 1
                    }
                } else {
                    while j < n, digits < 8, p[j] >= 0x30 && p[j] <= 0x39 {
                        value = value * 10 + UInt32(p[j] - 0x30)
                        digits += 1
                        j += 1
                    }
                }
                guard digits > 0, j < n, p[j] == 0x3B, value > 0, value <= 0x10FFFF,
                    !(0xD800...0xDFFF).contains(value)
                else { return nil }
                return (value, j + 1 - i)
            }
            // Named: amp, lt, gt, quot, apos, nbsp.
            var name: UInt64 = 0
            var length = 0
            while j < n, length < 5, p[j] >= 0x61 && p[j] <= 0x7A {
                name = name << 8 | UInt64(p[j])
                length += 1
                j += 1
            }
            guard length >= 2, j < n, p[j] == 0x3B else { return nil }
            let value: UInt32
            switch name {
            case 0x61_6D70: value = 0x26  // amp
            case 0x6C74: value = 0x3C  // lt
            case 0x6774: value = 0x3E  // gt
            case 0x7175_6F74: value = 0x22  // quot
            case 0x6170_6F73: value = 0x27  // apos
            case 0x6E62_7370: value = 0xA0  // nbsp
            default: return nil
            }
            return (value, j + 1 - i)
        }

        func hexDigit(_ byte: UInt8) -> UInt32? {
            switch byte {
            case 0x30...0x39: UInt32(byte - 0x30)
            case 0x61...0x66: UInt32(byte - 0x61 + 10)
            case 0x41...0x46: UInt32(byte - 0x41 + 10)
            default: nil
            }
        }
    }

    // MARK: - Counting

    /// An open-addressing table counting n-grams by bucket, with the slots in first-use order (so results never
    /// depend on the table's size). An entry is `count << 32 | bucket`; `empty` marks a free slot (no bucket is
    /// `0xFFFFFFFF`). The table is empty between texts.
    struct Counter {
        static let empty: UInt64 = 0xFFFF_FFFF

        private(set) var entries: UnsafeMutablePointer<UInt64>
        private(set) var used: UnsafeMutablePointer<Int32>
        private(set) var capacity: Int
        var tableMask: Int
        let bucketMask: UInt32
        var usedCount = 0

        init(capacity: Int, bucketMask: UInt32) {
            self.capacity = capacity
            entries = .allocate(capacity: capacity)
            entries.initialize(repeating: Self.empty, count: capacity)
            used = .allocate(capacity: capacity)
            tableMask = capacity - 1
            self.bucketMask = bucketMask
        }

        func deallocate() {
            entries.deallocate()
            used.deallocate()
        }

        /// Sizes the table for a text expected to have about `expected` n-grams (load at most 1/2).
        mutating func prepare(expected: Int) {
            var size = 64
            while size < expected * 2 && size < capacity { size <<= 1 }
            tableMask = size - 1
        }

        /// Makes room for `more` insertions at load at most 1/2, growing (and rehashing in order) if needed.
        @inline(__always)
        mutating func reserve(_ more: Int) {
            if (usedCount &+ more) &* 2 > tableMask &+ 1 { grow(usedCount + more) }
        }

        /// Grows the table to hold `needed` entries at load at most 1/2, reinserting them in first-use order.
        mutating func grow(_ needed: Int) {
            var size = tableMask + 1
            while size < needed * 2 { size <<= 1 }
            var staged = [UInt64](repeating: 0, count: usedCount)
            for u in 0..<usedCount {
                let slot = Int(used[u])
                staged[u] = entries[slot]
                entries[slot] = Self.empty
            }
            if size > capacity {
                deallocate()
                entries = .allocate(capacity: size)
                entries.initialize(repeating: Self.empty, count: size)
                used = .allocate(capacity: size)
                capacity = size
            }
            tableMask = size - 1
            for (u, entry) in staged.enumerated() {
                var slot = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) & tableMask
                while entries[slot] != Self.empty { slot = (slot + 1) & tableMask }
                entries[slot] = entry
                used[u] = Int32(truncatingIfNeeded: slot)
            }
        }

        /// Adds `count` occurrences of bucket `key`.
        mutating func add(key: UInt64, count: UInt32) {
            var slot = Int(truncatingIfNeeded: key) & tableMask
            while true {
                let entry = entries[slot]
                if entry & 0xFFFF_FFFF == key {
                    entries[slot] = entry &+ (UInt64(count) << 32)
                    return
                }
                if entry == Self.empty {
                    entries[slot] = key | (UInt64(count) << 32)
                    used[usedCount] = Int32(truncatingIfNeeded: slot)
                    usedCount &+= 1
                    return
                }
                slot = (slot &+ 1) & tableMask
            }
        }

        @inline(__always)
        mutating func add(_ hash: UInt64) {
            let key = UInt64(FNV1a64.bucket(hash, mask: bucketMask))
            var slot = Int(truncatingIfNeeded: key) & tableMask
            while true {
                let entry = entries[slot]
                if entry & 0xFFFF_FFFF == key {
                    entries[slot] = entry &+ (1 << 32)
                    return
                }
                if entry == Self.empty {
                    entries[slot] = key | (1 << 32)
                    used[usedCount] = Int32(truncatingIfNeeded: slot)
                    usedCount &+= 1
                    return
                }
                slot = (slot &+ 1) & tableMask
            }
        }
    }

    /// `1 + ln(count)` of an entry.
    @inline(__always)
    private func value(_ entry: UInt64) -> Double {
        let count = Int(truncatingIfNeeded: entry >> 32)
        if count == 1 { return 1 }
        return count < Self.sublinearTableSize ? sublinear[count] : 1 + log(Double(count))
    }

    /// `Σ w_b v_b / ‖v‖` over a counted family; empties its table. `visit` sees each bucket and its value
    /// `1 + ln c` (the hidden layer's embedding sum).
    @inline(__always)
    private func dotAndReset(
        _ counter: inout Counter,
        _ weights: UnsafePointer<Float>,
        visit: (UInt32, Double) -> Void = { _, _ in }
    ) -> Double {
        let count = counter.usedCount
        guard count > 0 else { return 0 }
        let entries = counter.entries
        let used = counter.used
        var dot = 0.0
        var squares = 0.0
        for u in 0..<count {
            let slot = Int(truncatingIfNeeded: used[u])
            let entry = entries[slot]
            entries[slot] = Counter.empty
            let v = value(entry)
            let bucket = UInt32(truncatingIfNeeded: entry & 0xFFFF_FFFF)
            dot += v * Double(weights[Int(bucket)])
            visit(bucket, v)
            squares += v * v
        }
        counter.usedCount = 0
        return dot / squares.squareRoot()
    }

    /// Appends a counted family's normalised features; empties its table.
    private func appendAndReset(_ counter: inout Counter, _ indices: inout [UInt32], _ values: inout [Float]) {
        let count = counter.usedCount
        guard count > 0 else { return }
        let entries = counter.entries
        let used = counter.used
        var squares = 0.0
        for u in 0..<count {
            let v = value(entries[Int(used[u])])
            squares += v * v
        }
        let scale = 1 / squares.squareRoot()
        for u in 0..<count {
            let slot = Int(used[u])
            let entry = entries[slot]
            entries[slot] = Counter.empty
            indices.append(UInt32(truncatingIfNeeded: entry & 0xFFFF_FFFF))
            values.append(Float(value(entry) * scale))
        }
        counter.usedCount = 0
    }
}
