import Foundation
import PlumbCore

/// `run.json` in a run directory: the `plumb run` arguments that made it, so `--resume DIR` can finish it.
/// Arguments never hold secrets (keys come from the environment).
struct RunManifest: Codable {
    var plumbVersion: String
    var arguments: [String]

    init(arguments: [String]) {
        self.plumbVersion = PlumbVersion.current
        self.arguments = arguments
    }

    static let fileName = "run.json"

    /// `arguments` with `--resume`/`--out` removed and `--out directory` appended, so replaying them lands in the
    /// same place.
    static func normalized(_ arguments: [String], out directory: String) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--out" || argument == "--resume" {
                index += 2
                continue
            }
            if argument.hasPrefix("--out=") || argument.hasPrefix("--resume=") || argument == "--overwrite" {
                index += 1
                continue
            }
            result.append(argument)
            index += 1
        }
        return result + ["--out", directory]
    }

    func write(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileOutput.writeAtomically(try encoder.encode(self), to: directory + "/" + Self.fileName)
    }

    /// The arguments to finish the run in `directory`. `--resume` goes alone: the run's own options are kept.
    static func resumeArguments(directory: String, extra: [String]) throws -> [String] {
        var others = extra
        if let at = others.firstIndex(of: "--resume") {
            others.removeSubrange(at..<min(at + 2, others.count))
        } else {
            others.removeAll { $0.hasPrefix("--resume=") }
        }
        if let other = others.first(where: { $0.hasPrefix("-") }) ?? others.first {
            throw UsageError(
                "--resume takes no other arguments ('\(other)'); the run's own are in \(directory)/\(fileName)",
                command: "run"
            )
        }
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError("'\(directory)' is not a run directory (no \(fileName))", command: "run")
        }
        guard let manifest = try? JSONDecoder().decode(RunManifest.self, from: data) else {
            throw UsageError(
                "'\(path)' is damaged; rerun the original command with --out '\(directory)'",
                command: "run"
            )
        }
        return normalized(manifest.arguments, out: directory)
    }

    /// A directory name for a model: its name with anything but letters, digits, '.', '_' and '-' replaced.
    static func directoryName(for modelName: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let name = String(modelName.map { allowed.contains($0) ? $0 : "_" })
        return name.isEmpty || name.allSatisfy({ $0 == "." }) ? "model" : name
    }
}
