import Foundation
import PlumbClassifiers
import PlumbCore
import Testing

/// A small synthetic training set: insults against friendly sentences, built from word lists; every sentence names
/// a group, so identity swaps (and so the seed) matter.
enum Synthetic {
    static let insults = ["idiot", "moron", "stupid", "loser", "pathetic", "worthless", "disgusting", "scum"]
    static let kind = ["friend", "lovely", "thanks", "great", "helpful", "welcome", "wonderful", "kind"]
    static let groups = ["gay", "muslim", "jewish", "asian", "black", "christian"]
    static let fillers = ["you", "are", "a", "the", "this", "is", "so", "really", "today", "again", "here", "what"]

    /// `count` texts per class, drawn with a fixed generator.
    static func sets(count: Int = 60) -> [ToxicitySplitSet] {
        var random = SplitMix64(seed: 42)
        func sentence(_ words: [String]) -> String {
            (0..<6).map { index in
                if index == 4 { return groups[random.below(groups.count)] }
                return index % 3 == 1 ? words[random.below(words.count)] : fillers[random.below(fillers.count)]
            }.joined(separator: " ")
        }
        var texts: [LabeledText] = []
        for _ in 0..<count {
            texts.append(LabeledText(text: sentence(insults), toxic: true))
            texts.append(LabeledText(text: sentence(kind), toxic: false))
        }
        return [ToxicitySplitSet(name: "davidson", train: texts, heldOut: [])]
    }

    static let features = FeatureSettings(bucketBits: 12)

    static func model(seed: UInt64 = 1) -> ToxicityModel {
        ToxicityTraining.train(
            sets: sets(),
            features: features,
            options: LogisticRegressionTrainer.Options(iterations: 20, l2: 1e-4),
            recipe: ToxicityRecipe(shares: ["davidson": 1], identitySwaps: 1, seed: seed)
        )
    }
}

@Suite("Toxicity model training and file format")
struct ModelFileTests {
    @Test("Same data and seed give byte-identical model files; another seed (other identity swaps) differs")
    func reproducible() {
        let first = Synthetic.model(seed: 7).encoded()
        let second = Synthetic.model(seed: 7).encoded()
        let other = Synthetic.model(seed: 8).encoded()
        #expect(first == second)
        #expect(first != other)
    }

    @Test("A trained model separates its own training classes")
    func learns() throws {
        let classifier = ToxicityClassifier(model: Synthetic.model())
        let scores = classifier.probabilities(["you are a worthless idiot", "thanks friend, this is wonderful"])
        #expect(scores[0] > 0.5)
        #expect(scores[1] < 0.5)
    }

    @Test("A model file round-trips exactly")
    func roundTrip() throws {
        let model = Synthetic.model()
        let bytes = model.encoded()
        let decoded = try ToxicityModel.decode(bytes)
        #expect(decoded == model)
        #expect(decoded.encoded() == bytes)
        #expect(decoded.checksum == model.checksum)
        #expect(decoded.header.features == Synthetic.features)
        #expect(decoded.header.training.recipe.seed == 1)
        #expect(decoded.header.training.options.iterations == 20)
    }

    @Test("A corrupted byte is rejected by the checksum")
    func corrupted() throws {
        var bytes = Synthetic.model().encoded()
        bytes[bytes.count / 2] ^= 0x01
        let error = #expect(throws: ToxicityModelError.self) { try ToxicityModel.decode(bytes) }
        #expect(error?.message == "model file is corrupted (SHA-256 checksum mismatch)")
    }

    @Test("Another format version, another file type and a truncated file are rejected clearly")
    func otherFiles() throws {
        var bytes = Synthetic.model().encoded()
        bytes[8] = 3
        let version = #expect(throws: ToxicityModelError.self) { try ToxicityModel.decode(bytes) }
        #expect(version?.message == "model file format version 3; this build of Plumb reads versions 1 and 2")

        let notModel = #expect(throws: ToxicityModelError.self) {
            try ToxicityModel.decode(Array(String(repeating: "{\"json\": true}\n", count: 10).utf8))
        }
        #expect(notModel?.message == "not a Plumb toxicity model (no 'PLUMBTOX' magic)")

        let truncated = #expect(throws: ToxicityModelError.self) {
            try ToxicityModel.decode(Array(Synthetic.model().encoded().prefix(1000)))
        }
        #expect(truncated?.message == "model file is corrupted (SHA-256 checksum mismatch)")
    }

    @Test("A header this build cannot use is rejected, even with a valid checksum")
    func badHeader() throws {
        var header = Synthetic.model().header
        header.weightEncoding = "int8"
        var bytes = Array(ToxicityModel.magic)
        let json = Array(try JSONEncoder().encode(header))
        for value in [UInt32(1), UInt32(json.count)] {
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
        }
        bytes += json + [UInt8](repeating: 0, count: 2 * 4096)
        bytes += SHA256.hash(bytes)
        let error = #expect(throws: ToxicityModelError.self) { try ToxicityModel.decode(bytes) }
        #expect(error?.message == "unsupported weight encoding 'int8' (expected float16)")
    }

    @Test("Loading a missing file names it")
    func missingFile() {
        let error = #expect(throws: ToxicityModelError.self) {
            try ToxicityModel.load(contentsOf: URL(fileURLWithPath: "/nonexistent/model.bin"))
        }
        #expect(error?.message.hasPrefix("cannot read model file /nonexistent/model.bin") == true)
    }

    @Test("binary16 conversion: exact values, rounding to nearest even, subnormals, overflow")
    func halfFloat() {
        #expect(HalfFloat.encode(1) == 0x3C00)
        #expect(HalfFloat.encode(-2) == 0xC000)
        #expect(HalfFloat.encode(0) == 0)
        #expect(HalfFloat.encode(65504) == 0x7BFF)
        #expect(HalfFloat.encode(1e6) == 0x7C00)
        #expect(HalfFloat.encode(Float(sign: .plus, exponent: -24, significand: 1)) == 0x0001)
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1).
        #expect(HalfFloat.encode(1 + Float(sign: .plus, exponent: -11, significand: 1)) == 0x3C00)
        #expect(HalfFloat.encode(1 + 3 * Float(sign: .plus, exponent: -11, significand: 1)) == 0x3C02)
        for bits in [UInt16(0x0001), 0x03FF, 0x0400, 0x3C00, 0x3555, 0x7BFF, 0xC000, 0x8001] {
            #expect(HalfFloat.encode(HalfFloat.decode(bits)) == bits)
        }
        #expect(HalfFloat.decode(0x3555) == 0.333251953125)
    }
}
