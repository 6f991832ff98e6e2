// genre-features: FMA's 518 audio features of any audio file, as CSV.
//
// Prints the features FMA published in fma_metadata/features.csv (11 librosa features x 7
// statistics), computed by our Spectral module, in the same format: three header rows
// (feature, statistics, number), a track_id row, then one row per file. The first cell is the
// track id when the file is named like FMA's (000002.mp3 -> 2), else the path, so the output
// of a run over fma_small/ can stand in for FMA's file.
//   run   swift run -c release genre-features data/demo/fma_small/000/000002.mp3 ... > features.csv
//         [--variant fma|corrected] [--sample-rate HZ] [--jobs N] [--output FILE]

import ArgumentParser
import AudioIO
import Foundation
import GenreKit
import Spectral

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

struct GenreFeatures: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genre-features",
        abstract: "Print FMA's 518 audio features (features.csv's columns) of audio files as CSV.",
        discussion: """
            Files are decoded by content (MP3, WAV, FLAC, Ogg, AIFF, AU), mixed to mono and, like \
            FMA, analysed at their own sample rate unless --sample-rate is given. The default \
            variant 'fma' keeps librosa 0.5's semantics as FMA ran it (the spectral features \
            read the bins as if the audio were at 22050 Hz); 'corrected' uses the true rate.
            """)

    @Argument(help: "Audio files.")
    var files: [String]

    @Option(help: "'fma' (FMA's numbers) or 'corrected' (true sample rate everywhere).")
    var variant: String = "fma"

    @Option(name: .customLong("sample-rate"), help: "Resample every file to this rate first (Hz); default: each file's own.")
    var sampleRate: Int?

    @Option(help: "Files analysed at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Write the CSV to this file instead of standard output.")
    var output: String?

    func validate() throws {
        guard FMAFeatureExtractor.Variant(rawValue: variant) != nil else {
            throw ValidationError("--variant must be 'fma' or 'corrected', not '\(variant)'.")
        }
        if let sampleRate, sampleRate < 9000 { throw ValidationError("--sample-rate must be at least 9000 Hz (the CQT reaches 3951 Hz).") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
    }

    func run() throws {
        let variant = FMAFeatureExtractor.Variant(rawValue: variant)!
        let results = Results(count: files.count)
        let next = Counter()
        let targetRate = sampleRate
        let paths = files
        DispatchQueue.concurrentPerform(iterations: min(jobs, files.count)) { _ in
            var decoder: AudioDecoder?
            while let index = next.take(below: paths.count) {
                do {
                    if decoder == nil { decoder = try AudioDecoder() }
                    var audio = try decoder!.decode(contentsOf: URL(fileURLWithPath: paths[index])).mixedToMono()
                    if let targetRate { audio = try Resampler.resample(audio, to: targetRate) }
                    guard audio.sampleRate >= 9000 else {
                        throw ValidationError("\(paths[index]): \(audio.sampleRate) Hz is below the 9000 Hz the CQT needs; use --sample-rate.")
                    }
                    let extractor = FMAFeatureExtractor(sampleRate: audio.sampleRate, variant: variant)
                    results.set(index, .success(extractor.compute(audio.channels[0])))
                } catch {
                    results.set(index, .failure(error))
                }
            }
        }
        var table = FMAFeaturesTable()
        var failed = 0
        for (index, path) in files.enumerated() {
            switch results.get(index) {
            case .success(let values):
                table.keys.append(Self.key(for: path))
                table.rows.append(values)
            case .failure(let error):
                failed += 1
                FileHandle.standardError.write(Data("genre-features: \(path): \(error)\n".utf8))
            case nil:
                break
            }
        }
        if let output {
            try table.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(Data(table.csv.utf8))
        }
        if failed > 0 { throw ExitCode(1) }
    }

    /// FMA's track id for a file named like its clips (`000002.mp3` -> `2`), else the path.
    static func key(for path: String) -> String {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        if !stem.isEmpty, stem.allSatisfy(\.isASCIIDigit), let id = Int(stem) { return String(id) }
        return path
    }
}

/// The next file to analyse, shared by the worker threads.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// Each file's features or error, filled by the worker threads.
final class Results: @unchecked Sendable {
    private var slots: [Result<[Float], Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ result: Result<[Float], Error>) {
        lock.lock(); slots[index] = result; lock.unlock()
    }
    func get(_ index: Int) -> Result<[Float], Error>? {
        lock.lock(); defer { lock.unlock() }
        return slots[index]
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

lineBufferStandardOutput()
GenreFeatures.main()
