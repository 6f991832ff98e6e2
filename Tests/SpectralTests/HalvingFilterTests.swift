import CSoxr
import Foundation
import Testing
@testable import Spectral

/// The CQT's rate halving: its filter must meet libsoxr's high-quality specification, its FFT
/// arithmetic must be the plain convolution, and its output must be libsoxr's own (the
/// resampler librosa calls) up to the transition band's share.
@Suite struct HalvingFilterTests {
    /// The filter's gain at `f` cycles per input sample, from its taps in double precision.
    static func gain(_ taps: [Double], at f: Double) -> Double {
        var re = 0.0, im = 0.0
        for (i, h) in taps.enumerated() {
            re += h * cos(2 * .pi * f * Double(i))
            im -= h * sin(2 * .pi * f * Double(i))
        }
        return (re * re + im * im).squareRoot()
    }

    @Test func filterMeetsTheHighQualitySpecification() {
        let taps = HalvingFilter.taps()
        #expect(taps.count % 2 == 1)
        // Linear phase: symmetric taps.
        for i in 0..<(taps.count / 2) { #expect(abs(taps[i] - taps[taps.count - 1 - i]) < 1e-15) }
        // The new Nyquist is 1/4 cycle per input sample: flat to 91.3 % of it, 126 dB down
        // from 100 % on (120 dB allowed for the window's ripple).
        for f in stride(from: 0.0, through: 0.913 * 0.25, by: 0.0025) {
            #expect(abs(Self.gain(taps, at: f) - 1) < 1e-5, "passband gain at \(f)")
        }
        for f in stride(from: 0.25, through: 0.5, by: 0.001) {
            #expect(Self.gain(taps, at: f) < 1e-6, "stopband gain at \(f)")
        }
    }

    /// Tones in the passband, and optionally white noise and a tone in the transition band.
    static func testSignal(_ n: Int, noise: Bool = true, transitionTone: Bool = true) -> [Float] {
        var numbers = TestNumbers(state: 7)
        return (0..<n).map { i in
            let t = Double(i)
            var v = 0.5 * sin(0.01 * t) + 0.3 * sin(0.7 * t)
            // 95 % of the new Nyquist, pi / 2 radians per input sample.
            if transitionTone { v += 0.1 * sin(.pi / 2 * 0.95 * t) }
            return Float(v) + (noise ? 0.2 * (numbers.next() - 0.5) : 0)
        }
    }

    func halved(_ x: [Float]) -> [Float] {
        var out = [Float](repeating: .nan, count: (x.count + 1) / 2)
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { HalvingFilter.shared.halve(x, into: $0.baseAddress!) }
        }
        return out
    }

    /// Lengths around one block's worth of input (2048 - 378 = 1670 samples) and a pair's,
    /// odd and even, down to one sample.
    @Test(arguments: [1, 2, 3, 100, 1669, 1670, 1671, 3340, 3341, 20_001])
    func fftArithmeticIsTheConvolution(length: Int) {
        let x = Self.testSignal(length)
        let taps = HalvingFilter.taps(), half = taps.count / 2
        let got = halved(x)
        #expect(got.count == (length + 1) / 2)
        for m in got.indices {
            // y[m] = sqrt(2) sum_j h[j] x[2m + half - j], zeros outside the signal.
            var sum = 0.0
            for (j, h) in taps.enumerated() {
                let i = 2 * m + half - j
                if i >= 0 && i < length { sum += h * Double(x[i]) }
            }
            #expect(abs(Double(got[m]) - 2.0.squareRoot() * sum) < 2e-6, "sample \(m) of \(length)")
        }
    }

    /// libsoxr at SOXR_HQ, 2:1, scaled by sqrt(2) as librosa's `resample(..., scale=True)`.
    static func soxrHalved(_ x: [Float]) -> [Float] {
        let count = (x.count + 1) / 2
        var out = [Float](repeating: 0, count: count)
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
        var done = 0
        let error = x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { out in
                soxr_oneshot(2, 1, 1, x.baseAddress, x.count, nil, out.baseAddress, count, &done, &io, &quality, nil)
            }
        }
        #expect(error == nil && done == count)
        return out.map { $0 * Float(2).squareRoot() }
    }

    @Test func outputIsLibsoxrsUpToTheTransitionBand() {
        /// The largest difference over `range` of the output, relative to the peak.
        func worstDifference(_ x: [Float], over range: Range<Int>) -> Float {
            let theirs = Self.soxrHalved(x), ours = halved(x)
            return range.map { abs(ours[$0] - theirs[$0]) }.max()! / theirs.map(abs).max()!
        }
        let interior = 200..<24_800, all = 0..<25_000
        // Tones in the passband: the same output to float rounding, except over the last
        // samples, where libsoxr's flush differs from zero padding by about 1e-4 of the peak.
        let tones = Self.testSignal(50_000, noise: false, transitionTone: false)
        #expect(worstDifference(tones, over: interior) < 1e-5)
        #expect(worstDifference(tones, over: all) < 1e-3)
        // A tone at 95 % of the new Nyquist, where the two filters' transition bands differ.
        #expect(worstDifference(Self.testSignal(50_000, noise: false, transitionTone: true), over: all) < 2e-2)
    }
}
