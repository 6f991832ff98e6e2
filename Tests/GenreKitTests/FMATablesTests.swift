@testable import GenreKit
import _TestSupport
import Foundation
import Testing

@Suite struct FMATablesTests {
    let folder = TemporaryFolder("fma")

    @Test func subsetsNestInFMAsOrder() {
        #expect(FMASubset.small < .medium && FMASubset.medium < .large)
        #expect(FMASubset.allCases.filter { $0 <= .medium } == [.small, .medium])
        #expect(FMASubset.large.audioFolder == "fma_large")
    }

    @Test func audioPathsArePaddedToSixDigits() {
        #expect(fmaAudioRelativePath(trackID: 2) == "000/000002.mp3")
        #expect(fmaAudioRelativePath(trackID: 99134) == "099/099134.mp3")
        #expect(fmaAudioRelativePath(trackID: 155320, extension: "wav") == "155/155320.wav")
    }

    @Test func labelsAreSortedAsLabelEncoderSortsThem() {
        // LabelEncoder sorts by code point: upper case before lower case, '-' before letters.
        #expect(TrackList.encodeLabels(["Rock", "Hip-Hop", "Electronic", "Rock", "folk", "Hip"]) ==
                ["Electronic", "Hip", "Hip-Hop", "Rock", "folk"])
    }

    /// The real file's shape: two header rows with the level-0 names repeated, a `track_id`
    /// row, quoted multi-line text, lists with commas, an empty genre_top.
    static let tracksCSV = #"""
        ,album,album,artist,set,set,track,track,track
        ,information,title,bio,split,subset,genre_top,genres,title
        track_id,,,,,,,,
        2,"<p>one,
        two</p>",AWOL,"A ""band""",training,small,Hip-Hop,[21],Food
        5,,x,,test,medium,,"[21, 15]","a, b"
        10,,y,,validation,large,Pop,[10],c

        """#

    @Test func tracksAreFoundByTheirTwoLevelColumnNames() throws {
        let url = folder.file("tracks.csv")
        try Self.tracksCSV.write(to: url, atomically: true, encoding: .utf8)
        let tracks = try FMATracksTable.read(url)
        #expect(tracks == [
            FMATrack(id: 2, genreTop: "Hip-Hop", subset: .small, split: "training"),
            FMATrack(id: 5, genreTop: nil, subset: .medium, split: "test"),
            FMATrack(id: 10, genreTop: "Pop", subset: .large, split: "validation"),
        ])
    }

    @Test func emptyLevelZeroCellsCarryOverFromTheLeft() throws {
        let url = folder.file("merged.csv")
        try ",set,,track\n,split,subset,genre_top\ntrack_id,,,\n7,test,small,Rock\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(try FMATracksTable.read(url) == [FMATrack(id: 7, genreTop: "Rock", subset: .small, split: "test")])
    }

    @Test func missingColumnIsNamed() throws {
        let url = folder.file("nogenre.csv")
        try ",set,set\n,split,subset\ntrack_id,,\n1,training,small\n".write(to: url, atomically: true, encoding: .utf8)
        #expect { try FMATracksTable.read(url) } throws: { error in
            "\(error)".contains("('track', 'genre_top')") && "\(error)".contains(url.path)
        }
    }

    @Test func badSubsetNamesFileAndLine() throws {
        let url = folder.file("badsubset.csv")
        try ",set,set,track\n,split,subset,genre_top\ntrack_id,,,\n1,training,tiny,Rock\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: FMAError.badValue(file: url.path, line: 4, column: "('set', 'subset')", value: "tiny")) {
            try FMATracksTable.read(url)
        }
    }

    @Test func genresTableReads() throws {
        let url = folder.file("genres.csv")
        try "genre_id,#tracks,parent,title,top_level\n1,8693,38,Avant-Garde,38\n21,8389,0,Hip-Hop,21\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(try FMAGenresTable.read(url) == [
            FMAGenre(id: 1, trackCount: 8693, parent: 38, title: "Avant-Garde", topLevel: 38),
            FMAGenre(id: 21, trackCount: 8389, parent: 0, title: "Hip-Hop", topLevel: 21),
        ])
    }
}
