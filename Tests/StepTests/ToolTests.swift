import AudioIO
import Foundation
import Testing
import _TestSupport

/// `genre-ckpt` and `genre-tags` run as a user runs them, on the musicnn checkpoint that
/// `make setup` unpacks (its absence fails, saying to run `make setup`).
@Suite struct ToolTests {
    static let checkpoint = PipelineTests.packageRoot.appendingPathComponent("models/musicnn/MSD_musicnn").path + "/"

    /// Runs a built tool in `directory`; exit status and combined output.
    static func run(_ tool: String, _ arguments: [String], in directory: URL) throws -> PipelineTests.Run {
        try PipelineTests.launch(PipelineTests.binaries.appendingPathComponent(tool), arguments, in: directory)
    }

    private func requireCheckpoint() throws {
        guard FileManager.default.fileExists(atPath: Self.checkpoint + ".index") else {
            throw ToolTestError("the musicnn checkpoint is missing at \(Self.checkpoint): run `make setup`")
        }
    }

    @Test func genreCkptListsAndVerifiesMusicnn() throws {
        try requireCheckpoint()
        let folder = TemporaryFolder("genre-ckpt")
        let list = try Self.run("genre-ckpt", ["list", Self.checkpoint], in: folder.url)
        #expect(list.status == 0, "\(list.output)")
        #expect(list.output.contains("dense/kernel") && list.output.contains("[1506, 200]"))
        #expect(list.output.contains("150 tensors, 9465596 bytes in 1 shard(s)"))
        let verify = try Self.run("genre-ckpt", ["verify", Self.checkpoint], in: folder.url)
        #expect(verify.status == 0 && verify.output.contains("150 tensors, every CRC32C valid"), "\(verify.output)")

        // A copy with one flipped byte in dense_1/kernel (bytes 9345596 ..< 9385596).
        let damaged = folder.file("damaged").path
        try FileManager.default.copyItem(atPath: Self.checkpoint + ".index", toPath: damaged + ".index")
        var data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.checkpoint + ".data-00000-of-00001")))
        data[9_345_596 + 1000] ^= 0x10
        try Data(data).write(to: URL(fileURLWithPath: damaged + ".data-00000-of-00001"))
        let bad = try Self.run("genre-ckpt", ["verify", damaged], in: folder.url)
        #expect(bad.status != 0)
        #expect(bad.output.contains("'dense_1/kernel'") && bad.output.contains("CRC32C"), "\(bad.output)")
    }

    @Test func genreTagsTagsAWaveFile() throws {
        try requireCheckpoint()
        let folder = TemporaryFolder("genre-tags")
        // 7 s of a chord at 44.1 kHz stereo: resampled to 16 kHz, two patches of 3 s.
        let rate = 44_100
        let chord = (0..<(7 * rate)).map { n -> Float in
            let t = Double(n) / Double(rate)
            return Float(0.05 * (sin(2 * .pi * 220 * t) + sin(2 * .pi * 277.18 * t) + sin(2 * .pi * 329.63 * t)))
        }
        let wav = folder.file("chord.wav")
        try SoundFile.writeWAV(Audio(channels: [chord, chord], sampleRate: rate), to: wav)
        let result = try Self.run("genre-tags", [wav.path, "--checkpoint", Self.checkpoint, "--top", "3", "--patches"],
                                  in: folder.url)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("(7.0 s, 2 patches of 3 s)"), "\(result.output)")
        let tagLines = result.output.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.contains(" s  ") }
        #expect(tagLines.count == 3, "\(result.output)")

        let missing = try Self.run("genre-tags", [wav.path, "--checkpoint", folder.file("none/").path + "/"], in: folder.url)
        #expect(missing.status != 0 && missing.output.contains("make setup"), "\(missing.output)")
    }
}

struct ToolTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
