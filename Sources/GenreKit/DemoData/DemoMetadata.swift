import Foundation

/// Writes the demo's `tracks.csv` and `genres.csv` with FMA's exact structure: the same 52
/// columns under the same two header rows, a `track_id` row, and the same kinds of values,
/// including what makes the real file hard to parse (HTML text over several lines, commas
/// and doubled quotes inside quoted fields, Python list literals, empty cells).
public struct DemoMetadata: Sendable {
    public let tracks: [DemoTrack]
    public let seed: UInt64
    /// Paragraphs of artist biography per track, on average. FMA's real file averages about
    /// 2.4 kB per row, mostly such HTML text; the benchmark raises this to match its size.
    public var biographyParagraphs: Int

    public init(tracks: [DemoTrack], seed: UInt64, biographyParagraphs: Int = 1) {
        self.tracks = tracks
        self.seed = seed
        self.biographyParagraphs = biographyParagraphs
    }

    /// FMA's columns, level 0 then level 1, in the file's order (`fma-dataset.md`, 2.2).
    static let columns: [(group: String, names: [String])] = [
        ("album", ["comments", "date_created", "date_released", "engineer", "favorites", "id", "information",
                   "listens", "producer", "tags", "title", "tracks", "type"]),
        ("artist", ["active_year_begin", "active_year_end", "associated_labels", "bio", "comments",
                    "date_created", "favorites", "id", "latitude", "location", "longitude", "members", "name",
                    "related_projects", "tags", "website", "wikipedia_page"]),
        ("set", ["split", "subset"]),
        ("track", ["bit_rate", "comments", "composer", "date_created", "date_recorded", "duration", "favorites",
                   "genre_top", "genres", "genres_all", "information", "interest", "language_code", "license",
                   "listens", "lyricist", "number", "publisher", "tags", "title"]),
    ]

    public func write(to folder: URL) throws {
        try AtomicFile.write(tracksCSV(), to: folder.appendingPathComponent("tracks.csv"))
        try AtomicFile.write(genresCSV(), to: folder.appendingPathComponent("genres.csv"))
    }

    public func tracksCSV() -> String {
        var csv = CSVWriter()
        csv.append([""] + Self.columns.flatMap { group in group.names.map { _ in group.group } })
        csv.append([""] + Self.columns.flatMap(\.names))
        csv.append(["track_id"] + Array(repeating: "", count: Self.columns.reduce(0) { $0 + $1.names.count }))
        for track in tracks {
            let values = row(for: track)
            csv.append([String(track.id)] + Self.columns.flatMap { group in
                group.names.map { values["\(group.group).\($0)"] ?? "" }
            })
        }
        return csv.text
    }

    /// One track's cells by `group.name`; missing keys are empty cells, as in FMA.
    private func row(for track: DemoTrack) -> [String: String] {
        var random = SeededGenerator(seed: seed, stream: 2, UInt64(track.id))
        let year = 2008 + Int(random.next() % 9)
        let created = String(format: "%d-%02d-%02d %02d:%02d:%02d", year, 1 + Int(random.next() % 12),
                             1 + Int(random.next() % 28), Int(random.next() % 24), Int(random.next() % 60),
                             Int(random.next() % 60))
        let tags = ["lo-fi", "field recording", "live", "remix", "instrumental", "cover", "dance"]
        let pickedTags = tags.filter { _ in random.chance(0.25) }.map { "'\($0)'" }.joined(separator: ", ")
        let genreList = "[" + track.genreIDs.map(String.init).joined(separator: ", ") + "]"
        let bitRate = track.clip.map { clip in
            clip.variableBitrate ? 256_000 - Int(random.next() % 60_000) : Int(320_000 - clip.compressionLevel * 200_000)
        } ?? 320_000
        var row: [String: String] = [
            "album.comments": String(random.next() % 4),
            "album.date_created": created,
            "album.date_released": random.chance(0.6) ? String(format: "%d-%02d-01 00:00:00", year, 1 + Int(random.next() % 12)) : "",
            "album.favorites": String(random.next() % 8),
            "album.id": String(track.albumID),
            // Real album notes are HTML over several lines, with commas and quotes.
            "album.information": random.chance(0.5) ? "<p>Recorded in one take, at home.\nThanks to \"everyone\", who came.</p>\n<p>Mastered by a friend.</p>" : "",
            "album.listens": String(random.next() % 50_000),
            "album.tags": "[\(pickedTags)]",
            "album.title": "Album \(track.albumID), vol. \(1 + random.next() % 3)",
            "album.tracks": String(1 + random.next() % 14),
            "album.type": random.chance(0.8) ? "Album" : "Single Tracks",
            "artist.active_year_begin": random.chance(0.3) ? "\(year - 5)-01-01 00:00:00" : "",
            "artist.bio": random.chance(0.4) ? biography(year: year, using: &random) : "",
            "artist.comments": String(random.next() % 3),
            "artist.date_created": created,
            "artist.favorites": String(random.next() % 30),
            "artist.id": String(track.artistID),
            "artist.latitude": random.chance(0.5) ? String(format: "%.6f", random.uniform(-60...70)) : "",
            "artist.location": random.chance(0.5) ? "Brooklyn, NY" : "",
            "artist.longitude": random.chance(0.5) ? String(format: "%.6f", random.uniform(-170...170)) : "",
            "artist.members": random.chance(0.3) ? "Alice\nBob, drums\nCarol" : "",
            "artist.name": "Artist \(track.artistID)",
            "artist.tags": "[\(pickedTags)]",
            "artist.website": random.chance(0.4) ? "http://example.org/artist\(track.artistID)" : "",
            "set.split": track.split,
            "set.subset": track.subset.rawValue,
            "track.bit_rate": String(bitRate),
            "track.comments": "0",
            "track.date_created": created,
            "track.duration": String(120 + random.next() % 300),
            "track.favorites": String(random.next() % 10),
            "track.genre_top": track.genreTop ?? "",
            "track.genres": genreList,
            "track.genres_all": genreList,
            "track.interest": String(100 + random.next() % 5000),
            "track.language_code": random.chance(0.3) ? "en" : "",
            "track.license": "Attribution-NonCommercial-ShareAlike 3.0 International",
            "track.listens": String(random.next() % 20_000),
            "track.number": String(1 + random.next() % 12),
            "track.tags": "[\(pickedTags)]",
            "track.title": random.chance(0.2) ? "Song \"\(track.id)\", part 2" : "Song \(track.id)",
        ]
        if random.chance(0.1) { row["track.composer"] = "Composer, Jr." }
        return row
    }

    /// HTML over several lines, with quotes and commas, as FMA's artist biographies are.
    private func biography(year: Int, using random: inout SeededGenerator) -> String {
        let paragraphs = 1 + Int(random.next() % UInt64(2 * biographyParagraphs))
        return (0..<paragraphs).map { n in
            "<p>A band from the \"north\", formed in \(year - 6 - n).\r\nThey play, record, and tour; "
                + "their \(n + 1)th record, \"Songs for the road\", came out on a small label.</p>"
        }.joined(separator: "\n")
    }

    /// FMA's `genres.csv`: the eight roots of FMA small, a few other roots and children.
    public func genresCSV() -> String {
        var genres = DemoGenre.all.map {
            FMAGenre(id: $0.fmaGenreID, trackCount: 0, parent: 0, title: $0.name, topLevel: $0.fmaGenreID)
        } + DemoDataset.otherGenres
        genres += [
            FMAGenre(id: 1, trackCount: 8693, parent: 38, title: "Avant-Garde", topLevel: 38),
            FMAGenre(id: 25, trackCount: 9261, parent: 12, title: "Punk", topLevel: 12),
            FMAGenre(id: 181, trackCount: 3700, parent: 15, title: "Techno", topLevel: 15),
            FMAGenre(id: 542, trackCount: 1330, parent: 21, title: "Alternative Hip-Hop", topLevel: 21),
        ]
        var counts: [Int: Int] = [:]
        for track in tracks { for id in track.genreIDs { counts[id, default: 0] += 1 } }
        var csv = CSVWriter(header: FMAGenresTable.header)
        for genre in genres.sorted(by: { $0.id < $1.id }) {
            csv.append([String(genre.id), String(counts[genre.id] ?? genre.trackCount), String(genre.parent),
                        genre.title, String(genre.topLevel)])
        }
        return csv.text
    }
}
