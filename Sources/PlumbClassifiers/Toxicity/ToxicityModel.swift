import Foundation
import PlumbCore

/// A trained toxicity model: hashed n-gram features, a logistic regression over them, optionally a hidden layer
/// over word embeddings (``HiddenLayerSettings``), and the shipped threshold.
///
/// ## File format (version 1 without a hidden layer, 2 with one), all integers little-endian
///
/// | bytes | content |
/// |---|---|
/// | 8 | magic `PLUMBTOX` |
/// | 4 | format version, `UInt32` (1, or 2 when the header has `hiddenLayer`) |
/// | 4 | header length `H`, `UInt32` |
/// | `H` | header: UTF-8 JSON (``ToxicityModelHeader``, keys sorted) |
/// | 2 × `weightCount` | weights as IEEE 754 binary16 (`Float16`) bit patterns, `UInt16` each: one per bucket, then the hidden layer's parameters |
/// | 32 | SHA-256 of every byte before it |
///
/// The weights are rounded to binary16 (round to nearest, ties to even) when the model is made, so a model
/// written and read back is identical, bit for bit.
public struct ToxicityModel: Sendable, Hashable {
    public static let magic: [UInt8] = Array("PLUMBTOX".utf8)
    /// The newest format version this build reads and writes (it reads 1 too).
    public static let formatVersion: UInt32 = 2

    public var header: ToxicityModelHeader {
        didSet { storedChecksum = nil }
    }
    /// One weight per bucket (`header.features.bucketCount`), then the hidden layer's parameters when there is one,
    /// already rounded to binary16 precision.
    public private(set) var weights: [Float]
    /// The checksum read from the file, while the header is unchanged.
    private var storedChecksum: String?

    /// Makes a model; the weights are rounded to binary16 precision.
    public init(header: ToxicityModelHeader, weights: [Float]) {
        precondition(weights.count == header.expectedWeightCount, "one weight per bucket and hidden-layer parameter")
        var header = header
        header.weightCount = weights.count
        header.weightEncoding = "float16"
        self.header = header
        self.weights = weights.map { HalfFloat.decode(HalfFloat.encode($0)) }
    }

    /// The probability that `text` is toxic. Makes a feature extractor per call: score many texts with
    /// ``probabilities(_:)`` instead.
    public func probability(_ text: String) -> Double {
        probabilities([text])[0]
    }

    /// The probability that each text is toxic, in order, with one feature extractor for them all.
    public func probabilities(_ texts: [String]) -> [Double] {
        let extractor = HashedFeatureExtractor(settings: header.features)
        return texts.map { LogisticModel.sigmoid(margin($0, extractor: extractor)) }
    }

    /// The margin (log-odds) of one text, with an extractor made for `header.features`.
    public func margin(_ text: String, extractor: HashedFeatureExtractor) -> Double {
        weights.withUnsafeBufferPointer { parameters in
            if let hidden = header.hiddenLayer {
                extractor.margin(text, parameters: parameters, bias: header.bias, hidden: hidden)
            } else {
                extractor.margin(text, weights: parameters, bias: header.bias)
            }
        }
    }

    // MARK: - Encoding

    /// The model file's bytes.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a plain Codable struct of strings and numbers cannot fail.
        let json = Array((try? encoder.encode(header)) ?? Data())
        var bytes = Self.magic
        bytes.reserveCapacity(16 + json.count + weights.count * 2 + 32)
        Self.appendUInt32(header.hiddenLayer == nil ? 1 : 2, to: &bytes)
        Self.appendUInt32(UInt32(json.count), to: &bytes)
        bytes.append(contentsOf: json)
        for weight in weights {
            let half = HalfFloat.encode(weight)
            bytes.append(UInt8(truncatingIfNeeded: half))
            bytes.append(UInt8(truncatingIfNeeded: half >> 8))
        }
        bytes.append(contentsOf: SHA256.hash(bytes))
        return bytes
    }

    /// Reads a model file's bytes, checking magic, version, checksum, header and sizes.
    public static func decode(_ bytes: [UInt8]) throws(ToxicityModelError) -> ToxicityModel {
        guard bytes.count >= 16 + 32, Array(bytes[0..<8]) == magic else {
            throw ToxicityModelError("not a Plumb toxicity model (no 'PLUMBTOX' magic)")
        }
        let version = readUInt32(bytes, at: 8)
        guard version == 1 || version == formatVersion else {
            throw ToxicityModelError(
                "model file format version \(version); this build of Plumb reads versions 1 and \(formatVersion)"
            )
        }
        let body = bytes.count - 32
        guard SHA256.hash(Array(bytes[0..<body])) == Array(bytes[body...]) else {
            throw ToxicityModelError("model file is corrupted (SHA-256 checksum mismatch)")
        }
        let headerLength = Int(readUInt32(bytes, at: 12))
        guard 16 + headerLength <= body else {
            throw ToxicityModelError("model header length \(headerLength) runs past the end of the file")
        }
        let header: ToxicityModelHeader
        do {
            header = try JSONDecoder().decode(ToxicityModelHeader.self, from: Data(bytes[16..<(16 + headerLength)]))
        } catch {
            throw ToxicityModelError("model header is not valid: \(error)")
        }
        if let problem = header.features.problem { throw ToxicityModelError("model features: \(problem)") }
        if let problem = header.hiddenLayer?.problem { throw ToxicityModelError("model hidden layer: \(problem)") }
        guard (version == 2) == (header.hiddenLayer != nil) else {
            throw ToxicityModelError(
                "model file format version \(version) "
                    + (version == 2 ? "needs a 'hiddenLayer' in its header" : "cannot have a 'hiddenLayer'")
            )
        }
        guard header.weightEncoding == "float16" else {
            throw ToxicityModelError("unsupported weight encoding '\(header.weightEncoding)' (expected float16)")
        }
        guard header.weightCount == header.expectedWeightCount else {
            throw ToxicityModelError(
                "model has \(header.weightCount) weights but its features and hidden layer need "
                    + "\(header.expectedWeightCount)"
            )
        }
        let weightBytes = body - 16 - headerLength
        guard weightBytes == header.weightCount * 2 else {
            throw ToxicityModelError("model has \(weightBytes) weight bytes; expected \(header.weightCount * 2)")
        }
        var weights = [Float](repeating: 0, count: header.weightCount)
        var offset = 16 + headerLength
        for index in weights.indices {
            let half = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
            weights[index] = HalfFloat.decode(half)
            offset += 2
        }
        return ToxicityModel(
            decodedHeader: header,
            weights: weights,
            checksum: SHA256.hexString(Array(bytes[body...]))
        )
    }

    /// Reads a model file.
    public static func load(contentsOf url: URL) throws(ToxicityModelError) -> ToxicityModel {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ToxicityModelError("cannot read model file \(url.path): \(error.localizedDescription)")
        }
        do {
            return try decode(Array(data))
        } catch {
            throw ToxicityModelError("\(url.path): \(error.message)")
        }
    }

    private init(decodedHeader: ToxicityModelHeader, weights: [Float], checksum: String) {
        header = decodedHeader
        self.weights = weights
        storedChecksum = checksum
    }

    /// The model file's checksum: the lowercase hex SHA-256 stored in its last 32 bytes (of every byte before them).
    public var checksum: String {
        if let storedChecksum { return storedChecksum }
        let bytes = encoded()
        return SHA256.hexString(Array(bytes[(bytes.count - 32)...]))
    }

    /// Models are equal when their headers and weights are.
    public static func == (lhs: ToxicityModel, rhs: ToxicityModel) -> Bool {
        lhs.header == rhs.header && lhs.weights == rhs.weights
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(header)
        hasher.combine(weights.count)
    }

    private static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
}

/// A model file that cannot be used, and why.
public struct ToxicityModelError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The JSON header of a model file: how it was made and how to score with it.
public struct ToxicityModelHeader: Sendable, Hashable, Codable {
    /// Always `plumb-toxicity`.
    public var format: String
    public var features: FeatureSettings
    public var bias: Double
    /// Scores at or above this are called toxic. Chosen on training data only (see `training.threshold`).
    public var threshold: Double
    public var weightEncoding: String
    public var weightCount: Int
    public var training: TrainingSummary
    /// Measured on the held-out Wikipedia identity set (never trained on), at `threshold`.
    public var heldOut: HeldOutSummary?
    /// The hidden layer, if the model has one (format version 2).
    public var hiddenLayer: HiddenLayerSettings?

    /// One weight per bucket plus the hidden layer's parameters.
    public var expectedWeightCount: Int { features.bucketCount + (hiddenLayer?.parameterCount ?? 0) }

    public init(
        features: FeatureSettings,
        bias: Double,
        threshold: Double,
        training: TrainingSummary,
        heldOut: HeldOutSummary? = nil,
        hiddenLayer: HiddenLayerSettings? = nil
    ) {
        format = "plumb-toxicity"
        self.features = features
        self.bias = bias
        self.threshold = threshold
        weightEncoding = "float16"
        self.training = training
        self.heldOut = heldOut
        self.hiddenLayer = hiddenLayer
        weightCount = features.bucketCount + (hiddenLayer?.parameterCount ?? 0)
    }
}

/// What a model was trained on and with.
public struct TrainingSummary: Sendable, Hashable, Codable {
    public var options: LogisticRegressionTrainer.Options
    public var recipe: ToxicityRecipe
    public var datasets: [DatasetSummary]
    /// SHA-256 over the data files (`name`, a tab, the file's SHA-256, a newline; for each file in `files` order).
    public var dataSHA256: String
    public var files: [DataFileSummary]
    /// How the threshold was chosen, and the internal validation figures.
    public var thresholdRule: String
    public var validationF1: Double
    public var validationAUC: Double
    /// How the hidden layer was trained, when the model has one.
    public var hiddenLayerOptions: HiddenLayerTrainer.Options?

    public init(
        options: LogisticRegressionTrainer.Options,
        recipe: ToxicityRecipe,
        datasets: [DatasetSummary],
        dataSHA256: String,
        files: [DataFileSummary],
        thresholdRule: String,
        validationF1: Double,
        validationAUC: Double,
        hiddenLayerOptions: HiddenLayerTrainer.Options? = nil
    ) {
        self.options = options
        self.recipe = recipe
        self.datasets = datasets
        self.dataSHA256 = dataSHA256
        self.files = files
        self.thresholdRule = thresholdRule
        self.validationF1 = validationF1
        self.validationAUC = validationAUC
        self.hiddenLayerOptions = hiddenLayerOptions
    }
}

/// One data file a model was trained from.
public struct DataFileSummary: Sendable, Hashable, Codable {
    public var name: String
    public var sha256: String

    public init(name: String, sha256: String) {
        self.name = name
        self.sha256 = sha256
    }
}

/// One training set: how many texts went into training and how many were held out.
public struct DatasetSummary: Sendable, Hashable, Codable {
    public var name: String
    public var trainCount: Int
    public var trainToxic: Int
    public var heldOutCount: Int
    public var heldOutToxic: Int

    public init(name: String, trainCount: Int, trainToxic: Int, heldOutCount: Int, heldOutToxic: Int) {
        self.name = name
        self.trainCount = trainCount
        self.trainToxic = trainToxic
        self.heldOutCount = heldOutCount
        self.heldOutToxic = heldOutToxic
    }
}

/// Sensitivity and specificity at the shipped threshold on a held-out set.
public struct HeldOutSummary: Sendable, Hashable, Codable {
    public var name: String
    public var count: Int
    public var sensitivity: Double
    public var specificity: Double
    public var rocAUC: Double

    public init(name: String, count: Int, sensitivity: Double, specificity: Double, rocAUC: Double) {
        self.name = name
        self.count = count
        self.sensitivity = sensitivity
        self.specificity = specificity
        self.rocAUC = rocAUC
    }
}

/// IEEE 754 binary16 conversion, written out so it behaves the same on every platform.
public enum HalfFloat {
    /// The binary16 bit pattern nearest to `value` (ties to even; overflow to infinity; NaN stays NaN).
    public static func encode(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        var mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0)
        }
        var halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F { return sign | 0x7C00 }
        if halfExponent <= 0 {
            // Subnormal half (or zero).
            if halfExponent < -10 { return sign }
            mantissa |= 0x80_0000
            let shift = UInt32(14 - halfExponent)
            var half = mantissa >> shift
            let remainder = mantissa & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if remainder > halfway || (remainder == halfway && (half & 1) == 1) { half += 1 }
            return sign | UInt16(half)
        }
        var half = mantissa >> 13
        let remainder = mantissa & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && (half & 1) == 1) {
            half += 1
            if half == 0x400 {
                half = 0
                halfExponent += 1
                if halfExponent >= 0x1F { return sign | 0x7C00 }
            }
        }
        return sign | UInt16(halfExponent << 10) | UInt16(half)
    }

    /// The `Float` value of a binary16 bit pattern (exact).
    public static func decode(_ half: UInt16) -> Float {
        let sign = UInt32(half & 0x8000) << 16
        let exponent = Int((half >> 10) & 0x1F)
        let mantissa = UInt32(half & 0x3FF)
        if exponent == 0 {
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }
}
