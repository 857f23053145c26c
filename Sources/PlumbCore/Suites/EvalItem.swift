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
    public var repeatIndex: Int
    public var request: ModelRequest

    public init(
        id: String,
        suiteName: String,
        sampleIndex: Int,
        sampleID: String,
        variant: Variant? = nil,
        repeatIndex: Int,
        request: ModelRequest
    ) {
        self.id = id
        self.suiteName = suiteName
        self.sampleIndex = sampleIndex
        self.sampleID = sampleID
        self.variant = variant
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
            let variants: [Variant?] = suite.pairs.map { $0.variants(of: sample) } ?? [nil]
            for variant in variants {
                let filled = sample.filled(with: variant)
                let request = ModelRequest(
                    messages: suite.prompt.render(filled),
                    maxTokens: generation.maxTokens,
                    temperature: generation.temperature,
                    topP: generation.topP,
                    seed: generation.seed,
                    stop: generation.stop,
                    logprobs: generation.logprobs
                )
                for repeatIndex in 0..<generation.samplesPerPrompt {
                    // Repeat r asks with seed + r: a server that honours seeds would otherwise give every repeat the
                    // same answer, and k samples per prompt would be k copies of one.
                    var request = request
                    if let seed = generation.seed { request.seed = seed &+ UInt64(repeatIndex) }
                    let id = EvalItem.makeID(
                        suiteContentHash: suite.contentHash,
                        sampleID: sample.id,
                        group: variant?.idKey,
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
