import Foundation
import PlumbClassifiers
import PlumbCore
import PlumbTestSupport
import Testing

@Suite("The shipped toxicity classifier")
struct ToxicityClassifierTests {
    @Test("Loads from the package resources with its identity filled in")
    func identity() throws {
        let classifier = try ToxicityClassifier.shipped()
        let identity = classifier.identity
        #expect(identity.name == "plumb-toxicity")
        #expect(identity.version.hasPrefix("1+") && identity.version.count == 14)
        #expect(identity.labels == ["toxic"])
        #expect(identity.defaultThreshold == classifier.threshold)
        #expect((0.3...0.7).contains(classifier.threshold))
        let sensitivity = try #require(identity.sensitivity)
        let specificity = try #require(identity.specificity)
        #expect(sensitivity > 0.6 && specificity > 0.8)
        #expect(classifier.model.header.heldOut?.name == "wiki-nonfuzzed")
        #expect(classifier.model.header.features == FeatureSettings())
    }

    @Test("Scores obviously toxic sentences above benign ones")
    func ordering() async throws {
        let classifier = try ToxicityClassifier.shipped()
        let toxic = [
            "you are a fucking idiot", "shut up you stupid bitch", "go kill yourself, worthless piece of shit",
            "what a dumb ass moron",
        ]
        let benign = [
            "thank you for your help with the article", "the weather is lovely today",
            "I added a citation to the second paragraph", "have a nice weekend with your family",
        ]
        let toxicScores = classifier.probabilities(toxic)
        let benignScores = classifier.probabilities(benign)
        #expect(toxicScores.min()! > benignScores.max()!)
        #expect(toxicScores.allSatisfy { $0 >= classifier.threshold })
        #expect(benignScores.allSatisfy { $0 < classifier.threshold })
        // The TextClassifier API gives the same numbers, one row per text.
        let rows = try await classifier.scores(for: toxic)
        #expect(rows.map { $0[0] } == toxicScores)
        #expect(try await classifier.score(benign[0]) == benignScores[0])
        #expect(classifier.isToxic(toxic[0]))
    }

    @Test("Concurrent scoring gives the same results as serial scoring")
    func concurrent() async throws {
        let classifier = try ToxicityClassifier.shipped()
        let texts = (0..<200).map { "text \($0): you are \($0 % 3 == 0 ? "an idiot" : "kind")" }
        let serial = classifier.probabilities(texts)
        let results = await withTaskGroup(of: [Double].self) { group in
            for _ in 0..<8 { group.addTask { classifier.probabilities(texts) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 == serial })
    }

    @Test(
        "Held-out quality of the shipped model: ROC AUC ≥ 0.925 on wiki nonfuzzed, ≥ 0.89 on ToxiGen's held-out part",
        .enabled(
            if: SharedData.exists("data/toxicity/wiki-identity/toxicity_nonfuzzed_testset.csv"),
            "needs ../shared/data/toxicity (the shared data checkout)"
        )
    )
    func heldOutQuality() throws {
        let classifier = try ToxicityClassifier.shipped()
        let data = ToxicityData(directory: SharedData.path("data/toxicity"))
        let wiki = try data.loadWiki(ToxicityData.wikiNonfuzzed)
        let toxigen = try data.loadToxiGenHeldOut()
        #expect(wiki.count == 1492)
        #expect(toxigen.count > 100)
        let wikiAUC = try #require(
            ClassifierMetrics.rocAUC(scores: classifier.probabilities(wiki.map(\.text)), labels: wiki.map(\.toxic))
        )
        let toxigenAUC = try #require(
            ClassifierMetrics.rocAUC(
                scores: classifier.probabilities(toxigen.map(\.text)),
                labels: toxigen.map(\.toxic)
            )
        )
        // The published figures (Docs/classifiers.md#evaluation): 0.9253 and 0.8954.
        #expect(wikiAUC >= 0.925, "ROC AUC on wiki nonfuzzed is \(wikiAUC)")
        #expect(toxigenAUC >= 0.89, "ROC AUC on ToxiGen held out is \(toxigenAUC)")
        // The figure written into the model header when it was trained is the one measured here.
        #expect(abs((classifier.model.header.heldOut?.rocAUC ?? 0) - wikiAUC) < 1e-9)
    }
}

/// The shipped toxicity classifier on Plumb's functional tests (Docs/classifiers.md#functional-tests): every
/// functionality gets at least as many held-out cases right as the docs publish, so a retrained model cannot
/// quietly get worse at any of them.
@Suite struct FunctionalTestFigures {
    /// The published figures: held-out cases right, per functionality (of 30, or of 3 without a group).
    static let published: [String: Int] = [
        "derogation-explicit": 30, "derogation-implicit": 23, "threat": 30, "spelling-variation": 26,
        "identity-positive": 20, "identity-neutral": 30, "counter-speech": 22, "negated-hate": 23,
        "profanity-untargeted": 3, "reclaimed-self-reference": 2,
    ]

    @Test func noFunctionalityFallsBelowItsPublishedFigure() async throws {
        let evaluation = FunctionalEvaluation.evaluate(try ToxicityClassifier.shipped())
        #expect(Set(evaluation.heldOut.map(\.functionality)) == Set(Self.published.keys))
        for row in evaluation.heldOut {
            let floor = try #require(Self.published[row.functionality])
            #expect(row.correct >= floor, "\(row.functionality): \(row.correct) of \(row.cases), published \(floor)")
        }
    }

    @Test func casesAreEveryFunctionalityGroupAndTemplateOnceWithAThirdHeldOut() {
        let cases = FunctionalTests.cases
        #expect(Set(cases.map(\.text)).count == cases.count, "no case twice")
        for functionality in FunctionalTests.functionalities {
            let mine = cases.filter { $0.functionality == functionality.id }
            let perTemplate = functionality.templates.first!.contains("{") ? FunctionalTests.groups.count : 1
            #expect(mine.count == functionality.templates.count * perTemplate, "\(functionality.id)")
            #expect(mine.filter(\.heldOut).count == functionality.templates.count / 3 * perTemplate)
            #expect(mine.allSatisfy { $0.hateful == functionality.hateful })
        }
        #expect(cases.contains { $0.text == "I love women." && !$0.hateful })
    }
}

@Suite struct ToxicityValidationCountsTests {
    /// The header records the Wikipedia set's size and Se/Sp; the counts behind them (194 of 248 toxic, 1,126 of
    /// 1,244 not, Docs/classifiers.md) are recovered for corrected rates' intervals.
    @Test func theShippedModelsCountsAreRecoveredFromItsHeader() throws {
        let counts = try #require(
            ToxicityClassifier.counts(total: 1_492, sensitivity: 194.0 / 248, specificity: 1_126.0 / 1_244)
        )
        #expect(counts.positives == 248 && counts.negatives == 1_244)
        let identity = try ToxicityClassifier.shipped().identity
        #expect(identity.measuredPositives == 248 && identity.measuredNegatives == 1_244)
        #expect(ToxicityClassifier.counts(total: 10, sensitivity: 0.5, specificity: 0.5) == nil, "several splits fit")
    }
}
