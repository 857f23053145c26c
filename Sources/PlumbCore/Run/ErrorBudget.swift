/// How many item errors a run tolerates: beyond it the runner stops early (`aborted`), and a report whose errors
/// exceed it cannot pass. Reports record it, so every command that reads a report reaches the run's verdict.
public enum ErrorBudget: Sendable, Hashable, CustomStringConvertible, Codable {
    /// More than this many items erred.
    case count(Int)
    /// More than this percentage (0…100) of the planned items erred.
    case percent(Double)

    /// `10` or `5%`; nil when malformed.
    public init?(parsing text: String) {
        if text.hasSuffix("%") {
            guard let percent = Double(text.dropLast()), (0...100).contains(percent) else { return nil }
            self = .percent(percent)
        } else {
            guard let count = Int(text), count >= 0 else { return nil }
            self = .count(count)
        }
    }

    /// True when `errors` out of `planned` items are more than the budget allows.
    public func isExceeded(errors: Int, planned: Int) -> Bool {
        switch self {
        case .count(let limit): return errors > limit
        case .percent(let percent): return Double(errors) * 100 > percent * Double(planned)
        }
    }

    /// `10` or `5%`, as `--max-errors` takes it.
    public var description: String {
        switch self {
        case .count(let count): "\(count)"
        case .percent(let percent): NumberText.text(percent) + "%"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let budget = ErrorBudget(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected an error budget such as '10' or '5%', found '\(text)'"
            )
        }
        self = budget
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
