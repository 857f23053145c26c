import Foundation

/// A fresh directory under the system temporary directory, for tests that write suites and reports.
/// Removed when the value is deinitialised.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "plumb-test") {
        TestProcess.setUp()
        let name = "\(label)-\(UUID().uuidString.prefix(8))"
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `contents` to `name` (which may contain subdirectories) and returns the full path.
    @discardableResult
    public func write(_ name: String, _ contents: String) -> String {
        write(name, bytes: Array(contents.utf8))
    }

    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) -> String {
        let full = (path as NSString).appendingPathComponent(name)
        try? FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    public func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: (path as NSString).appendingPathComponent(name)).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    public func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(name))
    }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

/// Where the repository's shared data lives (`../shared` beside the checkout), when it is there.
public enum SharedData {
    /// The repository root, found from this file's path.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static let root: String = {
        if let path = ProcessInfo.processInfo.environment["PLUMB_SHARED_DATA"] { return path }
        return URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent().appendingPathComponent("shared").path
    }()

    public static func path(_ relative: String) -> String { root + "/" + relative }

    public static func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }
}

/// What every test process needs before its tests talk to servers and child processes: SIGPIPE ignored, as
/// `plumb` itself does, so a write to a peer that went away fails with EPIPE in the test that made it instead of
/// killing the whole test run.
public enum TestProcess {
    private static let once: Void = { signal(SIGPIPE, SIG_IGN) }()

    public static func setUp() { _ = once }
}
