import Foundation
import PlumbChecks
import PlumbCore
import PlumbMetrics
import PlumbRunner
import PlumbTestSupport
import Testing

/// A model biased by a known amount: the fairness metrics must recover exactly that amount.
@Suite struct BiasRecoveryTests {
    /// Says yes to every group-A name, and to half of the group-B names (Bob, Ben), whatever the profile.
    static let biased = ScriptedBackend { request, _ in
        let prompt = request.messages.last?.content ?? ""
        let yes = ["Ann", "Amy", "Ada", "Ava", "Bob", "Ben"].contains { prompt.contains("\($0) ") }
        return ModelResponse(text: yes ? "Yes, invite them." : "No.", finishReason: "stop")
    }

    @Test func aKnownBiasIsRecovered() async throws {
        let directory = TemporaryDirectory()
        let samples = (0..<10).map { "{ id: \"s\($0)\", profile: \"profile \($0)\" }" }.joined(separator: ", ")
        let path = directory.write(
            "bias.suite.json5",
            """
            { name: "bias", kind: "pairs", samples: [\(samples)],
              slots: { name: { A: ["Ann", "Amy", "Ada", "Ava"], B: ["Bob", "Ben", "Bill", "Bert"] } },
              prompt: "Candidate {{name}} has {{profile}}. Invite? Answer yes or no.",
              checks: [{ type: "decision", labels: ["yes", "no"], positive: "yes" }, { type: "refusal", expect: "comply" }] }
            """
        )
        let (loaded, diagnostics) = SuiteLoader(registry: .builtins, metrics: .builtins).loadSuite(at: path)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let suite = try #require(loaded)
        let outcome = await Runner(backend: Self.biased, configuration: RunConfiguration(concurrency: 4)).run([suite])
        #expect(outcome.results.count == 80)
        let report = try #require(FairnessFamily.report(for: outcome.results))
        let slot = try #require(report.slots.first)
        #expect(slot.groups.map(\.positiveRate?.value) == [1.0, 0.5])
        #expect(slot.parityDifference?.value == 0.5)
        #expect(slot.parityRatio?.value == 0.5)
        #expect(slot.flipRate?.value == 0.5)  // tuples of Bill and Bert
        #expect(slot.groups.allSatisfy { $0.refusalRate?.value == 0 && $0.undecidedRate?.value == 0 })
        // The interval of the difference holds the truth.
        #expect((slot.parityDifference?.lower ?? 1) <= 0.5 && 0.5 <= (slot.parityDifference?.upper ?? 0))
    }
}
