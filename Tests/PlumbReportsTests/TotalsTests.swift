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

@Suite struct HTMLPagingTests {
    /// 450 items: 50 failing, 400 passing, each output naming its index.
    static func manyItems() -> RunReport {
        let items = (0..<450).map { index in
            ReportFixtures.item(
                suite: "s",
                sample: "x\(index)",
                tags: [],
                messages: [Message(role: .user, content: "question \(index)")],
                output: "answer-\(index) <b>bold</b>",
                outcome: index % 9 == 0 ? .fail : .pass
            )
        }
        return ReportFixtures.report(
            runID: "r",
            backend: BackendIdentity(kind: "builtin", name: "builtin"),
            host: HostInfo(name: "h", operatingSystem: "os", processorCount: 2),
            suites: [],
            items: items
        )
    }

    @Test("Only the first page of each group is laid out; the rest wait in data blocks, every item once, escaped")
    func pagesWaitInTemplates() throws {
        let report = Self.manyItems()
        let html = report.renderHTML(pageSize: 100)
        let failing = report.items.filter { $0.outcome == .fail }.count
        #expect(failing == 50)
        // Failing group: 50 items, no template. Passing group: 400 items, 100 laid out, 3 templates of 100.
        #expect(html.components(separatedBy: "<script type=\"text/x-plumb-items\" class=\"more\">").count - 1 == 3)
        let found = html.matches(of: /answer-(\d+) &lt;b&gt;bold&lt;\/b&gt;/).compactMap { Int($0.output.1) }
        #expect(found.sorted() == Array(0..<450), "every item exactly once")
        #expect(!html.contains("<b>bold</b>"))
        let beforeTemplates = try #require(html.components(separatedBy: "<script type=\"text/x-plumb-items\"").first)
        #expect(beforeTemplates.components(separatedBy: "<article class=\"item").count - 1 == 150)
        #expect(html.contains("data-total=\"450\""))
        // A page size beyond the items lays everything out, as before.
        #expect(!report.renderHTML(pageSize: 1000).contains("text/x-plumb-items"))
    }
}

@Suite struct HTMLStreamingTests {
    @Test("writeHTML writes, in pieces, exactly the bytes renderHTML returns")
    func streamedPageEqualsTheRenderedOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plumb-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, report) in [
            ("sample", ReportFixtures.sampleReport()), ("hostile", ReportFixtures.hostileReport()),
            ("many", HTMLPagingTests.manyItems()),
        ] {
            let path = directory.appendingPathComponent("\(name).html").path
            try report.writeHTML(toFile: path, pageSize: 100, flushBytes: 4096)
            let written = try String(contentsOfFile: path, encoding: .utf8)
            #expect(written == report.renderHTML(pageSize: 100), "\(name)")
        }
    }
}
