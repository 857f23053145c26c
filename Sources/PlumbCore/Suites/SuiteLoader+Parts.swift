import Foundation

extension SuiteLoader {
    // MARK: - Samples

    func sample(from node: JSON5Node, file: String, sink: DiagnosticSink) -> Sample? {
        guard case .object(let members) = node.value else {
            sink.add(.wrongType, "a sample must be an object, found \(node.kindName)", at: node.position.in(file))
            return nil
        }
        var id: String?
        var tags: [String] = []
        var fields: [String: JSONValue] = [:]
        var seen: Set<String> = []
        for member in members {
            if !seen.insert(member.key).inserted {
                sink.add(.duplicateID, "duplicate key '\(member.key)' in sample", at: member.keyPosition.in(file))
            }
            switch member.key {
            case "id":
                switch member.value.value {
                case .string(let value) where !value.isEmpty: id = value
                case .number(_, let raw): id = raw
                default:
                    sink.add(
                        .wrongType,
                        "sample 'id' must be a non-empty string or a number, found \(member.value.kindName)",
                        at: member.value.position.in(file)
                    )
                    return nil
                }
            case "tags":
                switch member.value.value {
                case .string(let value): tags = [value]
                case .array(let elements):
                    for element in elements {
                        guard case .string(let tag) = element.value else {
                            sink.add(
                                .wrongType,
                                "sample 'tags' must hold strings, found \(element.kindName)",
                                at: element.position.in(file)
                            )
                            continue
                        }
                        tags.append(tag)
                    }
                default:
                    sink.add(
                        .wrongType,
                        "sample 'tags' must be a string or an array of strings, found \(member.value.kindName)",
                        at: member.value.position.in(file)
                    )
                }
            default:
                fields[member.key] = member.value.plain
            }
        }
        guard let id else {
            sink.add(.missingField, "sample has no 'id'; give every sample a unique id", at: node.position.in(file))
            return nil
        }
        return Sample(id: id, fields: fields, tags: tags, location: node.position.in(file))
    }

    func jsonlSamples(_ bytes: [UInt8], file: String, sink: DiagnosticSink) -> [Sample] {
        let (records, errors) = JSONLReader.read(bytes, json5: false, maxLineBytes: maxRecordBytes)
        for error in errors {
            sink.add(Self.syntaxDiagnostic(error.message, at: error.position.in(file)))
        }
        return records.compactMap { sample(from: $0.node, file: file, sink: sink) }
    }

    func csvSamples(_ bytes: [UInt8], file: String, sink: DiagnosticSink) -> [Sample] {
        let (table, errors) = CSVReader.parse(bytes, maxFieldBytes: maxRecordBytes)
        for error in errors {
            sink.add(Self.syntaxDiagnostic(error.message, at: error.position.in(file)))
        }
        guard let table else { return [] }
        guard let idColumn = table.header.firstIndex(of: "id") else {
            sink.add(
                .missingField,
                "CSV header has no 'id' column; columns are: \(table.header.joined(separator: ", "))",
                at: SourceLocation(file: file, line: table.headerLine, column: 1)
            )
            return []
        }
        var seenColumns: Set<String> = []
        for name in table.header where !seenColumns.insert(name).inserted {
            sink.add(
                .duplicateID,
                "CSV header names column '\(name)' twice; column names must be unique",
                at: SourceLocation(file: file, line: table.headerLine, column: 1)
            )
        }
        let tagsColumn = table.header.firstIndex(of: "tags")
        var samples: [Sample] = []
        for record in table.records where record.fields.count == table.header.count {
            let id = record.fields[idColumn]
            let location = SourceLocation(file: file, line: record.line, column: 1)
            guard !id.isEmpty else {
                sink.add(.missingField, "record has an empty 'id'; give every sample a unique id", at: location)
                continue
            }
            var fields: [String: JSONValue] = [:]
            for (index, name) in table.header.enumerated() where index != idColumn && index != tagsColumn {
                fields[name] = .string(record.fields[index])
            }
            let tags =
                tagsColumn.map {
                    record.fields[$0].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                        .filter { !$0.isEmpty }
                } ?? []
            samples.append(Sample(id: id, fields: fields, tags: tags, location: location))
        }
        return samples
    }

    func checkDuplicateIDs(_ samples: [Sample], sink: DiagnosticSink) {
        var first: [String: SourceLocation] = [:]
        for sample in samples {
            if let earlier = first[sample.id] {
                sink.add(
                    .duplicateID,
                    "duplicate sample id '\(sample.id)' (first used at line \(earlier.line)); sample ids must be unique",
                    at: sample.location
                )
            } else {
                first[sample.id] = sample.location
            }
        }
    }

    // MARK: - Prompt

    func template(_ node: JSON5Node, key: String, file: String, sink: DiagnosticSink) -> Template? {
        guard case .string(let text) = node.value else {
            sink.add(.wrongType, "'\(key)' must be a string, found \(node.kindName)", at: node.position.in(file))
            return nil
        }
        do {
            return try Template(parsing: text)
        } catch {
            sink.add(.invalidValue, "'\(key)': \(error.message)", at: node.position.in(file))
            return nil
        }
    }

    func promptSpec(
        _ node: JSON5Node,
        file: String,
        sink: DiagnosticSink,
        variables: inout [(name: String, location: SourceLocation)]
    ) -> PromptSpec? {
        if case .string = node.value {
            guard let template = template(node, key: "prompt", file: file, sink: sink) else { return nil }
            variables.append(contentsOf: template.variables.map { ($0, node.position.in(file)) })
            return PromptSpec(template: template)
        }
        guard let reader = ObjectReader(node, file: file, context: "prompt", sink: sink) else { return nil }
        var system: Template?
        if let systemNode = reader.node("system") {
            system = template(systemNode, key: "system", file: file, sink: sink)
            if let system { variables.append(contentsOf: system.variables.map { ($0, systemNode.position.in(file)) }) }
        }
        let templateNode = reader.node("template")
        let messagesNode = reader.node("messages")
        reader.reportUnknownKeys()
        switch (templateNode, messagesNode) {
        case (let templateNode?, nil):
            guard let user = template(templateNode, key: "template", file: file, sink: sink) else { return nil }
            variables.append(contentsOf: user.variables.map { ($0, templateNode.position.in(file)) })
            return PromptSpec(system: system, template: user)
        case (nil, let messagesNode?):
            guard case .array(let elements) = messagesNode.value, !elements.isEmpty else {
                sink.add(
                    .wrongType,
                    "'messages' must be a non-empty array of { role, content }",
                    at: messagesNode.position.in(file)
                )
                return nil
            }
            var messages: [PromptSpec.MessageTemplate] = []
            if let system { messages.append(.init(role: .system, content: system)) }
            for element in elements {
                guard let message = ObjectReader(element, file: file, context: "message", sink: sink) else {
                    continue
                }
                let roleText = message.string("role", required: "system, user or assistant")
                let contentNode = message.node("content")
                message.reportUnknownKeys()
                if contentNode == nil { message.missing("content", "the message text, a template") }
                guard let roleText, let contentNode,
                    let content = template(contentNode, key: "content", file: file, sink: sink)
                else { continue }
                let role = Message.Role(rawValue: roleText)
                guard Message.Role.all.contains(role) else {
                    sink.add(
                        .invalidValue,
                        "unknown role '\(roleText)'"
                            + EditDistance.hint(for: roleText, among: Message.Role.all.map(\.rawValue))
                            + " (roles: system, user, assistant)",
                        at: message.node("role")!.position.in(file)
                    )
                    continue
                }
                variables.append(contentsOf: content.variables.map { ($0, contentNode.position.in(file)) })
                messages.append(.init(role: role, content: content))
            }
            return PromptSpec(messages: messages)
        case (.some, .some):
            sink.add(.invalidValue, "prompt has both 'template' and 'messages'; use one", at: node.position.in(file))
            return nil
        case (nil, nil):
            reader.missing("template", "the user message, e.g. \"{{question}}\" (or give 'messages')")
            return nil
        }
    }

    // MARK: - Generation

    func generationParameters(_ node: JSON5Node?, file: String, sink: DiagnosticSink) -> GenerationParameters {
        var parameters = GenerationParameters()
        guard let node, let reader = ObjectReader(node, file: file, context: "generation", sink: sink) else {
            return parameters
        }
        parameters.temperature = reader.double("temperature", in: 0...2)
        parameters.maxTokens = reader.int("maxTokens", min: 1)
        parameters.topP = reader.double("topP", in: 0...1)
        if let count = reader.int("samplesPerPrompt", min: 1) {
            if count > 10_000 {
                sink.add(
                    .invalidValue,
                    "'samplesPerPrompt' must be at most 10000, found \(count)",
                    at: reader.node("samplesPerPrompt")!.position.in(file)
                )
            } else {
                parameters.samplesPerPrompt = count
            }
        }
        parameters.seed = reader.uint64("seed")
        parameters.stop = reader.strings("stop") ?? []
        if let logprobs = reader.int("logprobs", min: 0) {
            if logprobs > 20 {
                sink.add(
                    .invalidValue,
                    "'logprobs' must be at most 20 (the most alternatives servers return), found \(logprobs)",
                    at: reader.node("logprobs")!.position.in(file)
                )
            } else {
                parameters.logprobs = logprobs
            }
        }
        reader.reportUnknownKeys()
        return parameters
    }

    // MARK: - Checks

    static let reservedCheckKeys: Set<String> = ["type", "name", "weight"]

    func checkBindings(
        _ nodes: [JSON5Node],
        file: String,
        sink: DiagnosticSink,
        variables: inout [(name: String, location: SourceLocation)]
    ) -> [CheckBinding] {
        var bindings: [CheckBinding] = []
        var names: [String: SourceLocation] = [:]
        var counts: [String: Int] = [:]
        for node in nodes {
            guard let reader = ObjectReader(node, file: file, context: "check", sink: sink) else { continue }
            guard let type = reader.string("type", required: "the kind of check, e.g. 'contains'") else { continue }
            let explicitName = reader.string("name")
            let weight = reader.double("weight", in: 0...1_000_000) ?? 1
            let parameters = CheckParameters(
                kind: type,
                file: file,
                position: node.position,
                members: reader.members.filter { !Self.reservedCheckKeys.contains($0.key) }
            )
            let check: any Check
            do {
                check = try registry.makeCheck(parameters)
            } catch {
                var diagnostic = error
                if error.code == .unknownCheck, let typeNode = reader.node("type") {
                    diagnostic.location = typeNode.position.in(file)
                }
                sink.add(diagnostic)
                continue
            }
            for diagnostic in parameters.unknownKeys() { sink.add(diagnostic) }
            variables.append(contentsOf: parameters.referencedFields)
            counts[type, default: 0] += 1
            let name = explicitName ?? (counts[type]! > 1 ? "\(type)#\(counts[type]!)" : type)
            if let earlier = names[name] {
                sink.add(
                    .duplicateID,
                    "duplicate check name '\(name)' (first at line \(earlier.line)); give each check a unique 'name'",
                    at: node.position.in(file)
                )
                continue
            }
            names[name] = node.position.in(file)
            bindings.append(
                CheckBinding(
                    name: name,
                    type: type,
                    weight: weight,
                    check: check,
                    parameters: Dictionary(
                        parameters.members.map { ($0.key, $0.value.plain) },
                        uniquingKeysWith: { _, last in last }
                    ),
                    location: node.position.in(file)
                )
            )
        }
        return bindings
    }

    // MARK: - Scoring and gates

    func scoringRule(_ node: JSON5Node?, file: String, sink: DiagnosticSink) -> ScoringRule {
        guard let node else { return .all }
        if case .string(let mode) = node.value {
            switch mode {
            case "all": return .all
            case "any": return .any
            default:
                sink.add(
                    .invalidValue,
                    "unknown scoring '\(mode)'; use \"all\", \"any\" or { mode: \"weighted\", threshold: 0.7 }",
                    at: node.position.in(file)
                )
                return .all
            }
        }
        guard let reader = ObjectReader(node, file: file, context: "scoring", sink: sink) else { return .all }
        let mode = reader.string("mode", required: "\"all\", \"any\" or \"weighted\"")
        let threshold = reader.double("threshold", in: 0...1)
        reader.reportUnknownKeys()
        switch mode {
        case "all": return .all
        case "any": return .any
        case "weighted":
            guard let threshold else {
                reader.missing("threshold", "the weighted score a sample needs to pass, from 0 to 1")
                return .all
            }
            return .weighted(threshold: threshold)
        case nil: return .all
        case let other?:
            sink.add(
                .invalidValue,
                "unknown scoring mode '\(other)'; use \"all\", \"any\" or \"weighted\"",
                at: reader.node("mode")!.position.in(file)
            )
            return .all
        }
    }

    func gateSpecs(
        _ node: JSON5Node?,
        file: String,
        sink: DiagnosticSink,
        samples: [Sample],
        checks: [CheckBinding],
        kind: SuiteKind? = nil,
        pairs: PairsSpec? = nil,
        samplesPerPrompt: Int = 1
    ) -> [GateSpec] {
        guard let node else { return [] }
        guard case .array(let elements) = node.value else {
            sink.add(.wrongType, "'gates' must be an array, found \(node.kindName)", at: node.position.in(file))
            return []
        }
        let allTags = Set(samples.flatMap(\.tags))
        var gates: [GateSpec] = []
        for element in elements {
            guard let reader = ObjectReader(element, file: file, context: "gate", sink: sink) else { continue }
            let metricNames = metrics.names
            let metricText = reader.string("metric", required: "one of: " + metricNames.joined(separator: ", "))
            let tag = reader.string("tag")
            let check = reader.string("check")
            let group = reader.string("group")
            let slot = reader.string("slot")
            let min = reader.double("min")
            let max = reader.double("max")
            // `maxDrop`, also written `max_drop`.
            let maxDrop = reader.double("maxDrop") ?? reader.double("max_drop")
            if reader.node("maxDrop") != nil, let spelled = reader.node("max_drop") {
                sink.add(.invalidValue, "give 'maxDrop' once (not also 'max_drop')", at: spelled.position.in(file))
            }
            reader.reportUnknownKeys()
            guard let metricText else { continue }
            guard let metric = metrics.definition(of: MetricID(metricText)) else {
                sink.add(
                    .invalidValue,
                    "unknown metric '\(metricText)'" + EditDistance.hint(for: metricText, among: metricNames)
                        + " (metrics: \(metricNames.joined(separator: ", ")))",
                    at: reader.node("metric")!.position.in(file)
                )
                continue
            }
            if min == nil && max == nil && maxDrop == nil {
                sink.add(
                    .missingField,
                    "gate on '\(metricText)' needs 'min', 'max' or 'maxDrop'",
                    at: element.position.in(file)
                )
                continue
            }
            if let maxDrop {
                let at = (reader.node("maxDrop") ?? reader.node("max_drop"))!.position.in(file)
                guard maxDrop >= 0, maxDrop.isFinite else {
                    sink.add(.invalidValue, "'maxDrop' is a margin, 0 or more; found \(maxDrop)", at: at)
                    continue
                }
                guard metric.better != .neither else {
                    sink.add(
                        .invalidValue,
                        "'\(metricText)' is neither better higher nor lower, so it has no drop; bound it with 'min' "
                            + "or 'max'",
                        at: at
                    )
                    continue
                }
            }
            if let min, let max, min > max {
                sink.add(
                    .invalidValue,
                    "gate 'min' (\(min)) is above its 'max' (\(max))",
                    at: element.position.in(file)
                )
                continue
            }
            if let tag, !samples.isEmpty, !allTags.contains(tag) {
                sink.add(
                    .invalidValue,
                    "no sample has tag '\(tag)'" + EditDistance.hint(for: tag, among: allTags.sorted()),
                    at: reader.node("tag")!.position.in(file)
                )
                continue
            }
            if tag != nil, !metric.allows.contains(.tag) {
                let tagged = metrics.definitions.filter { $0.allows.contains(.tag) }.map { "'\($0.id)'" }
                sink.add(
                    .unsupported,
                    "a '\(metricText)' gate cannot be limited to a tag; metrics that can: "
                        + tagged.joined(separator: ", "),
                    at: reader.node("tag")!.position.in(file)
                )
                continue
            }
            if metric.requires.contains(.check), check == nil {
                reader.missing("check", "the name of the check whose '\(metricText)' is bounded")
                continue
            }
            if let check, metric.allows.contains(.check) {
                if !checks.isEmpty, !checks.contains(where: { $0.name == check }) {
                    sink.add(
                        .invalidValue,
                        "no check is named '\(check)'" + EditDistance.hint(for: check, among: checks.map(\.name)),
                        at: reader.node("check")!.position.in(file)
                    )
                    continue
                }
            } else if check != nil {
                let checked = metrics.definitions.filter { $0.allows.contains(.check) }.map { "'\($0.id)'" }
                sink.add(
                    .invalidValue,
                    "'check' applies only to metric\(checked.count == 1 ? "" : "s") " + checked.joined(separator: ", "),
                    at: reader.node("check")!.position.in(file)
                )
                continue
            }
            if let problem = unmetNeed(
                metric,
                kind: kind,
                checks: checks,
                check: check,
                samplesPerPrompt: samplesPerPrompt
            ) {
                sink.add(.invalidValue, problem, at: reader.node("metric")!.position.in(file))
                continue
            }
            if let slot {
                guard metric.allows.contains(.slot), let pairs else {
                    sink.add(
                        .invalidValue,
                        "'slot' applies only to fairness metrics of pairs suites",
                        at: reader.node("slot")!.position.in(file)
                    )
                    continue
                }
                guard pairs.slots.contains(where: { $0.name == slot }) else {
                    sink.add(
                        .invalidValue,
                        "no slot is named '\(slot)'" + EditDistance.hint(for: slot, among: pairs.slots.map(\.name)),
                        at: reader.node("slot")!.position.in(file)
                    )
                    continue
                }
            }
            if let group {
                guard metric.allows.contains(.group), let pairs else {
                    sink.add(
                        .invalidValue,
                        "'group' applies only to per-group fairness metrics (positive_rate, refusal_rate, "
                            + "undecided_rate, group_mean_score)",
                        at: reader.node("group")!.position.in(file)
                    )
                    continue
                }
                let names = pairs.slots.filter { slot == nil || $0.name == slot }.flatMap { $0.groups.map(\.name) }
                guard names.contains(group) else {
                    sink.add(
                        .invalidValue,
                        "no group is named '\(group)'" + EditDistance.hint(for: group, among: names),
                        at: reader.node("group")!.position.in(file)
                    )
                    continue
                }
            } else if metric.requires.contains(.group) {
                reader.missing("group", "the group whose '\(metricText)' is bounded")
                continue
            }
            gates.append(
                GateSpec(
                    metric: metric.id,
                    tag: tag,
                    check: check,
                    group: group,
                    slot: slot,
                    min: min,
                    max: max,
                    maxDrop: maxDrop,
                    location: element.position.in(file)
                )
            )
        }
        return gates
    }

    /// Why `metric` cannot be measured in this suite, or nil when it can.
    func unmetNeed(
        _ metric: MetricDefinition,
        kind: SuiteKind?,
        checks: [CheckBinding],
        check: String?,
        samplesPerPrompt: Int
    ) -> String? {
        switch metric.needs {
        case .nothing:
            return nil
        case .pairsSuite:
            return kind == .pairs
                ? nil : "'\(metric.id)' is a fairness metric: it needs a 'pairs' suite, which varies a group"
        case .classifierCheck:
            let classifierChecks = checks.filter { binding in
                let type = binding.type.hasPrefix("not-") ? String(binding.type.dropFirst(4)) : binding.type
                return type == "classifier" || type == "moderation"
            }
            if classifierChecks.isEmpty {
                return "'\(metric.id)' needs a classifier check (such as { type: \"classifier\", classifier: "
                    + "\"toxicity\" }) whose scores it summarises"
            }
            if let check, !classifierChecks.contains(where: { $0.name == check }) {
                return "'\(metric.id)' needs a classifier check, and '\(check)' is not one"
            }
            return nil
        case .choiceCheck:
            let choiceChecks = checks.filter { $0.type == "choice" }
            if choiceChecks.isEmpty {
                return "'\(metric.id)' needs a 'choice' check (such as { type: \"choice\", answer: \"{{correct}}\" }) "
                    + "that reads the chosen option"
            }
            if let check, !choiceChecks.contains(where: { $0.name == check }) {
                return "'\(metric.id)' needs a 'choice' check, and '\(check)' is not one"
            }
            return nil
        case .checkOfType(let type, let example):
            let matching = checks.filter { $0.type == type }
            let article = "aeiou".contains(type.first ?? "x") ? "an" : "a"
            if matching.isEmpty { return "'\(metric.id)' needs \(article) '\(type)' check (such as \(example))" }
            if let check, !matching.contains(where: { $0.name == check }) {
                return "'\(metric.id)' needs a '\(type)' check, and '\(check)' is not one"
            }
            return nil
        case .repeats:
            return samplesPerPrompt > 1
                ? nil
                : "'\(metric.id)' is about several answers per prompt: set generation.samplesPerPrompt above 1"
        }
    }

    // MARK: - Corrections

    func correctionSpecs(_ node: JSON5Node?, file: String, sink: DiagnosticSink, checks: [CheckBinding])
        -> [CorrectionSpec]
    {
        guard let node else { return [] }
        guard case .array(let elements) = node.value else {
            sink.add(.wrongType, "'corrections' must be an array, found \(node.kindName)", at: node.position.in(file))
            return []
        }
        var specs: [CorrectionSpec] = []
        for element in elements {
            guard let reader = ObjectReader(element, file: file, context: "correction", sink: sink) else { continue }
            let check = reader.string("check", required: "the name of a 'classifier' check")
            let sensitivity = reader.double("sensitivity", in: 0...1)
            let specificity = reader.double("specificity", in: 0...1)
            reader.reportUnknownKeys()
            guard let check else { continue }
            guard let binding = checks.first(where: { $0.name == check }) else {
                if !checks.isEmpty {
                    sink.add(
                        .invalidValue,
                        "no check is named '\(check)'" + EditDistance.hint(for: check, among: checks.map(\.name)),
                        at: reader.node("check")!.position.in(file)
                    )
                }
                continue
            }
            guard ["classifier", "not-classifier"].contains(binding.type) else {
                sink.add(
                    .invalidValue,
                    "check '\(check)' is a '\(binding.type)' check; corrected rates need a 'classifier' check",
                    at: reader.node("check")!.position.in(file)
                )
                continue
            }
            if (sensitivity == nil) != (specificity == nil) {
                sink.add(
                    .missingField,
                    "give both 'sensitivity' and 'specificity', or neither (to use the classifier's published ones)",
                    at: element.position.in(file)
                )
                continue
            }
            specs.append(
                CorrectionSpec(
                    check: check,
                    sensitivity: sensitivity,
                    specificity: specificity,
                    location: element.position.in(file)
                )
            )
        }
        return specs
    }

    // MARK: - Template variables

    /// Every check filled from the samples (``SampleValidatingCheck``) is rendered for every sample; a value it would
    /// reject at run time is an error at the sample, one per check with how many more samples share it.
    func validateRenderedChecks(_ checks: [CheckBinding], samples: [Sample], sink: DiagnosticSink) {
        for binding in checks {
            guard let check = binding.check as? any SampleValidatingCheck else { continue }
            var failing: [(Sample, CheckProblem)] = []
            for sample in samples {
                if let problem = check.problem(for: sample) { failing.append((sample, problem)) }
            }
            guard let (first, problem) = failing.first else { continue }
            let more =
                failing.count > 1 ? " (and \(failing.count - 1) more sample\(failing.count == 2 ? "" : "s"))" : ""
            sink.add(
                .invalidValue,
                "check '\(binding.name)' (\(binding.location.file):\(binding.location.line)) cannot judge sample "
                    + "'\(first.id)': \(problem.message)\(more)",
                at: first.location
            )
        }
    }

    /// Every placeholder must name a field that every sample has.
    func validateVariables(
        _ variables: [(name: String, location: SourceLocation)],
        samples: [Sample],
        sink: DiagnosticSink
    ) {
        guard !samples.isEmpty else { return }
        var reported: Set<String> = []
        for (name, location) in variables {
            do {
                if reported.contains(name) { continue }
                let missing = samples.filter { $0.value(name) == nil }
                guard let first = missing.first else { continue }
                reported.insert(name)
                let known = Set(samples.flatMap { $0.fields.keys }).union(["id", "tags"]).sorted()
                let scope =
                    missing.count == samples.count
                    ? "no sample has a field '\(name)'"
                    : "sample '\(first.id)' (\(first.location.file):\(first.location.line))"
                        + (missing.count > 1 ? " and \(missing.count - 1) more have" : " has") + " no field '\(name)'"
                sink.add(
                    .unknownVariable,
                    "unknown template variable '\(name)': " + scope
                        + EditDistance.hint(for: name, among: known.filter { $0 != name }),
                    at: location
                )
            }
        }
    }
}
