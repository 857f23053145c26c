/// Plain-text tables for terminal summaries: left-aligned text, right-aligned numbers.
package struct TextTable {
    package var header: [String]
    package var rows: [[String]] = []
    /// Columns aligned right (numbers).
    package var rightAligned: Set<Int> = []

    package init(header: [String]) { self.header = header }

    package func render() -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in
            all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        return all.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
