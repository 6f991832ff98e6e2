// Step 01: Load the metadata and encode the genres
//
// The article loads FMA's `tracks.csv` with pandas (two header rows: `('set', 'subset')`,
// `('track', 'genre_top')`), keeps the `small` subset, and encodes the genre names as
// integers with scikit-learn's LabelEncoder. We do the same with a streaming CSV reader that
// copes with the file's quoted multi-line fields, and keep FMA's official split beside each
// track, which the article ignored. The number of classes comes from the data.
//   reads   artifacts/00-data/source.json, fma_metadata/tracks.csv and genres.csv (or the folders)
//   writes  artifacts/01-metadata/tracks.csv (track_id, genre, label, split, audio_path), classes.txt
//   run     swift run step01-metadata [--config config/default.toml]

import ArgumentParser
import Foundation
import GenreKit

struct Step01Metadata: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step01-metadata",
        abstract: "Select the subset's tracks, their genres and audio paths, and encode the genres as labels.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        let workspace = Workspace(config: config)
        let source = try DataSource.load(from: workspace)

        // MARK: - 1. Read the tracks
        // FMA: one row per track, 52 columns under two header rows. Subsets nest, small inside
        // medium inside large, so selecting `small` keeps tracks whose subset is at most `small`.
        // Tracks with several root genres have no `genre_top` and cannot be labelled.
        let started = Date()
        var selected: [(id: Int, genre: String, split: String, path: String)] = []
        if source.kind == .folders {
            selected = try FolderCollection.scan(source.rootURL).map { ($0.id, $0.genre, "", $0.path) }
            print("1. Read \(selected.count) files from the genre folders in \(source.root).")
        } else {
            let subset = FMASubset(rawValue: config.data.subset)!
            let all = try FMATracksTable.read(source.tracksCSV)
            let inSubset = all.filter { $0.subset <= subset }
            let labelled = inSubset.filter { $0.genreTop != nil }
            selected = labelled.map { track in
                (track.id, track.genreTop!, track.split,
                 source.audioFolder.appendingPathComponent(fmaAudioRelativePath(trackID: track.id)).path)
            }
            let seconds = Date().timeIntervalSince(started)
            print("1. Read \(all.count) tracks from \(source.tracksCSV.path) in \(String(format: "%.2f", seconds)) s.")
            print("   subset <= '\(subset.rawValue)': \(inSubset.count) tracks; dropped \(inSubset.count - labelled.count) without a top genre.")
        }
        guard !selected.isEmpty else { throw ValidationError("No labelled track to work with.") }

        // MARK: - 2. Encode the genres
        // Classes sorted alphabetically, as LabelEncoder sorts them, so that label 0 is the first
        // genre name. The article's eight: Electronic, Experimental, Folk, Hip-Hop, ...
        let classes = TrackList.encodeLabels(selected.map(\.genre))
        let labelOf = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let tracks = selected.map {
            TrackEntry(id: $0.id, genre: $0.genre, label: labelOf[$0.genre]!, split: $0.split, audioPath: $0.path)
        }.sorted { $0.id < $1.id }
        print("2. \(classes.count) classes, sorted as scikit-learn's LabelEncoder sorts them:")
        let splits = ["training", "validation", "test"]
        let hasSplits = tracks.contains { !$0.split.isEmpty }
        let rows = classes.enumerated().map { label, genre in
            let ofGenre = tracks.filter { $0.label == label }
            return [String(label), genre, String(ofGenre.count)]
                + (hasSplits ? splits.map { split in String(ofGenre.filter { $0.split == split }.count) } : [])
        }
        let table = TextTable(header: ["label", "genre", "tracks"] + (hasSplits ? splits : []), rows: rows)
        print(table.rendered.split(separator: "\n").map { "   " + $0 }.joined(separator: "\n"))

        // MARK: - 3. Hand the list on
        try workspace.createdFolder(.metadata)
        try TrackList.write(tracks, classes: classes, in: workspace)
        print("3. Wrote \(tracks.count) tracks to \(TrackList.tracksURL(in: workspace).path) and \(classes.count) classes to classes.txt.")
        print("   The article: 8000 tracks in 8 classes of 1000 (FMA small).")
        try StepCost.record(.metadata, in: workspace, items: tracks.count, unit: "tracks")
    }
}

lineBufferStandardOutput()
Step01Metadata.main()
