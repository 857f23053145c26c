import PlumbMetrics
import Foundation
import PlumbCore
import PlumbTestSupport
import Testing

@testable import PlumbReports

@Suite("JSON report")
struct JSONReportTests {
    /// The sample report as a mutable JSON object.
    private func sampleObject() throws -> [String: Any] {
        let data = try ReportFixtures.sampleReport().jsonData()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func data(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object)
    }

    private func decodingError(_ data: Data) -> ReportDecodingError? {
        do {
            _ = try RunReport.decode(from: data)
            return nil
        } catch {
            return error as? ReportDecodingError
        }
    }

    @Test("round trip keeps every field")
    func roundTrip() throws {
        for report in [ReportFixtures.sampleReport(), ReportFixtures.hostileReport()] {
            let decoded = try RunReport.decode(from: report.jsonData())
            #expect(decoded == report)
        }
    }

    @Test("encoding is pretty, sorted, slash-unescaped and deterministic")
    func encoding() throws {
        let report = ReportFixtures.sampleReport()
        let text = String(decoding: try report.jsonData(), as: UTF8.self)
        #expect(try report.jsonData() == report.jsonData())
        #expect(text.hasPrefix("{\n  \"backend\" : {"))
        #expect(text.contains("\"schemaVersion\" : 2"))
        #expect(
            text.contains(
                "\"verdict\" : {\n    \"result\" : \"gatesFailed\",\n    \"summary\" : \"1 of 3 gates failed\"\n  }"
            )
        )
        #expect(text.contains("\"errorBudget\" : \"1\""))
        #expect(text.contains("\"startedAt\" : \"2026-11-21T20:05:15.000Z\""))
        #expect(text.contains("\"file\" : \"suites/refusals.json5\""))
    }

    @Test("a newer schema version is refused before anything else is read")
    func newerSchema() throws {
        var object = try sampleObject()
        object["schemaVersion"] = 7
        let error = try #require(decodingError(try data(object)))
        #expect(error.kind == .newerSchemaVersion(7))
        #expect(error.message == "report schema version 7 is newer than this Plumb understands (2); upgrade Plumb")
        #expect("\(error)" == error.message)

        // Even when the rest of the document is something this Plumb can't read.
        let other = try #require(decodingError(Data(#"{"schemaVersion": 7, "items": "new format"}"#.utf8)))
        #expect(other.kind == .newerSchemaVersion(7))
    }

    @Test("a missing or invalid schema version is refused")
    func missingSchema() throws {
        var object = try sampleObject()
        object.removeValue(forKey: "schemaVersion")
        let missing = try #require(decodingError(try data(object)))
        #expect(missing.kind == .missingSchemaVersion)
        #expect(missing.message == "not a Plumb report: it has no schemaVersion")

        let text = try #require(decodingError(Data(#"{"schemaVersion": "1"}"#.utf8)))
        #expect(text.kind == .notAReport)
        #expect(text.message.hasPrefix("not a Plumb report: schemaVersion must be an integer"))

        let zero = try #require(decodingError(Data(#"{"schemaVersion": 0}"#.utf8)))
        #expect(zero.kind == .unsupportedSchemaVersion(0))
    }

    @Test("data that isn't JSON, or isn't an object, is not a report")
    func invalidJSON() throws {
        let garbage = try #require(decodingError(Data("{\"schemaVersion\": 1, ".utf8)))
        #expect(garbage.kind == .invalidJSON)
        #expect(garbage.message.hasPrefix("not a Plumb report: the data is not valid JSON"))

        let empty = try #require(decodingError(Data()))
        #expect(empty.kind == .invalidJSON)

        let array = try #require(decodingError(Data("[1, 2]".utf8)))
        #expect(array.kind == .notAReport)
        #expect(array.message == "not a Plumb report: expected a JSON object at the top level")
    }

    @Test("a bad field is reported with its dotted coding path")
    func codingPaths() throws {
        var object = try sampleObject()
        var items = try #require(object["items"] as? [[String: Any]])
        items[3]["outcome"] = "maybe"
        object["items"] = items
        let invalid = try #require(decodingError(try data(object)))
        #expect(invalid.kind == .notAReport)
        #expect(invalid.codingPath == "items[3].outcome")
        #expect(invalid.message.hasPrefix("not a Plumb report: invalid value at items[3].outcome"))

        object = try sampleObject()
        items = try #require(object["items"] as? [[String: Any]])
        items[1].removeValue(forKey: "suite")
        object["items"] = items
        let missing = try #require(decodingError(try data(object)))
        #expect(missing.codingPath == "items[1].suite")
        #expect(missing.message == "not a Plumb report: missing field items[1].suite")

        object = try sampleObject()
        var suites = try #require(object["suites"] as? [[String: Any]])
        var metrics = try #require(suites[0]["metrics"] as? [String: Any])
        var overall = try #require(metrics["overall"] as? [String: Any])
        overall["passed"] = "two"
        metrics["overall"] = overall
        suites[0]["metrics"] = metrics
        object["suites"] = suites
        let mistyped = try #require(decodingError(try data(object)))
        #expect(mistyped.codingPath == "suites[0].metrics.overall.passed")
        #expect(mistyped.message.hasPrefix("not a Plumb report: wrong type at suites[0].metrics.overall.passed"))
    }

    @Test("dotted paths")
    func dotted() {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int?
            init(stringValue: String) { self.stringValue = stringValue }
            init(intValue: Int) {
                self.stringValue = "Index \(intValue)"
                self.intValue = intValue
            }
        }
        #expect(ReportDecodingError.dotted([]) == "")
        #expect(
            ReportDecodingError.dotted([Key(stringValue: "items"), Key(intValue: 3), Key(stringValue: "x")])
                == "items[3].x"
        )
        #expect(ReportDecodingError.dotted([Key(intValue: 0), Key(intValue: 1)]) == "[0][1]")
    }
}

@Suite struct StreamedJSONTests {
    /// The item-by-item encoding must give exactly the bytes of encoding the whole report at once.
    @Test func itemByItemEncodingEqualsOneGo() throws {
        for report in [ReportFixtures.sampleReport(), ReportFixtures.hostileReport()] {
            #expect(!report.items.isEmpty)
            let whole = try RunReport.jsonEncoder().encode(report)
            #expect(try report.jsonData() == whole)
            let directory = TemporaryDirectory()
            try report.writeJSON(toFile: directory.file("report.json"))
            #expect(FileManager.default.contents(atPath: directory.file("report.json")) == whole)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report.json"])
        }
    }
}
