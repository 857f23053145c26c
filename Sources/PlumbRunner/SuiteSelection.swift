import Foundation
public import PlumbCore

/// A part of the suites to ask, for a quick smoke test (`plumb run --tag T --limit N`): whole samples only, so the
/// k repeats of a prompt, the variants of a `pairs` tuple and the orders of a `choice` sample stay together, and
/// item ids stay those of the whole run (a subset run pairs with a whole baseline in `plumb compare`).
///
/// - `tags`: keep the samples that carry any of them; a suite left without samples is left out.
/// - `limit`: about `limit` items in all, shared among the suites in proportion to their items (at least one sample
///   each), each suite's samples taken in the order of SHA-256 of the seed, the suite name and the sample id —
///   a seeded, stratified sample that is the same on every machine and run, and mostly the same when a suite
///   grows. Whole samples can take a suite a few items past its share.
public struct SuiteSelection: Sendable, Hashable {
    public var tags: [String]
    public var limit: Int?
    public var seed: UInt64

    public init(tags: [String] = [], limit: Int? = nil, seed: UInt64 = 1) {
        self.tags = tags
        self.limit = limit
        self.seed = seed
    }

    public var isEmpty: Bool { tags.isEmpty && limit == nil }

    /// `--tag a --tag b, --limit 12 (seed 1)`.
    public var description: String {
        var parts = tags.map { "--tag \($0)" }
        if let limit { parts.append("--limit \(limit) (seed \(seed))") }
        return parts.joined(separator: ", ")
    }

    /// The suites with only the selected samples, in their original order.
    public func apply(_ suites: [Suite]) -> [Suite] {
        var selected: [Suite] = suites.compactMap { suite in
            guard !tags.isEmpty else { return suite }
            var suite = suite
            suite.samples = suite.samples.filter { !Set($0.tags).isDisjoint(with: tags) }
            return suite.samples.isEmpty ? nil : suite
        }
        guard let limit else { return selected }
        let itemsPerSample = selected.map { suite in
            Dictionary(grouping: Planner.items(for: suite), by: \.sampleID).mapValues(\.count)
        }
        let total = itemsPerSample.reduce(0) { $0 + $1.values.reduce(0, +) }
        guard total > limit else { return selected }
        for (index, suite) in selected.enumerated() {
            let counts = itemsPerSample[index]
            let share = Int((Double(limit) * Double(counts.values.reduce(0, +)) / Double(total)).rounded())
            let order = suite.samples.sorted { key(suite, $0) < key(suite, $1) }
            var chosen: Set<String> = []
            var taken = 0
            for sample in order where taken < max(share, 1) {
                chosen.insert(sample.id)
                taken += counts[sample.id] ?? 0
            }
            selected[index].samples = suite.samples.filter { chosen.contains($0.id) }
        }
        return selected
    }

    private func key(_ suite: Suite, _ sample: Sample) -> String {
        SHA256.hex("plumb-subset-v1\u{1F}\(seed)\u{1F}\(suite.name)\u{1F}\(sample.id)")
    }
}
