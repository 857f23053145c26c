import PlumbCore
import PlumbClassifiers
import Testing

@Suite("Identity-term swaps")
struct IdentitySwapTests {
    @Test("Identity terms are replaced by other terms; punctuation and plural s are kept")
    func swaps() throws {
        var random = SplitMix64(seed: 5)
        let variants = IdentitySwap.variants(
            of: "the gay guy and two muslims, \"jewish!\" ok",
            count: 3,
            random: &random
        )
        #expect(variants.count == 3)
        for variant in variants {
            let words = variant.split(separator: " ").map(String.init)
            #expect(words.count == 8)
            #expect(words[0] == "the" && words[2] == "guy" && words[7] == "ok")
            #expect(words[1] != "gay" && IdentitySwap.terms.contains(words[1]))
            #expect(words[5].hasSuffix("s,") && words[5] != "muslims,")
            #expect(IdentitySwap.terms.contains(String(words[5].dropLast(2))))
            #expect(words[6].hasPrefix("\"") && words[6].hasSuffix("!\"") && words[6] != "\"jewish!\"")
        }
    }

    @Test("No identity term, no copies; the same seed gives the same copies")
    func deterministic() {
        var random = SplitMix64(seed: 1)
        #expect(IdentitySwap.variants(of: "have a nice day", count: 2, random: &random).isEmpty)
        var first = SplitMix64(seed: 9)
        var second = SplitMix64(seed: 9)
        let text = "asian women are the worst drivers"
        #expect(
            IdentitySwap.variants(of: text, count: 4, random: &first)
                == IdentitySwap.variants(of: text, count: 4, random: &second)
        )
    }

    @Test("SplitMix64 matches its reference output and draws uniformly below a bound")
    func splitMix() {
        var random = SplitMix64(seed: 1234567)
        // Reference values from the published SplitMix64 algorithm (seed 1234567).
        #expect(random.next() == 6_457_827_717_110_365_317)
        #expect(random.next() == 3_203_168_211_198_807_973)
        var counts = [Int](repeating: 0, count: 3)
        for _ in 0..<3000 { counts[random.below(3)] += 1 }
        #expect(counts.allSatisfy { (900...1100).contains($0) })
    }
}
