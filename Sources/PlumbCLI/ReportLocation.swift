import Foundation
import PlumbCore
import PlumbMetrics
import PlumbReports

/// Where `plumb compare`, `plumb run --baseline` and `plumb baseline bless` find a report: a `report.json` file, a
/// run directory holding one, or the name of a baseline blessed under `Reports/baselines/NAME/`.
enum ReportLocation {
    static let baselinesDirectory = "Reports/baselines"

    /// The report `argument` names, and how to call it (the argument as given).
    ///
    /// - Throws: `CommandFailure` (65) when nothing is found, or the file is not a readable report.
    static func load(_ argument: String, baselines: String = baselinesDirectory) throws -> (
        report: RunReport, path: String
    ) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        var path: String
        if manager.fileExists(atPath: argument, isDirectory: &isDirectory) {
            path = isDirectory.boolValue ? (argument as NSString).appendingPathComponent("report.json") : argument
        } else if ImportSupport.slug(argument) == argument,
            manager.fileExists(atPath: (baselines as NSString).appendingPathComponent(argument + "/report.json"))
        {
            path = (baselines as NSString).appendingPathComponent(argument + "/report.json")
        } else {
            let known = baselineNames(in: baselines)
            throw CommandFailure(
                exitCode: ExitCode.dataError,
                message: "'\(argument)' is neither a report.json, a run directory, nor a baseline in \(baselines)/"
                    + (known.isEmpty
                        ? " (there are none yet: plumb baseline bless RUN --as NAME)"
                        : EditDistance.hint(for: argument, among: known)
                            + " (baselines: \(known.joined(separator: ", ")))")
            )
        }
        return (try read(path), path)
    }

    /// The report in the file at `path` (at most 4 GiB).
    ///
    /// - Throws: `CommandFailure` (65) when the file cannot be read or is not a report.
    static func read(_ path: String) throws -> RunReport {
        let data: Data
        do {
            data = Data(try InputFile.read(path, limit: 4 << 30))
        } catch {
            throw CommandFailure(exitCode: ExitCode.dataError, message: "cannot read '\(path)': \(error)")
        }
        do {
            return try RunReport.decode(from: data)
        } catch {
            throw CommandFailure(exitCode: ExitCode.dataError, message: "\(path): \(error)")
        }
    }

    /// The names blessed under `baselines`, sorted.
    static func baselineNames(in baselines: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: baselines)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: (baselines as NSString).appendingPathComponent($0 + "/report.json"))
        }.sorted()
    }

    /// `--max-drop METRIC=MARGIN` values as regression gates: the metric must be known and have a better
    /// direction, the margin a number of 0 or more.
    static func maxDrops(_ values: [String], command: String) throws(UsageError) -> [GateSpec] {
        let catalog = MetricCatalog.builtins
        var gates: [GateSpec] = []
        for value in values {
            let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let margin = Double(parts[1]), margin >= 0, margin.isFinite else {
                throw UsageError(
                    "--max-drop takes METRIC=MARGIN such as pass_rate=0.02, not '\(value)'",
                    command: command
                )
            }
            guard let definition = catalog.definition(of: MetricID(parts[0])) else {
                throw UsageError(
                    "--max-drop: unknown metric '\(parts[0])'" + EditDistance.hint(for: parts[0], among: catalog.names),
                    command: command
                )
            }
            guard definition.better != .neither else {
                throw UsageError(
                    "--max-drop: '\(parts[0])' is neither better higher nor lower, so it has no drop",
                    command: command
                )
            }
            gates.append(GateSpec(metric: definition.id, maxDrop: margin))
        }
        return gates
    }
}
