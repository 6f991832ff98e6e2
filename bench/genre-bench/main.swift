// genre-bench: the timings behind `make bench`, each beside a peer measured in the same run.
//
// Each subcommand times one task of the pipeline and prints one JSON line; bench/run.sh runs
// them with the Python and command-line peers and prints the comparison table.
//   run  swift run -c release genre-bench <subcommand> --help

import ArgumentParser
import AudioIO
import Foundation
import GenreKit
import Spectral
import TFRecord

struct GenreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genre-bench",
        abstract: "Time genre-lab's steps for the side-by-side benchmark.",
        subcommands: [
            MakeTracksCSV.self, ParseTracksCSV.self, MakeClips.self, ConvertClips.self, DecodeWithMPG123.self,
            WriteTFRecords.self, ReadTFRecords.self, MakeMelClips.self, MelSpectrograms.self,
            FeaturesBench.self, ClassicalBench.self, RawCNNBench.self, MusicnnBench.self, MobileNetBench.self,
        ])
}

/// Writes clips of equal length back to back as raw float32 (little-endian on every platform
/// we build for), the file the Python peers read with `numpy.fromfile`, and prints its summary.
func writeClipFile(_ samples: [Float], clips: Int, sampleRate: Int, to path: String) throws {
    let data = samples.withUnsafeBytes { Data($0) }
    try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    printJSON(["clips": clips, "samples_per_clip": samples.count / clips, "sample_rate": sampleRate, "bytes": data.count])
}

/// The clips of a file `writeClipFile` wrote, one array each.
func readClipFile(_ path: String, clips: Int) throws -> [[Float]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let total = data.count / MemoryLayout<Float>.size
    guard clips > 0, total % clips == 0 else { throw ValidationError("\(total) samples do not split into \(clips) clips") }
    let length = total / clips
    let all = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    return (0..<clips).map { Array(all[($0 * length)..<(($0 + 1) * length)]) }
}

/// The best (smallest) of `repeats` wall times of `body`, in seconds.
func bestTime(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    try (0..<max(repeats, 1)).map { _ in try timeWindow(atLeast: 0, body).seconds }.min()!
}

/// Runs `pass` back to back until `seconds` have gone by (once at least): the mean time of a
/// pass, and how many ran.
func timeWindow(atLeast seconds: Double, _ pass: () throws -> Void) rethrows -> (seconds: Double, passes: Int) {
    let start = DispatchTime.now().uptimeNanoseconds
    var passes = 0, elapsed = 0.0
    repeat {
        try pass()
        passes += 1
        elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    } while elapsed < seconds
    return (elapsed / Double(passes), passes)
}

func printJSON(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// A `tracks.csv` the size of FMA's real one (106,574 rows, about 260 MB), in its structure.
struct MakeTracksCSV: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a tracks.csv of FMA's full size.")
    @Option var out: String
    @Option(help: "Demo clips per genre; 8881 gives 106,576 rows, FMA's count.") var clipsPerGenre = 8881
    @Option(help: "Biography paragraphs per row at most, half that on average (sets the file size).") var paragraphs = 32

    func run() throws {
        let tracks = DemoDataset(clipsPerGenre: clipsPerGenre, seed: 7, clipSeconds: 30).tracks()
        let text = DemoMetadata(tracks: tracks, seed: 7, biographyParagraphs: paragraphs).tracksCSV()
        try AtomicFile.write(text, to: URL(fileURLWithPath: out))
        printJSON(["rows": tracks.count, "bytes": text.utf8.count])
    }
}

/// Step 01's parse: `FMATracksTable.read` (four columns out of 53), and a full parse that
/// makes a string of every field, as pandas does.
struct ParseTracksCSV: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Time parsing a tracks.csv.")
    @Argument var file: String
    @Option var repeats = 3

    func run() throws {
        let url = URL(fileURLWithPath: file)
        var rows = 0
        let selected = try bestTime(repeats: repeats) { rows = try FMATracksTable.read(url).count }
        var fields = 0
        let everything = try bestTime(repeats: repeats) {
            var all: [[String]] = []
            try CSVReader(url: url).forEachRecord { all.append($0.strings()) }
            fields = all.reduce(0) { $0 + $1.count }
        }
        printJSON(["rows": rows, "seconds_columns_used": selected, "seconds_all_fields": everything, "fields": fields])
    }
}

/// MP3 clips in FMA's mix of formats, for the conversion benchmark.
struct MakeClips: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write demo MP3 clips.")
    @Option var out: String
    @Option var clipsPerGenre = 3

    func run() throws {
        let demo = DemoDataset(clipsPerGenre: clipsPerGenre, seed: 11, clipSeconds: 30)
        let tracks = try demo.write(to: URL(fileURLWithPath: out))
        printJSON(["clips": tracks.filter { $0.clip != nil }.count])
    }
}

/// The good clips of a demo folder (the faulty six are left out of timings).
func goodClips(in folder: String) throws -> [URL] {
    let root = URL(fileURLWithPath: folder).appendingPathComponent("fma_small")
    let faulty = Set(DemoDataset.noAudioIDs + DemoDataset.shortIDs).map { fmaAudioRelativePath(trackID: $0) }
    return (FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? [])
        .filter { $0.hasSuffix(".mp3") && !faulty.contains($0) }.sorted().map { root.appendingPathComponent($0) }
}

/// Step 02's work on one core: decode, mix down, resample, write 16-bit WAV.
struct ConvertClips: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Time step 02's conversion on one core.")
    @Argument var folder: String
    @Option var sampleRate = 44100
    @Option var repeats = 3

    func run() throws {
        let clips = try goodClips(in: folder)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("genre-bench-wav-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        let converter = try WavConverter(sampleRate: sampleRate, minSeconds: 0)
        var audioSeconds = 0.0
        let seconds = try bestTime(repeats: repeats) {
            audioSeconds = 0
            for (n, clip) in clips.enumerated() {
                let entry = converter.convert(trackID: n, source: clip, destination: out.appendingPathComponent("\(n).wav"))
                guard entry.status == .ok else { throw ValidationError("\(clip.path): \(entry.reason)") }
                audioSeconds += entry.seconds
            }
        }
        printJSON(["clips": clips.count, "seconds": seconds, "audio_seconds": audioSeconds])
    }
}

/// The peer: `mpg123 -w` on the same files, one after another (one core).
struct DecodeWithMPG123: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpg123", abstract: "Time the mpg123 command decoding the same clips to WAV.")
    @Argument var folder: String
    @Option var repeats = 3

    func run() throws {
        let clips = try goodClips(in: folder)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("genre-bench-mpg123-\(getpid()).wav")
        defer { try? FileManager.default.removeItem(at: out) }
        let seconds = try bestTime(repeats: repeats) {
            for clip in clips {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["mpg123", "-q", "-w", out.path, clip.path]
                try process.run()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else { throw ValidationError("mpg123 failed on \(clip.path)") }
            }
        }
        printJSON(["clips": clips.count, "seconds": seconds])
    }
}


// MARK: TFRecord shards (step 03's output), against TensorFlow

/// The article's three keys for record `index`: `song` (the samples), `class` and `one_hot_class`.
func articleExample(song: [Float], index: Int, classCount: Int = 8) -> Example {
    let label = index % classCount
    var oneHot = [Float](repeating: 0, count: classCount)
    oneHot[label] = 1
    return Example(features: [
        "song": .float(song),
        "class": .int64([Int64(label)]),
        "one_hot_class": .float(oneHot),
    ])
}

/// Writing shards on both cores: `ShardedWriter.writeConcurrently`, building each Example
/// inside the timing from floats generated beforehand.
struct WriteTFRecords: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tfrecord-write", abstract: "Time writing Examples of random floats into TFRecord shards.")
    @Option(help: "The directory for the shards (replaced).") var out: String
    @Option var records = 8000
    @Option var floats = 10000
    @Option var shards = 16
    @Option var repeats = 3

    func run() throws {
        // Outside the timing: the random samples, one array per record.
        var generator = SeededGenerator(seed: 3)
        let songs = (0..<records).map { _ in
            (0..<floats).map { _ in Float(generator.uniform(-1...1)) }
        }
        try? FileManager.default.removeItem(atPath: out)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        // Records in input order (no shuffle), as the peer writes them.
        let writer = ShardedWriter(directory: out, shardCount: shards, seed: nil)
        var written: [ShardedWriter.WrittenShard] = []
        let seconds = try bestTime(repeats: repeats) {
            written = try writer.writeConcurrently(recordCount: records) { index in
                articleExample(song: songs[index], index: index)
            }
        }
        let bytes = written.reduce(UInt64(0)) { $0 + $1.byteCount }
        printJSON([
            "records": written.reduce(0) { $0 + $1.recordCount }, "files": written.count, "bytes": bytes,
            "seconds": seconds, "crc32c": CRC32C.activeImplementation.description,
        ])
    }
}

/// Reading shards back and decoding every Example on both cores (`forEachConcurrently`),
/// touching every record's values so that nothing is skipped.
struct ReadTFRecords: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tfrecord-read", abstract: "Time reading and decoding every Example of TFRecord shards.")
    @Argument(help: "The directory of the shards.") var directory: String
    @Option var repeats = 3

    func run() throws {
        let reader = try ShardedReader(directory: directory)
        guard !reader.paths.isEmpty else { throw ValidationError("no .tfrec files in \(directory)") }
        let bytes = try reader.paths.reduce(UInt64(0)) { total, path in
            total + ((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value ?? 0)
        }
        var records = 0, values = 0
        var checksum: Double = 0
        let seconds = try bestTime(repeats: repeats) {
            records = 0
            values = 0
            checksum = 0
            let summary = try reader.forEachConcurrently { example, _ in
                guard let song = example["song"]?.floatValues, let label = example["class"]?.int64Values,
                      let oneHot = example["one_hot_class"]?.floatValues
                else { throw ValidationError("a record without the article's keys") }
                values += song.count + label.count + oneHot.count
                checksum += Double(song.first ?? 0) + Double(label[0])
            }
            records = summary.recordsRead
        }
        printJSON([
            "records": records, "files": reader.paths.count, "bytes": bytes, "values": values,
            "checksum": checksum, "seconds": seconds,
        ])
    }
}

// MARK: mel spectrograms (step 03's mel2d), against librosa

/// Test clips for the mel benchmark, as one raw file both sides read: `clips` rows of
/// little-endian float32 samples, each three tones that glide with the clip number plus noise.
struct MakeMelClips: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-mel-clips", abstract: "Write noise-plus-tone clips as raw float32 for the mel benchmark.")
    @Option var out: String
    @Option var clips = 16
    @Option var seconds = 30
    @Option var sampleRate = 44100

    func run() throws {
        let length = seconds * sampleRate
        var samples = [Float](repeating: 0, count: clips * length)
        for clip in 0..<clips {
            var generator = SeededGenerator(seed: 5, stream: UInt64(clip))
            let tones = [110.0, 440.0, 1760.0].map { $0 * (1 + Double(clip) / 16) }
            for n in 0..<length {
                let t = Double(n) / Double(sampleRate)
                var value = 0.1 * generator.uniform(-1...1)
                for (k, hz) in tones.enumerated() { value += 0.25 / Double(k + 1) * sin(2 * .pi * hz * t) }
                samples[clip * length + n] = Float(value)
            }
        }
        try writeClipFile(samples, clips: clips, sampleRate: sampleRate, to: out)
    }
}

/// librosa's defaults on both cores: 2048-point FFT, hop 512, 128 Slaney bands, power 2,
/// then power to decibels; clips split between the cores, one FFT plan per worker.
struct MelSpectrograms: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mel", abstract: "Time mel spectrograms in decibels of the clips in a raw float32 file.")
    @Argument(help: "The file make-mel-clips wrote.") var file: String
    @Option var clips = 16
    @Option var sampleRate = 44100
    @Option var workers = ProcessInfo.processInfo.activeProcessorCount
    @Option var repeats = 3
    @Option(help: "Write clip 0's decibels, bands x frames as librosa lays them out, as raw float32.")
    var dumpFirst: String?
    @Flag(help: "Also time the STFT, the mel projection and the decibels apart, on one core.")
    var breakdown = false

    func run() throws {
        let signals = try readClipFile(file, clips: clips)
        let length = signals[0].count
        let mel = MelSpectrogram(sampleRate: sampleRate)
        let results = MelResults(count: clips)
        let workers = max(1, min(self.workers, clips))
        let seconds = bestTime(repeats: repeats) {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                // One output buffer per worker, reused clip after clip, as a batch job would:
                // two threads allocating fresh pages per clip serialise on the kernel's
                // memory map.
                var db = FrameMatrix(frameCount: 0, columns: 0)
                for clip in stride(from: worker, to: clips, by: workers) {
                    mel.compute(signals[clip], into: &db)
                    Decibels.convert(&db.values)
                    // Keep clip 0 for the comparison with librosa, a checksum of the others.
                    if clip == 0 { results.store(db, at: 0) } else { results.add(db.values[db.values.count / 2], at: clip) }
                }
            }
        }
        let first = results.matrices[0]!
        if let dumpFirst {
            let data = first.transposed().withUnsafeBytes { Data($0) }
            try data.write(to: URL(fileURLWithPath: dumpFirst), options: .atomic)
        }
        var fields: [String: Any] = [
            "clips": clips, "seconds": seconds, "workers": workers, "frames": first.frameCount, "bands": first.columns,
            "checksum": Double(results.checksum),
            "audio_seconds": Double(clips * length) / Double(sampleRate),
        ]
        if breakdown {
            var spectrogram = FrameMatrix(frameCount: 0, columns: 0)
            var power = spectrogram
            fields["seconds_stft_per_clip"] = bestTime(repeats: repeats) {
                spectrogram = mel.stft.spectrogram(signals[0], exponent: 2)
            }
            // FFTW alone, on as many frames (two per transform): the floor under the STFT.
            let pair = FramePairFFT(size: mel.stft.fftSize)
            fields["seconds_fft_execute_per_clip"] = bestTime(repeats: repeats) {
                for _ in 0..<((spectrogram.frameCount + 1) / 2) { pair.transform(pair.first, pair.second) }
            }
            fields["seconds_mel_projection_per_clip"] = bestTime(repeats: repeats) {
                power = mel.filterBank.apply(spectrogram)
            }
            fields["seconds_decibels_per_clip"] = bestTime(repeats: repeats) {
                _ = Decibels.fromPower(power.values)
            }
        }
        printJSON(fields)
    }
}

/// One result slot per clip, filled from several threads.
final class MelResults: @unchecked Sendable {
    // `matrices` is written only under `lock`, each slot by one worker.
    private let lock = NSLock()
    private(set) var matrices: [FrameMatrix?]

    init(count: Int) {
        matrices = Array(repeating: nil, count: count)
        probes = Array(repeating: 0, count: count)
    }

    private var probes: [Float]
    /// The probes summed in clip order, the same however the workers interleaved.
    var checksum: Float { lock.withLock { probes.reduce(0, +) } }

    func store(_ matrix: FrameMatrix, at index: Int) {
        lock.withLock { matrices[index] = matrix }
    }

    /// Adds one value of clip `index` to a checksum, so that no clip's work is optimised away.
    func add(_ value: Float, at index: Int) {
        lock.withLock { probes[index] = value }
    }
}

GenreBench.main()
