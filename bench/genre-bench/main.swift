// genre-bench: the timings behind `make bench`, each beside a peer measured in the same run.
//
// Each subcommand times one task of the pipeline and prints one JSON line; bench/run.sh runs
// them with the Python and command-line peers and prints the comparison table.
//   run  swift run -c release genre-bench <subcommand> --help

import ArgumentParser
import AudioIO
import Foundation
import GenreKit

struct GenreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genre-bench",
        abstract: "Time genre-lab's steps for the side-by-side benchmark.",
        subcommands: [MakeTracksCSV.self, ParseTracksCSV.self, MakeClips.self, ConvertClips.self, DecodeWithMPG123.self])
}

/// The best (smallest) of `repeats` wall times of `body`, in seconds.
func bestTime(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<max(repeats, 1) {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
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

GenreBench.main()
