import AudioIO
@testable import GenreKit
import _TestSupport
import Foundation
import Testing

/// Each kind of damaged input gets the right manifest status, and none stops the run.
@Suite struct WavConverterTests {
    let folder = TemporaryFolder("converter")

    /// A 3 s stereo 44.1 kHz MP3 of a tone.
    func mp3Bytes() throws -> [UInt8] {
        try TestSignal.mp3Tone(frequency: 440, seconds: 3, at: folder.file("source.mp3"))
    }

    func convert(_ bytes: [UInt8], name: String, minSeconds: Double = 1) throws -> (ManifestEntry, URL) {
        let source = folder.file(name)
        try Data(bytes).write(to: source)
        let destination = folder.file("out/\(name).wav")
        let entry = try WavConverter(sampleRate: 22050, minSeconds: minSeconds)
            .convert(trackID: 7, source: source, destination: destination)
        return (entry, destination)
    }

    @Test func goodClipIsOkMonoAtTheTargetRate() throws {
        let (entry, wav) = try convert(try mp3Bytes(), name: "good.mp3")
        #expect(entry.status == .ok && entry.reason.isEmpty)
        #expect(entry.sourceSampleRate == 44100 && entry.sourceChannels == 2)
        #expect(abs(entry.seconds - 3) < 0.05)
        let audio = try AudioDecoder().decode(contentsOf: wav)
        #expect(audio.sampleRate == 22050 && audio.channelCount == 1)
        #expect(abs(TestSignal.dominantFrequency(Array(audio.channels[0][2000..<60000]), sampleRate: 22050) - 440) < 0.5)
    }

    @Test func emptyFileIsBrokenAndWritesNothing() throws {
        let (entry, wav) = try convert([], name: "empty.mp3")
        #expect(entry.status == .broken && entry.reason.contains("empty"))
        #expect(!FileManager.default.fileExists(atPath: wav.path))
    }

    @Test func textRenamedMP3IsBroken() throws {
        let (entry, _) = try convert(Array("<html>404 not found</html>\n".utf8), name: "page.mp3")
        #expect(entry.status == .broken && entry.reason.contains("not audio"))
    }

    @Test func truncatedMidFrameIsOkOrShortByItsLength() throws {
        let bytes = try mp3Bytes()
        let cut = Array(bytes.prefix(bytes.count / 2 + 101))
        let (entry, _) = try convert(cut, name: "cut.mp3")
        #expect(entry.status == .ok && abs(entry.seconds - 1.5) < 0.15)
        let (strict, wav) = try convert(cut, name: "cut-strict.mp3", minSeconds: 2)
        #expect(strict.status == .short && strict.reason.contains("under"))
        #expect(FileManager.default.fileExists(atPath: wav.path))  // kept: nothing decoded is lost
    }

    @Test func garbageAppendedIsOk() throws {
        var random = SeededGenerator(seed: 9)
        let junk = (0..<4096).map { _ in UInt8(random.next() & 0xFF) }
        let (entry, _) = try convert(try mp3Bytes() + junk, name: "junk.mp3")
        #expect(entry.status == .ok && abs(entry.seconds - 3) < 0.1)
    }

    @Test func noTemporaryFilesAreLeftBehind() throws {
        _ = try convert(try mp3Bytes(), name: "tidy.mp3")
        _ = try convert([], name: "tidy-empty.mp3")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.file("out").path)
        #expect(names.allSatisfy { !$0.hasSuffix(".tmp") }, "\(names)")
    }
}
