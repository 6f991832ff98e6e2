import AudioIO
import GenreKit
import Plot
import TFRecord
import _TestSupport
import Foundation
import Testing

/// Runs steps 00 to 02 on a tiny demo (`config/ci.toml`) in a scratch folder, exactly as a
/// user runs them, and checks what each leaves behind.
@Suite(.serialized) struct PipelineTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let ciConfig = packageRoot.appendingPathComponent("config/ci.toml").path

    /// The folder holding the built executables: beside the test bundle.
    static let binaries: URL = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: folder.appendingPathComponent("step00-data").path) {
            folder.deleteLastPathComponent()
        }
        return folder
    }()

    struct Run { var status: Int32; var output: String }

    /// Runs `step` in `directory` and returns its exit status and combined output.
    static func run(_ step: String, _ arguments: [String] = [], in directory: URL,
                    environment: [String: String] = [:]) throws -> Run {
        var env = ProcessInfo.processInfo.environment
        env["FMA_DIR"] = nil
        env.merge(environment) { $1 }
        return try launch(binaries.appendingPathComponent(step), ["--config", ciConfig] + arguments, in: directory,
                          environment: env)
    }

    /// Runs `executable` in `directory` with `environment` (this process's when nil) and
    /// returns its exit status and combined output.
    static func launch(_ executable: URL, _ arguments: [String], in directory: URL,
                       environment: [String: String]? = nil) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    @Test func stepsZeroToFourOnTheDemo() throws {
        let scratch = TemporaryFolder("pipeline")
        let dir = scratch.url
        let config = try ConfigLoader.load(file: Self.ciConfig)
        let clips = config.data.demoClipsPerGenre * 8

        // Step 00: the demo in FMA's layout, and the record of the choice.
        let step00 = try Self.run("step00-data", in: dir)
        #expect(step00.status == 0, "\(step00.output)")
        let demo = dir.appendingPathComponent("data/ci/demo")
        let tracksCSV = try String(contentsOf: demo.appendingPathComponent("fma_metadata/tracks.csv"), encoding: .utf8)
        #expect(tracksCSV.hasPrefix(",album,album,"))
        let mp3s = FileManager.default.enumerator(atPath: demo.appendingPathComponent("fma_small").path)!
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".mp3") }
        #expect(mp3s.count == clips)
        #expect(mp3s.contains("099/099134.mp3") && mp3s.contains("133/133297.mp3"))
        let source = try JSONDecoder().decode(DataSource.self, from: Data(contentsOf:
            dir.appendingPathComponent("artifacts/ci/00-data/source.json")))
        #expect(source.kind == .demo)

        // Step 01: every small clip, eight classes in LabelEncoder order.
        let step01 = try Self.run("step01-metadata", in: dir)
        #expect(step01.status == 0, "\(step01.output)")
        let workspace = Workspace(config: config, root: dir)
        let (tracks, classes) = try TrackList.read(in: workspace)
        #expect(tracks.count == clips)
        #expect(classes == ["Electronic", "Experimental", "Folk", "Hip-Hop", "Instrumental", "International", "Pop", "Rock"])
        #expect(tracks.allSatisfy { classes[$0.label] == $0.genre })

        // Step 02: WAVs for the good clips; the six faulty ones recorded, not fatal.
        let step02 = try Self.run("step02-wav", in: dir)
        #expect(step02.status == 0, "\(step02.output)")
        let manifest = try WavManifest.readAll(in: workspace.folder(.wav))
        #expect(manifest.count == clips)
        let broken = manifest.values.filter { $0.status == .broken }.map(\.trackID).sorted()
        let short = manifest.values.filter { $0.status == .short }.map(\.trackID).sorted()
        #expect(broken == DemoDataset.noAudioIDs.sorted())
        #expect(short == DemoDataset.shortIDs.sorted())
        #expect(manifest.values.filter { $0.status == .broken }.allSatisfy { !$0.reason.isEmpty })
        #expect(Set(manifest.values.map(\.sourceSampleRate)).isSuperset(of: [22050, 44100, 48000]))
        #expect(Set(manifest.values.map(\.sourceChannels)).isSuperset(of: [1, 2]))
        for entry in manifest.values where entry.status == .ok {
            let wav = try AudioDecoder().decode(contentsOf: WavManifest.wavURL(in: workspace.folder(.wav), trackID: entry.trackID))
            #expect(wav.sampleRate == config.audio.sampleRate && wav.channelCount == 1)
            #expect(abs(wav.duration - config.data.demoClipSeconds) < 0.2, "track \(entry.trackID): \(wav.duration) s")
        }

        // A second run finds everything done.
        let again = try Self.run("step02-wav", in: dir)
        #expect(again.output.contains("\(clips) already done, 0 to convert"), "\(again.output)")

        // Step 03: three record sets sharing one shard plan, and one picture per genre.
        let step03 = try Self.run("step03-tfrecords", in: dir)
        #expect(step03.status == 0, "\(step03.output)")
        let records = try RecordsManifest.load(from: workspace)
        let ok = manifest.values.filter { $0.status == .ok }
        #expect(records.shardTracks.flatMap { $0 }.sorted() == ok.map(\.trackID).sorted())
        #expect(records.sets.keys.sorted() == ["features", "mel2d", "mel2d-full", "raw1d"])
        for (set, files) in records.sets {
            #expect(files.count == config.tfrecords.shards)
            #expect(files.map(\.records) == records.shardTracks.map(\.count), "\(set)")
            #expect(files.allSatisfy { $0.name.hasPrefix("songs") && $0.name.hasSuffix("-\($0.records).tfrec") })
        }
        // The raw window is the WAV's first samples, as the article's `song`.
        let firstFile = workspace.folder(.tfrecords).appendingPathComponent("raw1d/\(records.sets["raw1d"]![0].name)")
        let example = try #require(try TFRecordReader(path: firstFile.path).nextExample())
        let id = Int(try #require(example[RecordKey.trackID]?.int64Values?.first))
        #expect(id == records.shardTracks[0][0])
        let wav = try SoundFile.read(contentsOf: WavManifest.wavURL(in: workspace.folder(.wav), trackID: id))
        #expect(example[RecordKey.song]?.floatValues == Array(wav.channels[0].prefix(config.tfrecords.windowSize)))
        #expect(example[RecordKey.oneHot]?.floatValues?.count == classes.count)
        let pictures = workspace.folder(.tfrecords).appendingPathComponent("spectrograms")
        for genre in classes {
            let figure = try Figure(contentsOf: pictures.appendingPathComponent("\(genre).png"))
            #expect(figure.width > 300 && figure.height > 200)
        }

        // Step 04: the article's split by shard file, and FMA's official one; no overlap.
        let step04 = try Self.run("step04-splits", in: dir)
        #expect(step04.status == 0, "\(step04.output)")
        let splits = try DataSplits.load(from: workspace)
        #expect(splits.strategy == "shards" && splits.overlaps.isEmpty)
        #expect(DataSplits.Name.allCases.map { splits[$0].shards.count } == [2, 1, 1])
        let official = try Self.run("step04-splits", ["--split", "fma"], in: dir)
        #expect(official.status == 0, "\(official.output)")
        let fma = try DataSplits.load(from: workspace)
        #expect(fma.strategy == "fma" && fma.overlaps.isEmpty)
        #expect(DataSplits.Name.allCases.allSatisfy { fma[$0].records > 0 })
        let splitOf = Dictionary(uniqueKeysWithValues: tracks.map { ($0.id, $0.split) })
        #expect(fma[.test].trackIDs.allSatisfy { splitOf[$0] == "test" })

        // A second step 03 finds every shard written.
        let again03 = try Self.run("step03-tfrecords", in: dir)
        #expect(again03.output.components(separatedBy: "already written").count == 5, "\(again03.output)")

        // A flipped byte in a shard stops step 04 with the file and record; --skip-corrupt
        // skips the record and counts it.
        let damaged = workspace.folder(.tfrecords).appendingPathComponent("raw1d/\(records.sets["raw1d"]![1].name)")
        var bytes = [UInt8](try Data(contentsOf: damaged))
        bytes[bytes.count / 2] ^= 0x55
        try Data(bytes).write(to: damaged)
        let refused = try Self.run("step04-splits", in: dir)
        #expect(refused.status != 0 && refused.output.contains(damaged.lastPathComponent), "\(refused.output)")
        let skipping = try Self.run("step04-splits", ["--skip-corrupt"], in: dir)
        #expect(skipping.status == 0 && skipping.output.contains("(1 damaged, skipped)"), "\(skipping.output)")
    }

    @Test func workersShareTheTracksWithoutOverlap() throws {
        let scratch = TemporaryFolder("workers")
        let dir = scratch.url
        #expect(try Self.run("step00-data", ["--clips-per-genre", "2"], in: dir).status == 0)
        #expect(try Self.run("step01-metadata", in: dir).status == 0)
        for worker in 0..<2 {
            let run = try Self.run("step02-wav", ["--worker", "\(worker)", "--workers", "2"], in: dir)
            #expect(run.status == 0, "\(run.output)")
        }
        let folder = dir.appendingPathComponent("artifacts/ci/02-wav")
        let parts = try (0..<2).map { try WavManifest.read(WavManifest.url(in: folder, worker: $0, workers: 2)).map(\.trackID) }
        #expect(parts[0].count == 8 && parts[1].count == 8)
        #expect(Set(parts[0]).isDisjoint(with: parts[1]))
        #expect(try WavManifest.readAll(in: folder).count == 16)

        // Step 03 shares its shards the same way: worker 0 leaves worker 1's for later.
        let first = try Self.run("step03-tfrecords", ["--worker", "0", "--workers", "2"], in: dir)
        #expect(first.status == 0 && first.output.contains("not written yet"), "\(first.output)")
        let second = try Self.run("step03-tfrecords", ["--worker", "1", "--workers", "2"], in: dir)
        #expect(second.status == 0 && second.output.contains("Every shard of every set is on disk"), "\(second.output)")
    }

    @Test func badConfigurationKeyStopsAStepWithItsName() throws {
        let scratch = TemporaryFolder("badkey")
        let run = try Self.run("step01-metadata", ["--set", "tfrecords.shardz=3"], in: scratch.url)
        #expect(run.status != 0)
        #expect(run.output.contains("tfrecords.shardz"), "\(run.output)")
    }

    @Test func folderCollectionIsAccepted() throws {
        let scratch = TemporaryFolder("folders")
        let music = scratch.url.appendingPathComponent("music")
        for (genre, frequency) in [("blues", 220.0), ("jazz", 330.0)] {
            for n in 0..<2 {
                let url = music.appendingPathComponent("\(genre)/\(genre).0000\(n).wav")
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try SoundFile.writeWAV(Audio(mono: TestSignal.sine(frequency: frequency, sampleRate: 22050, seconds: 5), sampleRate: 22050), to: url)
            }
        }
        let step00 = try Self.run("step00-data", ["--folders", music.path], in: scratch.url)
        #expect(step00.status == 0, "\(step00.output)")
        #expect(try Self.run("step01-metadata", in: scratch.url).status == 0)
        let step02 = try Self.run("step02-wav", in: scratch.url)
        #expect(step02.output.contains("4 ok"), "\(step02.output)")
        let lines = try String(contentsOf: scratch.url.appendingPathComponent("artifacts/ci/01-metadata/classes.txt"), encoding: .utf8)
        #expect(lines == "blues\njazz\n")
    }

    @Test func missingFMADownloadIsExplained() throws {
        let scratch = TemporaryFolder("nofma")
        let run = try Self.run("step00-data", in: scratch.url, environment: ["FMA_DIR": scratch.url.appendingPathComponent("fma").path])
        #expect(run.status != 0)
        #expect(run.output.contains("fma_metadata/tracks.csv") && run.output.contains("7z"), "\(run.output)")
    }
}
