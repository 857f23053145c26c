import Foundation
import PlumbChecks
import PlumbCore
import PlumbMetrics
import PlumbTestSupport
import Testing

/// `choice` suites: options lettered into the prompt, the answer resolved per sample, every mistake a located error.
@Suite struct ChoiceLoaderTests {
    let loader = SuiteLoader(registry: .builtins, metrics: .builtins)

    static let valid = """
        { name: "c", kind: "choice",
          samples: [
            { id: "a", q: "Capital of France?", options: ["Lyon", "Paris", "Nice"], answer: "B" },
            { id: "b", q: "2 + 2?", options: ["3", "4"], answer: 1 },
            { id: "c", q: "Largest planet?", options: ["Mars", "Jupiter", "Venus", "Earth"], answer: "jupiter" },
          ],
          choice: { options: "options", answer: "answer" },
          prompt: "{{q}}\\n{{choices}}",
          checks: [{ type: "choice", answer: "{{correct}}" }],
          gates: [{ metric: "accuracy", min: 0.5 }, { metric: "invalid_rate", max: 0.1 }] }
        """

    @Test func optionsAreLetteredAndAnswersResolvedToLetters() throws {
        let directory = TemporaryDirectory()
        let (suite, diagnostics) = loader.loadSuite(at: directory.write("c.suite.json5", Self.valid))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let loaded = try #require(suite)
        #expect(loaded.kind == .choice)
        #expect(loaded.samples.map { $0.fields["correct"] } == [.string("B"), .string("B"), .string("B")])
        #expect(loaded.samples[2].fields["correctText"] == .string("Jupiter"))
        let prompts = Planner.items(for: loaded).map { $0.request.messages.last!.content }
        #expect(prompts[0] == "Capital of France?\nA. Lyon\nB. Paris\nC. Nice")
        #expect(prompts[1] == "2 + 2?\nA. 3\nB. 4")
    }

    @Test func optionsMayBeSeveralFieldsAsInACSV() throws {
        let directory = TemporaryDirectory()
        directory.write("q.csv", "id,question,A,B,C,D,answer\nq1,Pick two,one,two,three,four,B\n")
        let text = """
            { name: "c", kind: "choice", samples: "q.csv",
              choice: { options: ["A", "B", "C", "D"], answer: "answer" },
              prompt: "{{question}}\\n{{choices}}", checks: [{ type: "choice", answer: "{{correct}}" }] }
            """
        let (suite, diagnostics) = loader.loadSuite(at: directory.write("c.suite.json5", text))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let prompt = Planner.items(for: try #require(suite))[0].request.messages.last!.content
        #expect(prompt == "Pick two\nA. one\nB. two\nC. three\nD. four")
    }

    @Test func permutationsRotateTheOptionsAndMoveTheCorrectLetter() throws {
        let text = Self.valid.replacingOccurrences(
            of: "choice: { options: \"options\", answer: \"answer\" }",
            with: "choice: { options: \"options\", answer: \"answer\", permutations: 3 }"
        )
        let directory = TemporaryDirectory()
        let (suite, diagnostics) = loader.loadSuite(at: directory.write("c.suite.json5", text))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let loaded = try #require(suite)
        let items = Planner.items(for: loaded)
        // Sample a: 3 options, 3 orders; b: 2 options, so only 2 orders; c: 4 options, 3 orders.
        #expect(items.count == 3 + 2 + 3)
        #expect(Set(items.map(\.id)).count == items.count)
        let first = items.prefix(3).map { $0.request.messages.last!.content }
        #expect(
            first == [
                "Capital of France?\nA. Lyon\nB. Paris\nC. Nice",
                "Capital of France?\nA. Paris\nB. Nice\nC. Lyon",
                "Capital of France?\nA. Nice\nB. Lyon\nC. Paris",
            ]
        )
        #expect(
            items.prefix(3).map { $0.sample(in: loaded).fields["correct"] } == [
                .string("B"), .string("A"), .string("C"),
            ]
        )
        #expect(items.map(\.optionRotation) == [0, 1, 2, 0, 1, 0, 1, 2])
        // The order as written keeps the id it has without permutations.
        let (plain, _) = loader.loadSuite(at: directory.write("p.suite.json5", Self.valid))
        let plainFirst = Planner.items(for: try #require(plain))[0]
        #expect(plainFirst.request == items[0].request)
    }

    static let bad: [SuiteMistake] = [
        SuiteMistake(
            label: "no choice object",
            replace: ("choice: { options: \"options\", answer: \"answer\" },", ""),
            message: "needs 'choice'"
        ),
        SuiteMistake(
            label: "an answer letter beyond the options",
            replace: ("answer: \"B\" }", "answer: \"D\" }"),
            message: "sample 'a': answer \"D\" names no option"
        ),
        SuiteMistake(
            label: "an index beyond the options",
            replace: ("answer: 1 }", "answer: 2 }"),
            message: "sample 'b': answer \"2\" names no option"
        ),
        SuiteMistake(
            label: "a text that is no option",
            replace: ("answer: \"jupiter\"", "answer: \"Saturn\""),
            message: "sample 'c': answer \"Saturn\" names no option"
        ),
        SuiteMistake(
            label: "duplicated options",
            replace: ("[\"Lyon\", \"Paris\", \"Nice\"]", "[\"Paris\", \"Lyon\", \"paris\"]"),
            message: "option C repeats option A"
        ),
        SuiteMistake(
            label: "an empty option",
            replace: ("[\"3\", \"4\"]", "[\"3\", \" \"]"),
            message: "option B is empty"
        ),
        SuiteMistake(
            label: "one option",
            replace: ("[\"3\", \"4\"]", "[\"3\"]"),
            message: "has 1 options; a choice needs 2 to 26"
        ),
        SuiteMistake(
            label: "options missing",
            replace: ("options: [\"3\", \"4\"], ", ""),
            message: "sample 'b': 'options' must hold the options"
        ),
        SuiteMistake(
            label: "no choice check",
            replace: ("checks: [{ type: \"choice\", answer: \"{{correct}}\" }]", "checks: [{ type: \"refusal\" }]"),
            message: "a choice suite needs a 'choice' check"
        ),
        SuiteMistake(
            label: "a delimiter without logprob",
            replace: ("answer: \"answer\" }", "answer: \"answer\", delimiter: \"\" }"),
            message: "'delimiter' goes between the prompt and each option scored by log-probability"
        ),
        SuiteMistake(
            label: "a stereotype measure without logprob",
            replace: ("answer: \"answer\" }", "answer: \"answer\", measure: \"stereotype\" }"),
            message: "measure 'stereotype' compares the likelihoods of two sentences"
        ),
        SuiteMistake(
            label: "an unknown measure",
            replace: ("answer: \"answer\" }", "answer: \"answer\", method: \"logprob\", measure: \"bias\" }"),
            message: "'measure' is one of: accuracy, stereotype"
        ),
        SuiteMistake(
            label: "a stereotype pair of three sentences",
            replace: ("answer: \"answer\" }", "answer: \"answer\", method: \"logprob\", measure: \"stereotype\" }"),
            message: "sample 'a': has 3 options; a stereotype pair is two sentences"
        ),
        SuiteMistake(
            label: "true options without logprob",
            replace: ("answer: \"answer\" }", "answer: \"answer\", trueOptions: \"answer\" }"),
            message: "'trueOptions' gives TruthfulQA's MC2 score"
        ),
        SuiteMistake(
            label: "true options naming no option",
            replace: ("answer: \"answer\" }", "answer: \"answer\", method: \"logprob\", trueOptions: \"q\" }"),
            message: "sample 'a': 'q' lists \"Capital of France?\", which names no option"
        ),
        SuiteMistake(
            label: "several answers per prompt scored by log-probability",
            replace: (
                "answer: \"answer\" }", "answer: \"answer\", method: \"logprob\" }, generation: { samplesPerPrompt: 3 }"
            ),
            message: "a log-probability score is the same every time"
        ),
        SuiteMistake(
            label: "an acc_norm gate on a generated suite",
            replace: ("{ metric: \"invalid_rate\", max: 0.1 }", "{ metric: \"accuracy_norm\", min: 0.5 }"),
            message: "gate metric 'accuracy_norm' needs options scored by log-probability"
        ),
        SuiteMistake(
            label: "an mc2 gate without true options",
            replace: ("{ metric: \"invalid_rate\", max: 0.1 }", "{ metric: \"mc2\", min: 0.5 }"),
            message: "gate metric 'mc2' needs options scored by log-probability and the true ones named"
        ),
        SuiteMistake(
            label: "a stereotype gate on an accuracy suite",
            replace: ("{ metric: \"invalid_rate\", max: 0.1 }", "{ metric: \"stereotype_score\", max: 0.6 }"),
            message: "gate metric 'stereotype_score' needs a stereotype suite"
        ),
        SuiteMistake(
            label: "an exact-match gate without an equals check",
            replace: ("{ metric: \"invalid_rate\", max: 0.1 }", "{ metric: \"exact_match\", min: 0.5 }"),
            message: "'exact_match' needs an 'equals' check (such as { type: \"equals\""
        ),
        SuiteMistake(
            label: "a regression gate on a metric with no better direction",
            replace: ("{ metric: \"invalid_rate\", max: 0.1 }", "{ metric: \"bias_score_ambig\", maxDrop: 0.1 }"),
            message: "'bias_score_ambig' is neither better higher nor lower, so it has no drop"
        ),
        SuiteMistake(
            label: "an unknown method",
            replace: ("answer: \"answer\" }", "answer: \"answer\", method: \"guess\" }"),
            message: "'method' is one of: generate, logprob"
        ),
        SuiteMistake(
            label: "a field the suite fills in",
            replace: ("q: \"2 + 2?\"", "q: \"2 + 2?\", correct: \"x\""),
            message: "has a field 'correct', which a choice suite fills in itself"
        ),
        SuiteMistake(
            label: "choice in a generation suite",
            replace: ("kind: \"choice\"", "kind: \"generation\""),
            message: "'choice' belongs to 'choice' suites"
        ),
    ]

    @Test func logprobSuitesAskToScoreEveryOptionAfterTheDelimiter() throws {
        let text = Self.valid.replacingOccurrences(
            of: "choice: { options: \"options\", answer: \"answer\" }",
            with: "choice: { options: \"options\", answer: \"answer\", method: \"logprob\", trueOptions: \"answer\" }"
        )
        let directory = TemporaryDirectory()
        let (suite, diagnostics) = loader.loadSuite(at: directory.write("c.suite.json5", text))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let loaded = try #require(suite)
        let items = Planner.items(for: loaded)
        #expect(items[0].request.continuations == [" Lyon", " Paris", " Nice"])
        #expect(items[0].request.maxTokens == nil && items[0].request.temperature == nil)
        #expect(loaded.samples[2].fields[ChoiceSpec.trueTextsField] == .array([.string("Jupiter")]))
        // The continuations are part of the item id: scoring other texts is another item.
        let generated = Planner.items(
            for: try #require(loader.loadSuite(at: directory.write("g.suite.json5", Self.valid)).0)
        )
        #expect(items[0].id != generated[0].id)
        let empty = text.replacingOccurrences(of: "method: \"logprob\"", with: "method: \"logprob\", delimiter: \"\"")
        let (unspaced, _) = loader.loadSuite(at: directory.write("e.suite.json5", empty))
        #expect(Planner.items(for: try #require(unspaced))[1].request.continuations == ["3", "4"])
    }

    @Test func aCategoryFieldBecomesATagSoAccuracyIsBrokenDownByIt() throws {
        let text = Self.valid.replacingOccurrences(of: "answer: \"B\" }", with: "answer: \"B\", area: \"geo\" }")
            .replacingOccurrences(of: "answer: 1 }", with: "answer: 1, area: \"maths\" }")
            .replacingOccurrences(of: "answer: \"jupiter\" }", with: "answer: \"jupiter\", area: \"geo\" }")
            .replacingOccurrences(
                of: "choice: { options: \"options\", answer: \"answer\" }",
                with: "choice: { options: \"options\", answer: \"answer\", category: \"area\" }"
            )
            .replacingOccurrences(
                of: "{ metric: \"invalid_rate\", max: 0.1 }",
                with: "{ metric: \"accuracy\", tag: \"geo\", min: 0.5 }"
            )
        let directory = TemporaryDirectory()
        let (suite, diagnostics) = loader.loadSuite(at: directory.write("c.suite.json5", text))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(try #require(suite).samples.map(\.tags) == [["geo"], ["maths"], ["geo"]])
        let missing = text.replacingOccurrences(of: ", area: \"maths\"", with: "")
        let (none, problems) = loader.loadSuite(at: directory.write("m.suite.json5", missing))
        #expect(none == nil)
        #expect(problems.contains { $0.message == "sample 'b': has no category field 'area'" }, "\(problems)")
    }

    @Test(arguments: bad)
    func mistakesAreLocatedErrors(_ testCase: SuiteMistake) throws {
        let (suite, diagnostics) = testCase.load(into: Self.valid, with: loader, file: "c.suite.json5")
        #expect(suite == nil)
    }

    @Test func accuracyGatesNeedAChoiceCheck() {
        let text = """
            { name: "g", samples: [{ id: "a", q: "x" }], prompt: "{{q}}", checks: [{ type: "refusal" }],
              gates: [{ metric: "accuracy", min: 0.5 }] }
            """
        let directory = TemporaryDirectory()
        let (suite, diagnostics) = loader.loadSuite(at: directory.write("g.suite.json5", text))
        #expect(suite == nil)
        #expect(diagnostics.contains { $0.message.contains("'accuracy' needs a 'choice' check") }, "\(diagnostics)")
    }

    @Test func theCheckReadsAnOptionsTextWhenNoLetterIsGiven() async throws {
        let directory = TemporaryDirectory()
        let (suite, _) = loader.loadSuite(at: directory.write("c.suite.json5", Self.valid))
        let loaded = try #require(suite)
        let check = ChoiceCheck(answer: try Template(parsing: "{{correct}}"))
        func run(_ sample: Int, _ output: String) async throws -> CheckResult {
            let input = CheckInput(
                sample: loaded.samples[sample],
                request: ModelRequest(messages: []),
                response: ModelResponse(text: output)
            )
            return try await check.evaluate(
                input,
                in: CheckContext(suiteName: "c", location: loaded.samples[0].location)
            )
        }
        let byText = try await run(0, "It is Paris, of course.")
        #expect(byText.outcome == .pass)
        #expect(byText.choice == ChoiceObservation(chosen: "B", correct: "B", chosenText: "Paris"))
        let twoTexts = try await run(0, "Either Paris or Lyon.")
        #expect(twoTexts.outcome == .fail)
        #expect(twoTexts.choice?.isInvalid == true)
        #expect(twoTexts.reason.hasPrefix("invalid:"))
        let byLetter = try await run(2, "The answer is (A).")
        #expect(byLetter.choice == ChoiceObservation(chosen: "A", correct: "B", chosenText: "Mars"))
        #expect(byLetter.score == 0)
        // Sample b has two options: C is not a letter it offers.
        let outside = try await run(1, "C")
        #expect(outside.choice?.isInvalid == true)
    }
}
