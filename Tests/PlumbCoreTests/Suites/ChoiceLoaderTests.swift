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
            label: "logprob not yet",
            replace: ("answer: \"answer\" }", "answer: \"answer\", method: \"logprob\" }"),
            message: "method 'logprob' is not supported yet"
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
