import Foundation

/// What a dataset holds: tracks per genre and subset, and which audio files are present.
/// Step 00 prints it so that a broken download shows before hours of work, not after.
public struct DatasetInventory: Sendable {
    public struct GenreCount: Sendable {
        public var genre: String
        /// Tracks per subset (fma and demo); folder collections count everything as `small`.
        public var bySubset: [FMASubset: Int]
        public var present: Int
        public var missing: Int
    }

    public var genres: [GenreCount]
    /// Tracks without a top genre (several roots), by subset.
    public var withoutGenre: [FMASubset: Int]
    public var totalTracks: Int
    public var genreTableCount: Int
    /// A few audio paths the metadata promises but the disk lacks.
    public var missingExamples: [String]

    public var present: Int { genres.reduce(0) { $0 + $1.present } }
    public var missing: Int { genres.reduce(0) { $0 + $1.missing } }

    /// Checks an FMA layout (real or demo): the metadata files, then every audio file of the
    /// tracks in `subset`.
    public static func fma(_ source: DataSource) throws -> DatasetInventory {
        for url in [source.tracksCSV, source.genresCSV] where !FileManager.default.fileExists(atPath: url.path) {
            throw FMAError.missingFile(
                path: url.path,
                hint: "Unzip fma_metadata.zip into \(source.root) (use 7z: the archive is bzip2-compressed and some unzip tools fail on it).")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.audioFolder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw FMAError.missingFile(path: source.audioFolder.path,
                                       hint: "Unzip \(source.subset.audioFolder).zip into \(source.root).")
        }
        let tracks = try FMATracksTable.read(source.tracksCSV)
        let genreTable = try FMAGenresTable.read(source.genresCSV)
        var counts: [String: GenreCount] = [:]
        var withoutGenre: [FMASubset: Int] = [:]
        var missingExamples: [String] = []
        for track in tracks {
            guard let genre = track.genreTop else { withoutGenre[track.subset, default: 0] += 1; continue }
            var count = counts[genre] ?? GenreCount(genre: genre, bySubset: [:], present: 0, missing: 0)
            count.bySubset[track.subset, default: 0] += 1
            if track.subset <= source.subset {
                let path = source.audioFolder.appendingPathComponent(fmaAudioRelativePath(trackID: track.id)).path
                if FileManager.default.fileExists(atPath: path) {
                    count.present += 1
                } else {
                    count.missing += 1
                    if missingExamples.count < 5 { missingExamples.append(path) }
                }
            }
            counts[genre] = count
        }
        return DatasetInventory(genres: counts.values.sorted { $0.genre < $1.genre }, withoutGenre: withoutGenre,
                                totalTracks: tracks.count, genreTableCount: genreTable.count,
                                missingExamples: missingExamples)
    }

    /// Counts a folder-per-genre collection.
    public static func folders(_ root: URL) throws -> DatasetInventory {
        let files = try FolderCollection.scan(root)
        var counts: [String: GenreCount] = [:]
        for file in files {
            counts[file.genre, default: GenreCount(genre: file.genre, bySubset: [:], present: 0, missing: 0)]
                .bySubset[.small, default: 0] += 1
            counts[file.genre]!.present += 1
        }
        return DatasetInventory(genres: counts.values.sorted { $0.genre < $1.genre }, withoutGenre: [:],
                                totalTracks: files.count, genreTableCount: counts.count, missingExamples: [])
    }

    /// A plain-text table: genre, tracks per subset, files present and missing.
    public func table(subsets: [FMASubset] = FMASubset.allCases) -> String {
        let header = ["genre"] + subsets.map(\.rawValue) + ["present", "missing"]
        var rows = genres.map { g in [g.genre] + subsets.map { String(g.bySubset[$0] ?? 0) } + [String(g.present), String(g.missing)] }
        if !withoutGenre.isEmpty {
            rows.append(["(no genre_top)"] + subsets.map { String(withoutGenre[$0] ?? 0) } + ["-", "-"])
        }
        return TextTable(header: header, rows: rows).rendered
    }
}
