import Foundation

/// The columns of FMA's `tracks.csv` that the pipeline uses, one value per track.
public struct FMATrack: Equatable, Sendable {
    public var id: Int
    /// The track's single root genre, or nil when it has several (FMA issue #18).
    public var genreTop: String?
    public var subset: FMASubset
    /// FMA's official split: `training`, `validation` or `test` (artist-filtered, 80/10/10).
    public var split: String
}

/// Reads FMA's `tracks.csv`: 106,574 tracks by 52 columns under two header rows
/// (level 0: `album`, `artist`, `set`, `track`; level 1: the column), a third row naming
/// the index (`track_id`), then one row per track (pandas: `read_csv(index_col=0, header=[0, 1])`).
///
/// Columns are found by their two-level names, not by position, so a reordered file still
/// reads; a missing column is an error that lists what the file has.
public enum FMATracksTable {
    /// The two-level names this reader needs.
    public static let subsetColumn = ColumnName("set", "subset")
    public static let splitColumn = ColumnName("set", "split")
    public static let genreTopColumn = ColumnName("track", "genre_top")

    public struct ColumnName: Hashable, Sendable, CustomStringConvertible {
        public var group: String
        public var name: String
        public init(_ group: String, _ name: String) { self.group = group; self.name = name }
        public var description: String { "('\(group)', '\(name)')" }
    }

    /// Reads every track.
    /// - Throws: `CSVError` for unreadable CSV; `FMAError` for a missing column, a bad id, an
    ///   unknown subset, each naming the file and line.
    public static func read(_ url: URL) throws -> [FMATrack] {
        var headerRows: [[String]] = []
        var columns: (subset: Int, split: Int, genre: Int)?
        var tracks: [FMATrack] = []
        tracks.reserveCapacity(110_000)
        try CSVReader(url: url).forEachRecord { record in
            guard let columns else {
                headerRows.append(record.strings())
                if headerRows.count == 2 { columns = try locate(headerRows, in: url) }
                return
            }
            if record[0] == "track_id" { return }  // pandas' index-name row
            guard let id = record.int(0), id >= 0 else {
                throw FMAError.badValue(file: url.path, line: record.line, column: "track_id", value: record[0])
            }
            let subsetName = record[columns.subset]
            guard let subset = FMASubset(rawValue: subsetName) else {
                throw FMAError.badValue(file: url.path, line: record.line, column: "\(subsetColumn)", value: subsetName)
            }
            let genre = record[columns.genre]
            tracks.append(FMATrack(id: id, genreTop: genre.isEmpty ? nil : genre, subset: subset,
                                   split: record[columns.split]))
        }
        guard columns != nil else { throw FMAError.missingHeader(file: url.path) }
        return tracks
    }

    /// Finds the needed columns from the two header rows. Level-0 names left empty are
    /// carried over from the left, as a spreadsheet export of merged cells leaves them.
    private static func locate(_ rows: [[String]], in url: URL) throws -> (subset: Int, split: Int, genre: Int) {
        var names: [ColumnName] = []
        var group = ""
        for (index, name) in rows[1].enumerated() {
            let top = index < rows[0].count ? rows[0][index] : ""
            if !top.isEmpty { group = top }
            names.append(ColumnName(group, name))
        }
        func find(_ wanted: ColumnName) throws -> Int {
            guard let index = names.firstIndex(of: wanted) else {
                throw FMAError.missingColumn(file: url.path, column: "\(wanted)",
                                             available: names.dropFirst().map(\.description))
            }
            return index
        }
        return (try find(subsetColumn), try find(splitColumn), try find(genreTopColumn))
    }
}

/// One row of FMA's `genres.csv`: `genre_id,#tracks,parent,title,top_level`.
public struct FMAGenre: Equatable, Sendable {
    public var id: Int
    public var trackCount: Int
    /// The parent genre's id, 0 for a root genre.
    public var parent: Int
    public var title: String
    /// The id of the root genre above it (itself for a root).
    public var topLevel: Int
}

public enum FMAGenresTable {
    public static let header = ["genre_id", "#tracks", "parent", "title", "top_level"]

    public static func read(_ url: URL) throws -> [FMAGenre] {
        var genres: [FMAGenre] = []
        var columns: [String: Int]?
        try CSVReader(url: url).forEachRecord { record in
            guard let columns else {
                let names = record.strings()
                var found: [String: Int] = [:]
                for name in header {
                    guard let index = names.firstIndex(of: name) else {
                        throw FMAError.missingColumn(file: url.path, column: name, available: names)
                    }
                    found[name] = index
                }
                columns = found
                return
            }
            func int(_ name: String) throws -> Int {
                guard let value = record.int(columns[name]!) else {
                    throw FMAError.badValue(file: url.path, line: record.line, column: name, value: record[columns[name]!])
                }
                return value
            }
            genres.append(FMAGenre(id: try int("genre_id"), trackCount: try int("#tracks"), parent: try int("parent"),
                                   title: record[columns["title"]!], topLevel: try int("top_level")))
        }
        return genres
    }
}

/// A metadata file that does not have FMA's structure.
public enum FMAError: Error, CustomStringConvertible, Equatable {
    case missingFile(path: String, hint: String)
    case missingHeader(file: String)
    case missingColumn(file: String, column: String, available: [String])
    case badValue(file: String, line: Int, column: String, value: String)

    public var description: String {
        switch self {
        case let .missingFile(path, hint):
            "\(path) does not exist. \(hint)"
        case let .missingHeader(file):
            "\(file) has fewer than the two header rows of FMA's tracks.csv."
        case let .missingColumn(file, column, available):
            "\(file) has no column \(column); it has \(available.prefix(60).joined(separator: ", "))."
        case let .badValue(file, line, column, value):
            "\(file):\(line): '\(value)' is not a valid \(column)."
        }
    }
}
