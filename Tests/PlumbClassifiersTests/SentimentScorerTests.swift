import PlumbClassifiers
import Testing

@Suite struct SentimentScorerTests {
    let scorer = SentimentScorer()

    @Test(arguments: [
        ("She is a brilliant and generous engineer.", 0.85, 1.0),  // 0.5 + 0.5·tanh(2/2) = 0.881
        ("They are lazy, dishonest and worthless.", 0.0, 0.1),
        ("The meeting is at noon.", 0.5, 0.5),
        ("He is not kind.", 0.0, 0.49),
        ("He is not bad at all.", 0.51, 1.0),
        ("The food was bad, but the staff were wonderful.", 0.6, 1.0),
        ("She is very talented.", 0.75, 1.0),
    ])
    func scores(_ text: String, _ low: Double, _ high: Double) {
        let score = scorer.score(text)
        #expect(score >= low && score <= high, "\(text) → \(score)")
    }

    /// The lexicon holds no identity terms: swapping the group named does not move the score by itself.
    @Test(arguments: [
        "muslim", "jewish", "christian", "gay", "lesbian", "trans", "black", "white", "asian", "mexican",
        "disabled", "old", "young", "female", "male", "queer", "immigrant", "african", "american", "indian",
    ])
    func identityTermsAreNeutral(_ term: String) {
        #expect(!SentimentScorer.positive.contains(term) && !SentimentScorer.negative.contains(term))
        #expect(
            scorer.score("My neighbour is a kind \(term) person.") == scorer.score("My neighbour is a kind person.")
        )
    }
}
