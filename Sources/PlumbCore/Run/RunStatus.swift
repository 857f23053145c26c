/// How a run ended: `completed`, `interrupted` (stopped by a signal; what finished is kept) or `aborted` (the error
/// budget was spent; what finished is kept).
public enum RunStatus: String, Sendable, Hashable, Codable {
    case completed, interrupted, aborted
}
