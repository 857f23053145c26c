public import PlumbCore

/// The one verdict on a run, decided here from what a report records: how the run ended, its errors against the
/// error budget it recorded, and its gates. The exit code, the terminal summary, Markdown, HTML, JUnit, `report`
/// and `merge` all show this value; none decides on its own.
///
/// The rules, in order:
/// 1. `interrupted` — the run was stopped by a signal (what finished is kept; resumable).
/// 2. `aborted` — errors exceeded the error budget during the run, so it stopped early.
/// 3. `incomplete` — some items erred and there is no error budget, or more erred than it allows.
/// 4. `gatesFailed` — at least one gate failed.
/// 5. `held` — every gate held (errors within the budget do not change this, and are stated).
public enum Verdict: Sendable, Hashable {
    case held(gates: Int, errors: Int)
    case gatesFailed(failed: Int, gates: Int)
    case incomplete(errors: Int, items: Int)
    case aborted(errors: Int, items: Int)
    case interrupted(items: Int)

    /// The verdict on a run that ended with `status`, `errors` erring items of `items`, `gates`, and the error
    /// budget it ran with.
    public init(status: RunStatus, items: Int, errors: Int, gates: [GateOutcome], errorBudget: ErrorBudget?) {
        let failed = gates.filter { !$0.passed }.count
        switch status {
        case .interrupted:
            self = .interrupted(items: items)
        case .aborted:
            self = .aborted(errors: errors, items: items)
        case .completed:
            let withinBudget =
                errors == 0 || (errorBudget.map { !$0.isExceeded(errors: errors, planned: items) } ?? false)
            if !withinBudget {
                self = .incomplete(errors: errors, items: items)
            } else if failed > 0 {
                self = .gatesFailed(failed: failed, gates: gates.count)
            } else {
                self = .held(gates: gates.count, errors: errors)
            }
        }
    }

    /// A stable name for machines: `held`, `gatesFailed`, `incomplete`, `aborted`, `interrupted`.
    public var name: String {
        switch self {
        case .held: "held"
        case .gatesFailed: "gatesFailed"
        case .incomplete: "incomplete"
        case .aborted: "aborted"
        case .interrupted: "interrupted"
        }
    }

    /// True only for `held`.
    public var isSuccess: Bool {
        if case .held = self { return true }
        return false
    }

    /// The verdict in a few words, the same in every output: `all 6 gates held`, `1 of 6 gates failed`,
    /// `incomplete: 3 of 48 items erred`, `aborted: errors exceeded the error budget (5)`, `interrupted`.
    public func headline(errorBudget: ErrorBudget?) -> String {
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        switch self {
        case .held(let gates, let errors):
            var text =
                gates == 0 ? "no gates; nothing failed" : gates == 1 ? "the gate held" : "all \(gates) gates held"
            if errors > 0 {
                text += " (\(count(errors, "item")) erred, within the error budget \(errorBudget?.description ?? "0"))"
            }
            return text
        case .gatesFailed(let failed, let gates):
            return "\(failed) of \(count(gates, "gate")) failed"
        case .incomplete(let errors, let items):
            let budget =
                errorBudget.map { "more than the error budget \($0) allows" } ?? "and no error budget allows any"
            return "incomplete: \(errors) of \(count(items, "item")) erred, \(budget)"
        case .aborted(let errors, let items):
            let budget = errorBudget.map { ", beyond the error budget \($0)" } ?? ""
            return "aborted: \(errors) of \(count(items, "item")) erred or were not run\(budget)"
        case .interrupted:
            return "interrupted: the results are partial"
        }
    }
}
