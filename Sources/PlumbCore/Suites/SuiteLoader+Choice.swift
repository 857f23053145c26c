import Foundation

extension SuiteLoader {
    /// Reads the `choice` object of a `choice` suite: `{ options: "options" | ["A", "B", …], answer: "answer",
    /// method: "generate", permutations: 1 }`.
    func choiceSpec(_ node: JSON5Node?, reader suiteReader: ObjectReader, file: String, sink: DiagnosticSink)
        -> ChoiceSpec?
    {
        guard let node else {
            suiteReader.missing(
                "choice",
                "a choice suite says where its options and answer are: choice: { options: \"options\", answer: "
                    + "\"answer\" }"
            )
            return nil
        }
        guard let reader = ObjectReader(node, file: file, context: "'choice'", sink: sink) else { return nil }
        var options: ChoiceSpec.Options?
        if let optionsNode = reader.node("options") {
            switch optionsNode.value {
            case .string(let field) where !field.isEmpty:
                options = .field(field)
            case .array(let elements):
                let fields = elements.compactMap { element -> String? in
                    if case .string(let field) = element.value, !field.isEmpty { return field }
                    return nil
                }
                if fields.count != elements.count || fields.count < 2 || Set(fields).count != fields.count
                    || fields.count > ChoiceSpec.letters.count
                {
                    sink.add(
                        .invalidValue,
                        "'options' lists the fields of the options, 2 to 26 different names such as [\"A\", \"B\", "
                            + "\"C\", \"D\"]",
                        at: optionsNode.position.in(file)
                    )
                } else {
                    options = .fields(fields)
                }
            default:
                reader.wrongType("options", optionsNode, "a field name or an array of field names")
            }
        } else {
            reader.missing("options", "the field holding the options (an array), or the fields holding one each")
        }
        let answer = reader.string("answer", required: "the field holding the correct option")
        var method = ChoiceSpec.Method.generate
        var methodLocation: SourceLocation?
        if let methodNode = reader.node("method") {
            methodLocation = methodNode.position.in(file)
            if case .string(let text) = methodNode.value, let value = ChoiceSpec.Method(rawValue: text) {
                method = value
            } else {
                sink.add(
                    .invalidValue,
                    "'method' is one of: " + ChoiceSpec.Method.allCases.map(\.rawValue).joined(separator: ", "),
                    at: methodNode.position.in(file)
                )
            }
        }
        var delimiter = " "
        if let delimiterNode = reader.node("delimiter") {
            if case .string(let text) = delimiterNode.value {
                delimiter = text
                if method != .logprob {
                    sink.add(
                        .invalidValue,
                        "'delimiter' goes between the prompt and each option scored by log-probability; it needs "
                            + "method: \"logprob\"",
                        at: delimiterNode.position.in(file)
                    )
                }
            } else {
                reader.wrongType("delimiter", delimiterNode, "a string such as \" \" or \"\"")
            }
        }
        var measure = ChoiceSpec.Measure.accuracy
        if let measureNode = reader.node("measure") {
            if case .string(let text) = measureNode.value, let value = ChoiceSpec.Measure(rawValue: text) {
                measure = value
                if value == .stereotype, method != .logprob {
                    sink.add(
                        .invalidValue,
                        "measure 'stereotype' compares the likelihoods of two sentences (CrowS-Pairs); it needs "
                            + "method: \"logprob\"",
                        at: measureNode.position.in(file)
                    )
                }
            } else {
                sink.add(
                    .invalidValue,
                    "'measure' is one of: " + ChoiceSpec.Measure.allCases.map(\.rawValue).joined(separator: ", "),
                    at: measureNode.position.in(file)
                )
            }
        }
        let trueOptions = reader.string("trueOptions")
        let category = reader.string("category")
        if trueOptions != nil, method != .logprob, let node = reader.node("trueOptions") {
            sink.add(
                .invalidValue,
                "'trueOptions' gives TruthfulQA's MC2 score, the probability mass on the true options; it needs "
                    + "method: \"logprob\"",
                at: node.position.in(file)
            )
        }
        var bias: ChoiceSpec.BiasFields?
        if let biasNode = reader.node("bias"),
            let biasReader = ObjectReader(biasNode, file: file, context: "'choice.bias'", sink: sink)
        {
            let hint = "the field that holds it in each sample"
            let target = biasReader.string("target", required: hint)
            let unknown = biasReader.string("unknown", required: hint)
            let polarity = biasReader.string("polarity", required: hint)
            let context = biasReader.string("context", required: hint)
            biasReader.reportUnknownKeys()
            if let target, let unknown, let polarity, let context {
                bias = ChoiceSpec.BiasFields(target: target, unknown: unknown, polarity: polarity, context: context)
            }
        }
        var permutations = 1
        if let value = reader.int("permutations", min: 1) {
            if value > ChoiceSpec.letters.count {
                sink.add(
                    .invalidValue,
                    "'permutations' is at most 26 (one order per option position)",
                    at: reader.node("permutations")!.position.in(file)
                )
            } else {
                permutations = value
            }
        }
        reader.reportUnknownKeys()
        guard let options, let answer else { return nil }
        return ChoiceSpec(
            options: options,
            answer: answer,
            method: method,
            permutations: permutations,
            bias: bias,
            delimiter: delimiter,
            measure: measure,
            trueOptions: trueOptions,
            methodLocation: methodLocation,
            category: category
        )
    }

    /// Adds `choices`, `correct`, `correctText` and `optionTexts` to every sample, reporting (at the sample) options
    /// that are missing, empty or duplicated, and an answer that names no option.
    func resolveChoices(_ samples: [Sample], spec: ChoiceSpec, sink: DiagnosticSink) -> [Sample] {
        let derived = [
            ChoiceSpec.choicesField, ChoiceSpec.correctField, ChoiceSpec.correctTextField,
            ChoiceSpec.optionTextsField, ChoiceSpec.biasField, ChoiceSpec.trueTextsField, ChoiceSpec.stereotypeField,
        ]
        // The options field may itself be called `choices`: it is replaced by the lettered list.
        var optionsField: String?
        if case .field(let field) = spec.options { optionsField = field }
        var resolved: [Sample] = []
        var reported = 0
        func fail(_ sample: Sample, _ message: String) {
            // Every bad sample is reported, up to a screenful; then one line for the rest.
            reported += 1
            if reported <= 20 {
                sink.add(.invalidValue, "sample '\(sample.id)': \(message)", at: sample.location)
            } else if reported == 21 {
                sink.add(
                    .invalidValue,
                    "more samples have choice problems; fix the ones above first",
                    at: sample.location
                )
            }
        }
        samples: for sample in samples {
            var options: [String] = []
            switch spec.options {
            case .field(let field):
                guard case .array(let values)? = sample.fields[field] else {
                    fail(sample, "'\(field)' must hold the options, an array of texts")
                    continue samples
                }
                for value in values {
                    guard case .string(let text) = value else {
                        fail(sample, "'\(field)' must hold texts, found \(value)")
                        continue samples
                    }
                    options.append(text)
                }
            case .fields(let fields):
                for field in fields {
                    guard let value = sample.fields[field] else {
                        fail(sample, "has no option field '\(field)'")
                        continue samples
                    }
                    options.append(value.description)
                }
            }
            let trimmed = options.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard trimmed.count >= 2, trimmed.count <= ChoiceSpec.letters.count else {
                fail(sample, "has \(trimmed.count) options; a choice needs 2 to 26")
                continue
            }
            if let empty = trimmed.firstIndex(of: "") {
                fail(sample, "option \(ChoiceSpec.letters[empty]) is empty")
                continue
            }
            let lowered = trimmed.map { $0.lowercased() }
            if let duplicate = lowered.indices.first(where: { lowered[..<$0].contains(lowered[$0]) }) {
                fail(
                    sample,
                    "option \(ChoiceSpec.letters[duplicate]) repeats option "
                        + "\(ChoiceSpec.letters[lowered.firstIndex(of: lowered[duplicate])!]) (\(Self.quoted(trimmed[duplicate])))"
                )
                continue
            }
            guard let answerValue = sample.value(spec.answer) else {
                fail(sample, "has no answer field '\(spec.answer)'")
                continue
            }
            guard let index = Self.answerIndex(answerValue, options: trimmed) else {
                fail(
                    sample,
                    "answer \(Self.quoted(answerValue.description)) names no option (give a 0-based index, a letter "
                        + "A–\(ChoiceSpec.letters[trimmed.count - 1]), or one option's text)"
                )
                continue
            }
            if let clash = derived.first(where: { sample.fields[$0] != nil && $0 != optionsField }) {
                fail(sample, "has a field '\(clash)', which a choice suite fills in itself; rename it")
                continue
            }
            if spec.measure == .stereotype, trimmed.count != 2 {
                fail(sample, "has \(trimmed.count) options; a stereotype pair is two sentences")
                continue
            }
            var truths: [String]?
            if let field = spec.trueOptions {
                switch Self.trueOptionTexts(sample, field: field, options: trimmed) {
                case .success(let texts): truths = texts
                case .failure(let error):
                    fail(sample, error.message)
                    continue
                }
            }
            var roles: JSONValue?
            if let bias = spec.bias {
                switch Self.biasRoles(sample, bias: bias, options: trimmed) {
                case .success(let value): roles = value
                case .failure(let error):
                    fail(sample, error.message)
                    continue
                }
            }
            var copy = sample
            if let roles { copy.fields[ChoiceSpec.biasField] = roles }
            if let truths { copy.fields[ChoiceSpec.trueTextsField] = .array(truths.map { .string($0) }) }
            if spec.measure == .stereotype { copy.fields[ChoiceSpec.stereotypeField] = .bool(true) }
            if let field = spec.category {
                guard let value = sample.value(field), !value.description.isEmpty else {
                    fail(sample, "has no category field '\(field)'")
                    continue
                }
                if !copy.tags.contains(value.description) { copy.tags.append(value.description) }
            }
            copy.fields[ChoiceSpec.choicesField] = .string(ChoiceSpec.lettered(trimmed))
            copy.fields[ChoiceSpec.correctField] = .string(String(ChoiceSpec.letters[index]))
            copy.fields[ChoiceSpec.correctTextField] = .string(trimmed[index])
            copy.fields[ChoiceSpec.optionTextsField] = .array(trimmed.map { .string($0) })
            resolved.append(copy)
        }
        return resolved
    }

    struct BiasFieldError: Error { var message: String }

    /// A sample's bias roles, `{target, unknown, negative, ambiguous}`, or why they cannot be read.
    static func biasRoles(_ sample: Sample, bias: ChoiceSpec.BiasFields, options: [String])
        -> Result<JSONValue, BiasFieldError>
    {
        func option(_ field: String) -> Result<Int, BiasFieldError> {
            guard let value = sample.value(field) else {
                return .failure(BiasFieldError(message: "has no field '\(field)'"))
            }
            guard let index = answerIndex(value, options: options) else {
                return .failure(BiasFieldError(message: "'\(field)' \(quoted(value.description)) names no option"))
            }
            return .success(index)
        }
        func flag(_ field: String, _ yes: String, _ no: String) -> Result<Bool, BiasFieldError> {
            guard let text = sample.value(field)?.description.lowercased(), text == yes || text == no else {
                return .failure(BiasFieldError(message: "'\(field)' must be '\(yes)' or '\(no)'"))
            }
            return .success(text == yes)
        }
        do {
            let target = try option(bias.target).get()
            let unknown = try option(bias.unknown).get()
            guard target != unknown else {
                return .failure(BiasFieldError(message: "the target and unknown options are the same option"))
            }
            let negative = try flag(bias.polarity, "neg", "nonneg").get()
            let ambiguous = try flag(bias.context, "ambig", "disambig").get()
            return .success(
                .object([
                    "target": .string(options[target]), "unknown": .string(options[unknown]),
                    "negative": .bool(negative), "ambiguous": .bool(ambiguous),
                ])
            )
        } catch {
            return .failure(error)
        }
    }

    /// The texts of the options a sample's `field` lists as true (an array of texts, letters or indices, or one of
    /// them), in the options' order; at least one, and not every option.
    static func trueOptionTexts(_ sample: Sample, field: String, options: [String])
        -> Result<[String], BiasFieldError>
    {
        guard let value = sample.value(field) else {
            return .failure(BiasFieldError(message: "has no field '\(field)' (the true options)"))
        }
        let values: [JSONValue]
        if case .array(let elements) = value { values = elements } else { values = [value] }
        var indices = Set<Int>()
        for element in values {
            guard let index = answerIndex(element, options: options) else {
                return .failure(
                    BiasFieldError(message: "'\(field)' lists \(quoted(element.description)), which names no option")
                )
            }
            indices.insert(index)
        }
        guard !indices.isEmpty, indices.count < options.count else {
            return .failure(
                BiasFieldError(
                    message: "'\(field)' must list at least one true option and leave at least one false one"
                )
            )
        }
        return .success(options.indices.filter(indices.contains).map { options[$0] })
    }

    /// A JSON number is a 0-based index; a string is a letter (`B`, `(b)`), else one option's text.
    static func answerIndex(_ value: JSONValue, options: [String]) -> Int? {
        switch value {
        case .number(let number):
            guard number.rounded() == number, number >= 0, number < Double(options.count) else { return nil }
            return Int(number)
        case .string(let raw):
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let bare = text.trimmingCharacters(in: CharacterSet(charactersIn: "()[]. "))
            if bare.count == 1, let letter = bare.uppercased().first,
                let index = ChoiceSpec.letters.firstIndex(of: letter), index < options.count
            {
                return index
            }
            let matches = options.indices.filter { options[$0].lowercased() == text.lowercased() }
            return matches.count == 1 ? matches[0] : nil
        default:
            return nil
        }
    }

    static func quoted(_ text: String) -> String {
        "\"" + (text.count > 60 ? String(text.prefix(57)) + "…" : text) + "\""
    }
}
