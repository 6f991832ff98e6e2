import AudioIO
@testable import GenreKit
import _TestSupport
import Foundation
import Testing

@Suite struct DemoDatasetTests {
    let demo = DemoDataset(clipsPerGenre: 4, seed: 3, clipSeconds: 4)

    @Test func planIsDeterministicForASeedAndDiffersAcrossSeeds() {
        #expect(demo.tracks() == demo.tracks())
        let other = DemoDataset(clipsPerGenre: 4, seed: 4, clipSeconds: 4).tracks()
        #expect(other.map(\.id) != demo.tracks().map(\.id))
    }

    @Test func everyGenreGetsItsClipsAndOtherSubsetsHaveNoAudio() {
        let tracks = demo.tracks()
        let small = tracks.filter { $0.subset == .small }
        #expect(small.count == 32 && small.allSatisfy { $0.clip != nil })
        for genre in DemoGenre.all { #expect(small.filter { $0.genreTop == genre.name }.count == 4) }
        let others = tracks.filter { $0.subset != .small }
        #expect(!others.isEmpty && others.allSatisfy { $0.clip == nil })
        #expect(others.contains { $0.genreTop == nil })
        #expect(Set(tracks.map(\.id)).count == tracks.count)
    }

    @Test func faultsAndFormatsOfFMAAreAllPresent() {
        let clips = demo.tracks().compactMap { track in track.clip.map { (track.id, $0) } }
        let byID = Dictionary(uniqueKeysWithValues: clips)
        #expect(DemoDataset.noAudioIDs.allSatisfy { [.tagOnly, .junkOnly, .truncatedFrame].contains(byID[$0]?.fault) })
        #expect(DemoDataset.shortIDs.allSatisfy { byID[$0]?.fault == .short })
        let all = clips.map(\.1)
        #expect(Set(all.map(\.sampleRate)) == [22050, 44100, 48000])
        #expect(Set(all.map(\.channelCount)) == [1, 2])
        #expect(Set(all.map(\.variableBitrate)) == [true, false])
        #expect(all.contains { $0.fault == .absurdTagLength } && all.contains { $0.fault == .trailingJunk })
        // Lengths vary by a few thousand samples around the nominal length.
        let lengths = all.filter { $0.fault == .clean }.map { Double($0.frameCount) / Double($0.sampleRate) }
        #expect(lengths.allSatisfy { abs($0 - 4) < 0.15 } && Set(lengths).count > 1)
    }

    @Test func metadataReadsBackWithFMAsStructure() throws {
        let folder = TemporaryFolder("demo-metadata")
        let metadata = DemoMetadata(tracks: demo.tracks(), seed: demo.seed)
        try metadata.write(to: folder.url)
        let text = try String(contentsOf: folder.file("tracks.csv"), encoding: .utf8)
        // Two header rows of 52 columns plus the index, then the index-name row.
        var records: [[String]] = []
        try CSVReader(string: text).forEachRecord { records.append($0.strings()) }
        #expect(records[0].count == 53 && records[1].count == 53 && records[2][0] == "track_id")
        #expect(records[1][1...13] == ["comments", "date_created", "date_released", "engineer", "favorites", "id",
                                       "information", "listens", "producer", "tags", "title", "tracks", "type"])
        // It has what makes the real file hard: newlines and doubled quotes inside fields.
        #expect(records.contains { $0.contains { $0.contains("\n") } })
        #expect(text.contains("\"\""))
        let read = try FMATracksTable.read(folder.file("tracks.csv"))
        #expect(read.map(\.id) == demo.tracks().map(\.id))
        #expect(read.map(\.genreTop) == demo.tracks().map(\.genreTop))
        #expect(read.map(\.split) == demo.tracks().map(\.split))
        let genres = try FMAGenresTable.read(folder.file("genres.csv"))
        #expect(DemoGenre.all.allSatisfy { g in genres.contains { $0.id == g.fmaGenreID && $0.title == g.name && $0.parent == 0 } })
    }

    @Test func faultyClipsFailToDecodeAsFMAsDo() throws {
        let decoder = try AudioDecoder()
        for track in demo.tracks() where DemoDataset.noAudioIDs.contains(track.id) {
            let bytes = try demo.mp3Bytes(for: track)
            #expect(throws: AudioIOError.self, "track \(track.id)") { try decoder.decode(bytes, path: "\(track.id)") }
        }
        let junkOnly = demo.tracks().first { $0.clip?.fault == .junkOnly }!
        #expect(try demo.mp3Bytes(for: junkOnly).count == 1752)  // 133297's size in FMA small
    }

    @Test func clipsDecodeToTheirPlannedFormatAndLength() throws {
        let decoder = try AudioDecoder()
        let playable: Set<DemoTrack.Fault> = [.clean, .absurdTagLength, .trailingJunk]
        let tracks = demo.tracks().filter { $0.clip.map { playable.contains($0.fault) } ?? false }
        for track in tracks.prefix(6) {
            let clip = track.clip!
            let audio = try decoder.decode(try demo.mp3Bytes(for: track), path: "\(track.id)")
            #expect(audio.sampleRate == clip.sampleRate && audio.channelCount == clip.channelCount)
            // LAME pads to whole frames of 1152 samples; a cut last frame loses one.
            #expect(abs(audio.frameCount - clip.frameCount) <= 2 * 1152, "track \(track.id)")
        }
    }

    @Test func writingIsResumableAndDeterministic() throws {
        let folder = TemporaryFolder("demo-write")
        let small = DemoDataset(clipsPerGenre: 1, seed: 5, clipSeconds: 2)
        #expect(!small.isComplete(at: folder.url))
        _ = try small.write(to: folder.url)
        #expect(small.isComplete(at: folder.url))
        let some = small.tracks().first { $0.clip?.fault == .clean }!
        let file = folder.url.appendingPathComponent("fma_small/" + fmaAudioRelativePath(trackID: some.id))
        let first = try Data(contentsOf: file)
        try FileManager.default.removeItem(at: file)
        #expect(!small.isComplete(at: folder.url))
        _ = try small.write(to: folder.url)
        #expect(try Data(contentsOf: file) == first)
        // Other parameters replace the demo rather than mixing with it.
        let other = DemoDataset(clipsPerGenre: 1, seed: 6, clipSeconds: 2)
        _ = try other.write(to: folder.url)
        #expect(other.isComplete(at: folder.url) && !small.isComplete(at: folder.url))
    }
}
