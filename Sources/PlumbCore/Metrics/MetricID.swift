/// The name of a metric, as suites, gates and reports write it (`pass_rate`, `check_pass_rate` …).
///
/// An open set, like `BackendError.Code`: each metric family in `PlumbMetrics` declares its names, so a new family
/// adds names without editing Core. Which names exist is decided by the `MetricCatalog` a loader is given.
public struct MetricID: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: MetricID, rhs: MetricID) -> Bool { lhs.rawValue < rhs.rawValue }
}
