import CFFTW
import CVectorMath
import Foundation

/// Halves a signal's sample rate the way librosa's constant-Q transform does it between
/// octaves, `resample(y, orig_sr=2, target_sr=1, res_type='soxr_hq', scale=True)`, with a
/// filter of the same specification applied by FFT.
///
/// **The filter.** libsoxr's high-quality setting is a linear-phase low-pass with its
/// passband flat to 91.3 % of the new Nyquist frequency, its stopband from the new Nyquist
/// on, and 20 bits of precision (about 126 dB down). This one meets the same specification
/// with a Kaiser-windowed sinc (Kaiser, "Nonrecursive digital filter design using the I0-sinh
/// window function", 1974): cut off in the middle of the transition band, `beta = 0.1102
/// (A - 8.7)` for A = 126 dB, and as many taps as Kaiser's formula asks for that attenuation
/// over that transition (379). Its output differs from libsoxr's by about 1e-3 of the
/// signal's peak, all of it in the transition band between 91 % and 100 % of the new Nyquist,
/// far above the constant-Q filters of the octave that reads it: on FMA's eight demo clips,
/// librosa's features computed with this filter in place of libsoxr agree with its own to
/// 0.02 % at worst. Output sample m sits at input sample 2m (the filter is centred), past the
/// ends the signal is zero, and the gain is sqrt(2) (librosa's `scale=True`).
///
/// **The arithmetic.** Overlap-save (Oppenheim and Schafer, "Discrete-Time Signal
/// Processing", §8.7.3) with the decimation done in the frequency domain. Blocks of N = 2048
/// input samples go two at a time into one complex FFT, one in the real part and one in the
/// imaginary part: the filter is real, so filtering the pair filters each (no separation of
/// the two spectra is needed, unlike `FramePairFFT`). The product with the filter's spectrum
/// is folded in half, `Q[k] = P[k] + P[k + N/2]`, which is the spectrum of every other
/// sample of the filtered pair; one inverse FFT of N/2 points then gives both blocks'
/// output samples directly, in its real and imaginary parts. A block yields N - 378 input
/// samples' worth of output, so the 2.6 million samples a 30 s clip's CQT halves cost about
/// 800 pairs of transforms. (Longer blocks waste less on the overlap but cost more per
/// sample: a 4096-point split FFT's 64 KB no longer fits the L1 cache, and N = 4096 was
/// about a fifth slower than 2048 here.)
///
/// FFTW's split-complex plans are made once per process (`SplitPlans`: FFTW_ESTIMATE, so the
/// same arithmetic on every run) and run on each call's own buffers, so calls on different
/// threads share nothing.
final class HalvingFilter: @unchecked Sendable {
    static let shared = HalvingFilter()

    /// The filter's length: odd, centred on its middle tap.
    let tapCount: Int
    /// Input samples per block transform.
    let blockSize = 2048
    /// The filter's spectrum over all `blockSize` bins, real and imaginary parts apart, with
    /// the gain sqrt(2) and the inverse transform's 1 / blockSize (FFTW leaves it out) folded
    /// in.
    private let spectrumReal: [Float], spectrumImaginary: [Float]

    /// libsoxr's high-quality specification, as fractions of the new Nyquist frequency.
    static let passbandEnd = 0.913, stopbandStart = 1.0
    /// Stopband attenuation in dB: 20 bits (libsoxr's `SOXR_HQ`).
    static let attenuation = 126.0

    private init() {
        let taps = Self.taps()
        tapCount = taps.count
        let n = blockSize
        precondition(tapCount < n / 2, "the halving filter must be shorter than half a block")
        let buffers = Buffers(blockSize: n)
        defer { buffers.free() }
        for i in 0..<n {
            buffers.real[i] = i < tapCount ? Float(taps[i]) : 0
            buffers.imaginary[i] = 0
        }
        fftwf_execute_split_dft(SplitPlans.shared.plan(size: n), buffers.real, buffers.imaginary,
                                buffers.spectrumReal, buffers.spectrumImaginary)
        let scale = Float(2.0.squareRoot() / Double(n))
        spectrumReal = (0..<n).map { buffers.spectrumReal[$0] * scale }
        spectrumImaginary = (0..<n).map { buffers.spectrumImaginary[$0] * scale }
    }

    /// The Kaiser-windowed sinc, normalized to unit gain at 0 Hz.
    static func taps() -> [Double] {
        // Transition band in radians per input sample: the new Nyquist is pi / 2.
        let transition = (stopbandStart - passbandEnd) * .pi / 2
        var count = Int(((attenuation - 7.95) / (2.285 * transition)).rounded(.up))
        if count % 2 == 0 { count += 1 }
        let beta = 0.1102 * (attenuation - 8.7)
        // Cut-off in cycles per input sample, halfway through the transition band.
        let cutoff = (passbandEnd + stopbandStart) / 2 / 4
        let middle = Double(count - 1) / 2
        var taps = (0..<count).map { i -> Double in
            let t = Double(i) - middle
            let sinc = t == 0 ? 2 * cutoff : sin(2 * .pi * cutoff * t) / (.pi * t)
            let r = t / middle
            return sinc * besselI0(beta * (1 - r * r).squareRoot()) / besselI0(beta)
        }
        let sum = taps.reduce(0, +)
        for i in taps.indices { taps[i] /= sum }
        return taps
    }

    /// The modified Bessel function of the first kind, order 0, by its power series
    /// (sum of ((x/2)^k / k!)^2), which converges fast for the Kaiser window's arguments.
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0, k = 1.0
        let quarter = x * x / 4
        while term > sum * 1e-17 {
            term *= quarter / (k * k)
            sum += term
            k += 1
        }
        return sum
    }

    /// One call's working memory, from FFTW's allocator (aligned as the plans expect): a pair
    /// of blocks, their spectrum, the folded spectrum and the pair's output.
    private struct Buffers {
        let real, imaginary, spectrumReal, spectrumImaginary: UnsafeMutablePointer<Float>
        let foldedReal, foldedImaginary, outputReal, outputImaginary: UnsafeMutablePointer<Float>

        init(blockSize n: Int) {
            (real, imaginary, spectrumReal, spectrumImaginary) =
                (fftwf_alloc_real(n)!, fftwf_alloc_real(n)!, fftwf_alloc_real(n)!, fftwf_alloc_real(n)!)
            (foldedReal, foldedImaginary, outputReal, outputImaginary) =
                (fftwf_alloc_real(n / 2)!, fftwf_alloc_real(n / 2)!, fftwf_alloc_real(n / 2)!, fftwf_alloc_real(n / 2)!)
        }

        func free() {
            for buffer in [real, imaginary, spectrumReal, spectrumImaginary,
                           foldedReal, foldedImaginary, outputReal, outputImaginary] { fftwf_free(buffer) }
        }
    }

    /// Writes `ceil(input.count / 2)` samples at half the rate to `output`.
    func halve(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutablePointer<Float>) {
        let count = (input.count + 1) / 2
        guard count > 0 else { return }
        let n = blockSize, m = n / 2, half = tapCount / 2
        // Block b starts `half` samples before input sample b step, the first its outputs
        // are centred on; its circular convolution is clear of wrap-around from the folded
        // block's sample `half` on, `step / 2` samples (step is even, so every block's outputs
        // fall on even input samples).
        let step = n - 2 * half
        let blocks = (count + step / 2 - 1) / (step / 2)
        let forward = SplitPlans.shared.plan(size: n), inverse = SplitPlans.shared.plan(size: m)
        let buffers = Buffers(blockSize: n)
        defer { buffers.free() }

        /// Block b, zeros past either end of the input (or all zeros when there is no block b).
        func load(_ b: Int, into block: UnsafeMutablePointer<Float>) {
            let first = b * step - half
            let lower = max(first, 0), upper = max(min(first + n, input.count), lower)
            block.update(repeating: 0, count: lower - first)
            (block + (lower - first)).update(from: input.baseAddress! + lower, count: upper - lower)
            (block + (upper - first)).update(repeating: 0, count: n - (upper - first))
        }
        /// Block b's output samples, from the folded block's sample `half` on.
        func store(_ b: Int, from samples: UnsafeMutablePointer<Float>) {
            let made = min(step / 2, count - b * step / 2)
            guard made > 0 else { return }
            (output + b * step / 2).update(from: samples + half, count: made)
        }

        spectrumReal.withUnsafeBufferPointer { hr in
            spectrumImaginary.withUnsafeBufferPointer { hi in
                for b in stride(from: 0, to: blocks, by: 2) {
                    load(b, into: buffers.real)
                    load(b + 1, into: buffers.imaginary)
                    fftwf_execute_split_dft(forward, buffers.real, buffers.imaginary,
                                            buffers.spectrumReal, buffers.spectrumImaginary)
                    Self.multiplyAndFold(buffers.spectrumReal, buffers.spectrumImaginary,
                                         by: hr.baseAddress!, hi.baseAddress!,
                                         into: buffers.foldedReal, buffers.foldedImaginary, half: m)
                    // The inverse transform: FFTW's forward plan with real and imaginary parts
                    // swapped on both sides.
                    fftwf_execute_split_dft(inverse, buffers.foldedImaginary, buffers.foldedReal,
                                            buffers.outputImaginary, buffers.outputReal)
                    store(b, from: buffers.outputReal)
                    store(b + 1, from: buffers.outputImaginary)
                }
            }
        }
    }

    /// `Q[k] = P[k] H[k] + P[k + M] H[k + M]` for k < M: the filtered pair's spectrum folded
    /// onto its lower half, eight bins at a time.
    private static func multiplyAndFold(_ pr: UnsafePointer<Float>, _ pi: UnsafePointer<Float>,
                                        by hr: UnsafePointer<Float>, _ hi: UnsafePointer<Float>,
                                        into qr: UnsafeMutablePointer<Float>, _ qi: UnsafeMutablePointer<Float>,
                                        half m: Int) {
        var k = 0
        while k < m {
            let ar = genre_load8(pr + k), ai = genre_load8(pi + k), br = genre_load8(pr + m + k), bi = genre_load8(pi + m + k)
            let gr = genre_load8(hr + k), gi = genre_load8(hi + k), fr = genre_load8(hr + m + k), fi = genre_load8(hi + m + k)
            let real = ar * gr - ai * gi + br * fr - bi * fi
            let imaginary = ar * gi + ai * gr + br * fi + bi * fr
            UnsafeMutableRawPointer(qr + k).storeBytes(of: real, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(qi + k).storeBytes(of: imaginary, as: SIMD8<Float>.self)
            k += 8
        }
    }
}
