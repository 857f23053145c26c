import Foundation
import PlumbClassifiers
import PlumbCore
import PlumbTestSupport
import Testing

/// Both shipped toxicity models on the two blind functional sets (`Blind/`, Docs/classifiers.md#blind-functional-
/// sets): cases written for Plumb by helpers that saw neither the functional templates, the contrast corpus, nor
/// each other's set. No count and no ROC AUC may fall below what the docs publish.
@Suite struct BlindFunctionalTests {
    struct BlindCase: Decodable {
        var functionality: String
        var group: String
        var text: String
        var hateful: Bool
    }

    static func cases(_ file: String) throws -> [BlindCase] {
        let path = SharedData.repositoryRoot + "/Tests/PlumbClassifiersTests/Blind/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(BlindCase.self, from: Data($0.utf8)) }
    }

    /// Per set and functionality, cases right at the threshold: (`toxicity`, `toxicity-v1`); then ROC AUC.
    static let published: [String: (cases: Int, right: [String: (Int, Int)], auc: (Double, Double))] = [
        "functional-blind.jsonl": (
            1212,
            [
                "derogation-explicit": (123, 116), "derogation-implicit": (93, 105), "threat": (143, 101),
                "spelling-variation": (122, 131), "identity-positive": (121, 89), "identity-neutral": (137, 104),
                "counter-speech": (100, 40), "negated-hate": (139, 51), "profanity-untargeted": (10, 3),
                "reclaimed-self-reference": (24, 17),
            ],
            (0.902, 0.677)
        ),
        "functional-blind-2.jsonl": (
            1840,
            [
                "derogation-explicit": (179, 181), "derogation-implicit": (155, 159), "threat": (146, 149),
                "spelling-variation": (146, 154), "derogation-person": (24, 26), "identity-positive": (203, 155),
                "identity-neutral": (199, 182), "counter-speech": (152, 81), "negated-hate": (146, 84),
                "profanity-untargeted": (13, 4), "homonym": (33, 30), "reclaimed-self-reference": (25, 22),
            ],
            (0.860, 0.733)
        ),
        "functional-blind-3.jsonl": (
            2166,
            [
                "derogation-explicit": (178, 181), "derogation-implicit": (175, 184), "threat": (198, 184),
                "spelling-variation": (225, 220), "derogation-person": (37, 38), "identity-positive": (165, 137),
                "identity-neutral": (226, 198), "counter-speech": (161, 115), "negated-hate": (204, 123),
                "profanity-untargeted": (18, 7), "homonym": (41, 34),
            ],
            (0.840, 0.699)
        ),
    ]

    @Test(arguments: ["functional-blind.jsonl", "functional-blind-2.jsonl", "functional-blind-3.jsonl"])
    func bothModelsKeepTheirPublishedFigures(file: String) throws {
        let cases = try Self.cases(file)
        let published = try #require(Self.published[file])
        #expect(cases.count == published.cases)
        for (index, classifier) in [try ToxicityClassifier.shipped(), try ToxicityClassifier.shippedV1()].enumerated() {
            let scores = classifier.probabilities(cases.map(\.text))
            var right: [String: Int] = [:]
            for (item, score) in zip(cases, scores) where (score >= classifier.threshold) == item.hateful {
                right[item.functionality, default: 0] += 1
            }
            #expect(Set(cases.map(\.functionality)) == Set(published.right.keys))
            for (functionality, floors) in published.right {
                let floor = index == 0 ? floors.0 : floors.1
                #expect(
                    (right[functionality] ?? 0) >= floor,
                    "\(classifier.identity.version) \(functionality): \(right[functionality] ?? 0), published \(floor)"
                )
            }
            let auc = try #require(ClassifierMetrics.rocAUC(scores: scores, labels: cases.map(\.hateful)))
            let floor = index == 0 ? published.auc.0 : published.auc.1
            #expect(auc >= floor, "\(classifier.identity.version): ROC AUC \(auc), published \(floor)")
        }
    }
}
