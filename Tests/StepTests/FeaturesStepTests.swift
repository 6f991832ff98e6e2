import AudioIO
import Foundation
import GenreKit
import Spectral
import TFRecord
import Testing
import _TestSupport

/// The FMA feature set as users meet it: `genre-features` on audio files, its CSV read back in
/// FMA's `features.csv` format, and step 03's `features/` records.
@Suite struct FeaturesStepTests {
    @Test func genreFeaturesPrintsFMAsFormat() throws {
        let folder = TemporaryFolder("genre-features")
        // A track named like FMA's clips, and one that is not.
        let rate = 22050
        let tone = Audio(mono: TestSignal.sine(frequency: 440, sampleRate: rate, seconds: 2), sampleRate: rate)
        let chord = Audio(mono: zip(TestSignal.sine(frequency: 261.6, sampleRate: rate, seconds: 1.5),
                                    TestSignal.sine(frequency: 392, sampleRate: rate, seconds: 1.5)).map { $0 + $1 },
                          sampleRate: rate)
        try SoundFile.writeWAV(tone, to: folder.file("000002.wav"))
        try SoundFile.writeWAV(chord, to: folder.file("chord.wav"))
        let csv = folder.file("features.csv")
        let run = try ToolTests.run("genre-features", ["000002.wav", "chord.wav", "--output", csv.path], in: folder.url)
        #expect(run.status == 0, "\(run.output)")

        let table = try FMAFeaturesTable.load(csv)
        #expect(table.columns == FMAFeatureExtractor.columns)
        #expect(table.keys == ["2", "chord.wav"])
        let text = try String(contentsOf: csv, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines[0].hasPrefix("feature,chroma_cens,chroma_cens,"))
        #expect(lines[1].hasPrefix("statistics,kurtosis,kurtosis,"))
        #expect(lines[2].hasPrefix("number,01,02,"))
        #expect(lines[3] == "track_id" + String(repeating: ",", count: 518))
        // The values are the extractor's, at %.10e (11 significant digits).
        for (row, audio) in zip(table.rows, [tone, chord]) {
            let decoded = try SoundFile.read(contentsOf: folder.file(audio.frameCount == tone.frameCount ? "000002.wav" : "chord.wav"))
            let expected = FMAFeatureExtractor(sampleRate: rate).compute(decoded.channels[0])
            #expect(zip(row, expected).allSatisfy { abs($0 - $1) <= 1e-6 * max(abs($1), 1e-30) })
        }
        // Track ids join to tracks; a file name does not.
        #expect(throws: FeaturesTableError.self) { _ = try FMAFeaturesTable.read(csv) as (columns: [String], rows: [(trackID: Int, values: [Float])]) }
        let missing = try ToolTests.run("genre-features", ["no-such-file.mp3"], in: folder.url)
        #expect(missing.status != 0 && missing.output.contains("no-such-file.mp3"), "\(missing.output)")
    }

    @Test func featuresTableReadsFMAsLayoutInAnyColumnOrder() throws {
        let folder = TemporaryFolder("features-table")
        var table = FMAFeaturesTable(keys: ["2", "140"], rows: [(0..<518).map { Float($0) }, (0..<518).map { Float(-$0) }])
        table.rows[1][5] = .nan
        // Reversed columns, as a file with another order would hold them.
        let reversed = FMAFeaturesTable(columns: Array(table.columns.reversed()), keys: table.keys,
                                        rows: table.rows.map { Array($0.reversed()) })
        try reversed.write(to: folder.file("features.csv"))
        let read = try FMAFeaturesTable.read(folder.file("features.csv")) as (columns: [String], rows: [(trackID: Int, values: [Float])])
        #expect(read.columns.count == 518 && read.columns[0] == "chroma_cens/kurtosis/01")
        #expect(read.rows.map(\.trackID) == [2, 140])
        #expect(read.rows[0].values == table.rows[0])
        #expect(read.rows[1].values[5].isNaN && read.rows[1].values[6] == -6)
        try "feature,a\nnumber,01\n".write(to: folder.file("bad.csv"), atomically: true, encoding: .utf8)
        #expect(throws: FeaturesTableError.self) { _ = try FMAFeaturesTable.load(folder.file("bad.csv")) }
    }

    @Test func step03WritesTheFeatureRecords() throws {
        let folder = try PreparedWorkspace.copy("features-records")
        let workspace = try PreparedWorkspace.workspace(in: folder)
        let records = try RecordsManifest.load(from: workspace)
        let files = try #require(records.sets["features"])
        #expect(files.map(\.records) == records.shardTracks.map(\.count))
        let shard = RecordsManifest.folder(of: .features, in: workspace).appendingPathComponent(files[0].name)
        let example = try #require(try TFRecordReader(path: shard.path).nextExample())
        let values = try #require(example[RecordKey.features]?.floatValues)
        #expect(values.count == 518 && values.allSatisfy { $0.isFinite })
        #expect(example[RecordKey.oneHot]?.floatValues?.count == records.classes.count)
        // The record holds the extractor's numbers for the clip's WAV.
        let id = Int(try #require(example[RecordKey.trackID]?.int64Values?.first))
        let wav = try SoundFile.read(contentsOf: WavManifest.wavURL(in: workspace.folder(.wav), trackID: id))
        let expected = FMAFeatureExtractor(sampleRate: wav.sampleRate).compute(wav.channels[0])
        #expect(zip(values, expected).allSatisfy { abs($0 - $1) <= 1e-6 * max(abs($1), 1e-30) })
    }
}
