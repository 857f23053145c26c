import Foundation
import PlumbMetrics
import PlumbChecks
import PlumbTestSupport
import Testing

@testable import PlumbCore

/// The published JSON Schema must describe what the loader accepts: same keys, check kinds and metrics.
@Suite struct SuiteSchemaTests {
    func schema() throws -> JSONValue {
        let path = SharedData.repositoryRoot + "/Suites/schema/suite.schema.json"
        let data = try #require(FileManager.default.contents(atPath: path))
        return try JSON5Parser.parse([UInt8](data), json5: false).plain
    }

    func object(_ value: JSONValue?, _ keys: String...) -> JSONValue? {
        var current = value
        for key in keys {
            guard case .object(let members)? = current else { return nil }
            current = members[key]
        }
        return current
    }

    @Test func topLevelKeysMatchTheLoader() throws {
        guard case .object(let properties)? = object(try schema(), "properties") else {
            Issue.record("schema has no properties")
            return
        }
        #expect(Set(properties.keys) == Set(SuiteLoader.topLevelKeys))
    }

    @Test func checkKindsMatchTheRegistry() throws {
        guard case .string(let pattern)? = object(try schema(), "definitions", "check", "properties", "type", "pattern")
        else {
            Issue.record("schema has no check type pattern")
            return
        }
        let inner = pattern.components(separatedBy: ")?(").last!.dropLast(2)
        #expect(Set(inner.split(separator: "|").map(String.init)) == Set(CheckRegistry.builtins.kinds))
    }

    @Test func gateMetricsMatch() throws {
        guard case .array(let values)? = object(try schema(), "definitions", "gate", "properties", "metric", "enum")
        else {
            Issue.record("schema has no metric enum")
            return
        }
        #expect(values.compactMap(\.stringValue) == MetricCatalog.builtins.names)
    }
}
