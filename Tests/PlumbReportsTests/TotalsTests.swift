import Foundation
import PlumbCore
import PlumbReports
import Testing

@Suite struct TotalsTests {
    @Test("Token totals sum the items that report usage; latency p50 and p95 are nearest-rank percentiles")
    func tokensAndLatency() {
        // Latencies 0.1 … 1.0 s in shuffled order: p50 is rank ⌈0.5·10⌉ = 5 (0.5 s), p95 rank ⌈9.5⌉ = 10 (1.0 s).
        let latencies = [0.7, 0.1, 1.0, 0.4, 0.2, 0.9, 0.3, 0.6, 0.8, 0.5]
        var items = latencies.enumerated().map { index, latency in
            ReportFixtures.item(
                suite: "s",
                sample: "x\(index)",
                tags: [],
                messages: [Message(role: .user, content: "q")],
                output: "a",
                usage: TokenUsage(promptTokens: index + 1, completionTokens: 2),
                latency: latency,
                outcome: .pass
            )
        }
        items.append(
            ReportFixtures.item(suite: "s", sample: "err", tags: [], messages: [], outcome: .error)
        )
        let totals = Totals(items: items, suites: [])
        #expect(totals.promptTokens == 55 && totals.completionTokens == 20)
        #expect(totals.latencyP50 == 0.5 && totals.latencyP95 == 1.0)
        let none = Totals(items: [items.last!], suites: [])
        #expect(none.promptTokens == nil && none.latencyP50 == nil)
        // One value: it is every percentile.
        let one = Totals(items: [items[0]], suites: [])
        #expect(one.latencyP50 == 0.7 && one.latencyP95 == 0.7)
    }
}
