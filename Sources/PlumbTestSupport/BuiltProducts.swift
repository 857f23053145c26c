import Foundation

/// Finds executables that `swift build --build-tests` builds beside the tests (`plumb`, `plumb-fake-model`).
public enum BuiltProducts {
    public static func path(of name: String) -> String? {
        var candidates: [URL] = []
        // The directory of the running test binary (and a few parents, for bundle layouts).
        let executables = [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0]).absoluteURL]
        for executable in executables.compactMap({ $0 }) {
            var directory = executable.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent(name))
                directory.deleteLastPathComponent()
            }
        }
        // The package's build directory, found from this file's path.
        let root = URL(fileURLWithPath: SharedData.repositoryRoot)
        for configuration in ["debug", "release"] {
            candidates.append(root.appendingPathComponent(".build/\(configuration)/\(name)"))
        }
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
