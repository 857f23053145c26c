public import PlumbCore

/// Turns a `--model` spec into a backend. Specs: `builtin`, `replay:PATH`.
public enum BackendFactory {
    public static let specSummary = """
          builtin          the built-in rule-based reference model (no server; for demos and tests)
          replay:PATH      answers recorded in a report.json or a JSONL file of {"id", "output"} lines
        """

    public static func make(spec: String) throws -> any ModelBackend {
        if spec == "builtin" { return BuiltinModel() }
        if spec.hasPrefix("replay:") {
            let path = String(spec.dropFirst("replay:".count))
            guard !path.isEmpty else {
                throw BackendError(.configuration, "'replay:' needs a path, e.g. replay:Reports/run/report.json")
            }
            return try ReplayBackend(path: path)
        }
        let kinds = ["builtin", "replay"]
        let head = String(spec.split(separator: ":", maxSplits: 1).first ?? "")
        throw BackendError(
            .configuration,
            "unknown model '\(spec)'" + EditDistance.hint(for: head, among: kinds)
                + "; models are: builtin, replay:PATH"
        )
    }
}
