// genre-tags: what musicnn hears in a song, as Million Song Dataset tags.
//
// Decodes each file (MP3, WAV, FLAC, Ogg, ...), mixes it to mono, resamples it to 16 kHz with
// libsoxr, computes musicnn's log-mel input (512-point STFT every 256 samples, 96 Slaney
// bands, log10(10000 x + 1) in float16 as musicnn does, saturating where musicnn would
// overflow) and runs the MSD_musicnn network over consecutive 3-second patches; prints the
// tags averaged over the patches, most probable first, as musicnn's `top_tags` does.
//   reads   FILE..., and the checkpoint `make setup` unpacked into models/musicnn/MSD_musicnn/
//   run     swift run -c release genre-tags song.mp3 [--top 5] [--patches]

import ArgumentParser
import AudioIO
import Foundation
import Neural
import TensorBundle

@main
struct GenreTags: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genre-tags",
        abstract: "Prints the Million Song Dataset tags musicnn gives each audio file.")

    @Argument(help: "Audio files (MP3, WAV, FLAC, Ogg, AIFF, AU).")
    var files: [String]

    @Option(help: "How many tags to print per file.")
    var top = 5

    @Option(help: "The musicnn checkpoint prefix (make setup unpacks it there).")
    var checkpoint = "models/musicnn/MSD_musicnn/"

    @Flag(help: "Also print each 3-second patch's most probable tag.")
    var patches = false

    func validate() throws {
        guard top >= 1 && top <= MusicnnModel.tagNames.count else {
            throw ValidationError("--top must be between 1 and \(MusicnnModel.tagNames.count).")
        }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: checkpoint + ".index")
                || FileManager.default.fileExists(atPath: checkpoint + "/.index") else {
            throw ValidationError("No musicnn checkpoint at \(checkpoint): run `make setup` (it fetches musicnn 0.1.0's MSD weights).")
        }
        let model = try MusicnnModel(checkpoint: TensorBundleReader(prefix: checkpoint))
        let decoder = try AudioDecoder()
        for file in files {
            let audio = try decoder.decode(contentsOf: URL(fileURLWithPath: file)).mixedToMono()
            let samples = try Resampler.resample(audio, to: MusicnnModel.sampleRate).channels[0]
            let output = model.analyze(samples)
            print("\(file)  (\(String(format: "%.1f", audio.duration)) s, \(output.patchCount) patches of 3 s)")
            guard output.patchCount > 0 else {
                print("  too short: musicnn needs at least 3 seconds of audio")
                continue
            }
            for (tag, probability) in output.topTags(top) {
                print("  \(tag.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(format: "%.3f", probability))")
            }
            if patches {
                for (index, row) in output.tags.enumerated() {
                    let best = row.indices.max { row[$0] < row[$1] }!
                    let start = Double(index * MusicnnModel.patchFrames * 256) / Double(MusicnnModel.sampleRate)
                    print("  \(String(format: "%6.1f", start)) s  \(MusicnnModel.tagNames[best]) \(String(format: "%.3f", row[best]))")
                }
            }
        }
    }
}
