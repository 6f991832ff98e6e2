import ArgumentParser
import Foundation
import GenreKit
import Spectral

/// FMA's 518 features (`FMAFeatureExtractor`) on demo music clips, against librosa
/// (bench/peers/features_librosa.py) on the same clips and cores.
///
///     genre-bench features make-clips --out bench/out/feature-clips.f32
///     genre-bench features run bench/out/feature-clips.f32 --dump bench/out/features-ours.f32
struct FeaturesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features", abstract: "Time the FMA 518-feature set.",
        subcommands: [MakeFeatureClips.self, TimeFeatures.self])
}

/// One demo clip per genre (30 s, 44.1 kHz, mono), as raw little-endian float32.
struct MakeFeatureClips: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-clips", abstract: "Write demo music clips as raw float32 for the feature benchmark.")
    @Option var out: String
    @Option var clips = 8
    @Option var seconds = 30
    @Option var sampleRate = 44100

    func run() throws {
        let length = seconds * sampleRate
        var samples = [Float](repeating: 0, count: clips * length)
        let genres = DemoGenre.all
        let rendered = FeatureSlots(count: clips)
        let rate = sampleRate
        DispatchQueue.concurrentPerform(iterations: clips) { clip in
            let audio = DemoSynthesizer.render(genre: genres[clip % genres.count], seed: UInt64(100 + clip),
                                               sampleRate: rate, channelCount: 1, frameCount: length)
            rendered.set(clip, audio.channels[0])
        }
        for clip in 0..<clips { samples.replaceSubrange((clip * length)..<((clip + 1) * length), with: rendered.get(clip)) }
        try writeClipFile(samples, clips: clips, sampleRate: sampleRate, to: out)
    }
}

/// The clips split between `workers` threads (one extractor shared, FFT plans per call).
/// Prints the time of one pass over the clips, the per-stage time of one clip on one core, and
/// with `--dump` writes every clip's 518 values (clips x 518 float32) for the peer to compare.
///
/// The pass time is the best of `repeats` windows. A window is one pass, or with
/// `--window-seconds S` as many passes back to back as fill S seconds, timed together: the
/// bench sets S to the length of one librosa pass, so that each of our measurements spans as
/// much of the host's time as each of librosa's (a 0.2 s pass would otherwise sample the
/// host's fast and slow spells in a way a 5 s one cannot).
struct TimeFeatures: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Time the 518 features of the clips in a raw float32 file.")
    @Argument(help: "The file make-clips wrote.") var file: String
    @Option var clips = 8
    @Option var sampleRate = 44100
    @Option var workers = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Windows timed; the best counts.") var repeats = 3
    @Option(help: "Seconds each window lasts at least (0: one pass).") var windowSeconds = 0.0
    @Option(help: "Write the features, clips x 518 float32.") var dump: String?

    func run() throws {
        let signals = try readClipFile(file, clips: clips)
        let length = signals[0].count
        let extractor = FMAFeatureExtractor(sampleRate: sampleRate, variant: .fma)
        let results = FeatureSlots(count: clips)
        let workers = max(1, min(self.workers, clips))
        let windows = (0..<max(repeats, 1)).map { _ in
            timeWindow(atLeast: windowSeconds) {
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for clip in stride(from: worker, to: clips, by: workers) {
                        results.set(clip, extractor.compute(signals[clip]))
                    }
                }
            }
        }
        if let dump {
            let values = (0..<clips).flatMap { results.get($0) }
            try values.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: dump), options: .atomic)
        }
        // Where one clip's time goes, on one core (the best of `repeats` per stage).
        var stages: [String: Double] = [:]
        for _ in 0..<repeats {
            let timed = extractor.summarize(extractor.frames(signals[0])).seconds
            for (stage, s) in timed { stages[stage] = min(stages[stage] ?? .infinity, s) }
        }
        var fields: [String: Any] = ["clips": clips, "seconds": windows.map(\.seconds).min()!,
                                     "window_seconds": windows.map(\.seconds), "passes": windows.map(\.passes),
                                     "workers": workers,
                                     "audio_seconds": Double(clips * length) / Double(sampleRate)]
        for (stage, s) in stages { fields["stage_\(stage)"] = s }
        fields["seconds_one_clip_one_core"] = stages.values.reduce(0, +)
        printJSON(fields)
    }
}

/// One slot per clip, filled from several threads.
final class FeatureSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [[Float]]
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ index: Int, _ values: [Float]) { lock.lock(); slots[index] = values; lock.unlock() }
    func get(_ index: Int) -> [Float] { lock.lock(); defer { lock.unlock() }; return slots[index] }
}
