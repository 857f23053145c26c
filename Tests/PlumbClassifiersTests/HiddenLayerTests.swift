import Foundation
import PlumbClassifiers
import PlumbCore
import PlumbTestSupport
import Testing

/// The hidden layer of the `toxicity-groups` model: its forward pass against an independent computation, its
/// file format, its deterministic training, and that it learns what a linear model cannot.
@Suite struct HiddenLayerTests {
    static let features = FeatureSettings(bucketBits: 10)
    static let hidden = HiddenLayerSettings(embeddingBits: 8, dimension: 3, hidden: 2)

    /// A model whose parameters are a fixed, irregular function of their index.
    static func handMade() -> ToxicityModel {
        let count = features.bucketCount + hidden.parameterCount
        let parameters = (0..<count).map { Float(($0 * 37 % 101) - 50) / 64 }
        return ToxicityModel(
            header: ToxicityModelHeader(
                features: features,
                bias: -0.25,
                threshold: 0.5,
                training: TrainingSummary(
                    options: LogisticRegressionTrainer.Options(),
                    recipe: ToxicityRecipe(),
                    datasets: [],
                    dataSHA256: "",
                    files: [],
                    thresholdRule: "test",
                    validationF1: 0,
                    validationAUC: 0
                ),
                hiddenLayer: hidden
            ),
            weights: parameters
        )
    }

    @Test("The margin is bias + w·x + w₂·ReLU(W₁ mean-embedding + b₁), computed independently from the features")
    func forwardPassMatchesAnIndependentComputation() throws {
        let model = Self.handMade()
        let p = model.weights
        let h = Self.hidden
        for text in ["I don't hate anyone", "you are a total idiot!!", "", "Muslims are welcome here, truly"] {
            // The features as listed (L2-normalised per family), then undone to the raw 1 + ln c values by the
            // family's own scale: the mean embedding weighs each word n-gram by 1 + ln c over their sum.
            var indices: [UInt32] = []
            var values: [Float] = []
            let words = HashedFeatureExtractor(settings: Self.features).features(
                of: text,
                indices: &indices,
                values: &values
            )
            var margin = -0.25
            for (index, value) in zip(indices, values) { margin += Double(p[Int(index)]) * Double(value) }
            let base = Self.features.bucketCount
            var embedding = [Double](repeating: 0, count: h.dimension)
            let total = values.prefix(words).reduce(0.0) { $0 + Double($1) }
            for (index, value) in zip(indices.prefix(words), values.prefix(words)) {
                let row = base + Int(index & UInt32(h.rows - 1)) * h.dimension
                for d in 0..<h.dimension { embedding[d] += Double(value) / total * Double(p[row + d]) }
            }
            let w1 = base + h.embeddingCount
            let b1 = w1 + h.hidden * h.dimension
            let w2 = b1 + h.hidden
            for j in 0..<h.hidden {
                var z = Double(p[b1 + j])
                for d in 0..<h.dimension { z += Double(p[w1 + j * h.dimension + d]) * embedding[d] }
                margin += Double(p[w2 + j]) * max(0, z)
            }
            let expected = 1 / (1 + exp(-margin))
            #expect(abs(model.probability(text) - expected) < 1e-5, "\(text)")
            #expect(abs(ToxicityClassifier(model: model).probabilities([text])[0] - expected) < 1e-5)
        }
    }

    @Test("A model with a hidden layer is format version 2, reads back equal, and keeps version 1 for linear models")
    func fileFormat() throws {
        let model = Self.handMade()
        let bytes = model.encoded()
        #expect(bytes[8] == 2)
        let read = try ToxicityModel.decode(bytes)
        #expect(read == model && read.header.hiddenLayer == Self.hidden)
        #expect(ToxicityClassifier(model: read).identity.version.hasPrefix("2+"))
        #expect(Synthetic.model().encoded()[8] == 1)
        // A version-1 file cannot claim a hidden layer (its parameters would be read as missing).
        var relabelled = bytes
        relabelled[8] = 1
        let body = relabelled.count - 32
        relabelled.replaceSubrange(body..., with: SHA256.hash(Array(relabelled[..<body])))
        let error = #expect(throws: ToxicityModelError.self) { try ToxicityModel.decode(relabelled) }
        #expect(error?.message == "model file format version 1 cannot have a 'hiddenLayer'")
    }

    /// Label = exactly one of the words `alpha`, `beta` (exclusive or), among filler words: no linear model over
    /// these word features separates it, a hidden layer can.
    static func exclusiveOr() -> (data: SparseDataset, words: [Int], texts: [String], labels: [Bool]) {
        var random = SplitMix64(seed: 9)
        let fillers = ["the", "a", "one", "more", "day", "here", "now", "then"]
        var data = SparseDataset()
        var words: [Int] = []
        var texts: [String] = []
        var labels: [Bool] = []
        let extractor = HashedFeatureExtractor(settings: features)
        for index in 0..<400 {
            let alpha = index % 2 == 0
            let beta = (index / 2) % 2 == 0
            var tokens = (0..<3).map { _ in fillers[random.below(fillers.count)] }
            if alpha { tokens.insert("alpha", at: random.below(tokens.count + 1)) }
            if beta { tokens.insert("beta", at: random.below(tokens.count + 1)) }
            let text = tokens.joined(separator: " ")
            var indices: [UInt32] = []
            var values: [Float] = []
            words.append(extractor.features(of: text, indices: &indices, values: &values))
            // Only the word family: the character n-grams would let the wide part see the two words together.
            data.append(
                indices: Array(indices.prefix(words.last!)),
                values: Array(values.prefix(words.last!)),
                label: alpha != beta,
                weight: 1
            )
            texts.append(text)
            labels.append(alpha != beta)
        }
        return (data, words, texts, labels)
    }

    @Test("Training is deterministic, and the hidden layer learns an exclusive-or that the linear model cannot")
    func learnsAnInteraction() throws {
        let (data, words, _, labels) = Self.exclusiveOr()
        let linear = LogisticRegressionTrainer.train(
            data,
            dimension: Self.features.bucketCount,
            options: LogisticRegressionTrainer.Options(iterations: 50, l2: 1e-4)
        )
        let linearRight = (0..<data.count).filter { (linear.margin(data, row: $0) > 0) == labels[$0] }.count
        let settings = HiddenLayerSettings(embeddingBits: 8, dimension: 8, hidden: 8)
        let options = HiddenLayerTrainer.Options(epochs: 40, rate: 0.1, wideRate: 0, l2: 0, seed: 3)
        // The hidden layer alone (zero wide weights, kept at zero by wideRate 0), so that the shipped forward pass
        // below, which also sees character n-grams, scores exactly what was trained.
        let zero = LogisticModel(weights: [Float](repeating: 0, count: Self.features.bucketCount), bias: 0)
        let first = HiddenLayerTrainer.train(data, wordCounts: words, wide: zero, settings: settings, options: options)
        let second = HiddenLayerTrainer.train(data, wordCounts: words, wide: zero, settings: settings, options: options)
        #expect(first.hidden == second.hidden && first.wide == second.wide)
        #expect(first.wide.weights == zero.weights, "wideRate 0 keeps the wide weights")
        // Score the rows with the trained parameters through the shipped forward pass.
        var header = Self.handMade().header
        header.hiddenLayer = settings
        header.bias = first.wide.bias
        header.weightCount = header.expectedWeightCount
        let model = ToxicityModel(header: header, weights: first.wide.weights + first.hidden)
        let (_, _, texts, _) = Self.exclusiveOr()
        let margins = texts.map { model.margin($0, extractor: HashedFeatureExtractor(settings: Self.features)) }
        let hiddenRight = zip(margins, labels).filter { ($0 > 0) == $1 }.count
        #expect(linearRight < 350, "a linear model cannot fit exclusive-or (\(linearRight) of 400)")
        #expect(hiddenRight >= 390, "the hidden layer fits it (\(hiddenRight) of 400)")
    }
}

@Suite struct ContrastCorpusTests {
    @Test("The contrast corpus is deterministic, labelled both ways, and every slot is filled")
    func generates() {
        let sentences = ContrastCorpus.sentences()
        #expect(sentences == ContrastCorpus.sentences())
        #expect(sentences != ContrastCorpus.sentences(seed: 2))
        #expect(Set(sentences.map(\.text)).count == sentences.count)
        #expect(!sentences.contains { $0.text.contains("{") || $0.text.contains("}") })
        let toxic = sentences.filter(\.toxic).count
        #expect(toxic > 1000 && sentences.count - toxic > 3000, "\(toxic) of \(sentences.count)")
        // The same insult fills a toxic frame and the frames that negate or reject it.
        #expect(sentences.contains { $0.toxic && $0.text.contains("vermin") })
        #expect(sentences.contains { !$0.toxic && $0.text.contains("vermin") })
        #expect(sentences.contains { $0.text == "Muslims have every right to live here." && !$0.toxic })
    }
}

@Suite struct HiddenLayerRecipeTests {
    @Test("The recipe with a hidden layer gives byte-identical files for the same seed, which read back and score")
    func reproducibleWithAHiddenLayer() throws {
        func train(seed: UInt64) -> ToxicityModel {
            ToxicityTraining.train(
                sets: Synthetic.sets(),
                features: Synthetic.features,
                options: LogisticRegressionTrainer.Options(iterations: 20, l2: 1e-4),
                recipe: ToxicityRecipe(shares: ["davidson": 1], identitySwaps: 1, seed: seed),
                hiddenLayer: (
                    HiddenLayerSettings(embeddingBits: 8, dimension: 4, hidden: 4),
                    HiddenLayerTrainer.Options(epochs: 2, seed: seed)
                )
            )
        }
        let first = train(seed: 5).encoded()
        #expect(first == train(seed: 5).encoded())
        #expect(first != train(seed: 6).encoded())
        let model = try ToxicityModel.decode(first)
        #expect(model.header.hiddenLayer?.hidden == 4 && model.header.training.hiddenLayerOptions?.epochs == 2)
        let classifier = ToxicityClassifier(model: model)
        let scores = classifier.probabilities(["you stupid worthless scum", "thanks friend, lovely and kind"])
        #expect(scores[0] > classifier.threshold && scores[1] < classifier.threshold, "\(scores)")
    }
}

@Suite struct FunctionalMarkdownTests {
    @Test("Among groups with the same share, the worst group shown is the first in the groups' order")
    func worstGroupTiesAreDeterministic() {
        // Every case scores 0: the hateful ones are all missed, the others all right — every group ties.
        let evaluation = FunctionalEvaluation.evaluate(
            classifier: "constant",
            version: "0",
            threshold: 0.5,
            probabilities: [Double](repeating: 0, count: FunctionalTests.cases.count)
        )
        let markdown = evaluation.markdown()
        #expect(markdown.contains("| flag | 30 | 0.0% [0.0–11.4] | women 0% |"), "\(markdown)")
        #expect(markdown.contains("| not flag | 30 | 100.0% [88.6–100.0] | women 100% |"))
    }
}
