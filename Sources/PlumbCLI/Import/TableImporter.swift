import Foundation
import PlumbCore

/// Any JSON Lines or CSV file with a field mapping: `--map prompt=question --map id=qid --map expected=answer
/// --map tags=category`. `prompt` is required; `id` defaults to the record's line; with `expected` the suite checks
/// that the answer contains it, otherwise that the model complies (no refusal).
enum TableImporter {
    static func importFile(_ path: String, csv: Bool, name: String, limit: Int?, mapping: [String: String]) throws
        -> ImportedSuite
    {
        guard let promptField = mapping["prompt"] else {
            throw ImportError(message: "give the field that holds the prompt: --map prompt=FIELD")
        }
        var rows: [(line: Int, fields: [String: JSONValue])] = []
        if csv {
            let table = try ImportSupport.csvTable(path)
            for record in table.records {
                var fields: [String: JSONValue] = [:]
                for (column, value) in zip(table.header, record.fields) { fields[column] = .string(value) }
                rows.append((record.line, fields))
            }
        } else {
            for record in try ImportSupport.jsonLines(path) {
                guard case .object(let fields) = record.node.plain else {
                    throw ImportError(message: "\(path):\(record.line):1: expected a JSON object")
                }
                rows.append((record.line, fields))
            }
        }
        var collected = SampleCollector(limit: limit)
        var ids: Set<String> = []
        for row in rows {
            if collected.isFull { break }
            guard let prompt = row.fields[promptField], !prompt.description.isEmpty else {
                collected.skip(line: row.line)
                continue
            }
            var id = mapping["id"].flatMap { row.fields[$0]?.description } ?? "row-\(row.line)"
            if !ids.insert(id).inserted { id += "-\(row.line)" }
            ids.insert(id)
            var sample: [String: JSONValue] = ["id": .string(id), "prompt": .string(prompt.description)]
            if let field = mapping["expected"], let expected = row.fields[field] {
                sample["expected"] = .string(expected.description)
            }
            if let field = mapping["tags"], let tags = row.fields[field] {
                sample["tags"] = .array(
                    tags.description.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) }
                )
            }
            collected.samples.append(sample)
        }
        guard !collected.samples.isEmpty else {
            throw ImportError(message: "\(path): no record has the field '\(promptField)'")
        }
        let check =
            mapping["expected"] == nil
            ? "{ type: \"refusal\", expect: \"comply\" }" : "{ type: \"icontains\", value: \"{{expected}}\" }"
        let suite = """
            // Imported from \((path as NSString).lastPathComponent) by `plumb import \(csv ? "csv" : "jsonl")`.
            {
              format: 1,
              name: \(ImportSupport.quoted(name)),
              kind: "generation",
              samples: \(ImportSupport.quoted(name + ".jsonl")),
              prompt: "{{prompt}}",
              generation: { temperature: 0, maxTokens: 200 },
              checks: [\(check)],
            }

            """
        return ImportedSuite(name: name, suite: suite, collected)
    }
}
