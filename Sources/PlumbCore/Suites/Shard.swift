/// One slice of a run, `--shard i/n` (1 ≤ i ≤ n): the items whose id, read as a number, leaves remainder i−1
/// when divided by n. Item ids are content hashes, so the slices are the same on every machine, balanced, and
/// independent of the order suites are given in.
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `i/n`; nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
            (1...count).contains(index)
        else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    public func contains(itemID: String) -> Bool {
        // The first 15 hex digits fit in an Int; ids are uniformly distributed hashes.
        let value =
            UInt64(itemID.prefix(15), radix: 16)
            ?? SHA256.hash(Array(itemID.utf8)).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
        return Int(value % UInt64(count)) == index - 1
    }
}
