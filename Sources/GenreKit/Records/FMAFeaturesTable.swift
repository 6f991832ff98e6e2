import Foundation
import Spectral

/// FMA's `features.csv` format: three header rows (`feature`, `statistics`, `number`, each
/// followed by one cell per column), a `track_id` row of empty cells, then one row per track:
/// its id and 518 values written with `%.10e`, as pandas writes FMA's MultiIndex frame
/// (`fma_metadata/features.csv`, read there with `header=[0, 1, 2], index_col=0`).
///
/// `genre-features` writes this format and step 05 reads it (`--features fma-csv`), so our
/// output and FMA's file are interchangeable.
public struct FMAFeaturesTable: Sendable {
    /// One entry per column, in the file's order.
    public var columns: [FMAFeatureColumn]
    /// Each row's first cell: a track id in FMA's file, a track id or a file name in ours.
    public var keys: [String]
    /// One array of `columns.count` values per row; an empty cell reads as NaN.
    public var rows: [[Float]]

    public init(columns: [FMAFeatureColumn] = FMAFeatureExtractor.columns, keys: [String] = [], rows: [[Float]] = []) {
        precondition(keys.count == rows.count, "\(keys.count) keys for \(rows.count) rows")
        self.columns = columns
        self.keys = keys
        self.rows = rows
    }

    /// Column names as `feature/statistics/number`, e.g. `mfcc/mean/01`.
    public var columnNames: [String] { columns.map { "\($0.feature)/\($0.statistic)/\($0.number)" } }

    /// The text of the file: the three header rows, the `track_id` row, one line per row.
    public var csv: String {
        var text = ""
        for (label, cell) in [("feature", \FMAFeatureColumn.feature), ("statistics", \.statistic), ("number", \.number)] {
            text += label + "," + columns.map { CSVWriter.escape($0[keyPath: cell]) }.joined(separator: ",") + "\n"
        }
        text += "track_id" + String(repeating: ",", count: columns.count) + "\n"
        for (key, values) in zip(keys, rows) {
            text += CSVWriter.escape(key)
            for v in values { text += "," + (v.isNaN ? "" : String(format: "%.10e", Double(v))) }
            text += "\n"
        }
        return text
    }

    /// Writes the file atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(csv, to: url)
    }

    /// Loads a file in this format (FMA's `features.csv`, or `genre-features` output) as it is.
    /// - Throws: `FeaturesTableError` naming the file and line for a missing header row, a row
    ///   of the wrong length or an unreadable number; `CSVError` for broken CSV.
    public static func load(_ url: URL) throws -> FMAFeaturesTable {
        var header: [[String]] = []
        var table = FMAFeaturesTable(columns: [])
        try CSVReader(url: url).forEachRecord { record in
            if header.count < 4 {
                let expected = ["feature", "statistics", "number", "track_id"][header.count]
                guard record[0] == expected else {
                    throw FeaturesTableError.missingHeader(file: url.path, line: record.line, expected: expected, found: record[0])
                }
                header.append(record.strings())
                if header.count == 3 {
                    let count = header[0].count - 1
                    guard header[1].count - 1 == count && header[2].count - 1 == count else {
                        throw FeaturesTableError.ragged(file: url.path, line: record.line, expected: count + 1, found: header[2].count)
                    }
                    table.columns = (0..<count).map { $0 + 1 }.map {
                        FMAFeatureColumn(feature: header[0][$0], statistic: header[1][$0], number: header[2][$0])
                    }
                }
                return
            }
            guard record.count == table.columns.count + 1 else {
                throw FeaturesTableError.ragged(file: url.path, line: record.line, expected: table.columns.count + 1,
                                                found: record.count)
            }
            var values = [Float](repeating: .nan, count: table.columns.count)
            for i in 0..<values.count where !record.isEmpty(i + 1) {
                guard let v = Float(record[i + 1]) else {
                    throw FeaturesTableError.notANumber(file: url.path, line: record.line,
                                                        column: table.columnNames[i], text: record[i + 1])
                }
                values[i] = v
            }
            table.keys.append(record[0])
            table.rows.append(values)
        }
        guard header.count == 4 else {
            throw FeaturesTableError.missingHeader(file: url.path, line: header.count + 1,
                                                   expected: ["feature", "statistics", "number", "track_id"][header.count],
                                                   found: "the end of the file")
        }
        return table
    }

    /// FMA's file (or ours) as track ids and rows in our column order (`FMAFeatureExtractor.columns`),
    /// the form step 05 feeds its models.
    /// - Throws: `FeaturesTableError` when one of our 518 columns is missing from the file or a
    ///   row's key is not a track id.
    public static func read(_ url: URL) throws -> (columns: [String], rows: [(trackID: Int, values: [Float])]) {
        let table = try load(url)
        let ordered = try table.reordered(to: FMAFeatureExtractor.columns, file: url.path)
        var rows: [(trackID: Int, values: [Float])] = []
        rows.reserveCapacity(ordered.rows.count)
        for (index, key) in ordered.keys.enumerated() {
            guard let id = Int(key) else {
                throw FeaturesTableError.notATrackID(file: url.path, row: index + 1, key: key)
            }
            rows.append((id, ordered.rows[index]))
        }
        return (ordered.columnNames, rows)
    }

    /// The same rows with their columns in `order`.
    public func reordered(to order: [FMAFeatureColumn], file: String = "<memory>") throws -> FMAFeaturesTable {
        if order == columns { return self }
        var position: [FMAFeatureColumn: Int] = [:]
        for (i, c) in columns.enumerated() { position[c] = i }
        let map = try order.map { column in
            guard let i = position[column] else {
                throw FeaturesTableError.missingColumn(file: file, column: "\(column.feature)/\(column.statistic)/\(column.number)")
            }
            return i
        }
        return FMAFeaturesTable(columns: order, keys: keys, rows: rows.map { row in map.map { row[$0] } })
    }
}

/// A features table that is not in FMA's `features.csv` format.
public enum FeaturesTableError: Error, CustomStringConvertible, Equatable {
    case missingHeader(file: String, line: Int, expected: String, found: String)
    case ragged(file: String, line: Int, expected: Int, found: Int)
    case notANumber(file: String, line: Int, column: String, text: String)
    case missingColumn(file: String, column: String)
    case notATrackID(file: String, row: Int, key: String)

    public var description: String {
        switch self {
        case let .missingHeader(file, line, expected, found):
            "\(file):\(line): expected the header row '\(expected)' of FMA's features.csv format, found '\(found)'."
        case let .ragged(file, line, expected, found):
            "\(file):\(line): \(found) cells where the header has \(expected)."
        case let .notANumber(file, line, column, text):
            "\(file):\(line): '\(text)' in column \(column) is not a number."
        case let .missingColumn(file, column):
            "\(file) has no column \(column); FMA's features.csv has all 518."
        case let .notATrackID(file, row, key):
            "\(file), data row \(row): '\(key)' is not a track id (rows made from file names cannot be joined to tracks)."
        }
    }
}
