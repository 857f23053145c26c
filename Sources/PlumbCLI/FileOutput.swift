import Foundation
import PlumbCore

/// Where commands write files: atomically (`AtomicFile`), so a crash never leaves a half-written report.
enum FileOutput {
    static func writeAtomically(_ data: Data, to path: String) throws {
        try AtomicFile.write(data, to: path)
    }

    static func writeAtomically(_ text: String, to path: String) throws {
        try AtomicFile.write(text, to: path)
    }

    static func createDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
}
