import Foundation
import PlumbCore
import PlumbMetrics
import PlumbReports
import Testing

/// Plumb 0.1 wrote report schema version 1. `Golden/v1-quickstart-shard.json` is a real one: the quickstart on the
/// built-in model, run by 0.1 with `--shard 1/1 --max-errors 2`.
@Suite struct VersionOneReportTests {
    static func load() throws -> RunReport {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden/v1-quickstart-shard.json")
        return try RunReport.decode(from: Data(contentsOf: url))
    }

    @Test func classifierObservationsAreReadOnceIntoTypedValues() throws {
        let report = try Self.load()
        #expect(report.schemaVersion == RunReport.currentSchemaVersion)
        let records = report.items.flatMap(\.checks).filter { $0.name == "not-toxic" }
        #expect(records.count == 18)
        for record in records {
            let observation = try #require(record.classifier)
            #expect(observation.classifier == "plumb-toxicity")
            #expect(observation.score == record.score)
            #expect(observation.detected == (observation.score >= observation.threshold))
            #expect(observation.sensitivity != nil && observation.specificity != nil)
            #expect(record.metadata["detected"] == nil && record.metadata["threshold"] == nil)
        }
    }

    @Test func mergingAVersionOneShardReproducesItsNumbers() throws {
        let report = try Self.load()
        let merged = try RunReport.merge([report])
        // Counts and rates are the same; 0.1's intervals did not allow for k answers per prompt, today's do
        // (the continuation suite asks 3 per prompt), so only the intervals of that suite may differ.
        #expect(merged.suites.map(\.metrics.overall.passed) == report.suites.map(\.metrics.overall.passed))
        #expect(
            merged.suites.map(\.metrics.overall.passRate.value) == report.suites.map(\.metrics.overall.passRate.value)
        )
        // Plumb 0.1 wrote a Wilson lower bound of 5.6e-17 for 0 successes where today's is exactly 0 (issue 12);
        // with that bound put right, the metrics are the same.
        func exactBounds(_ metrics: SuiteMetrics) -> SuiteMetrics {
            func fix(_ tally: Tally) -> Tally {
                var tally = tally
                if tally.passed == 0 { tally.passRate.lower = 0 }
                if tally.passed == tally.items { tally.passRate.upper = 1 }
                return tally
            }
            var metrics = metrics
            metrics.overall = fix(metrics.overall)
            metrics.byTag = metrics.byTag.mapValues(fix)
            metrics.byCheck = metrics.byCheck.mapValues(fix)
            return metrics
        }
        #expect(
            merged.suites.filter { $0.generation.samplesPerPrompt == 1 }.map(\.metrics)
                == report.suites.filter { $0.generation.samplesPerPrompt == 1 }.map { exactBounds($0.metrics) }
        )
        #expect(merged.suites.map(\.gates) == report.suites.map(\.gates))
        // The numbers are 0.1's; today's rate also says what it assumes (issue 12), which 0.1's did not.
        func numbers(_ corrections: [CheckCorrection]?) -> [CheckCorrection]? {
            corrections?.map { correction in
                var correction = correction
                correction.rate.note = nil
                return correction
            }
        }
        #expect(merged.suites.map { numbers($0.corrections) } == report.suites.map { numbers($0.corrections) })
        #expect(
            merged.suites.compactMap(\.corrections).flatMap { $0 }.allSatisfy {
                $0.rate.note?.contains("assumes the scored outputs resemble") == true
            }
        )
        let corrected = try #require(merged.suites.first { $0.name == "quickstart-continuation" }?.corrections?.first)
        #expect(corrected.rate.corrected != nil)
        #expect(corrected.rate.total == 18)
    }

    @Test func aVersionOneReportHasAVerdict() throws {
        let report = try Self.load()
        // Version 1 recorded no error budget; this run had no errors, and one gate failed.
        #expect(report.errorBudget == nil)
        #expect(report.verdict == .gatesFailed(failed: 1, gates: 6))
        let encoded = String(decoding: try report.jsonData(), as: UTF8.self)
        #expect(encoded.contains("\"schemaVersion\" : 2"))
        #expect(try RunReport.decode(from: report.jsonData()) == report)
    }
}
