public import Foundation
public import PlumbCore
import PlumbMetrics

/// Functional test cases from a JSON Lines file, one object per line — `{"functionality": ID, "group": NAME,
/// "text": TEXT, "hateful": true|false}` (`group` may be `""` or left out) — such as the blind sets in
/// `Tests/PlumbClassifiersTests/Blind/` or a team's own: `plumb classifier functional --cases FILE`.
public enum FunctionalCaseFile {
    public struct Case: Sendable, Hashable {
        public var functionality: String
        public var group: String
        public var text: String
        public var hateful: Bool
        /// `path:line`.
        public var source: String
    }

    /// Reads the cases; every malformed line is a problem at `path:line:column`, and nothing is returned with any.
    public static func read(path: String) throws(ToxicityDataError) -> [Case] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ToxicityDataError(["\(path): cannot read the file"])
        }
        let (records, errors) = JSONLReader.read(Array(data))
        // (line, message), reported in line order whichever check found them.
        var problems = errors.map {
            ($0.position.line, "\(path):\($0.position.line):\($0.position.column): \($0.message)")
        }
        var cases: [Case] = []
        for record in records {
            let at = "\(path):\(record.line):\(record.node.position.column)"
            guard case .object(let members) = record.node.value else {
                problems.append((record.line, "\(at): expected an object with functionality, text and hateful"))
                continue
            }
            func member(_ key: String) -> JSON5Node.Value? {
                members.first { $0.key == key }?.value.value
            }
            guard case .string(let functionality)? = member("functionality"), !functionality.isEmpty else {
                problems.append((record.line, "\(at): 'functionality' must be a non-empty string"))
                continue
            }
            guard case .string(let text)? = member("text") else {
                problems.append((record.line, "\(at): 'text' must be a string"))
                continue
            }
            guard case .bool(let hateful)? = member("hateful") else {
                problems.append((record.line, "\(at): 'hateful' must be true or false"))
                continue
            }
            var group = ""
            switch member("group") {
            case nil, .null?: break
            case .string(let name)?: group = name
            default:
                problems.append((record.line, "\(at): 'group' must be a string"))
                continue
            }
            cases.append(
                Case(functionality: functionality, group: group, text: text, hateful: hateful, source: at)
            )
        }
        if cases.isEmpty && problems.isEmpty { problems.append((0, "\(path): holds no cases")) }
        guard problems.isEmpty else {
            throw ToxicityDataError(
                problems.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
            )
        }
        return cases
    }
}

extension FunctionalEvaluation {
    /// A classifier on cases from a file: one row per functionality in first-seen order (all under `heldOut`), and
    /// the ROC AUC of hateful against not hateful over every case.
    public static func evaluate(
        _ cases: [FunctionalCaseFile.Case],
        file: String,
        classifier: ToxicityClassifier
    ) -> FunctionalEvaluation {
        let probabilities = classifier.probabilities(cases.map(\.text))
        let threshold = classifier.threshold
        var order: [String] = []
        for item in cases where !order.contains(item.functionality) { order.append(item.functionality) }
        let rows = order.map { functionality in
            let mine = zip(cases, probabilities).filter { $0.0.functionality == functionality }
            let hateful = mine.filter(\.0.hateful).count
            return Row(
                functionality: functionality,
                summary: hateful == mine.count ? "hateful" : hateful == 0 ? "not hateful" : "mixed",
                hateful: hateful * 2 > mine.count,
                scored: mine.map { (group: $0.0.group, hateful: $0.0.hateful, probability: $0.1) },
                threshold: threshold
            )
        }
        var evaluation = FunctionalEvaluation(
            classifier: classifier.identity.name,
            version: classifier.identity.version,
            threshold: threshold,
            heldOut: rows,
            development: []
        )
        evaluation.file = file
        evaluation.rocAUC = ClassifierMetrics.rocAUC(scores: probabilities, labels: cases.map(\.hateful))
        return evaluation
    }
}
