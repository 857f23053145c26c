import Foundation
import PlumbCore

/// The shape of the toxicity model's hidden layer: a bag of word embeddings with one hidden ReLU layer, added to
/// the logistic regression's margin (a "wide and deep" model: the wide part sees every n-gram, the deep part sees
/// which words and word pairs occur together, so it can learn that "don't" changes what "hate" means).
///
/// The word n-grams are the ones the wide part hashes (``HashedFeatureExtractor``, the word family): bucket `b`
/// with value `v` (its sublinear count `1 + ln c`) adds `v × E[b mod 2^embeddingBits]` to the text's embedding `e`
/// (`dimension` numbers), divided at the end by `Σ v` (a weighted mean, so long texts are not scaled up). Then `h = max(0, W₁ e + b₁)` (`hidden` units) and the model adds
/// `w₂ · h` to the margin.
///
/// The parameters follow the wide weights in the model file, in this order: `E` (row-major, `2^embeddingBits` rows
/// of `dimension`), `W₁` (row-major, `hidden` rows of `dimension`), `b₁` (`hidden`), `w₂` (`hidden`).
public struct HiddenLayerSettings: Sendable, Hashable, Codable {
    public var embeddingBits: Int
    public var dimension: Int
    public var hidden: Int

    public init(embeddingBits: Int = 12, dimension: Int = 8, hidden: Int = 8) {
        self.embeddingBits = embeddingBits
        self.dimension = dimension
        self.hidden = hidden
    }

    public var rows: Int { 1 << embeddingBits }
    public var embeddingCount: Int { rows * dimension }
    /// How many numbers the hidden layer adds to the model.
    public var parameterCount: Int { embeddingCount + hidden * dimension + 2 * hidden }

    /// Why these settings cannot be used, or nil.
    public var problem: String? {
        if !(8...20).contains(embeddingBits) { return "embeddingBits \(embeddingBits) must be from 8 to 20" }
        if !(1...64).contains(dimension) { return "dimension \(dimension) must be from 1 to 64" }
        if !(1...64).contains(hidden) { return "hidden \(hidden) must be from 1 to 64" }
        return nil
    }
}

/// The hidden layer's forward pass over a parameter buffer laid out as ``HiddenLayerSettings`` says, with its own
/// scratch space. Not thread-safe: one per thread (``HashedFeatureExtractor`` owns one).
final class HiddenLayerScratch {
    let settings: HiddenLayerSettings
    let mask: UInt32
    /// The embedding sum `e` of the text being scored.
    let embedding: UnsafeMutablePointer<Float>

    init(settings: HiddenLayerSettings) {
        self.settings = settings
        mask = UInt32(settings.rows - 1)
        embedding = .allocate(capacity: settings.dimension)
        clear()
    }

    deinit {
        embedding.deallocate()
    }

    func clear() {
        embedding.initialize(repeating: 0, count: settings.dimension)
    }

    /// Adds `value × E[bucket]` to the embedding sum.
    @inline(__always)
    func add(bucket: UInt32, value: Float, parameters: UnsafePointer<Float>) {
        let row = parameters + Int(bucket & mask) &* settings.dimension
        for d in 0..<settings.dimension { embedding[d] += value * row[d] }
    }

    /// `w₂ · max(0, W₁ (scale × e) + b₁)`. The caller clears the embedding sum (``clear()``) for the next text.
    func output(scale: Float, parameters: UnsafePointer<Float>) -> Double {
        let dimension = settings.dimension
        let hidden = settings.hidden
        for d in 0..<dimension { embedding[d] *= scale }
        let w1 = parameters + settings.embeddingCount
        let b1 = w1 + hidden * dimension
        let w2 = b1 + hidden
        var out: Float = 0
        for j in 0..<hidden {
            let row = w1 + j * dimension
            var z = b1[j]
            for d in 0..<dimension { z += row[d] * embedding[d] }
            if z > 0 { out += w2[j] * z }
        }
        return Double(out)
    }
}

/// Deterministic joint training of the wide weights and the hidden layer: stochastic gradient descent with
/// AdaGrad step sizes on the weighted logistic loss, one example at a time.
///
/// - Starts from given wide weights and bias (Plumb starts from the L-BFGS logistic regression and, with
///   `wideRate` 0, keeps them: only the hidden layer learns) and from hidden
///   layer parameters drawn with ``SplitMix64`` (`seed`): `E` uniform in ±`0.5 / dimension`, `W₁` and `w₂`
///   uniform in ±√(6 / (fan-in + fan-out)), `b₁` = 0.01.
/// - Each epoch visits every example once, in an order shuffled by the same generator (Fisher–Yates).
/// - The gradient of example `i` is `sᵢ (pᵢ − yᵢ)` times the margin's gradient, plus `l2 × θ` on each parameter
///   the example touches; every parameter `θ` keeps `G += g²` and moves by `−rate × g / √(G + 1e-8)` (the
///   embedding rows, wide weights and their accumulators only where an example touches them).
/// - Single-threaded in `Float` (accumulators in `Float`), in a fixed order: the same data, start and options give
///   the same bits.
public enum HiddenLayerTrainer {
    public struct Options: Sendable, Hashable, Codable {
        public var epochs: Int
        public var rate: Double
        /// The wide weights' step size (they start trained, so they move more slowly).
        public var wideRate: Double
        public var l2: Double
        public var seed: UInt64

        public init(epochs: Int = 2, rate: Double = 0.05, wideRate: Double = 0, l2: Double = 1e-6, seed: UInt64 = 1) {
            self.epochs = epochs
            self.rate = rate
            self.wideRate = wideRate
            self.l2 = l2
            self.seed = seed
        }
    }

    /// Trains on `data` (whose rows list the word family first: `wordCounts[row]` features) and returns the wide
    /// weights, the bias and the hidden layer's parameters.
    public static func train(
        _ data: SparseDataset,
        wordCounts: [Int],
        wide: LogisticModel,
        settings: HiddenLayerSettings,
        options: Options,
        progress: (Int, Double) -> Void = { _, _ in }
    ) -> (wide: LogisticModel, hidden: [Float]) {
        precondition(wordCounts.count == data.count)
        var random = SplitMix64(seed: options.seed)
        func uniform(_ limit: Double) -> Float {
            Float((Double(random.next() >> 11) / Double(1 << 53) * 2 - 1) * limit)
        }
        let dimension = settings.dimension
        let hiddenCount = settings.hidden
        var parameters = [Float](repeating: 0, count: settings.parameterCount)
        let w1Start = settings.embeddingCount
        let b1Start = w1Start + hiddenCount * dimension
        let w2Start = b1Start + hiddenCount
        for i in 0..<w1Start { parameters[i] = uniform(0.5 / Double(dimension)) }
        for i in w1Start..<b1Start { parameters[i] = uniform((6.0 / Double(dimension + hiddenCount)).squareRoot()) }
        for i in b1Start..<w2Start { parameters[i] = 0.01 }
        for i in w2Start..<parameters.count { parameters[i] = uniform((6.0 / Double(hiddenCount + 1)).squareRoot()) }
        var weights = wide.weights
        var bias = Float(wide.bias)
        var wideSquares = [Float](repeating: 0, count: weights.count)
        var squares = [Float](repeating: 0, count: parameters.count)
        var biasSquares: Float = 0
        let rate = Float(options.rate)
        let wideRate = Float(options.wideRate)
        let l2 = Float(options.l2)
        let mask = settings.rows - 1
        var order = Array(0..<data.count)
        var embedding = [Float](repeating: 0, count: dimension)
        var z = [Float](repeating: 0, count: hiddenCount)
        var dz = [Float](repeating: 0, count: hiddenCount)
        var de = [Float](repeating: 0, count: dimension)
        let totalWeight = data.weights.reduce(0, +)
        // With `wideRate` 0 the wide part does not move: each row's wide margin is summed once, in the same order.
        let frozen = wideRate == 0
        func wideMargin(_ row: Int) -> Float {
            var margin = bias
            for k in data.offsets[row]..<data.offsets[row + 1] {
                margin += weights[Int(data.indices[k])] * data.values[k]
            }
            return margin
        }
        let frozenMargins = frozen ? (0..<data.count).map(wideMargin) : []

        for epoch in 1...max(1, options.epochs) {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(random.next() % UInt64(i + 1)))
            }
            var loss = 0.0
            for row in order {
                let start = data.offsets[row]
                let end = data.offsets[row + 1]
                let wordEnd = start + wordCounts[row]
                // Forward.
                var margin = frozen ? frozenMargins[row] : wideMargin(row)
                for d in 0..<dimension { embedding[d] = 0 }
                var total: Float = 0
                for k in start..<wordEnd { total += data.values[k] }
                let scale: Float = total > 0 ? 1 / total : 0
                for k in start..<wordEnd {
                    let base = (Int(data.indices[k]) & mask) * dimension
                    let v = data.values[k] * scale
                    for d in 0..<dimension { embedding[d] += v * parameters[base + d] }
                }
                for j in 0..<hiddenCount {
                    var sum = parameters[b1Start + j]
                    let rowStart = w1Start + j * dimension
                    for d in 0..<dimension { sum += parameters[rowStart + d] * embedding[d] }
                    z[j] = sum
                    if sum > 0 { margin += parameters[w2Start + j] * sum }
                }
                let label: Float = data.labels[row] ? 1 : 0
                let p = 1 / (1 + exp(-margin))
                let weight = Float(data.weights[row])
                loss +=
                    Double(weight)
                    * (data.labels[row] ? -log(max(Double(p), 1e-12)) : -log(max(1 - Double(p), 1e-12)))
                let g = weight * (p - label)

                // Backward: the hidden layer (from the values before this step), then the wide part.
                for d in 0..<dimension { de[d] = 0 }
                for j in 0..<hiddenCount {
                    let active = z[j] > 0
                    let w2 = parameters[w2Start + j]
                    dz[j] = active ? g * w2 : 0
                    update(&parameters, &squares, w2Start + j, (active ? g * z[j] : 0) + l2 * w2, rate)
                }
                for j in 0..<hiddenCount where dz[j] != 0 {
                    let rowStart = w1Start + j * dimension
                    for d in 0..<dimension {
                        de[d] += dz[j] * parameters[rowStart + d]
                        update(
                            &parameters,
                            &squares,
                            rowStart + d,
                            dz[j] * embedding[d] + l2 * parameters[rowStart + d],
                            rate
                        )
                    }
                    update(&parameters, &squares, b1Start + j, dz[j], rate)
                }
                for k in start..<wordEnd {
                    let base = (Int(data.indices[k]) & mask) * dimension
                    let v = data.values[k] * scale
                    for d in 0..<dimension {
                        update(&parameters, &squares, base + d, v * de[d] + l2 * parameters[base + d], rate)
                    }
                }
                guard !frozen else { continue }
                for k in start..<end {
                    let index = Int(data.indices[k])
                    update(&weights, &wideSquares, index, g * data.values[k] + l2 * weights[index], wideRate)
                }
                biasSquares += g * g
                bias -= wideRate * g / (biasSquares + 1e-8).squareRoot()
            }
            progress(epoch, loss / totalWeight)
        }
        return (LogisticModel(weights: weights, bias: Double(bias)), parameters)
    }

    @inline(__always)
    private static func update(
        _ values: inout [Float],
        _ squares: inout [Float],
        _ index: Int,
        _ gradient: Float,
        _ rate: Float
    ) {
        guard gradient != 0 else { return }
        squares[index] += gradient * gradient
        values[index] -= rate * gradient / (squares[index] + 1e-8).squareRoot()
    }
}
