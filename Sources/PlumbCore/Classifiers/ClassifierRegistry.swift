import Synchronization

/// The classifiers a suite's `classifier` checks may name, built by the CLI and passed down (never a global).
///
/// Each name maps to a classifier or to a factory that makes one the first time a check asks for it (loading a
/// model can be slow, and a run whose suites use no classifier should not pay for it). Every check naming the same
/// classifier shares one `BatchingClassifier`, so identical texts are scored once and concurrent items are batched
/// together. Copies of a registry share those instances.
public struct ClassifierRegistry: Sendable {
    public typealias Factory = @Sendable () throws -> any TextClassifier

    /// One registered classifier: made once, on first use.
    public final class Entry: Sendable {
        public let name: String
        /// One line for listings (`plumb checks`, docs).
        public let summary: String
        let factory: Factory
        let maxBatchSize: Int
        let made = Mutex<BatchingClassifier?>(nil)

        init(name: String, summary: String, maxBatchSize: Int, factory: @escaping Factory) {
            self.name = name
            self.summary = summary
            self.maxBatchSize = maxBatchSize
            self.factory = factory
        }

        /// The shared, batching classifier; makes it on first use (once, even when asked from several threads at
        /// a time: they wait for it). A factory that throws is asked again next time.
        public func classifier() throws -> BatchingClassifier {
            try made.withLock { made in
                if let made { return made }
                let classifier = try factory()
                let batching =
                    classifier as? BatchingClassifier ?? BatchingClassifier(classifier, maxBatchSize: maxBatchSize)
                made = batching
                return batching
            }
        }
    }

    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    /// Registers a classifier made in advance, replacing any of the same name.
    public mutating func register(
        _ name: String,
        summary: String = "",
        maxBatchSize: Int = 64,
        _ classifier: any TextClassifier
    ) {
        register(name, summary: summary, maxBatchSize: maxBatchSize) { classifier }
    }

    /// Registers a classifier made by `factory` when a check first names it, replacing any of the same name.
    /// A factory error stops the suite from loading, with the error's message.
    public mutating func register(
        _ name: String,
        summary: String = "",
        maxBatchSize: Int = 64,
        factory: @escaping Factory
    ) {
        entries[name] = Entry(name: name, summary: summary, maxBatchSize: maxBatchSize, factory: factory)
    }

    /// The registered names, sorted.
    public var names: [String] { entries.keys.sorted() }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The shared classifier registered as `name`, made on first use; nil when no classifier has that name.
    public func classifier(named name: String) throws -> BatchingClassifier? {
        try entries[name]?.classifier()
    }
}
