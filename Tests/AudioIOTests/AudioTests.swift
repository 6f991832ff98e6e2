@testable import AudioIO
import _TestSupport
import Foundation
import Testing

@Suite struct AudioTests {
    @Test func monoMixDownIsTheMeanOfTheChannels() {
        let stereo = Audio(channels: [[1, 3, -1], [3, 5, 1]], sampleRate: 8000)
        #expect(stereo.mixedToMono().channels == [[2, 4, 0]])
        let three = Audio(channels: [[3], [6], [9]], sampleRate: 8000)
        #expect(three.mixedToMono().channels == [[6]])
    }

    @Test func interleavingRoundTrips() {
        let audio = Audio(channels: [[1, 2, 3], [4, 5, 6]], sampleRate: 22050)
        #expect(audio.interleaved() == [1, 4, 2, 5, 3, 6])
        #expect(Audio(interleaved: audio.interleaved(), channelCount: 2, sampleRate: 22050) == audio)
    }

    @Test(arguments: [
        ([0x49, 0x44, 0x33, 0x04], AudioContainer.mp3),  // "ID3"
        ([0xFF, 0xFB, 0x90, 0x64], .mp3),                // MPEG-1 layer III frame sync
        (Array("RIFF....WAVE".utf8), .wav),
        (Array("fLaC".utf8), .flac),
        (Array("OggS".utf8), .ogg),
        (Array("FORM....AIFF".utf8), .aiff),
        (Array(".snd".utf8), .au),
        (Array("hello, world".utf8), .unknown),
        ([], .unknown),
    ] as [([UInt8], AudioContainer)])
    func containerIsToldByContent(bytes: [UInt8], expected: AudioContainer) {
        #expect(AudioContainer(sniffing: bytes) == expected)
    }

    @Test func id3TagHasSyncsafeSizes() {
        let tag = ID3Tag(frames: [("TIT2", String(repeating: "a", count: 200))]).bytes
        #expect(Array(tag.prefix(3)) == Array("ID3".utf8))
        // Body = 10-byte frame header + 1 encoding byte + 200 = 211 = 1*128 + 83.
        #expect(Array(tag[6..<10]) == [0, 0, 1, 83])
        #expect(tag.count == 10 + 211)
        // The frame's own size is syncsafe too (ID3v2.4): 201 = 1*128 + 73.
        #expect(Array(tag[14..<18]) == [0, 0, 1, 73])
    }
}
