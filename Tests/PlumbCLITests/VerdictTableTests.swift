import Foundation
import PlumbCLI
import PlumbCore
import PlumbMetrics
import PlumbReports
import PlumbTestSupport
import Testing

/// Every output gives the same verdict for the same report: the exit code, the terminal summary, Markdown, HTML,
/// JSON, `plumb report` and `plumb merge`, across gates held/failed × errors none/within/over budget/no budget ×
/// completed/interrupted/aborted.
@Suite struct VerdictTableTests {
    enum Errors: String, CaseIterable, Sendable {
        case none, withinBudget, overBudget, noBudget
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var gatesFail: Bool
        var errors: Errors
        var status: RunStatus
        var testDescription: String { "gates \(gatesFail ? "fail" : "hold"), errors \(errors), \(status)" }

        /// The rules of DESIGN.md's exit codes, written out again independently of `Verdict`.
        var expectedExitCode: Int32 {
            switch status {
            case .interrupted: return 130
            case .aborted: return 69
            case .completed: break
            }
            if errors == .overBudget || errors == .noBudget { return 69 }
            return gatesFail ? 1 : 0
        }
    }

    static let cases: [Case] = [false, true].flatMap { fail in
        Errors.allCases.flatMap { errors in
            [RunStatus.completed, .interrupted, .aborted].map { Case(gatesFail: fail, errors: errors, status: $0) }
        }
    }

    /// Ten items, two of which erred unless `errors` is `none`; one gate, `pass_rate <= 0.5` (fails) or
    /// `pass_rate >= 0` (holds); error budget 5 (within), 1 (over) or none.
    static func report(_ testCase: Case) throws -> RunReport {
        let erring = testCase.errors == .none ? 0 : 2
        let items = (0..<10).map { index in
            ItemResult(
                id: "item\(index)",
                index: index,
                suite: "verdicts",
                sampleID: "s\(index)",
                repeatIndex: 0,
                tags: [],
                request: ModelRequest(messages: [Message(role: .user, content: "q\(index)")]),
                output: index < erring ? nil : "ok",
                outcome: index < erring ? .error : .pass,
                error: index < erring ? ItemError(code: "timeout", message: "no answer", transient: true) : nil
            )
        }
        let gate = testCase.gatesFail ? GateSpec(metric: .passRate, max: 0.5) : GateSpec(metric: .passRate, min: 0)
        let evaluation = try SuiteEvaluation(items: items, gates: [gate], corrections: [], families: .builtins)
        let suite = SuiteReport(
            name: "verdicts",
            description: nil,
            kind: "generation",
            file: "verdicts.suite.json5",
            contentHash: String(repeating: "a", count: 64),
            generation: GenerationParameters(),
            checks: [],
            metrics: evaluation.metrics,
            gates: evaluation.gates
        )
        let budget: ErrorBudget? =
            switch testCase.errors {
            case .none, .noBudget: nil
            case .withinBudget: .count(5)
            case .overBudget: .count(1)
            }
        let start = Date(timeIntervalSince1970: 1_795_291_515)
        return RunReport(
            runID: "verdict-table",
            status: testCase.status,
            startedAt: start,
            finishedAt: start.addingTimeInterval(1),
            host: HostInfo(name: "test", operatingSystem: "test", processorCount: 1),
            backend: BackendIdentity(kind: "scripted", name: "scripted"),
            suites: [suite],
            items: items,
            totals: Totals(items: items, suites: [suite]),
            shard: Shard(index: 1, count: 1),
            errorBudget: budget
        )
    }

    @Test(arguments: cases)
    func everyOutputGivesTheSameVerdict(_ testCase: Case) async throws {
        let report = try Self.report(testCase)
        let verdict = report.verdict
        #expect(ExitCode.of(verdict) == testCase.expectedExitCode)

        let directory = TemporaryDirectory()
        let path = directory.file("report.json")
        try report.writeJSON(toFile: path)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        )
        let written = try #require(json["verdict"] as? [String: Any])
        #expect(written["result"] as? String == verdict.name)
        #expect(written["summary"] as? String == report.headline)

        let markdown = await plumb("report", path, "--format", "md")
        #expect(markdown.code == testCase.expectedExitCode)
        let icon =
            switch verdict {
            case .held: "✅"
            case .gatesFailed: "❌"
            default: "⚠️"
            }
        #expect(markdown.out.hasPrefix("## \(icon) Plumb: \(report.headline)\n"))

        let table = await plumb("report", path, "--format", "table")
        #expect(table.code == testCase.expectedExitCode)
        #expect(table.out.hasSuffix("\nresult: \(report.headline)\n"))

        let html = await plumb("report", path, "--format", "html")
        #expect(html.code == testCase.expectedExitCode)
        #expect(html.out.contains("data-verdict=\"\(verdict.name)\""))
        #expect(html.out.contains(report.headline))

        let merged = await plumb("merge", path, "--out", directory.file("merged"), "--format", "table")
        #expect(merged.code == testCase.expectedExitCode, "\(merged.err)")
        #expect(merged.out.hasSuffix("\nresult: \(report.headline)\n"))
        let mergedReport = try loadReport(directory.file("merged/report.json"))
        #expect(mergedReport.verdict == verdict)
    }

    @Test func theHeadlinesSayWhatHappened() throws {
        func headline(_ fail: Bool, _ errors: Errors, _ status: RunStatus) throws -> String {
            try Self.report(Case(gatesFail: fail, errors: errors, status: status)).headline
        }
        #expect(try headline(false, .none, .completed) == "the gate held")
        #expect(
            try headline(false, .withinBudget, .completed) == "the gate held (2 items erred, within the error budget 5)"
        )
        #expect(try headline(true, .none, .completed) == "1 of 1 gate failed")
        #expect(
            try headline(true, .overBudget, .completed)
                == "incomplete: 2 of 10 items erred, more than the error budget 1 allows"
        )
        #expect(
            try headline(false, .noBudget, .completed)
                == "incomplete: 2 of 10 items erred, and no error budget allows any"
        )
        #expect(try headline(false, .none, .interrupted) == "interrupted: the results are partial")
    }
}
