import Foundation
public import PlumbCore

/// Sparse labelled examples in compressed-row form, with a weight per example.
public struct SparseDataset: Sendable {
    /// Row `r` is `indices[offsets[r]..<offsets[r + 1]]`, with `values` alongside.
    public private(set) var offsets: [Int] = [0]
    public private(set) var indices: [UInt32] = []
    public private(set) var values: [Float] = []
    public private(set) var labels: [Bool] = []
    public private(set) var weights: [Double] = []

    public init() {}

    public var count: Int { labels.count }

    /// Appends one example.
    public mutating func append(indices rowIndices: [UInt32], values rowValues: [Float], label: Bool, weight: Double) {
        precondition(rowIndices.count == rowValues.count)
        indices.append(contentsOf: rowIndices)
        values.append(contentsOf: rowValues)
        offsets.append(indices.count)
        labels.append(label)
        weights.append(weight)
    }

    /// The examples at `rows`, in that order.
    public func subset(_ rows: [Int]) -> SparseDataset {
        var result = SparseDataset()
        for row in rows {
            let range = offsets[row]..<offsets[row + 1]
            result.indices.append(contentsOf: indices[range])
            result.values.append(contentsOf: values[range])
            result.offsets.append(result.indices.count)
            result.labels.append(labels[row])
            result.weights.append(weights[row])
        }
        return result
    }
}

/// A binary logistic regression over hashed sparse features: the weights and the bias.
public struct LogisticModel: Sendable, Hashable {
    public var weights: [Float]
    public var bias: Double

    public init(weights: [Float], bias: Double) {
        self.weights = weights
        self.bias = bias
    }

    /// The margin `bias + w · x` of row `row` of `data`.
    public func margin(_ data: SparseDataset, row: Int) -> Double {
        var sum = bias
        for k in data.offsets[row]..<data.offsets[row + 1] {
            sum += Double(weights[Int(data.indices[k])]) * Double(data.values[k])
        }
        return sum
    }

    /// The logistic function, `1 / (1 + e^-x)`.
    @inline(__always)
    public static func sigmoid(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }
}

/// Deterministic training of ``LogisticModel``: full-batch L-BFGS on the L2-regularised weighted logistic loss.
///
/// Minimises `f(w, b) = Σᵢ sᵢ ℓ(b + w·xᵢ, yᵢ) / Σᵢ sᵢ + (l2 / 2) ‖w‖²` (the bias is not penalised), where `ℓ` is
/// the log loss and `sᵢ` the example weights. Starts from zero; each iteration takes the L-BFGS direction
/// (two-loop recursion over the last `history` pairs, initial scaling `sᵀy / yᵀy`; steepest descent scaled to
/// unit length on the first iteration) and a backtracking line search from step 1, halving until the Armijo
/// condition `f(new) ≤ f + 1e-4 · step · ∇fᵀd` holds (at most 40 halvings). Pairs with `sᵀy ≤ 1e-12` are skipped.
/// Runs exactly `iterations` iterations (or stops early when no step decreases `f`).
///
/// Arithmetic is in `Double`, single-threaded, in a fixed order: the same data and options give the same bits.
/// The final weights are rounded to `Float`.
public enum LogisticRegressionTrainer {
    /// Training hyperparameters. Part of a model file's header.
    public struct Options: Sendable, Hashable, Codable {
        public var iterations: Int
        public var l2: Double
        public var history: Int

        public init(iterations: Int = 150, l2: Double = 1e-5, history: Int = 8) {
            self.iterations = iterations
            self.l2 = l2
            self.history = history
        }
    }

    /// Trains on `data` with `dimension` weights (every index in `data` must be below it). `progress` is called
    /// after each iteration with the objective.
    public static func train(
        _ data: SparseDataset,
        dimension: Int,
        options: Options,
        progress: (_ iteration: Int, _ objective: Double) -> Void = { _, _ in }
    ) -> LogisticModel {
        let objective = Objective(data: data, dimension: dimension, l2: options.l2)
        let n = dimension + 1  // the last coordinate is the bias
        let memory = max(1, options.history)
        var x = [Double](repeating: 0, count: n)
        var gradient = [Double](repeating: 0, count: n)
        var value = objective.evaluate(x, gradient: &gradient)
        var direction = [Double](repeating: 0, count: n)
        var candidate = [Double](repeating: 0, count: n)
        var candidateGradient = [Double](repeating: 0, count: n)
        // History pairs in a ring: slot k holds s = Δx and y = Δgradient.
        var sHistory = [Double](repeating: 0, count: memory * n)
        var yHistory = [Double](repeating: 0, count: memory * n)
        var rho = [Double](repeating: 0, count: memory)
        var alpha = [Double](repeating: 0, count: memory)
        var stored = 0
        var newest = -1

        for iteration in 1...max(1, options.iterations) {
            // d = −H ∇f by the two-loop recursion.
            for i in 0..<n { direction[i] = -gradient[i] }
            let order = (0..<stored).map { (newest - $0 + memory) % memory }  // newest first
            for k in order {
                let a = rho[k] * dot(sHistory, offset: k * n, direction, count: n)
                alpha[k] = a
                axpy(-a, yHistory, offset: k * n, into: &direction, count: n)
            }
            if stored > 0 {
                let sy = dot(sHistory, offset: newest * n, yHistory, offset: newest * n, count: n)
                let yy = dot(yHistory, offset: newest * n, yHistory, offset: newest * n, count: n)
                let gamma = sy / yy
                for i in 0..<n { direction[i] *= gamma }
            } else {
                let norm = dot(gradient, offset: 0, gradient, count: n).squareRoot()
                if norm > 0 { for i in 0..<n { direction[i] /= norm } }
            }
            for k in order.reversed() {
                let beta = rho[k] * dot(yHistory, offset: k * n, direction, count: n)
                axpy(alpha[k] - beta, sHistory, offset: k * n, into: &direction, count: n)
            }
            var slope = dot(gradient, offset: 0, direction, count: n)
            if !(slope < 0) {
                for i in 0..<n { direction[i] = -gradient[i] }
                slope = dot(gradient, offset: 0, direction, count: n)
            }
            guard slope < 0 else { break }

            var step = 1.0
            var accepted = false
            var candidateValue = value
            for _ in 0..<40 {
                for i in 0..<n { candidate[i] = x[i] + step * direction[i] }
                candidateValue = objective.evaluate(candidate, gradient: &candidateGradient)
                if candidateValue <= value + 1e-4 * step * slope {
                    accepted = true
                    break
                }
                step *= 0.5
            }
            guard accepted else { break }

            var sy = 0.0
            for i in 0..<n { sy += (candidate[i] - x[i]) * (candidateGradient[i] - gradient[i]) }
            if sy > 1e-12 {
                let slot = (newest + 1) % memory
                sHistory.withUnsafeMutableBufferPointer { s in
                    yHistory.withUnsafeMutableBufferPointer { y in
                        for i in 0..<n {
                            s[slot * n + i] = candidate[i] - x[i]
                            y[slot * n + i] = candidateGradient[i] - gradient[i]
                        }
                    }
                }
                rho[slot] = 1 / sy
                newest = slot
                stored = min(stored + 1, memory)
            }
            swap(&x, &candidate)
            swap(&gradient, &candidateGradient)
            value = candidateValue
            progress(iteration, value)
        }
        return LogisticModel(weights: x[0..<dimension].map { Float($0) }, bias: x[dimension])
    }

    private static func dot(_ a: [Double], offset: Int, _ b: [Double], offset bOffset: Int = 0, count: Int) -> Double {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var sum = 0.0
                for i in 0..<count { sum += a[offset + i] * b[bOffset + i] }
                return sum
            }
        }
    }

    private static func axpy(_ scale: Double, _ a: [Double], offset: Int, into b: inout [Double], count: Int) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeMutableBufferPointer { b in
                for i in 0..<count { b[i] += scale * a[offset + i] }
            }
        }
    }

    /// `−log p(label)` for a margin, computed stably.
    static func logLoss(margin: Double, label: Bool) -> Double {
        let z = label ? -margin : margin
        return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
    }

    /// The objective and its gradient.
    private struct Objective {
        let data: SparseDataset
        let dimension: Int
        let l2: Double
        let scaledWeights: [Double]

        init(data: SparseDataset, dimension: Int, l2: Double) {
            self.data = data
            self.dimension = dimension
            self.l2 = l2
            let total = data.weights.reduce(0, +)
            scaledWeights = data.weights.map { total > 0 ? $0 / total : 0 }
        }

        func evaluate(_ x: [Double], gradient: inout [Double]) -> Double {
            let dimension = dimension
            var loss = 0.0
            gradient.withUnsafeMutableBufferPointer { g in
                for i in 0..<g.count { g[i] = 0 }
                x.withUnsafeBufferPointer { w in
                    data.offsets.withUnsafeBufferPointer { offsets in
                        data.indices.withUnsafeBufferPointer { indices in
                            data.values.withUnsafeBufferPointer { values in
                                data.labels.withUnsafeBufferPointer { labels in
                                    scaledWeights.withUnsafeBufferPointer { weights in
                                        var biasGradient = 0.0
                                        for row in 0..<labels.count {
                                            let range = offsets[row]..<offsets[row + 1]
                                            var margin = w[dimension]
                                            for k in range { margin += w[Int(indices[k])] * Double(values[k]) }
                                            loss += weights[row] * logLoss(margin: margin, label: labels[row])
                                            let residual =
                                                weights[row] * (LogisticModel.sigmoid(margin) - (labels[row] ? 1 : 0))
                                            for k in range { g[Int(indices[k])] += residual * Double(values[k]) }
                                            biasGradient += residual
                                        }
                                        g[dimension] = biasGradient
                                    }
                                }
                            }
                        }
                    }
                    var penalty = 0.0
                    for j in 0..<dimension {
                        penalty += w[j] * w[j]
                        g[j] += l2 * w[j]
                    }
                    loss += 0.5 * l2 * penalty
                }
            }
            return loss
        }
    }
}
