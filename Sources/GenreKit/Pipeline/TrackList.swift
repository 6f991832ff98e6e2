import Foundation

/// One track as step 01 hands it on: what every later step needs and nothing else.
public struct TrackEntry: Equatable, Sendable {
    public var id: Int
    /// The genre's name (FMA's `genre_top`, or a folder name).
    public var genre: String
    /// The genre's integer code: its index in the alphabetically sorted class list.
    public var label: Int
    /// FMA's official split (`training`, `validation`, `test`), or empty when the data has none.
    public var split: String
    /// Absolute path of the audio file.
    public var audioPath: String

    public init(id: Int, genre: String, label: Int, split: String, audioPath: String) {
        self.id = id
        self.genre = genre
        self.label = label
        self.split = split
        self.audioPath = audioPath
    }
}

/// `artifacts/01-metadata/tracks.csv` and `classes.txt`.
public enum TrackList {
    public static let header = ["track_id", "genre", "label", "split", "audio_path"]

    public static func tracksURL(in workspace: Workspace) -> URL {
        workspace.folder(.metadata).appendingPathComponent("tracks.csv")
    }

    public static func classesURL(in workspace: Workspace) -> URL {
        workspace.folder(.metadata).appendingPathComponent("classes.txt")
    }

    /// Classes sorted as scikit-learn's `LabelEncoder` sorts them (by code point), so label
    /// `i` is `classes[i]`. The count comes from the data.
    public static func encodeLabels(_ genres: some Sequence<String>) -> [String] {
        Array(Set(genres)).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    public static func write(_ tracks: [TrackEntry], classes: [String], in workspace: Workspace) throws {
        var csv = CSVWriter(header: header)
        for track in tracks {
            csv.append([String(track.id), track.genre, String(track.label), track.split, track.audioPath])
        }
        try AtomicFile.write(csv.text, to: tracksURL(in: workspace))
        try AtomicFile.write(classes.joined(separator: "\n") + "\n", to: classesURL(in: workspace))
    }

    /// Reads what step 01 wrote.
    public static func read(in workspace: Workspace) throws -> (tracks: [TrackEntry], classes: [String]) {
        let url = tracksURL(in: workspace)
        try workspace.requireArtifact(url, madeBy: .metadata)
        var tracks: [TrackEntry] = []
        var first = true
        try CSVReader(url: url).forEachRecord { record in
            if first { first = false; return }
            guard let id = record.int(0), let label = record.int(2) else {
                throw FMAError.badValue(file: url.path, line: record.line, column: "track_id or label", value: record[0])
            }
            tracks.append(TrackEntry(id: id, genre: record[1], label: label, split: record[3], audioPath: record[4]))
        }
        let classes = try String(contentsOf: classesURL(in: workspace), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        return (tracks, classes)
    }
}
