@testable import AudioIO
import _TestSupport
import Foundation
import Testing

/// Encoding, decoding and resampling keep what matters: a tone's frequency and level.
@Suite struct CodecTests {
    let folder = TemporaryFolder("audioio")

    @Test(arguments: [(44100, 2, SoundFile.MP3Options.BitrateMode.constant), (22050, 1, .variable), (48000, 2, .variable)])
    func mp3RoundTripKeepsAToneFrequencyAndLevel(sampleRate: Int, channels: Int, mode: SoundFile.MP3Options.BitrateMode) throws {
        let tone = TestSignal.sine(frequency: 997, sampleRate: sampleRate, seconds: 2, amplitude: 0.5)
        let url = folder.file("tone-\(sampleRate).mp3")
        try SoundFile.writeMP3(Audio(channels: Array(repeating: tone, count: channels), sampleRate: sampleRate), to: url,
                               options: .init(bitrateMode: mode, compressionLevel: 0.2))
        let decoded = try AudioDecoder().decode(contentsOf: url)
        #expect(decoded.sampleRate == sampleRate)
        #expect(decoded.channelCount == channels)
        // LAME pads to whole frames (1152 samples) and mpg123 removes the padding it knows of:
        // the length may grow by at most a few frames.
        #expect(abs(decoded.frameCount - tone.count) < 3 * 1152, "decoded \(decoded.frameCount) of \(tone.count)")
        let mono = decoded.mixedToMono().channels[0]
        let frequency = TestSignal.dominantFrequency(Array(mono[2000..<(mono.count - 2000)]), sampleRate: sampleRate)
        #expect(abs(frequency - 997) < 1, "frequency \(frequency)")
        // A pure tone at >= 96 kbit/s codes with well over 25 dB SNR; a wrong scale, lag or
        // channel order falls far below it.
        // A tone repeats every period, so aligning within one period (48 samples at most) is enough.
        let (snr, _) = TestSignal.alignedSNR(reference: tone, test: mono, maxLag: 64)
        #expect(snr > 25, "SNR \(snr) dB")
        let level = 20 * log10(TestSignal.rms(mono[4000..<(mono.count - 4000)]) / TestSignal.rms(tone[4000..<(tone.count - 4000)]))
        #expect(abs(level) < 0.5, "level changed by \(level) dB")
    }

    /// mpg123 announces a format only when it changes, so a reused decoder must still learn
    /// the format of a file that looks like the one before.
    @Test func oneDecoderDecodesManyFilesInARow() throws {
        let decoder = try AudioDecoder()
        for (n, (rate, channels)) in [(44100, 2), (44100, 2), (22050, 1), (22050, 1), (44100, 2)].enumerated() {
            let url = folder.file("row-\(n).mp3")
            let tone = TestSignal.sine(frequency: 500, sampleRate: rate, seconds: 0.5)
            try SoundFile.writeMP3(Audio(channels: Array(repeating: tone, count: channels), sampleRate: rate), to: url)
            let audio = try decoder.decode(contentsOf: url)
            #expect(audio.sampleRate == rate && audio.channelCount == channels, "file \(n)")
        }
    }

    @Test func wavRoundTripIsExactTo16Bits() throws {
        let tone = TestSignal.sine(frequency: 440, sampleRate: 16000, seconds: 0.5)
        let url = folder.file("tone.wav")
        try SoundFile.writeWAV(Audio(mono: tone, sampleRate: 16000), to: url)
        let decoded = try AudioDecoder().decode(contentsOf: url)
        #expect(decoded.frameCount == tone.count)
        let worst = zip(tone, decoded.channels[0]).map { abs($0 - $1) }.max()!
        #expect(worst <= 1.0 / 32767, "worst error \(worst)")
        // The header is what tf.audio.decode_wav reads: RIFF, WAVE, PCM (format 1), 16 bits.
        let bytes = [UInt8](try Data(contentsOf: url))
        #expect(Array(bytes[0..<4]) == Array("RIFF".utf8) && Array(bytes[8..<12]) == Array("WAVE".utf8))
        #expect(bytes[20] == 1 && bytes[34] == 16)
    }

    @Test func wavWritingClipsInsteadOfWrapping() throws {
        let url = folder.file("loud.wav")
        try SoundFile.writeWAV(Audio(mono: [1.5, -1.5, 0.25], sampleRate: 8000), to: url)
        let decoded = try AudioDecoder().decode(contentsOf: url).channels[0]
        #expect(decoded[0] > 0.99 && decoded[1] < -0.99)
        #expect(abs(decoded[2] - 0.25) < 1e-4)
    }

    @Test(arguments: [(44100, 22050), (48000, 44100), (22050, 44100)])
    func resamplingKeepsASineFrequency(from: Int, to: Int) throws {
        let tone = TestSignal.sine(frequency: 1234.5, sampleRate: from, seconds: 1.5)
        let resampled = try Resampler.resample(tone, from: from, to: to)
        #expect(resampled.count == Int((Double(tone.count) * Double(to) / Double(from)).rounded()))
        let body = Array(resampled[500..<(resampled.count - 500)])
        let frequency = TestSignal.dominantFrequency(body, sampleRate: to)
        #expect(abs(frequency - 1234.5) < 0.2, "frequency \(frequency)")
        // SOXR_HQ passes the band flat: the level stays within 0.1 dB.
        let level = 20 * log10(TestSignal.rms(body[...]) / TestSignal.rms(tone[1000..<(tone.count - 1000)]))
        #expect(abs(level) < 0.1, "level \(level) dB")
    }

    @Test func resamplingRemovesWhatTheNewRateCannotHold() throws {
        // 15 kHz cannot exist at 22.05 kHz (Nyquist 11.025 kHz): the filter must remove it
        // rather than fold it down to 7.05 kHz.
        let tone = TestSignal.sine(frequency: 15000, sampleRate: 44100, seconds: 1)
        let resampled = try Resampler.resample(tone, from: 44100, to: 22050)
        let level = TestSignal.rms(resampled[1000..<(resampled.count - 1000)]) / TestSignal.rms(tone[...])
        #expect(level < 0.01, "aliased residue \(level)")
    }

    @Test func sameRateIsLeftAlone() throws {
        let audio = Audio(mono: [0.1, 0.2, 0.3], sampleRate: 44100)
        #expect(try Resampler.resample(audio, to: 44100) == audio)
    }
}
