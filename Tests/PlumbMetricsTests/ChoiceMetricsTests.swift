import Foundation
import PlumbCore
import PlumbMetrics
import Testing

/// Multiple-choice accuracy and invalid rate on hand-worked inputs.
@Suite struct ChoiceMetricsTests {
    static func item(_ sample: String, chosen: String?, correct: String, tags: [String] = [], repeatIndex: Int = 0)
        -> ItemResult
    {
        let observation = ChoiceObservation(chosen: chosen, correct: correct)
        let record = CheckRecord(
            name: "choice",
            type: "choice",
            outcome: observation.isCorrect ? .pass : .fail,
            score: observation.isCorrect ? 1 : 0,
            reason: "",
            weight: 1,
            choice: observation
        )
        return ItemResult(
            id: "\(sample)-\(repeatIndex)",
            suite: "s",
            sampleID: sample,
            repeatIndex: repeatIndex,
            tags: tags,
            request: ModelRequest(messages: []),
            output: chosen ?? "?",
            checks: [record],
            outcome: observation.isCorrect ? .pass : .fail
        )
    }

    /// Five answers: q1 right (A), q2 wrong (B for C), q3 invalid, q4 right (D), q5 wrong (A for B); plus one item
    /// whose model gave no answer (an error, no observation).
    /// accuracy = 2 / 5 = 0.4 (the invalid answer is wrong); invalid rate = 1 / 5 = 0.2; the error is in neither.
    @Test func accuracyCountsInvalidAnswersAsWrongAndErrorsInNeither() throws {
        var items = [
            Self.item("q1", chosen: "A", correct: "A", tags: ["law"]),
            Self.item("q2", chosen: "B", correct: "C", tags: ["law"]),
            Self.item("q3", chosen: nil, correct: "B", tags: ["med"]),
            Self.item("q4", chosen: "D", correct: "D", tags: ["med"]),
            Self.item("q5", chosen: "A", correct: "B", tags: ["med"]),
        ]
        var errored = Self.item("q6", chosen: nil, correct: "A")
        errored.checks = [
            CheckRecord(name: "choice", type: "choice", outcome: .error, score: nil, reason: "no answer", weight: 1)
        ]
        errored.outcome = .error
        items.append(errored)
        let report = try #require(ChoiceFamily.reports(for: items)?.first)
        #expect(report.answered == 5 && report.correct == 2 && report.invalid == 1 && report.unanswered == 1)
        #expect(report.accuracy == Rate(successes: 2, total: 5))
        #expect(report.accuracy.value == 0.4)
        #expect(report.invalidRate.value == 0.2)
        #expect(report.chosen == ["A": 2, "B": 1, "D": 1])
        #expect(report.byTag?["law"]?.accuracy.value == 0.5)
        #expect(report.byTag?["med"]?.accuracy.value.map { abs($0 - 1.0 / 3) < 1e-12 } == true)
        #expect(report.byTag?["med"]?.invalid == 1)

        let results = SuiteResults(items: items)
        let family = ChoiceFamily()
        #expect(family.value(of: GateSpec(metric: .accuracy, min: 0.5), in: results) == 0.4)
        #expect(family.value(of: GateSpec(metric: .invalidRate, max: 0.1), in: results) == 0.2)
        #expect(family.value(of: GateSpec(metric: .accuracy, tag: "law", min: 0.5), in: results) == 0.5)
    }

    /// Scored answers (log-probability): q1 right both ways, q2 wrong raw but right normalised, q3 right raw but
    /// wrong normalised, q4 a tie (invalid) right normalised. accuracy = 2 / 4; accuracy_norm = 3 / 4. MC2 masses
    /// 0.9, 0.2, 0.5, 0.6 → mean 0.55.
    @Test func scoredAnswersGiveAccNormAndMC2() throws {
        func scored(_ sample: String, _ chosen: String?, norm: String?, mass: Double) -> ItemResult {
            var item = Self.item(sample, chosen: chosen, correct: "A")
            item.checks[0].choice?.scored = true
            item.checks[0].choice?.normalizedChosen = norm
            item.checks[0].choice?.trueMass = mass
            return item
        }
        let items = [
            scored("q1", "A", norm: "A", mass: 0.9), scored("q2", "B", norm: "A", mass: 0.2),
            scored("q3", "A", norm: "C", mass: 0.5), scored("q4", nil, norm: "A", mass: 0.6),
        ]
        let report = try #require(ChoiceFamily.reports(for: items)?.first)
        #expect(report.method == "logprob")
        #expect(report.accuracy == Rate(successes: 2, total: 4))
        #expect(report.accuracyNorm == Rate(successes: 3, total: 4))
        #expect(abs((report.mc2?.value ?? 0) - 0.55) < 1e-12)
        #expect((report.mc2?.lower ?? 1) <= 0.55 && (report.mc2?.upper ?? 0) >= 0.55)
        let results = SuiteResults(items: items)
        #expect(ChoiceFamily().value(of: GateSpec(metric: .accuracyNorm, min: 0.5), in: results) == 0.75)
        #expect(
            ChoiceFamily().value(of: GateSpec(metric: .mc2, min: 0.5), in: results).map { abs($0 - 0.55) < 1e-12 }
                == true
        )
        // Not a stereotype suite: no stereotype score to gate on.
        #expect(ChoiceFamily().value(of: GateSpec(metric: .stereotypeScore, max: 0.6), in: results) == nil)
    }

    /// CrowS-Pairs: 3 of 5 pairs prefer the more stereotyping sentence, 1 prefers the other, 1 is a tie: the
    /// stereotype score is 3 / 5 = 0.6 (ties count as no preference, in the total, as the authors' script does).
    @Test func theStereotypeScoreIsTheShareOfPairsPreferringTheStereotype() throws {
        func pair(_ sample: String, _ chosen: String?, _ type: String) -> ItemResult {
            var item = Self.item(sample, chosen: chosen, correct: "A", tags: [type])
            item.checks[0].choice?.scored = true
            item.checks[0].choice?.stereotype = true
            return item
        }
        let items = [
            pair("p1", "A", "gender"), pair("p2", "A", "gender"), pair("p3", "A", "race-color"),
            pair("p4", "B", "race-color"), pair("p5", nil, "race-color"),
        ]
        let report = try #require(ChoiceFamily.reports(for: items)?.first)
        #expect(report.stereotype == true)
        let results = SuiteResults(items: items)
        #expect(ChoiceFamily().value(of: GateSpec(metric: .stereotypeScore, max: 0.65), in: results) == 0.6)
        #expect(
            ChoiceFamily().value(of: GateSpec(metric: .stereotypeScore, tag: "gender", max: 0.65), in: results) == 1
        )
        #expect(report.byTag?["race-color"]?.accuracy == Rate(successes: 1, total: 3))
    }

    /// The same sample asked three times, answered the same way each time: the answers are one observation, not
    /// three, so the interval is as wide as for the distinct samples (design effect above 1).
    @Test func repeatedSamplesWidenTheInterval() throws {
        var items: [ItemResult] = []
        for sample in 0..<6 {
            for repeatIndex in 0..<3 {
                items.append(
                    Self.item("q\(sample)", chosen: sample < 3 ? "A" : "B", correct: "A", repeatIndex: repeatIndex)
                )
            }
        }
        let report = try #require(ChoiceFamily.reports(for: items)?.first)
        #expect(report.accuracy.value == 0.5)
        let effect = try #require(report.accuracy.designEffect)
        #expect(effect > 2.9)
        let naive = Rate(successes: 9, total: 18)
        #expect(try #require(report.accuracy.lower) < naive.lower!)
    }

    /// q1 asked in three orders, the same option (by text) each time: consistent. q2: the same letter A each time,
    /// which is a different option in each order: inconsistent. q3: one valid and one invalid answer:
    /// inconsistent. q4 answered once: not counted. Position consistency = 1 / 3.
    @Test func positionConsistencyComparesTheChosenOptionNotTheLetter() throws {
        func answer(_ sample: String, _ letter: String?, _ text: String?, rotation: Int) -> ItemResult {
            var item = Self.item(sample, chosen: letter, correct: "A", repeatIndex: 0)
            item.id = "\(sample)-\(rotation)"
            item.optionRotation = rotation == 0 ? nil : rotation
            item.checks[0].choice = ChoiceObservation(chosen: letter, correct: "A", chosenText: text)
            return item
        }
        let items = [
            answer("q1", "A", "Paris", rotation: 0), answer("q1", "C", "Paris", rotation: 1),
            answer("q1", "B", "paris", rotation: 2),
            answer("q2", "A", "Lyon", rotation: 0), answer("q2", "A", "Paris", rotation: 1),
            answer("q2", "A", "Nice", rotation: 2),
            answer("q3", "B", "Paris", rotation: 0), answer("q3", nil, nil, rotation: 1),
            answer("q4", "A", "Rome", rotation: 0),
        ]
        let report = try #require(ChoiceFamily.reports(for: items)?.first)
        #expect(report.positionConsistency == Rate(successes: 1, total: 3))
        let gate = GateSpec(metric: .positionConsistency, min: 0.9)
        #expect(
            ChoiceFamily().value(of: gate, in: SuiteResults(items: items)).map { abs($0 - 1.0 / 3) < 1e-12 } == true
        )
        // Orders are not repeats: no pass@k over them.
        #expect(RepeatsFamily.report(for: items) == nil)
    }

    @Test func noChoiceCheckMeansNoReport() {
        let item = ItemResult(
            id: "x",
            suite: "s",
            sampleID: "x",
            repeatIndex: 0,
            tags: [],
            request: ModelRequest(messages: []),
            output: "x",
            checks: [],
            outcome: .pass
        )
        #expect(ChoiceFamily.reports(for: [item]) == nil)
    }
}

/// Short-answer accuracy (`equals`, `token-f1`) on hand-worked inputs.
@Suite struct ShortAnswerMetricsTests {
    /// An item with an `equals` check named `answer` and a `token-f1` check named `f1`; nil: the model gave no answer.
    static func item(_ sample: String, matched: Bool?, f1: Double = 0, tags: [String] = []) -> ItemResult {
        var checks: [CheckRecord] = []
        if let matched {
            checks = [
                CheckRecord(
                    name: "answer",
                    type: "equals",
                    outcome: matched ? .pass : .fail,
                    score: matched ? 1 : 0,
                    reason: "",
                    weight: 1,
                    metadata: ["normalization": "ignore case"]
                ),
                CheckRecord(
                    name: "f1",
                    type: "token-f1",
                    outcome: f1 >= 0.5 ? .pass : .fail,
                    score: f1,
                    reason: "",
                    weight: 1
                ),
            ]
        }
        return ItemResult(
            id: sample,
            suite: "s",
            sampleID: sample,
            repeatIndex: 0,
            tags: tags,
            request: ModelRequest(messages: []),
            checks: checks,
            outcome: matched == nil ? .error : matched! ? .pass : .fail
        )
    }

    /// Exact match: 3 of 4 answered items match; one item had no answer and is in neither count. Token F1: the mean
    /// of 1, 0.5, 0.25 and 0 is 0.4375.
    @Test func matchRateAndMeanF1OverAnsweredItems() throws {
        let items = [
            Self.item("a", matched: true, f1: 1, tags: ["x"]), Self.item("b", matched: true, f1: 0.5, tags: ["x"]),
            Self.item("c", matched: false, f1: 0.25, tags: ["y"]), Self.item("d", matched: true, f1: 0, tags: ["y"]),
            Self.item("e", matched: nil),
        ]
        let reports = try #require(ShortAnswerFamily.reports(for: items))
        let match = try #require(reports.first { $0.type == "equals" })
        #expect(match.exactMatch == Rate(successes: 3, total: 4))
        #expect(match.unanswered == 1 && match.normalization == "ignore case")
        #expect(match.byTag?["y"]?.exactMatch == Rate(successes: 1, total: 2))
        let f1 = try #require(reports.first { $0.type == "token-f1" })
        #expect(f1.meanF1?.value == 0.4375 && f1.unanswered == 1)
        #expect(f1.byTag?["x"]?.meanF1?.value == 0.75)
        let results = SuiteResults(items: items)
        #expect(ShortAnswerFamily().value(of: GateSpec(metric: .exactMatch, min: 0.5), in: results) == 0.75)
        #expect(ShortAnswerFamily().value(of: GateSpec(metric: .tokenF1, min: 0.5), in: results) == 0.4375)
        #expect(ShortAnswerFamily().value(of: GateSpec(metric: .exactMatch, tag: "x", min: 0.5), in: results) == 1)
    }
}
