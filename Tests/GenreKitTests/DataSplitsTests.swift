@testable import GenreKit
import Testing

@Suite struct DataSplitsTests {
    /// A manifest of `shards` shards of 3 tracks each, labels cycling over 4 classes.
    func records(shards: Int) -> RecordsManifest {
        let tracks = (0..<shards).map { s in (0..<3).map { 100 * s + $0 } }
        let labels = Dictionary(uniqueKeysWithValues: tracks.flatMap { $0 }.map { (String($0), $0 % 4) })
        let files = (0..<shards).map { RecordsManifest.ShardFile(name: "songs\($0)-3.tfrec", records: 3) }
        return RecordsManifest(classes: ["a", "b", "c", "d"], sets: ["raw1d": files], shardTracks: tracks,
                               labels: labels, skipped: [:], sampleRate: 22050, windowSize: 10, imageShape: [1, 1, 1],
                               shuffleSeed: 1)
    }

    @Test func articleSplitOfSixteenShardsIsNineThreeFour() throws {
        let splits = try DataSplits.byShards(records(shards: 16), testFraction: 0.2, validationFraction: 0.2, seed: 42)
        #expect(splits[.train].shards.count == 9 && splits[.validation].shards.count == 3 && splits[.test].shards.count == 4)
        let all = DataSplits.Name.allCases.flatMap { splits[$0].shards }
        #expect(all.sorted() == Array(0..<16))
        #expect(splits.overlaps.isEmpty)
        #expect(splits[.test].files["raw1d"]!.allSatisfy { $0.hasPrefix("raw1d/songs") })
        #expect(splits[.train].perClass.reduce(0, +) == splits[.train].records)
    }

    @Test func splitDependsOnTheSeedOnly() throws {
        let a = try DataSplits.byShards(records(shards: 16), testFraction: 0.2, validationFraction: 0.2, seed: 42)
        let b = try DataSplits.byShards(records(shards: 16), testFraction: 0.2, validationFraction: 0.2, seed: 42)
        let c = try DataSplits.byShards(records(shards: 16), testFraction: 0.2, validationFraction: 0.2, seed: 7)
        #expect(a == b && a != c)
    }

    @Test func tooFewShardsAreRefused() {
        #expect(throws: SplitError.tooFewShards(count: 2)) {
            try DataSplits.byShards(records(shards: 2), testFraction: 0.2, validationFraction: 0.2, seed: 1)
        }
    }

    @Test func officialSplitFollowsTheTracks() throws {
        let manifest = records(shards: 3)
        let names = ["training", "validation", "test"]
        let tracks = manifest.shardTracks.flatMap { $0 }.map {
            TrackEntry(id: $0, genre: "g", label: $0 % 4, split: names[$0 % 3], audioPath: "")
        }
        let splits = try DataSplits.official(manifest, tracks: tracks)
        #expect(splits[.validation].trackIDs.allSatisfy { $0 % 3 == 1 })
        #expect(splits[.test].trackIDs.allSatisfy { $0 % 3 == 2 })
        #expect(splits[.train].records + splits[.validation].records + splits[.test].records == 9)
        #expect(splits.overlaps.isEmpty)
        let noSplit = tracks.map { TrackEntry(id: $0.id, genre: "g", label: $0.label, split: "", audioPath: "") }
        #expect(throws: SplitError.self) { try DataSplits.official(manifest, tracks: noSplit) }
    }
}
