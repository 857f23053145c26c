import Foundation
import PlumbCore
import PlumbReports
import PlumbRunner

/// `plumb run --dry-run`: what a run would ask, per suite and model, and nothing asked or written.
enum DryRun {
    /// The plan: items, the HTTP requests they take at most (a log-probability choice item asks once per option
    /// and once for the prompt alone), and estimated tokens — prompt: the UTF-8 bytes of the messages and options
    /// divided by 4, rounded up per request; completion: at most `maxTokens` per generated item.
    static func describe(suites: [Suite], options: RunCommand.Options, backends: [any ModelBackend]) -> String {
        let plan = Runner.plan(suites, shard: options.shard)
        var rows: [[String]] = []
        var totals = (items: 0, requests: 0, prompt: 0, completion: 0)
        for (index, suite) in suites.enumerated() {
            let items = plan.filter { $0.suite == index }
            var requests = 0
            var prompt = 0
            var completion = 0
            for planned in items {
                let request = planned.item.request
                let text = request.messages.reduce(0) { $0 + $1.content.utf8.count }
                if let continuations = request.continuations {
                    requests += continuations.count + 1
                    prompt += (text + 3) / 4 * (continuations.count + 1)
                    prompt += continuations.reduce(0) { $0 + ($1.utf8.count + 3) / 4 }
                } else {
                    requests += 1
                    prompt += (text + 3) / 4
                    completion += request.maxTokens ?? 0
                }
            }
            rows.append([
                suite.name, String(Set(items.map(\.item.sampleID)).count), String(items.count), String(requests),
                String(prompt), String(completion),
            ])
            totals.items += items.count
            totals.requests += requests
            totals.prompt += prompt
            totals.completion += completion
        }
        let models = backends.map { "\($0.identity)" }.joined(separator: ", ")
        var text =
            "dry run: \(totals.items) items, \(totals.requests) requests per model (\(models))"
            + (options.wholeItemCount.map { "; \(totals.items) of \($0) items (\(options.selection.description))" }
                ?? "")
            + (options.shard.map { "; shard \($0)" } ?? "") + "\n\n"
        var table = TextTable(header: [
            "suite", "samples", "items", "requests", "prompt tokens", "completion tokens (max)",
        ])
        table.rows = rows
        table.rightAligned = Set(1..<6)
        text += table.render() + "\n"
        text +=
            "\nestimated tokens per model: \(totals.prompt) prompt + up to \(totals.completion) completion "
            + "(prompt: UTF-8 bytes / 4 per request; completion: maxTokens per item; judge checks ask their judge "
            + "besides, not counted here). Nothing was asked.\n"
        return text
    }
}
