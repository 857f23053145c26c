/// What a `pairs` suite varies and what it measures. Docs/suite-format.md#pairs-suites.
///
/// Each slot (`name`, `pronoun`, `religion` …) maps group names to lists of values; value i of every group forms
/// one **tuple**: the sample rendered once per group with that group's value i in the slot. Several slots are
/// varied one at a time (the others hold their first group's value i), so the variants of a tuple differ only in
/// one slot. A value is a string, or an object of related forms (`{subj: "she", obj: "her"}`, used as
/// `{{pronoun.subj}}`).
public struct PairsSpec: Sendable, Hashable {
    public struct Group: Sendable, Hashable {
        public var name: String
        public var values: [JSONValue]

        public init(name: String, values: [JSONValue]) {
            self.name = name
            self.values = values
        }
    }

    public struct Slot: Sendable, Hashable {
        public var name: String
        /// In the order the suite lists them.
        public var groups: [Group]

        public init(name: String, groups: [Group]) {
            self.name = name
            self.groups = groups
        }

        /// How many values each group has (the loader requires the same number in every group of a slot).
        public var valuesPerGroup: Int { groups.first?.values.count ?? 0 }
    }

    public var slots: [Slot]
    /// Where the slots were read from, when not inline.
    public var slotsFile: String?

    public init(slots: [Slot], slotsFile: String? = nil) {
        self.slots = slots
        self.slotsFile = slotsFile
    }

    /// The variants of one sample, tuple by tuple: for each slot, for each value index, one variant per group.
    public func variants(of sample: Sample) -> [Variant] {
        var variants: [Variant] = []
        for slot in slots {
            for index in 0..<slot.valuesPerGroup {
                for group in slot.groups {
                    var values: [String: JSONValue] = [:]
                    for other in slots where other.name != slot.name {
                        guard let first = other.groups.first, !first.values.isEmpty else { continue }
                        values[other.name] = first.values[index % first.values.count]
                    }
                    values[slot.name] = group.values[index]
                    variants.append(Variant(slot: slot.name, group: group.name, index: index, values: values))
                }
            }
        }
        return variants
    }
}

/// One variant of a `pairs` sample: the slot varied, the group, the value index, and every slot's value.
public struct Variant: Sendable, Hashable, Codable {
    public var slot: String
    public var group: String
    public var index: Int
    public var values: [String: JSONValue]

    public init(slot: String, group: String, index: Int, values: [String: JSONValue]) {
        self.slot = slot
        self.group = group
        self.index = index
        self.values = values
    }

    /// The key the item id is made with: `slot/group/index`.
    public var idKey: String { "\(slot)/\(group)/\(index)" }

    /// The tuple this variant belongs to, within its sample: `slot#index`.
    public var tupleKey: String { "\(slot)#\(index)" }
}

extension Sample {
    /// The field in which a sample of a `pairs` suite names the form its `{{slot}}` takes: `forms: {pronoun: "obj"}`
    /// makes `{{pronoun}}` the value's `obj` form for that sample (WinoBias sentences need `she`, `her` or `his`
    /// depending on the sentence, so one prompt template serves them all).
    public static let formsField = "forms"

    /// The sample with the slot values of `variant` as fields (they win over fields of the same name, which the
    /// loader refuses anyway). A slot the sample's `forms` names gets that form of its value.
    public func filled(with variant: Variant?) -> Sample {
        guard let variant else { return self }
        var copy = self
        var forms: [String: JSONValue] = [:]
        if case .object(let members)? = fields[Self.formsField] { forms = members }
        for (name, value) in variant.values {
            if case .string(let form)? = forms[name], case .object(let members) = value, let chosen = members[form] {
                copy.fields[name] = chosen
                // `{{slot.form}}` still reaches every form: a literal dotted key wins the lookup.
                for (form, member) in members { copy.fields[name + "." + form] = member }
            } else {
                copy.fields[name] = value
            }
        }
        return copy
    }
}
