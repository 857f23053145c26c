/// One call to make: a sample of a suite, rendered into a request, for one repeat index.
public struct EvalItem: Sendable, Hashable {
    /// A stable id: see `EvalItem.makeID`. Caches, journals, replays and comparisons key on it.
    public var id: String
    public var suiteName: String
    public var sampleIndex: Int
    public var sampleID: String
    /// For `pairs` suites: the variant of the sample this item asks (slot, group, value index, slot values); nil
    /// in other suites.
    public var variant: Variant?
    /// For `choice` suites asked in several orders: how many places the options are rotated (0: as written).
    public var optionRotation: Int
    public var repeatIndex: Int
    public var request: ModelRequest

    public init(
        id: String,
        suiteName: String,
        sampleIndex: Int,
        sampleID: String,
        variant: Variant? = nil,
        optionRotation: Int = 0,
        repeatIndex: Int,
        request: ModelRequest
    ) {
        self.id = id
        self.suiteName = suiteName
        self.sampleIndex = sampleIndex
        self.sampleID = sampleID
        self.variant = variant
        self.optionRotation = optionRotation
        self.repeatIndex = repeatIndex
        self.request = request
    }

    /// For `pairs` suites: the group this item's variant stands for.
    public var group: String? { variant?.group }

    public var context: RequestContext {
        RequestContext(itemID: id, suiteName: suiteName, sampleID: sampleID, repeatIndex: repeatIndex)
    }

    /// The item id: the first 16 hex digits (64 bits) of
    /// `SHA-256("plumb-item-v2" ␟ suiteContentHash ␟ sampleID ␟ group ␟ repeatIndex ␟ request.canonicalText)`,
    /// where ␟ is U+001F and `group` is the variant's `slot/group/index` in `pairs` suites, empty in others. It
    /// depends only on the suite's content, so it
    /// is the same on every machine and run, and changes when anything that changes the request changes.
    /// Documented in Docs/suite-format.md.
    public static func makeID(
        suiteContentHash: String,
        sampleID: String,
        group: String? = nil,
        repeatIndex: Int,
        request: ModelRequest
    ) -> String {
        var hash = SHA256()
        let separator = "\u{1F}"
        hash.update("plumb-item-v2" + separator + suiteContentHash + separator + sampleID + separator)
        hash.update((group ?? "") + separator + String(repeatIndex) + separator + request.canonicalText)
        return String(SHA256.hexString(hash.finalize()).prefix(16))
    }
}

/// Expands suites into items: samples × samples-per-prompt, in file order.
public enum Planner {
    public static func items(for suite: Suite) -> [EvalItem] {
        var items: [EvalItem] = []
        items.reserveCapacity(suite.samples.count * suite.generation.samplesPerPrompt)
        let generation = suite.generation
        for (index, sample) in suite.samples.enumerated() {
            // A pairs sample gives one item per variant; a choice sample one per order of its options.
            var renderings: [(variant: Variant?, rotation: Int, key: String?)] = []
            if let pairs = suite.pairs {
                renderings = pairs.variants(of: sample).map { ($0, 0, $0.idKey) }
            } else if let choice = suite.choice, choice.permutations > 1 {
                renderings = choice.rotations(optionCount: sample.optionTexts?.count ?? 1).map {
                    (nil, $0, $0 == 0 ? nil : "order/\($0)")
                }
            } else {
                renderings = [(nil, 0, nil)]
            }
            for (variant, rotation, key) in renderings {
                let filled = sample.rendered(variant: variant, optionRotation: rotation)
                let request: ModelRequest
                if let choice = suite.choice, choice.method == .logprob {
                    // Scored, not generated: the prompt and each option's text after the delimiter, nothing else.
                    request = ModelRequest(
                        messages: suite.prompt.render(filled),
                        continuations: (filled.optionTexts ?? []).map { choice.delimiter + $0 }
                    )
                } else {
                    request = ModelRequest(
                        messages: suite.prompt.render(filled),
                        maxTokens: generation.maxTokens,
                        temperature: generation.temperature,
                        topP: generation.topP,
                        seed: generation.seed,
                        stop: generation.stop,
                        logprobs: generation.logprobs
                    )
                }
                for repeatIndex in 0..<generation.samplesPerPrompt {
                    // Repeat r asks with seed + r: a server that honours seeds would otherwise give every repeat the
                    // same answer, and k samples per prompt would be k copies of one.
                    var request = request
                    if let seed = generation.seed { request.seed = seed &+ UInt64(repeatIndex) }
                    let id = EvalItem.makeID(
                        suiteContentHash: suite.contentHash,
                        sampleID: sample.id,
                        group: key,
                        repeatIndex: repeatIndex,
                        request: request
                    )
                    items.append(
                        EvalItem(
                            id: id,
                            suiteName: suite.name,
                            sampleIndex: index,
                            sampleID: sample.id,
                            variant: variant,
                            optionRotation: rotation,
                            repeatIndex: repeatIndex,
                            request: request
                        )
                    )
                }
            }
        }
        return items
    }
}

extension Sample {
    /// The sample as one item asks it: with a `pairs` variant's slot values, or a `choice` sample's options
    /// rotated. The planner renders the request from it and the runner gives it to the checks: one place.
    public func rendered(variant: Variant?, optionRotation: Int) -> Sample {
        ChoiceSpec.rotated(filled(with: variant), by: optionRotation)
    }
}

extension EvalItem {
    /// This item's sample of `suite`, as asked.
    public func sample(in suite: Suite) -> Sample {
        suite.samples[sampleIndex].rendered(variant: variant, optionRotation: optionRotation)
    }
}
