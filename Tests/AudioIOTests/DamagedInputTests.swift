@testable import AudioIO
import _TestSupport
import Foundation
import Testing

/// What FMA's files do to decoders: empty files, text, cut frames, junk before and after.
@Suite struct DamagedInputTests {
    let folder = TemporaryFolder("damaged")

    /// A 3 s stereo MP3 of a 660 Hz tone.
    func mp3() throws -> [UInt8] {
        try TestSignal.mp3Tone(frequency: 660, seconds: 3, at: folder.file("clean.mp3"))
    }

    @Test func emptyFileIsReportedAsEmpty() throws {
        #expect(throws: AudioIOError.empty(path: "x.mp3")) { try AudioDecoder().decode([], path: "x.mp3") }
    }

    @Test func textRenamedMP3IsUnrecognized() throws {
        let text = Array(String(repeating: "This is not audio, just a README.\n", count: 50).utf8)
        #expect { try AudioDecoder().decode(text, path: "readme.mp3") } throws: { error in
            guard case AudioIOError.unrecognized(let path, _) = error else { return false }
            return path == "readme.mp3"
        }
    }

    @Test func tagWithoutFramesHasNoAudio() throws {
        let tag = ID3Tag(frames: [("TIT2", "cut past the end")]).bytes
        #expect(throws: AudioIOError.self) { try AudioDecoder().decode(tag, path: "099134.mp3") }
    }

    @Test func truncatedMidFrameKeepsTheWholeFrames() throws {
        let bytes = try mp3()
        let cut = Array(bytes.prefix(bytes.count * 6 / 10 + 37))  // not on a frame boundary
        let audio = try AudioDecoder().decode(cut, path: "cut.mp3")
        #expect(abs(audio.duration - 1.8) < 0.15, "decoded \(audio.duration) s of about 1.8")
    }

    @Test func junkAppendedIsIgnored() throws {
        let bytes = try mp3()
        var random = SystemRandomNumberGenerator()
        let junk = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let audio = try AudioDecoder().decode(bytes + junk, path: "junk-after.mp3")
        #expect(abs(audio.duration - 3) < 0.1, "decoded \(audio.duration) s of 3")
    }

    @Test func junkBeforeTheFirstFrameIsSkipped() throws {
        let bytes = try mp3()
        let junk = (0..<3000).map { UInt8(($0 * 7) % 200) }  // no 0xFF, so no false frame sync
        let audio = try AudioDecoder().decode(junk + bytes, path: "junk-before.mp3")
        #expect(abs(audio.duration - 3) < 0.1, "decoded \(audio.duration) s of 3")
        let frequency = TestSignal.dominantFrequency(Array(audio.mixedToMono().channels[0][5000..<100_000]), sampleRate: 44100)
        #expect(abs(frequency - 660) < 1)
    }

    @Test func wavNamedMP3DecodesAsWAV() throws {
        let url = folder.file("really-a-wav.mp3")
        try SoundFile.writeWAV(Audio(mono: TestSignal.sine(frequency: 440, sampleRate: 8000, seconds: 1), sampleRate: 8000), to: url)
        let audio = try AudioDecoder().decode(contentsOf: url)
        #expect(audio.sampleRate == 8000 && audio.frameCount == 8000)
    }

    @Test func missingFileIsUnreadable() throws {
        #expect { try AudioDecoder().decode(contentsOf: folder.file("nope.mp3")) } throws: { error in
            guard case AudioIOError.unreadable(let path, _) = error else { return false }
            return path.hasSuffix("nope.mp3")
        }
    }
}
