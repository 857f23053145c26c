import PlumbCore
import Foundation
import PlumbClassifiers
import Testing

@Suite("Hashed n-gram features")
struct HashedFeaturesTests {
    @Test("FNV-1a 64 matches the published test vectors")
    func fnvVectors() {
        #expect(FNV1a64.hash([UInt8]()) == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a64.hash(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(FNV1a64.hash(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
        #expect(FNV1a64.bucket(0x0123_4567_89ab_cdef, mask: 0xFFFF) == (0x89ab_cdef ^ 0x0123_4567) & 0xFFFF)
    }

    @Test(
        "Normalisation",
        arguments: [
            (
                "RT @mayasolovely: As a woman you shouldn't complain about cleaning up your house. &amp; as a man",
                "as a woman you shouldn't complain about cleaning up your house. & as a man"
            ),
            ("!!! RT @mayasolovely: As a woman", "!!! as a woman"),
            ("Check http://t.co/abc123 now, or https://x.org/a?b=c", "check now, or"),
            ("see www.example.com/page and (www.x.org)", "see and ("),
            ("&#8220;Hello&#8221; said @bob to @alice_99:", "\"hello\" said to"),
            ("Sooooo   goooood!!!!!!\n\tyes", "sooo goood!!! yes"),
            ("It\u{2019}s \u{201C}quoted\u{201D} \u{2014} yes\u{2026}", "it's \"quoted\" - yes..."),
            (
                "\u{00C0}\u{00C9}\u{00CE} \u{00DC}n\u{00EF}code \u{00D7}",
                "\u{00E0}\u{00E9}\u{00EE} \u{00FC}n\u{00EF}code \u{00D7}"
            ),
            ("lol&#128514;&#128514;", "lol \u{1F602} \u{1F602}"),
            ("a\u{200B}b &#65039;c\u{00AD}d", "ab cd"),
            ("email me@example.com", "email me@example.com"),
            ("&amp;#8220; &unknown; &#xZZ; &#x41;&#66;", "&#8220; &unknown; &#xzz; ab"),
            ("rt rt @x hi", "rt hi"),
            ("  \t\n ", ""),
            ("@only http://only.com", ""),
        ]
    )
    func normalisation(input: String, expected: String) {
        #expect(HashedFeatureExtractor().normalize(input) == expected)
    }

    @Test("Normalising twice changes nothing")
    func idempotent() {
        let extractor = HashedFeatureExtractor()
        for text in [
            "RT @a: You are SOOOO dumb!!!! http://t.co/x &amp; more",
            "It\u{2019}s fine\u{2026} \u{1F602}\u{1F602}", "plain text",
        ] {
            let once = extractor.normalize(text)
            #expect(extractor.normalize(once) == once)
        }
    }

    @Test("Each family is unit length; word unigrams and bigrams are counted with sublinear TF")
    func familyNorms() {
        let extractor = HashedFeatureExtractor(settings: FeatureSettings(bucketBits: 20, charMin: 3, charMax: 3))
        var indices: [UInt32] = []
        var values: [Float] = []
        // Words: "go" ×3, "go go" ×2 (bigram) → values 1 + ln 3 and 1 + ln 2 before normalising.
        extractor.features(of: "go go go", indices: &indices, values: &values)
        let unigram = 1 + log(3.0)
        let bigram = 1 + log(2.0)
        let norm = (unigram * unigram + bigram * bigram).squareRoot()
        #expect(abs(Double(values[0]) - unigram / norm) < 1e-6)
        #expect(abs(Double(values[1]) - bigram / norm) < 1e-6)
        // Characters (3-grams of " go "): " go", "go " — each 3 times, so equal values 1/√2.
        #expect(values.count == 4)
        #expect(abs(Double(values[2]) - 0.5.squareRoot()) < 1e-6)
        #expect(abs(Double(values[3]) - 0.5.squareRoot()) < 1e-6)
    }

    @Test("Pinned features: the hash, buckets and values must never change silently")
    func pinned() {
        let extractor = HashedFeatureExtractor(settings: FeatureSettings(bucketBits: 18))
        var indices: [UInt32] = []
        var values: [Float] = []
        extractor.features(of: "You idiot!", indices: &indices, values: &values)
        #expect(indices.count == values.count)
        // Words "you", "idiot", "you idiot" first, then the character family (38 buckets in all).
        #expect(Array(indices.prefix(3)) == [173164, 66307, 100573])
        #expect(indices.count == 38)
        var sums: [Double] = []
        for text in ["You idiot!", "Have a nice day &amp; thanks", "RT @x: stfu http://t.co/q"] {
            indices.removeAll()
            values.removeAll()
            extractor.features(of: text, indices: &indices, values: &values)
            sums.append(zip(indices, values).reduce(0.0) { $0 + Double($1.0 % 1000) * Double($1.1) })
        }
        let pinned = [3560.6318507790565, 5437.137038238347, 2513.693812996149]
        for (sum, expected) in zip(sums, pinned) { #expect(abs(sum - expected) < 1e-9) }
    }

    @Test("Results do not depend on what the extractor scored before or on table growth")
    func reuse() {
        let long = (0..<400).map { "word\($0) &#128514; Caf\u{00C9}" }.joined(separator: " ")
        let texts = ["short one", long, "you are an idiot", long + " tail", ""]
        var fresh: [[UInt32]] = []
        var freshValues: [[Float]] = []
        for text in texts {
            var indices: [UInt32] = []
            var values: [Float] = []
            HashedFeatureExtractor().features(of: text, indices: &indices, values: &values)
            fresh.append(indices)
            freshValues.append(values)
        }
        let shared = HashedFeatureExtractor()
        for (index, text) in (texts + texts).enumerated() {
            var indices: [UInt32] = []
            var values: [Float] = []
            shared.features(of: text, indices: &indices, values: &values)
            #expect(indices == fresh[index % texts.count])
            #expect(values == freshValues[index % texts.count])
        }
    }

    @Test("The margin is the dot product of the features with the weights")
    func marginMatchesFeatures() {
        let settings = FeatureSettings(bucketBits: 12)
        var random = SplitMix64(seed: 3)
        let weights = (0..<settings.bucketCount).map { _ in Float(random.below(2001) - 1000) / 1000 }
        let extractor = HashedFeatureExtractor(settings: settings)
        for text in ["You idiot!", "have a nice day", (0..<300).map { "w\($0 % 37)" }.joined(separator: " ")] {
            var indices: [UInt32] = []
            var values: [Float] = []
            extractor.features(of: text, indices: &indices, values: &values)
            let expected = zip(indices, values).reduce(0.25) { $0 + Double(weights[Int($1.0)]) * Double($1.1) }
            let margin = weights.withUnsafeBufferPointer { extractor.margin(text, weights: $0, bias: 0.25) }
            #expect(abs(margin - expected) < 1e-5)
        }
    }

    @Test("Settings this build cannot use are named")
    func settingsProblems() {
        #expect(FeatureSettings().problem == nil)
        #expect(FeatureSettings(normalization: 2).problem?.contains("normalization") == true)
        #expect(FeatureSettings(hash: "murmur").problem?.contains("murmur") == true)
        #expect(FeatureSettings(bucketBits: 30).problem?.contains("bucketBits") == true)
        #expect(FeatureSettings(charMin: 3, charMax: 2).problem?.contains("character") == true)
        #expect(FeatureSettings(wordMax: 3).problem?.contains("wordMax") == true)
    }
}
