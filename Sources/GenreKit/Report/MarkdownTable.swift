/// A GitHub-flavoured Markdown table (GFM spec, section 4.10 "Tables"): a header row, a
/// delimiter row that sets each column's alignment, then the body rows.
///
/// Cells are escaped so that a `|` or a line break in a value cannot break the table.
public struct MarkdownTable: Sendable {
    public enum Alignment: Sendable { case left, right, center }

    public var header: [String]
    public var alignments: [Alignment]
    public var rows: [[String]]

    /// - Parameters:
    ///   - header: the column titles.
    ///   - alignments: one per column; missing ones are `.left`.
    ///   - rows: the body; a short row is padded with empty cells.
    public init(header: [String], alignments: [Alignment] = [], rows: [[String]] = []) {
        self.header = header
        self.alignments = header.indices.map { alignments.indices.contains($0) ? alignments[$0] : .left }
        self.rows = rows
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as Markdown lines, ending with a newline.
    public var markdown: String {
        func line(_ cells: [String]) -> String {
            let padded = header.indices.map { cells.indices.contains($0) ? Self.escape(cells[$0]) : "" }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let delimiter = "|" + alignments.map { alignment in
            switch alignment {
            case .left: "---"
            case .right: "---:"
            case .center: ":---:"
            }
        }.joined(separator: "|") + "|"
        return ([line(header), delimiter] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// A cell's text with `|` escaped and line breaks turned into spaces.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\|", with: "|")
            .replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\n", with: " ")
    }
}
