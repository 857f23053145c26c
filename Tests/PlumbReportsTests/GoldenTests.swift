import PlumbMetrics
import Foundation
import Testing

@testable import PlumbReports

/// Golden-file tests: the renderers' output for `ReportFixtures.sampleReport()` must match the files in
/// `Tests/PlumbReportsTests/Golden/` byte for byte.
///
/// After an intended change to a renderer, regenerate the files and review the diff:
///
///     PLUMB_UPDATE_GOLDEN=1 swift test --filter PlumbReportsTests
///
/// The files are found next to this source file (via `#filePath`), since the test target has no resources.
///
/// To look at the pages in a browser, `PLUMB_WRITE_PREVIEW=/some/dir swift test --filter GoldenTests` also writes
/// the sample report and a report full of injection payloads there as `report.html` and `hostile.html`.
@Suite("Golden files")
struct GoldenTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden", isDirectory: true)

    static var updating: Bool { ProcessInfo.processInfo.environment["PLUMB_UPDATE_GOLDEN"] == "1" }

    @Test("HTML report matches Golden/report.html")
    func html() throws {
        try compare(ReportFixtures.sampleReport().renderHTML(), toGolden: "report.html")
    }

    @Test("Markdown summary matches Golden/report.md")
    func markdown() throws {
        try compare(ReportFixtures.sampleReport().renderMarkdown(), toGolden: "report.md")
    }

    @Test("previews are written when asked")
    func previews() throws {
        guard let directory = ProcessInfo.processInfo.environment["PLUMB_WRITE_PREVIEW"], !directory.isEmpty else {
            return
        }
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data(ReportFixtures.sampleReport().renderHTML().utf8).write(to: url.appendingPathComponent("report.html"))
        try Data(ReportFixtures.hostileReport().renderHTML().utf8).write(to: url.appendingPathComponent("hostile.html"))
    }

    private func compare(_ actual: String, toGolden name: String) throws {
        let url = Self.goldenDirectory.appendingPathComponent(name)
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("missing golden file \(url.path); run with PLUMB_UPDATE_GOLDEN=1 to create it")
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard actual != expected else { return }
        let actualLines = actual.components(separatedBy: "\n")
        let expectedLines = expected.components(separatedBy: "\n")
        let common = min(actualLines.count, expectedLines.count)
        let line = (0..<common).first { actualLines[$0] != expectedLines[$0] } ?? common
        let got = line < actualLines.count ? actualLines[line] : "<end of output>"
        let want = line < expectedLines.count ? expectedLines[line] : "<end of file>"
        Issue.record(
            """
            \(name) differs from the golden file at line \(line + 1):
              expected: \(want)
              actual:   \(got)
            If the change is intended, run PLUMB_UPDATE_GOLDEN=1 swift test --filter PlumbReportsTests \
            and review the diff.
            """
        )
    }
}
