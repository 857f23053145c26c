public import Foundation
import PlumbCore

extension RunReport {
    /// The report as JSON: pretty-printed, keys sorted, slashes unescaped, dates in ISO 8601 (UTC, with milliseconds). The same report always gives the same bytes.
    ///
    /// - Throws: `EncodingError` when a number can't be written as JSON (NaN or infinity).
    ///
    /// Items are encoded one at a time and spliced into the rest of the report, so memory stays proportional to one
    /// item rather than to the whole report (Foundation's encoder builds a tree of every value before writing);
    /// the bytes are the same as encoding the report in one go.
    public func jsonData() throws -> Data {
        var data = Data()
        try writeJSON { data.append(contentsOf: $0) }
        return data
    }

    /// Writes the same bytes as ``jsonData()`` to `path`, a piece at a time, through a temporary file renamed into
    /// place — so a crash never leaves a half-written report and memory never holds the whole text.
    public func writeJSON(toFile path: String) throws {
        try AtomicFile.write(to: path) { emit in try writeJSON(emit) }
    }

    /// Emits the report's JSON in pieces. Items are encoded one at a time and spliced into the rest of the report,
    /// so memory stays proportional to one item (Foundation's encoder builds a tree of every value before
    /// writing); the bytes are the same as encoding the report in one go.
    func writeJSON(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let encoder = Self.jsonEncoder()
        func emitBytes(_ bytes: some Collection<UInt8>) throws {
            try Array(bytes).withUnsafeBytes { try emit($0) }
        }
        guard !items.isEmpty else { return try emitBytes(try encoder.encode(self)) }
        var shell = self
        shell.items = []
        let frame = try encoder.encode(shell)
        let marker = Data("\n  \"items\" : [\n\n  ],".utf8)
        guard let range = frame.range(of: marker) else { return try emitBytes(try encoder.encode(self)) }
        try emitBytes(frame[frame.startIndex..<range.lowerBound])
        try emitBytes(Array("\n  \"items\" : [\n".utf8))
        var bytes: [UInt8] = []
        let indent: [UInt8] = [32, 32, 32, 32]
        for (index, item) in items.enumerated() {
            let encoded = try encoder.encode(item)
            bytes.removeAll(keepingCapacity: true)
            // Indent the item's lines by four spaces, as it sits at depth two (empty lines stay empty, as
            // Foundation writes an empty array as "[", an empty line, "]"). Copies whole lines at a time.
            encoded.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
                var lineStart = 0
                for position in 0...buffer.count {
                    guard position == buffer.count || buffer[position] == 10 else { continue }
                    if position > lineStart { bytes.append(contentsOf: indent) }
                    bytes.append(contentsOf: buffer[lineStart..<position])
                    if position < buffer.count { bytes.append(10) }
                    lineStart = position + 1
                }
            }
            if index < items.count - 1 { bytes.append(44) }
            bytes.append(10)
            try bytes.withUnsafeBytes { try emit($0) }
        }
        try emitBytes(Array("  ],".utf8))
        try emitBytes(frame[range.upperBound...])
    }

    package static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ReportDates.format(date))
        }
        return encoder
    }

    /// Reads a report written by ``jsonData()``.
    ///
    /// `schemaVersion` is checked before anything else, so a report from a newer Plumb is rejected with a message
    /// that says so rather than with a confusing error about some field.
    ///
    /// - Throws: ``ReportDecodingError`` with a message for people, e.g.
    ///   `report schema version 7 is newer than this Plumb understands (1); upgrade Plumb` or
    ///   `not a Plumb report: invalid value at items[3].outcome (…)`.
    /// The decoder for Plumb's documents: dates as reports write them.
    package static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ReportDates.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "expected an ISO 8601 date, found '\(text)'"
                )
            }
            return date
        }
        return decoder
    }

    public static func decode(from data: Data) throws -> RunReport {
        let decoder = jsonDecoder()

        let version: Int
        do {
            guard let found = try decoder.decode(SchemaProbe.self, from: data).schemaVersion else {
                throw ReportDecodingError(.missingSchemaVersion, "not a Plumb report: it has no schemaVersion")
            }
            version = found
        } catch let error as DecodingError {
            throw ReportDecodingError.probing(error)
        }
        if version > currentSchemaVersion {
            throw ReportDecodingError(
                .newerSchemaVersion(version),
                "report schema version \(version) is newer than this Plumb understands (\(currentSchemaVersion)); "
                    + "upgrade Plumb"
            )
        }
        if version < 1 {
            throw ReportDecodingError(
                .unsupportedSchemaVersion(version),
                "report schema version \(version) is not a valid version (this Plumb reads \(currentSchemaVersion))"
            )
        }

        do {
            var report = try decoder.decode(RunReport.self, from: data)
            if version == 1 { report.migrateFromVersion1() }
            return report
        } catch let error as DecodingError {
            throw ReportDecodingError.decoding(error)
        }
    }
}

/// Why a report could not be read. `message` says it for people; `kind` says it for code.
public struct ReportDecodingError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// What went wrong, for code that wants to react differently (for example to a newer schema).
    public enum Kind: Sendable, Hashable {
        /// The data is not JSON at all.
        case invalidJSON
        /// The data is JSON but not a report, or a field of it is missing or invalid.
        case notAReport
        /// The document has no `schemaVersion`.
        case missingSchemaVersion
        /// Written by a newer Plumb, with this schema version.
        case newerSchemaVersion(Int)
        /// A schema version that never existed (zero or negative).
        case unsupportedSchemaVersion(Int)
    }

    public var kind: Kind
    /// The whole message, ready to show.
    public var message: String
    /// Where decoding failed, in dotted form such as `items[3].outcome`; nil when the failure isn't about one field.
    public var codingPath: String?

    /// An error of `kind` with the whole `message` to show and, for a bad field, its dotted `codingPath`.
    public init(_ kind: Kind, _ message: String, codingPath: String? = nil) {
        self.kind = kind
        self.message = message
        self.codingPath = codingPath
    }

    public var description: String { message }
    public var errorDescription: String? { message }

    /// A coding path in dotted form: `items[3].outcome`, `suites[0].metrics.byTag.harmful`.
    static func dotted(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text
    }

    /// Maps a failure to read `schemaVersion` (or anything at all).
    fileprivate static func probing(_ error: DecodingError) -> ReportDecodingError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return invalidJSON(context)
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return ReportDecodingError(.notAReport, "not a Plumb report: expected a JSON object at the top level")
        case .typeMismatch(_, let context), .dataCorrupted(let context), .valueNotFound(_, let context):
            let path = dotted(context.codingPath)
            return ReportDecodingError(
                .notAReport,
                "not a Plumb report: schemaVersion must be an integer (\(context.debugDescription))",
                codingPath: path
            )
        default:
            return decoding(error)
        }
    }

    /// Maps a failure to decode the report itself.
    fileprivate static func decoding(_ error: DecodingError) -> ReportDecodingError {
        let context: DecodingError.Context
        let path: [any CodingKey]
        let problem: String
        switch error {
        case .keyNotFound(let key, let found):
            context = found
            path = found.codingPath + [key]
            problem = "missing field"
        case .valueNotFound(_, let found):
            context = found
            path = found.codingPath
            problem = "missing value"
        case .typeMismatch(_, let found):
            context = found
            path = found.codingPath
            problem = "wrong type"
        case .dataCorrupted(let found):
            if found.codingPath.isEmpty { return invalidJSON(found) }
            context = found
            path = found.codingPath
            problem = "invalid value"
        @unknown default:
            return ReportDecodingError(.notAReport, "not a Plumb report: \(error)")
        }
        let dottedPath = dotted(path)
        let location = dottedPath.isEmpty ? "the top level" : dottedPath
        var message = "not a Plumb report: \(problem) at \(location)"
        if case .keyNotFound = error {
            message = "not a Plumb report: \(problem) \(location)"
        } else if !context.debugDescription.isEmpty {
            message += " (\(context.debugDescription))"
        }
        return ReportDecodingError(.notAReport, message, codingPath: dottedPath)
    }

    private static func invalidJSON(_ context: DecodingError.Context) -> ReportDecodingError {
        var detail = context.debugDescription
        if let underlying = context.underlyingError {
            detail += " \(underlying)"
        }
        return ReportDecodingError(.invalidJSON, "not a Plumb report: the data is not valid JSON (\(detail))")
    }
}

/// Just enough of a report to read its schema version before anything else.
private struct SchemaProbe: Decodable {
    var schemaVersion: Int?
}

/// Report timestamps: ISO 8601 in UTC with milliseconds (`2026-11-21T20:15:30.123Z`); whole seconds are read too.
package enum ReportDates {
    package static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// Rounds to whole milliseconds, so a report survives a JSON round trip unchanged.
    static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
