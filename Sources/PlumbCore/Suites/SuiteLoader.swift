import Foundation

/// Loads and validates suite files. Every problem in every file is reported, located, before anything runs.
public struct SuiteLoader: Sendable {
    public var registry: CheckRegistry
    /// The metrics gates may bound (`MetricCatalog.builtins` from `PlumbMetrics`, plus any a plug-in adds).
    public var metrics: MetricCatalog
    /// Suite files larger than this are rejected (a suite file is configuration; big data goes in a samples file).
    public var maxSuiteFileBytes = 16 << 20
    public var maxSamplesFileBytes = 1 << 30
    /// A JSONL line or CSV field longer than this is an error at its line.
    public var maxRecordBytes = 1 << 20

    public init(registry: CheckRegistry, metrics: MetricCatalog) {
        self.registry = registry
        self.metrics = metrics
    }

    /// Suite files named by `paths`: files as given, directories searched (recursively, sorted) for
    /// `*.suite.json5` and `*.suite.json`.
    public func suiteFiles(for paths: [String]) -> (files: [String], diagnostics: [SuiteDiagnostic]) {
        var files: [String] = []
        var diagnostics: [SuiteDiagnostic] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.append(
                    SuiteDiagnostic(.missingFile, "no such file or directory", at: SourceLocation(file: path, line: 1))
                )
                continue
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            let found = (manager.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".suite.json5") || $0.hasSuffix(".suite.json") }
                .sorted()
                .map { (path.hasSuffix("/") ? path : path + "/") + $0 }
            if found.isEmpty {
                diagnostics.append(
                    SuiteDiagnostic(
                        .empty,
                        "directory holds no suite files (named '*.suite.json5' or '*.suite.json')",
                        at: SourceLocation(file: path, line: 1)
                    )
                )
            }
            files.append(contentsOf: found)
        }
        return (files, diagnostics)
    }

    /// Loads every suite named by `paths`. Suites with errors are left out; all diagnostics are returned sorted.
    public func load(_ paths: [String]) -> (suites: [Suite], diagnostics: [SuiteDiagnostic]) {
        let (files, fileDiagnostics) = suiteFiles(for: paths)
        var diagnostics = fileDiagnostics
        var suites: [Suite] = []
        var names: [String: String] = [:]
        for file in files {
            let (suite, found) = loadSuite(at: file)
            diagnostics.append(contentsOf: found)
            guard let suite else { continue }
            if let other = names[suite.name] {
                diagnostics.append(
                    SuiteDiagnostic(
                        .duplicateID,
                        "suite name '\(suite.name)' is also used by '\(other)'; suite names must be unique in a run",
                        at: SourceLocation(file: file, line: 1)
                    )
                )
                continue
            }
            names[suite.name] = file
            suites.append(suite)
        }
        return (suites, diagnostics.sorted { ($0.location, $0.message) < ($1.location, $1.message) })
    }

    /// Loads one suite file. Returns nil when it has errors (warnings may come with a suite).
    public func loadSuite(at path: String) -> (Suite?, [SuiteDiagnostic]) {
        let sink = DiagnosticSink()
        let suite = loadSuite(at: path, sink: sink)
        let errors = sink.diagnostics.contains { $0.severity == .error }
        return (errors ? nil : suite, sink.diagnostics)
    }

    // MARK: - Reading files

    func readFile(_ path: String, limit: Int, sink: DiagnosticSink, reportAt: SourceLocation) -> [UInt8]? {
        do {
            return try InputFile.read(path, limit: limit)
        } catch {
            sink.add(error.isTooLarge ? .tooLarge : .missingFile, error.message, at: reportAt)
            return nil
        }
    }

    static func normalisedForHash(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(13) else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 13, index + 1 < bytes.count, bytes[index + 1] == 10 {
                index += 1
                continue
            }
            result.append(bytes[index])
            index += 1
        }
        return result
    }

    // MARK: - The suite file

    static let topLevelKeys = [
        "format", "name", "description", "kind", "samples", "prompt", "generation", "checks", "scoring", "gates",
        "corrections", "slots", "choice", "source", "license",
    ]

    func loadSuite(at path: String, sink: DiagnosticSink) -> Suite? {
        let fileStart = SourceLocation(file: path, line: 1)
        guard let bytes = readFile(path, limit: maxSuiteFileBytes, sink: sink, reportAt: fileStart) else { return nil }
        let root: JSON5Node
        do {
            root = try JSON5Parser.parse(bytes, json5: true)
        } catch {
            sink.add(Self.syntaxDiagnostic(error.message, at: error.position.in(path)))
            return nil
        }
        guard let reader = ObjectReader(root, file: path, context: "suite", sink: sink) else { return nil }
        var hash = SHA256()
        hash.update(Self.normalisedForHash(bytes))

        if let formatNode = reader.node("format") {
            if case .number(let value, _) = formatNode.value, value == Double(Suite.formatVersion) {
                // The current format.
            } else {
                if case .number = formatNode.value {
                    sink.add(
                        .unsupported,
                        "suite format \(formatNode.plain) is not one this Plumb reads (it reads format \(Suite.formatVersion))",
                        at: formatNode.position.in(path)
                    )
                } else {
                    reader.wrongType("format", formatNode, "the number \(Suite.formatVersion)")
                }
            }
        }

        let name = reader.string("name", required: "a short unique name such as 'refusal-basics'")
        if let name, !Self.isValidName(name) {
            sink.add(
                .invalidValue,
                "suite name '\(name)' may use only letters, digits, '.', '_' and '-'",
                at: reader.node("name")!.position.in(path)
            )
        }
        let description = reader.string("description")
        let source = reader.string("source")
        let license = reader.string("license")

        var kind: SuiteKind?
        if let kindText = reader.string("kind", required: "one of: generation, pairs, choice") {
            if let value = SuiteKind(rawValue: kindText) {
                kind = value
            } else {
                sink.add(
                    .invalidValue,
                    "unknown suite kind '\(kindText)'"
                        + EditDistance.hint(for: kindText, among: SuiteKind.allCases.map(\.rawValue))
                        + " (kinds: generation, pairs, choice)",
                    at: reader.node("kind")!.position.in(path)
                )
            }
        }

        // Samples.
        var samples: [Sample] = []
        var samplesFile = path
        if let samplesNode = reader.node("samples") {
            switch samplesNode.value {
            case .array(let elements):
                samples = elements.compactMap { sample(from: $0, file: path, sink: sink) }
                if elements.isEmpty {
                    sink.add(
                        .empty,
                        "'samples' is empty; a suite needs at least one sample",
                        at: samplesNode.position.in(path)
                    )
                }
            case .string(let relative):
                let resolved = Self.resolve(relative, relativeTo: path)
                samplesFile = resolved
                let reportAt = samplesNode.position.in(path)
                if let data = readFile(resolved, limit: maxSamplesFileBytes, sink: sink, reportAt: reportAt) {
                    hash.update([0])
                    hash.update(Self.normalisedForHash(data))
                    var readable = true
                    if relative.lowercased().hasSuffix(".jsonl") {
                        samples = jsonlSamples(data, file: resolved, sink: sink)
                    } else if relative.lowercased().hasSuffix(".csv") {
                        samples = csvSamples(data, file: resolved, sink: sink)
                    } else {
                        sink.add(
                            .unsupported,
                            "samples file '\(relative)' must end in '.jsonl' or '.csv'",
                            at: reportAt
                        )
                        readable = false
                    }
                    let errorsInFile = sink.diagnostics.contains {
                        $0.location.file == resolved && $0.severity == .error
                    }
                    if readable && samples.isEmpty && !errorsInFile {
                        sink.add(.empty, "samples file '\(relative)' holds no samples", at: reportAt)
                    }
                }
            default:
                reader.wrongType("samples", samplesNode, "an array of samples or the path of a .jsonl or .csv file")
            }
        } else {
            reader.missing("samples", "an array of samples, or the path of a .jsonl or .csv file beside the suite")
        }
        checkDuplicateIDs(samples, sink: sink)
        var choice: ChoiceSpec?
        if kind == .choice {
            choice = choiceSpec(reader.node("choice"), reader: reader, file: path, sink: sink)
            if let choice { samples = resolveChoices(samples, spec: choice, sink: sink) }
        } else if let choiceNode = reader.node("choice") {
            sink.add(
                .invalidValue,
                "'choice' belongs to 'choice' suites (this suite is '\(kind?.rawValue ?? "")')",
                at: choiceNode.position.in(path)
            )
        }

        // Prompt.
        var variables: [(name: String, location: SourceLocation)] = []
        var prompt: PromptSpec?
        if let promptNode = reader.node("prompt") {
            prompt = promptSpec(promptNode, file: path, sink: sink, variables: &variables)
        } else {
            reader.missing("prompt", "a template such as \"{{question}}\", or { system, template } or { messages }")
        }

        let generation = generationParameters(reader.node("generation"), file: path, sink: sink)
        if let choice, choice.method == .logprob, generation.samplesPerPrompt > 1 {
            sink.add(
                .invalidValue,
                "a log-probability score is the same every time: ask each sample once (samplesPerPrompt: 1), or "
                    + "use method: \"generate\"",
                at: reader.node("generation")?.position.in(path) ?? root.position.in(path)
            )
        }

        // Checks.
        var checks: [CheckBinding] = []
        if let checkNodes = reader.array("checks") {
            checks = checkBindings(checkNodes, file: path, sink: sink, variables: &variables)
            if checkNodes.isEmpty {
                sink.add(
                    .empty,
                    "'checks' is empty; add at least one check",
                    at: reader.node("checks")!.position.in(path)
                )
            }
        } else if reader.node("checks") == nil {
            reader.missing("checks", "an array of checks such as [{ type: \"refusal\" }]")
        }

        var pairs: PairsSpec?
        let promptVariables = variables
        if kind == .pairs {
            pairs = pairsSpec(reader.node("slots"), suiteFile: path, reader: reader, sink: sink, hash: &hash)
            if let pairs {
                validatePairs(
                    pairs,
                    promptVariables: promptVariables,
                    checks: checks,
                    samples: samples,
                    at: root.position.in(path),
                    sink: sink
                )
            }
        } else if let slotsNode = reader.node("slots") {
            sink.add(
                .invalidValue,
                "'slots' belongs to 'pairs' suites (this suite is '\(kind?.rawValue ?? "")')",
                at: slotsNode.position.in(path)
            )
        }

        if kind == .choice, !checks.contains(where: { $0.type == "choice" }) {
            sink.add(
                .missingField,
                "a choice suite needs a 'choice' check that reads the chosen option: "
                    + "{ type: \"choice\", answer: \"{{correct}}\" }",
                at: root.position.in(path)
            )
        }

        let scoring = scoringRule(reader.node("scoring"), file: path, sink: sink)
        let gates = gateSpecs(
            reader.node("gates"),
            file: path,
            sink: sink,
            samples: samples,
            checks: checks,
            kind: kind,
            pairs: pairs,
            samplesPerPrompt: generation.samplesPerPrompt
        )
        // Metrics only some choice suites have: refused where the suite cannot give them, not failed at run time.
        for gate in gates {
            let need: String?
            switch gate.metric.rawValue {
            case "accuracy_norm" where choice?.method != .logprob:
                need = "options scored by log-probability (choice: { method: \"logprob\" })"
            case "mc2" where choice?.trueOptions == nil || choice?.method != .logprob:
                need =
                    "options scored by log-probability and the true ones named (choice: { method: \"logprob\", "
                    + "trueOptions: FIELD })"
            case "stereotype_score" where choice?.measure != .stereotype:
                need = "a stereotype suite (choice: { method: \"logprob\", measure: \"stereotype\" })"
            default:
                need = nil
            }
            if let need {
                sink.add(
                    .invalidValue,
                    "gate metric '\(gate.metric.rawValue)' needs \(need)",
                    at: gate.location ?? root.position.in(path)
                )
            }
        }
        let corrections = correctionSpecs(reader.node("corrections"), file: path, sink: sink, checks: checks)
        reader.reportUnknownKeys(known: Self.topLevelKeys)

        let slotNames = Set(pairs?.slots.map(\.name) ?? [])
        let before = sink.diagnostics.count
        validateVariables(
            variables.filter { variable in
                !slotNames.contains(variable.name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? "")
            },
            samples: samples,
            sink: sink
        )
        // Checks filled from each sample, rendered for every sample now (pairs fill slots per variant, choice
        // suites set the options per item: those are checked when their items are made).
        if sink.diagnostics.count == before, kind == .generation {
            validateRenderedChecks(checks, samples: samples, sink: sink)
        }

        guard let name, let kind, let prompt else { return nil }
        if kind == .pairs && pairs == nil { return nil }
        if kind == .choice && choice == nil { return nil }
        return Suite(
            name: name,
            description: description,
            kind: kind,
            file: path,
            samplesFile: samplesFile,
            contentHash: SHA256.hexString(hash.finalize()),
            samples: samples,
            prompt: prompt,
            generation: generation,
            checks: checks,
            scoring: scoring,
            gates: gates,
            corrections: corrections,
            pairs: pairs,
            choice: choice,
            source: source,
            license: license
        )
    }

    static func syntaxDiagnostic(_ message: String, at location: SourceLocation) -> SuiteDiagnostic {
        let code: SuiteDiagnostic.Code
        if message.hasPrefix("invalid UTF-8") {
            code = .invalidEncoding
        } else if message.hasPrefix("line is ") || message.hasPrefix("field is ") {
            code = .tooLarge
        } else if message.hasPrefix("record has ") {
            code = .malformedRecord
        } else {
            code = .syntax
        }
        return SuiteDiagnostic(code, message, at: location)
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "."
                    || $0 == "_" || $0 == "-"
            }
    }

    static func resolve(_ relative: String, relativeTo suiteFile: String) -> String {
        if relative.hasPrefix("/") { return relative }
        let directory = (suiteFile as NSString).deletingLastPathComponent
        return directory.isEmpty ? relative : directory + "/" + relative
    }
}
