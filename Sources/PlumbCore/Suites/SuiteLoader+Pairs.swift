import Foundation

extension SuiteLoader {
    /// Reads `slots` of a `pairs` suite: inline, or the path of a JSON5 file beside the suite (whose bytes go into
    /// the content hash). Every slot maps group names to non-empty lists of values, the same number in every group
    /// of a slot; a value is a string or an object of strings.
    func pairsSpec(
        _ node: JSON5Node?,
        suiteFile: String,
        reader: ObjectReader,
        sink: DiagnosticSink,
        hash: inout SHA256
    )
        -> PairsSpec?
    {
        guard let node else {
            reader.missing(
                "slots",
                "the groups to vary, such as { name: { \"group-a\": [\"Emily\", \"Anne\"], \"group-b\": [\"Lakisha\", \"Aisha\"] } }"
            )
            return nil
        }
        var slotsNode = node
        var file = suiteFile
        var slotsFile: String?
        if case .string(let relative) = node.value {
            let resolved = Self.resolve(relative, relativeTo: suiteFile)
            guard
                let bytes = readFile(
                    resolved,
                    limit: maxSuiteFileBytes,
                    sink: sink,
                    reportAt: node.position.in(suiteFile)
                )
            else { return nil }
            hash.update([0])
            hash.update(Self.normalisedForHash(bytes))
            do {
                slotsNode = try JSON5Parser.parse(bytes, json5: true)
            } catch {
                sink.add(Self.syntaxDiagnostic(error.message, at: error.position.in(resolved)))
                return nil
            }
            file = resolved
            slotsFile = resolved
        }
        guard let slotsReader = ObjectReader(slotsNode, file: file, context: "'slots'", sink: sink) else { return nil }
        if slotsReader.members.isEmpty {
            sink.add(.empty, "'slots' is empty; name at least one slot", at: slotsNode.position.in(file))
            return nil
        }
        var slots: [PairsSpec.Slot] = []
        var failed = false
        for member in slotsReader.members {
            guard Self.isValidName(member.key) else {
                sink.add(
                    .invalidValue,
                    "slot name '\(member.key)' may use only letters, digits, '_' and '-'",
                    at: member.keyPosition.in(file)
                )
                failed = true
                continue
            }
            guard let groupsReader = ObjectReader(member.value, file: file, context: "slot '\(member.key)'", sink: sink)
            else {
                failed = true
                continue
            }
            var groups: [PairsSpec.Group] = []
            for group in groupsReader.members {
                guard case .array(let elements) = group.value.value else {
                    groupsReader.wrongType(group.key, group.value, "an array of values (strings, or objects of forms)")
                    failed = true
                    continue
                }
                if elements.isEmpty {
                    sink.add(
                        .empty,
                        "group '\(group.key)' of slot '\(member.key)' has no values",
                        at: group.value.position.in(file)
                    )
                    failed = true
                    continue
                }
                var values: [JSONValue] = []
                for element in elements {
                    switch element.value {
                    case .string: values.append(element.plain)
                    case .object(let forms)
                    where forms.allSatisfy({ if case .string = $0.value.value { true } else { false } }):
                        values.append(element.plain)
                    default:
                        sink.add(
                            .wrongType,
                            "a value of group '\(group.key)' in slot '\(member.key)' must be a string or an object of "
                                + "strings such as { subj: \"she\", obj: \"her\" }, found \(element.kindName)",
                            at: element.position.in(file)
                        )
                        failed = true
                    }
                }
                groups.append(PairsSpec.Group(name: group.key, values: values))
            }
            if groups.count < 2 {
                sink.add(
                    .invalidValue,
                    "slot '\(member.key)' needs at least two groups to compare",
                    at: member.value.position.in(file)
                )
                failed = true
                continue
            }
            let counts = Set(groups.map(\.values.count))
            if counts.count > 1 {
                let listing = groups.map { "'\($0.name)' \($0.values.count)" }.joined(separator: ", ")
                sink.add(
                    .invalidValue,
                    "the groups of slot '\(member.key)' have different numbers of values (\(listing)); value i of "
                        + "every group is matched with value i of the others, so give each group the same number",
                    at: member.value.position.in(file)
                )
                failed = true
                continue
            }
            slots.append(PairsSpec.Slot(name: member.key, groups: groups))
        }
        return failed ? nil : PairsSpec(slots: slots, slotsFile: slotsFile)
    }

    /// The checks a `pairs` suite measures with, and how template variables relate to its slots: every slot is
    /// used by the prompt, every `{{slot.form}}` names a form every value of the slot has, and no sample field
    /// takes a slot's name.
    func validatePairs(
        _ pairs: PairsSpec,
        promptVariables: [(name: String, location: SourceLocation)],
        checks: [CheckBinding],
        samples: [Sample],
        at location: SourceLocation,
        sink: DiagnosticSink
    ) {
        let slotNames = Set(pairs.slots.map(\.name))
        var used: Set<String> = []
        var bareObjectSlots: Set<String> = []
        for (name, variableLocation) in promptVariables {
            let root = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
            guard let slot = pairs.slots.first(where: { $0.name == root }) else { continue }
            used.insert(root)
            if !name.contains("."), slot.groups.contains(where: { $0.values.contains { $0.isObject } }) {
                bareObjectSlots.insert(root)
            }
            if name.contains(".") {
                let form = String(name.dropFirst(root.count + 1))
                for group in slot.groups {
                    for (index, value) in group.values.enumerated() {
                        guard case .object(let forms) = value, forms[form] != nil else {
                            sink.add(
                                .unknownVariable,
                                "'{{\(name)}}': value \(index + 1) of group '\(group.name)' in slot '\(root)' has no form "
                                    + "'\(form)'",
                                at: variableLocation
                            )
                            return
                        }
                    }
                }
            }
        }
        for slot in pairs.slots where !used.contains(slot.name) {
            sink.add(
                .invalidValue,
                "slot '\(slot.name)' is not used by the prompt; write {{\(slot.name)}} where the group's value goes, "
                    + "or remove the slot",
                at: location
            )
        }
        for sample in samples {
            if let clash = sample.fields.keys.first(where: { slotNames.contains($0) }) {
                sink.add(
                    .invalidValue,
                    "sample '\(sample.id)' has a field '\(clash)', which is also a slot; rename one of them",
                    at: sample.location
                )
                break
            }
            if let formsField = sample.fields[Sample.formsField], !validateForms(formsField, of: sample, pairs, sink) {
                break
            }
            var named: Set<String> = []
            if case .object(let forms)? = sample.fields[Sample.formsField] { named = Set(forms.keys) }
            if let slot = bareObjectSlots.sorted().first(where: { !named.contains($0) }) {
                sink.add(
                    .invalidValue,
                    "sample '\(sample.id)': '{{\(slot)}}' holds forms (objects); write {{\(slot).FORM}} in the prompt, "
                        + "or give the sample forms: { \(slot): \"FORM\" }",
                    at: sample.location
                )
                break
            }
        }
        let measuring = checks.contains { binding in
            let type = binding.type.hasPrefix("not-") ? String(binding.type.dropFirst(4)) : binding.type
            return ["decision", "classifier", "moderation"].contains(type)
        }
        if !measuring {
            sink.add(
                .missingField,
                "a pairs suite needs a check that measures each answer: a 'decision' check (the label it gives) or a "
                    + "'classifier' check (a score, such as sentiment)",
                at: location
            )
        }
    }

    /// A sample's `forms` (`{pronoun: "obj"}`): an object naming, for slots of the suite, a form every value of
    /// that slot has. Reports the first problem and returns false.
    func validateForms(_ field: JSONValue, of sample: Sample, _ pairs: PairsSpec, _ sink: DiagnosticSink) -> Bool {
        func fail(_ message: String) -> Bool {
            sink.add(.invalidValue, "sample '\(sample.id)': \(message)", at: sample.location)
            return false
        }
        guard case .object(let forms) = field else {
            return fail("'forms' must be an object naming a form per slot, such as { pronoun: \"obj\" }")
        }
        for (slotName, formValue) in forms.sorted(by: { $0.key < $1.key }) {
            guard let slot = pairs.slots.first(where: { $0.name == slotName }) else {
                return fail(
                    "'forms' names '\(slotName)', which is not a slot (slots: "
                        + pairs.slots.map(\.name).joined(separator: ", ") + ")"
                )
            }
            guard case .string(let form) = formValue else {
                return fail("'forms.\(slotName)' must be a form's name (a string)")
            }
            for group in slot.groups {
                for (index, value) in group.values.enumerated() {
                    guard case .object(let members) = value, members[form] != nil else {
                        return fail(
                            "'forms.\(slotName)' is '\(form)', but value \(index + 1) of group '\(group.name)' has no "
                                + "such form"
                        )
                    }
                }
            }
        }
        return true
    }
}
