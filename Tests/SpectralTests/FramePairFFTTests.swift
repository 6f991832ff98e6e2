import Foundation
import Testing
@testable import Spectral

/// Two frames per complex FFT: both power spectra must be those of each frame alone,
/// checked against a direct DFT in double precision (independent of FFTW).
@Suite struct FramePairFFTTests {
    /// |X[k]|² of a real frame, k = 0 ... n / 2, by the DFT's definition.
    static func directPowers(_ x: [Float]) -> [Double] {
        let n = x.count
        return (0...(n / 2)).map { k in
            var re = 0.0, im = 0.0
            for (t, v) in x.enumerated() {
                // The phase reduced modulo n first, so that large k t stays exact.
                let angle = -2 * Double.pi * Double((k * t) % n) / Double(n)
                re += Double(v) * cos(angle)
                im += Double(v) * sin(angle)
            }
            return re * re + im * im
        }
    }

    /// Values in [-1, 1).
    static func randomFrame(_ n: Int, numbers: inout TestNumbers) -> [Float] {
        (0..<n).map { _ in 2 * numbers.next() - 1 }
    }

    /// Sizes with and without full eight-bin blocks, even and odd, and FMA's 2048.
    @Test(arguments: [2, 3, 16, 17, 18, 100, 255, 2048])
    func powersMatchEachFrameAlone(size: Int) {
        var numbers = TestNumbers(state: UInt32(size))
        let a = Self.randomFrame(size, numbers: &numbers), b = Self.randomFrame(size, numbers: &numbers)
        let pair = FramePairFFT(size: size)
        let bins = size / 2 + 1
        var pa = [Float](repeating: .nan, count: bins), pb = pa
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in pair.transform(a.baseAddress!, b.baseAddress!) }
        }
        pair.powers(into: &pa, &pb)
        for (got, frame) in [(pa, a), (pb, b)] {
            let expected = Self.directPowers(frame)
            // Float rounding of an FFT is relative to the frame's energy, not to each bin.
            let scale = expected.max()!
            for k in 0..<bins {
                #expect(abs(Double(got[k]) - expected[k]) <= 1e-5 * scale, "size \(size), bin \(k): \(got[k]) vs \(expected[k])")
            }
        }
    }

    /// A frame without a partner is paired with zeros, whose powers are zero.
    @Test func unpairedFrameGetsZerosAsPartner() {
        var numbers = TestNumbers(state: 9)
        let a = Self.randomFrame(64, numbers: &numbers)
        let pair = FramePairFFT(size: 64)
        var pa = [Float](repeating: .nan, count: 33), pb = pa
        a.withUnsafeBufferPointer { pair.transform($0.baseAddress!, nil) }
        pair.powers(into: &pa, &pb)
        let expected = Self.directPowers(a)
        for k in 0..<33 {
            #expect(abs(Double(pa[k]) - expected[k]) <= 1e-5 * expected.max()!)
            #expect(abs(pb[k]) <= 1e-6 * Float(expected.max()!))
        }
    }

    /// The STFT pairs its frames and reads an odd frame count's last one alone; each row must
    /// be the DFT of that frame, windowed and reflect-padded.
    @Test(arguments: [4096, 4095, 300])
    func spectrogramRowsAreEachFramesPowers(samples: Int) {
        var numbers = TestNumbers(state: UInt32(samples))
        let signal = Self.randomFrame(samples, numbers: &numbers)
        let stft = ShortTimeFourierTransform(fftSize: 256, hopLength: 100, center: true, padding: .reflect)
        let spectrogram = stft.spectrogram(signal, exponent: 2)
        #expect(spectrogram.frameCount == stft.frameCount(forSampleCount: samples))
        signal.withUnsafeBufferPointer { samplesBuffer in
            for t in [0, 1, spectrogram.frameCount / 2, spectrogram.frameCount - 1] {
                let frame = (0..<256).map { n in
                    paddedSample(samplesBuffer, t * 100 - 128 + n, .reflect) * stft.window[n]
                }
                let expected = Self.directPowers(frame)
                for k in 0..<129 {
                    #expect(abs(Double(spectrogram[t, k]) - expected[k]) <= 1e-5 * expected.max()!,
                            "frame \(t) of \(spectrogram.frameCount), bin \(k)")
                }
            }
        }
    }
}
