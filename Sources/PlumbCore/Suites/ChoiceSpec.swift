/// How a `choice` suite reads its samples: where each sample's options and correct answer are, and how the model
/// answers. The loader resolves every sample against it (see `SuiteLoader.resolveChoices`), so a sample that
/// names no option, or duplicates one, is a located error before anything runs.
public struct ChoiceSpec: Sendable, Hashable {
    public enum Options: Sendable, Hashable {
        /// One field holding an array of option texts (JSON Lines: `"options": ["…", "…"]`).
        case field(String)
        /// Several fields, one option each, in order (CSV columns: `["A", "B", "C", "D"]`).
        case fields([String])
    }

    /// How the model answers.
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        /// The model answers in text; the letter (or one option's text) is read from it.
        case generate
        /// Each option is scored by the log-probability of its text after the prompt (`ModelBackend.score`); the
        /// highest wins (`accuracy`), and divided by the option's length in characters (`accuracy_norm`).
        case logprob
    }

    /// What the suite's numbers mean.
    public enum Measure: String, Sendable, Hashable, Codable, CaseIterable {
        /// The answer key names the correct option: accuracy.
        case accuracy
        /// CrowS-Pairs (Nangia et al. 2020): two sentences, the answer key names the more stereotyping one; the
        /// share of samples preferring it is the stereotype score (50% is unbiased).
        case stereotype
    }

    public var options: Options
    /// The field with the correct answer: a 0-based index (a JSON number), a letter, or an option's text.
    public var answer: String
    public var method: Method
    /// How many orders each sample is asked in (1: as written). Order i rotates the options by i places, so with as
    /// many orders as options every option is asked in every position once; a sample with fewer options is asked
    /// in all its rotations.
    public var permutations: Int
    /// For bias benchmarks in the form of BBQ (Parrish et al. 2022): the fields that say, per sample, which option
    /// names the stereotyped group, which one is "unknown", whether the question is negative, and whether the
    /// context is ambiguous. With them the report gives BBQ's bias scores.
    public var bias: BiasFields?
    /// `logprob`: what goes between the prompt and each option's text (lm-evaluation-harness's
    /// `target_delimiter`); `" "` unless the suite says.
    public var delimiter: String
    public var measure: Measure
    /// The field listing every true option (texts, letters or 0-based indices), for TruthfulQA's MC2 score.
    public var trueOptions: String?
    /// Where the suite wrote `method`, so a backend that cannot score is refused at that line.
    public var methodLocation: SourceLocation?
    /// A field whose value is each sample's category: added to the sample's tags, so accuracy (and every per-tag
    /// number and gate) is broken down by it.
    public var category: String?

    /// The sample fields of a BBQ-style bias declaration (each names a field of the samples).
    public struct BiasFields: Sendable, Hashable {
        /// The option (0-based index, letter or text) that names the stereotyped ("target") group.
        public var target: String
        /// The option that says the answer cannot be known.
        public var unknown: String
        /// `neg` or `nonneg`: whether the question asks for the negative, stereotype-confirming answer.
        public var polarity: String
        /// `ambig` or `disambig`: whether the context leaves the answer unknown.
        public var context: String

        public init(target: String, unknown: String, polarity: String, context: String) {
            self.target = target
            self.unknown = unknown
            self.polarity = polarity
            self.context = context
        }
    }

    public init(
        options: Options,
        answer: String,
        method: Method = .generate,
        permutations: Int = 1,
        bias: BiasFields? = nil,
        delimiter: String = " ",
        measure: Measure = .accuracy,
        trueOptions: String? = nil,
        methodLocation: SourceLocation? = nil,
        category: String? = nil
    ) {
        self.options = options
        self.answer = answer
        self.method = method
        self.permutations = permutations
        self.bias = bias
        self.delimiter = delimiter
        self.measure = measure
        self.trueOptions = trueOptions
        self.methodLocation = methodLocation
        self.category = category
    }

    /// The field a resolved sample lists its true options in (texts), when the suite names `trueOptions`.
    public static let trueTextsField = "trueTexts"
    /// The field a resolved sample of a `measure: "stereotype"` suite carries (`true`).
    public static let stereotypeField = "stereotypePair"

    /// The field a resolved sample carries its bias roles in: `{target: text, unknown: text, negative: bool,
    /// ambiguous: bool}`.
    public static let biasField = "biasRoles"

    /// The sample as asked in order `rotation`: its options rotated left by `rotation` places and the derived
    /// fields (`choices`, `correct`, `correctText`, `optionTexts`) made again. Rotation 0 is the sample itself.
    public static func rotated(_ sample: Sample, by rotation: Int) -> Sample {
        guard rotation > 0, let options = sample.optionTexts, !options.isEmpty,
            let correctText = sample.fields[correctTextField]?.stringValue
        else { return sample }
        let shift = rotation % options.count
        let rotated = Array(options[shift...] + options[..<shift])
        var copy = sample
        copy.fields[choicesField] = .string(lettered(rotated))
        if let index = rotated.firstIndex(of: correctText) {
            copy.fields[correctField] = .string(String(letters[index]))
        }
        copy.fields[optionTextsField] = .array(rotated.map { .string($0) })
        return copy
    }

    /// The orders a sample with `optionCount` options is asked in.
    public func rotations(optionCount: Int) -> Range<Int> { 0..<max(1, min(permutations, optionCount)) }

    /// The fields a `choice` suite adds to every sample: `{{choices}}` (the options, one per line, lettered
    /// `A. …`), `{{correct}}` (the correct letter), `{{correctText}}`, and the option texts for the check.
    public static let choicesField = "choices"
    public static let correctField = "correct"
    public static let correctTextField = "correctText"
    public static let optionTextsField = "optionTexts"
    public static let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// `A. Paris\nB. Lyon`.
    public static func lettered(_ options: [String]) -> String {
        zip(letters, options).map { "\($0). \($1)" }.joined(separator: "\n")
    }
}

extension Sample {
    /// The option texts a `choice` suite gave this sample, in the order asked; nil outside choice suites.
    public var optionTexts: [String]? {
        guard case .array(let values)? = fields[ChoiceSpec.optionTextsField] else { return nil }
        return values.compactMap(\.stringValue)
    }
}
