import ArgumentParser
import Foundation
import Neural
import TensorBundle

/// musicnn forward passes (step 07's musicnn base, `genre-tags`): patches per second on both
/// cores, from log-mel patches to embeddings and tags, with the real MSD checkpoint.
///
/// The input is a deterministic log-mel map (values in musicnn's range, 0 to 4.8) of
/// `patches` consecutive patches; `--dump` writes it (float32, frames × 96) and our taggram
/// (patches × 50) so the TensorFlow peer runs the same input and reports the difference.
struct MusicnnBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "musicnn", abstract: "Time musicnn forward passes on log-mel patches.")

    @Option(help: "The musicnn checkpoint prefix.") var checkpoint = "models/musicnn/MSD_musicnn/"
    @Option(help: "Patches of 187 frames per timing.") var patches = 32
    @Option(help: "Timings; the best is reported.") var repeats = 3
    @Option(help: "Write the input (.f32) and our taggram (.tags.f32) beside this path.") var dump: String?

    func run() throws {
        let model = try MusicnnModel(checkpoint: TensorBundleReader(prefix: checkpoint))
        let frames = patches * MusicnnModel.patchFrames
        // A smooth pattern plus a hashed texture, in [0, 4.8): like a real log-mel, not constant.
        let logMel = (0..<(frames * MusicnnModel.melBandCount)).map { index -> Float in
            let frame = index / MusicnnModel.melBandCount, band = index % MusicnnModel.melBandCount
            let smooth = 2.4 + 1.6 * sin(Float(frame) * 0.05 + Float(band) * 0.13) * cos(Float(band) * 0.07)
            let texture = Float((index &* 2_654_435_761) % 1000) / 1000 - 0.5
            return min(max(smooth + 0.8 * texture, 0), 4.8)
        }
        var output = model.analyze(logMel: logMel, frameCount: frames)  // warm-up
        let seconds = bestTime(repeats: repeats) {
            output = model.analyze(logMel: logMel, frameCount: frames)
        }
        if let dump {
            try logMel.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: dump + ".f32")) }
            try output.tags.flatMap { $0 }.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: dump + ".tags.f32")) }
        }
        printJSON(["patches": output.patchCount, "seconds": seconds,
                   "patches_per_second": Double(output.patchCount) / seconds,
                   "cores": ProcessInfo.processInfo.activeProcessorCount])
    }
}
