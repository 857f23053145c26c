import Foundation
import PlumbCore

/// One labelled text and where it came from (`file:line`).
public struct LabeledText: Sendable, Hashable {
    public var text: String
    public var toxic: Bool
    public var source: String

    public init(text: String, toxic: Bool, source: String = "") {
        self.text = text
        self.toxic = toxic
        self.source = source
    }
}

/// A labelled set split into a training part and a held-out part.
public struct ToxicitySplitSet: Sendable {
    public var name: String
    public var train: [LabeledText]
    public var heldOut: [LabeledText]

    public init(name: String, train: [LabeledText], heldOut: [LabeledText]) {
        self.name = name
        self.train = train
        self.heldOut = heldOut
    }
}

/// Data files that could not be read: every problem as `path:line:column: message`.
public struct ToxicityDataError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]

    public init(_ problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        let shown = problems.prefix(20).joined(separator: "\n")
        return problems.count > 20 ? shown + "\n… and \(problems.count - 20) more" : shown
    }
}

/// The toxicity training and test data of `../shared/data/toxicity` (see its README), read with Plumb's own
/// CSV and JSON Lines readers.
///
/// - Davidson et al. (`davidson/labeled_data.csv`): toxic when `class` is 0 (hate) or 1 (offensive).
/// - RealToxicityPrompts via DecodingTrust (`rtp-decodingtrust/{toxic,nontoxic}.jsonl`): the prompt and the
///   continuation are separate texts, toxic when their Perspective `toxicity` is ≥ 0.5; a text whose toxicity is
///   null is skipped.
/// - ToxiGen (`toxigen/toxigen_text_label.jsonl`): toxic when `label` is 1.
/// - Wikipedia identity sets (`wiki-identity/toxicity_{nonfuzzed,fuzzed}_testset.csv`): `toxic` True/False.
///   Test only.
///
/// The first three are split 80/20 by ``isHeldOut(_:)``; texts that normalise to nothing (only mentions and
/// URLs) are left out of them.
public struct ToxicityData: Sendable {
    public static let davidson = "davidson/labeled_data.csv"
    public static let rtpFiles = ["rtp-decodingtrust/toxic.jsonl", "rtp-decodingtrust/nontoxic.jsonl"]
    public static let toxigen = "toxigen/toxigen_text_label.jsonl"
    public static let wikiNonfuzzed = "wiki-identity/toxicity_nonfuzzed_testset.csv"
    public static let wikiFuzzed = "wiki-identity/toxicity_fuzzed_testset.csv"

    /// The directory the relative file names are under.
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func path(_ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    // MARK: - The split

    /// Whether a text is in the held-out 20%: FNV-1a 64 of the byte `0x53` followed by the normalised text,
    /// xor-folded (`h ^ (h >> 32)`), is divisible by 5. Texts that normalise alike always fall together.
    public static func isHeldOut(normalized: String) -> Bool {
        splitKey(normalized) % 5 == 0
    }

    /// Whether a training text is in the internal validation fold (20% of the training part), used to choose
    /// the threshold: the split key divided by 5 is divisible by 5.
    public static func isValidation(normalized: String) -> Bool {
        (splitKey(normalized) / 5) % 5 == 0
    }

    static func splitKey(_ normalized: String) -> UInt64 {
        let hash = FNV1a64.hash(normalized.utf8, from: FNV1a64.step(FNV1a64.offsetBasis, 0x53))
        return hash ^ (hash >> 32)
    }

    // MARK: - Loading

    /// Reads the three training sets and splits each 80/20.
    public func loadTrainingSets() throws -> [ToxicitySplitSet] {
        var problems: [String] = []
        let davidson = loadDavidson(&problems)
        let rtp = loadRTP(&problems)
        let toxigen = loadToxiGen(&problems)
        guard problems.isEmpty else { throw ToxicityDataError(problems) }
        let extractor = HashedFeatureExtractor()
        return [("davidson", davidson), ("rtp", rtp), ("toxigen", toxigen)].map { name, texts in
            var set = ToxicitySplitSet(name: name, train: [], heldOut: [])
            for text in texts {
                let normalized = extractor.normalize(text.text)
                guard !normalized.isEmpty else { continue }
                if Self.isHeldOut(normalized: normalized) {
                    set.heldOut.append(text)
                } else {
                    set.train.append(text)
                }
            }
            return set
        }
    }

    /// Reads one of the Wikipedia identity test sets (every row, in file order).
    public func loadWiki(_ name: String) throws -> [LabeledText] {
        var problems: [String] = []
        let texts = loadWiki(name, &problems)
        guard problems.isEmpty else { throw ToxicityDataError(problems) }
        return texts
    }

    /// Reads the ToxiGen file and returns its held-out part only.
    public func loadToxiGenHeldOut() throws -> [LabeledText] {
        var problems: [String] = []
        let texts = loadToxiGen(&problems)
        guard problems.isEmpty else { throw ToxicityDataError(problems) }
        let extractor = HashedFeatureExtractor()
        return texts.filter {
            let normalized = extractor.normalize($0.text)
            return !normalized.isEmpty && Self.isHeldOut(normalized: normalized)
        }
    }

    /// The SHA-256 of each training file, and their combined digest (`name\tsha256\n` per file, hashed).
    public func trainingFileDigests() throws -> (files: [DataFileSummary], combined: String) {
        var files: [DataFileSummary] = []
        for name in [Self.davidson] + Self.rtpFiles + [Self.toxigen] {
            var problems: [String] = []
            guard let bytes = read(name, &problems) else { throw ToxicityDataError(problems) }
            files.append(DataFileSummary(name: name, sha256: SHA256.hex(bytes)))
        }
        let listing = files.map { "\($0.name)\t\($0.sha256)\n" }.joined()
        return (files, SHA256.hex(listing))
    }

    private func read(_ name: String, _ problems: inout [String]) -> [UInt8]? {
        let full = path(name)
        guard let data = FileManager.default.contents(atPath: full) else {
            problems.append("\(full): cannot read the file (is --data the toxicity data directory?)")
            return nil
        }
        return Array(data)
    }

    private func loadDavidson(_ problems: inout [String]) -> [LabeledText] {
        let full = path(Self.davidson)
        guard let table = readCSV(Self.davidson, columns: ["class", "tweet"], &problems) else { return [] }
        let classColumn = table.header.firstIndex(of: "class")!
        let textColumn = table.header.firstIndex(of: "tweet")!
        var texts: [LabeledText] = []
        texts.reserveCapacity(table.records.count)
        for record in table.records {
            let label = record.fields[classColumn]
            guard label == "0" || label == "1" || label == "2" else {
                problems.append("\(full):\(record.line):1: 'class' must be 0, 1 or 2, not '\(label)'")
                continue
            }
            texts.append(
                LabeledText(text: record.fields[textColumn], toxic: label != "2", source: "\(full):\(record.line)")
            )
        }
        return texts
    }

    private func loadWiki(_ name: String, _ problems: inout [String]) -> [LabeledText] {
        let full = path(name)
        guard let table = readCSV(name, columns: ["comment", "toxic"], &problems) else { return [] }
        let textColumn = table.header.firstIndex(of: "comment")!
        let labelColumn = table.header.firstIndex(of: "toxic")!
        var texts: [LabeledText] = []
        for record in table.records {
            let label = record.fields[labelColumn]
            guard label == "True" || label == "False" else {
                problems.append("\(full):\(record.line):1: 'toxic' must be True or False, not '\(label)'")
                continue
            }
            texts.append(
                LabeledText(text: record.fields[textColumn], toxic: label == "True", source: "\(full):\(record.line)")
            )
        }
        return texts
    }

    private func readCSV(_ name: String, columns: [String], _ problems: inout [String]) -> CSVTable? {
        let full = path(name)
        guard let bytes = read(name, &problems) else { return nil }
        let (table, errors) = CSVReader.parse(bytes)
        problems.append(contentsOf: errors.map { "\(full):\($0.position.line):\($0.position.column): \($0.message)" })
        guard let table else { return nil }
        let missing = columns.filter { !table.header.contains($0) }
        guard missing.isEmpty else {
            problems.append(
                "\(full):\(table.headerLine):1: the header has no \(missing.map { "'\($0)'" }.joined(separator: ", ")) "
                    + "column (it has \(table.header.map { "'\($0)'" }.joined(separator: ", ")))"
            )
            return nil
        }
        return table
    }

    private func readJSONL(_ name: String, _ problems: inout [String]) -> [JSONLRecord] {
        let full = path(name)
        guard let bytes = read(name, &problems) else { return [] }
        let (records, errors) = JSONLReader.read(bytes)
        problems.append(contentsOf: errors.map { "\(full):\($0.position.line):\($0.position.column): \($0.message)" })
        return records
    }

    private func loadRTP(_ problems: inout [String]) -> [LabeledText] {
        var texts: [LabeledText] = []
        for name in Self.rtpFiles {
            let full = path(name)
            for record in readJSONL(name, &problems) {
                for part in ["prompt", "continuation"] {
                    guard let object = member(part, of: record.node, file: full, &problems) else { continue }
                    guard let text = member("text", of: object, file: full, &problems) else { continue }
                    guard case .string(let string) = text.value else {
                        problems.append(message(full, text, "'\(part).text' must be a string, not \(text.kindName)"))
                        continue
                    }
                    guard let toxicity = member("toxicity", of: object, file: full, &problems) else { continue }
                    switch toxicity.value {
                    case .null:
                        continue
                    case .number(let score, _) where (0...1).contains(score):
                        texts.append(LabeledText(text: string, toxic: score >= 0.5, source: "\(full):\(record.line)"))
                    default:
                        problems.append(
                            message(full, toxicity, "'\(part).toxicity' must be a number from 0 to 1 or null")
                        )
                    }
                }
            }
        }
        return texts
    }

    private func loadToxiGen(_ problems: inout [String]) -> [LabeledText] {
        let full = path(Self.toxigen)
        var texts: [LabeledText] = []
        for record in readJSONL(Self.toxigen, &problems) {
            guard let text = member("text", of: record.node, file: full, &problems),
                let label = member("label", of: record.node, file: full, &problems)
            else { continue }
            guard case .string(let string) = text.value else {
                problems.append(message(full, text, "'text' must be a string, not \(text.kindName)"))
                continue
            }
            guard case .number(let value, _) = label.value, value == 0 || value == 1 else {
                problems.append(message(full, label, "'label' must be 0 or 1"))
                continue
            }
            texts.append(LabeledText(text: string, toxic: value == 1, source: "\(full):\(record.line)"))
        }
        return texts
    }

    private func member(_ key: String, of node: JSON5Node, file: String, _ problems: inout [String]) -> JSON5Node? {
        guard case .object(let members) = node.value else {
            problems.append(message(file, node, "expected an object with '\(key)', found \(node.kindName)"))
            return nil
        }
        guard let found = members.first(where: { $0.key == key }) else {
            problems.append(message(file, node, "missing '\(key)'"))
            return nil
        }
        return found.value
    }

    private func message(_ file: String, _ node: JSON5Node, _ text: String) -> String {
        "\(file):\(node.position.line):\(node.position.column): \(text)"
    }
}
