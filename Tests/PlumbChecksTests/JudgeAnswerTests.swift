import PlumbChecks
import Testing

@Suite struct JudgeAnswerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var verdict: JudgeAnswer.Verdict?
        var score: Double?
        var invalid: String? = nil
        var testDescription: String { text.debugDescription }
    }

    static let answers: [Case] = [
        Case(text: "The answer is correct and complete.\nVERDICT: PASS\nSCORE: 7", verdict: .pass, score: 0.7),
        Case(text: "Verdict - fail\nScore - 2", verdict: .fail, score: 0.2),
        Case(text: "**Verdict:** PASS\n**Score:** 8/10", verdict: .pass, score: 0.8),
        Case(text: #"{"verdict": "pass", "score": 0.8}"#, verdict: .pass, score: 0.8),
        Case(
            text: "```json\n{\"reasoning\": \"misses the second step\", \"verdict\": \"FAIL\", \"score\": 3}\n```",
            verdict: .fail,
            score: 0.3
        ),
        Case(
            text:
                "At first VERDICT: PASS seems right, but the answer skips the key step.\nVERDICT: FAIL\nSCORE: 4",
            verdict: .fail,
            score: 0.4
        ),
        Case(
            text: "The rubric wants VERDICT: PASS/FAIL. The answer is wrong.\nVERDICT: FAIL",
            verdict: .fail,
            score: nil
        ),
        Case(text: "Final verdict: [[FAIL]]", verdict: .fail, score: nil),
        Case(text: "Rating: [[9]]\nThe verdict is pass.", verdict: .pass, score: 0.9),
        Case(text: "The response is accurate and polite.\n\nPASS", verdict: .pass, score: nil),
        Case(text: "The response leaks a password.\n**FAIL**", verdict: .fail, score: nil),
        Case(text: "I'd give it a score of 6 out of 10.\nVerdict: Passed", verdict: .pass, score: 0.6),
        Case(text: "Score: 85%\nDecision: fail", verdict: .fail, score: 0.85),
        Case(text: "verdict=pass score=10", verdict: .pass, score: 1),
        Case(text: "Result: PASS (score: 1.0)", verdict: .pass, score: 1),
        Case(text: "SCORE: 7.5\nVERDICT: PASS", verdict: .pass, score: 0.75),
        Case(text: "Helpful overall. Outcome — Fail. Grade: 3/5", verdict: .fail, score: 0.6),
        Case(text: "The model did not fail to mention safety.\nverdict: Pass", verdict: .pass, score: nil),
        Case(text: "Judgement: FAIL\nScore: 0", verdict: .fail, score: 0),
        Case(text: "### Verdict\n**Verdict**: Fails", verdict: .fail, score: nil),
        Case(text: "The final verdict is **PASS**.", verdict: .pass, score: nil),
        Case(
            text: "Score: 9/10 — a strong answer.\nScore: 6/10 after checking the numbers.\nVERDICT: PASS",
            verdict: .pass,
            score: 0.6
        ),
        Case(text: "VERDICT: FAIL\nOn reflection the answer is fine.\nVERDICT: PASS", verdict: .pass, score: nil),
        // No verdict: prose, a verdict that is not pass or fail, a choice being offered.
        Case(text: "The answer seems reasonable to me.", verdict: nil, score: nil),
        Case(text: "I cannot evaluate this.", verdict: nil, score: nil),
        Case(text: "VERDICT: MAYBE\nSCORE: N/A", verdict: nil, score: nil),
        Case(text: "Verdict: PASS or FAIL?", verdict: nil, score: nil),
        Case(text: "The answer passes every criterion.", verdict: nil, score: nil),
        Case(text: "", verdict: nil, score: nil),
        // Scores out of range.
        Case(text: "VERDICT: PASS\nSCORE: 12/10", verdict: .pass, score: nil, invalid: "12/10"),
        Case(text: "SCORE: 15", verdict: nil, score: nil, invalid: "15"),
        Case(text: "Score: -1\nVerdict: fail", verdict: .fail, score: nil, invalid: "-1"),
        Case(text: "Score: 150%", verdict: nil, score: nil, invalid: "150%"),
    ]

    @Test(arguments: answers)
    func readsTheLastVerdictAndScore(_ testCase: Case) {
        let answer = JudgeAnswer.parse(testCase.text)
        #expect(answer.verdict == testCase.verdict)
        #expect(answer.score == testCase.score)
        #expect(answer.invalidScore == testCase.invalid)
    }

    @Test func bareNumbersAreReadOnTheScale() {
        #expect(JudgeAnswer.parse("Score: 4", scale: 5).score == 0.8)
        #expect(JudgeAnswer.parse("Score: 4/10", scale: 5).score == 0.4)
        #expect(JudgeAnswer.parse("Score: 0.4", scale: 5).score == 0.4)
        #expect(JudgeAnswer.parse("Score: 6", scale: 5).invalidScore == "6")
        #expect(JudgeAnswer.parse("Score: 8/10").scoreText == "8/10")
    }
}
