import Foundation

/// The constant-Q transform (Brown, "Calculation of a constant Q spectral transform", JASA
/// 1991), computed as librosa's `cqt` does: one octave at a time from the top, each octave's
/// filters applied in the frequency domain to an STFT of the signal (Brown and Puckette's
/// efficient algorithm, 1992), the signal halved in rate between octaves.
///
/// Bin `b` is centred on `fmin 2^(tuning / B) 2^(b / B)` Hz (B = `binsPerOctave`). Its filter
/// is a Hann-windowed complex exponential of `Q sr / f` samples, with `Q = 1 / alpha` and
/// `alpha = (2^(2/B) - 1) / (2^(2/B) + 1)` (librosa's relative bandwidth, filter scale 1),
/// normalized to unit L1 norm; an octave's filters are zero-padded to the next power of two,
/// Fourier transformed, and their smallest coefficients holding 1 % of each row's L1 mass are
/// dropped (librosa: `sparsity=0.01`). Responses are divided by the square root of each
/// filter's length (librosa: `scale=True`).
///
/// Before the first octave the signal is decimated by the largest power of two that keeps the
/// top filter under half of Nyquist and the hop divisible (librosa's early downsampling); each
/// decimation, early or between octaves, halves the rate with libsoxr's high-quality filter
/// (librosa's default `res_type='soxr_hq'`; `HalvingFilter`), the amplitude scaled by sqrt(2).
///
/// References: librosa (McFee et al., 2015), `librosa/core/constantq.py`, `librosa/filters.py`;
/// Schörkhuber and Klapuri, "Constant-Q transform toolbox for music processing", SMC 2010.
public struct ConstantQTransform: Sendable {
    public let sampleRate: Int
    /// Samples between frames at the input rate (librosa: `hop_length`).
    public let hopLength: Int
    public let binsPerOctave: Int
    /// librosa: `n_bins`.
    public let binCount: Int
    /// The lowest bin's frequency before tuning (librosa: `fmin`, C1 = 32.70 Hz).
    public let minimumHz: Double
    /// Centred frames are padded by mirroring (librosa 0.5's default) or with zeros.
    public let padding: ShortTimeFourierTransform.Padding
    public let sparsity: Double

    /// C1, librosa's `note_to_hz('C1')`.
    public static let c1 = 440 * pow(2, (24.0 - 69) / 12)
    /// librosa's `window_bandwidth('hann')`: the Hann window's equivalent noise bandwidth in bins.
    static let hannBandwidth = 1.50018310546875

    public init(sampleRate: Int, hopLength: Int = 512, binsPerOctave: Int = 12, binCount: Int = 84,
                minimumHz: Double = ConstantQTransform.c1, padding: ShortTimeFourierTransform.Padding = .reflect,
                sparsity: Double = 0.01) {
        precondition(sampleRate > 0 && hopLength > 0 && binsPerOctave > 1 && binCount > 0,
                     "a constant-Q transform needs a rate, a hop and bins")
        self.sampleRate = sampleRate
        self.hopLength = hopLength
        self.binsPerOctave = binsPerOctave
        self.binCount = binCount
        self.minimumHz = minimumHz
        self.padding = padding
        self.sparsity = sparsity
    }

    /// Centre frequencies of every bin, lowest first, for a tuning in fractions of a bin.
    public func frequencies(tuning: Double) -> [Double] {
        let fmin = minimumHz * pow(2, tuning / Double(binsPerOctave))
        return (0..<binCount).map { fmin * pow(2, Double($0) / Double(binsPerOctave)) }
    }

    /// |CQT|: frames x `binCount` magnitudes, frame `t` centred on sample `t hopLength`.
    /// A signal too short for the decimations gives a single silent frame.
    ///
    /// Where the time goes, for a 30 s clip at 44.1 kHz: the halvings (the early one at the
    /// input rate, then one per octave, 2.6 million input samples in all; `HalvingFilter`)
    /// take about a third of it. The rest is one 256-point FFT per frame and octave
    /// (7 x 2,584) with the octave's 12 filters applied to it. There the frames are read in
    /// place from the padded signal two at a time by one complex FFT (`FramePairFFT`), only
    /// the band of bins the filters keep is taken from each spectrum, eight frames share each
    /// filter coefficient in one SIMD multiply-add (`ConstantQKernel`), and responses land
    /// directly in their columns, already trimmed to the shortest octave and scaled.
    public func magnitudes(_ signal: [Float], tuning: Double) -> FrameMatrix {
        let freqs = frequencies(tuning: tuning)
        let alpha = Self.relativeBandwidth(freqs)
        let q = alpha.map { 1 / $0 }
        let octaves = (binCount + binsPerOctave - 1) / binsPerOctave
        let perOctave = min(binsPerOctave, binCount)
        let cutoff = zip(freqs, q).map { $0 * (1 + 0.5 * Self.hannBandwidth / $1) }.max()!
        let nyquist = Double(sampleRate) / 2
        precondition(cutoff <= nyquist, "the top constant-Q filter (\(cutoff) Hz) exceeds Nyquist (\(nyquist) Hz)")

        // Early downsampling: as far as the top filter and the hop allow.
        let byCutoff = max(0, Int(log2(nyquist / cutoff).rounded(.up)) - 1 - 1)
        let byHop = max(0, hopLength.trailingZeroBitCount - octaves + 1)
        let early = min(byCutoff, byHop)
        let factor = 1 << early
        guard signal.count >= factor && !signal.isEmpty else { return FrameMatrix(frameCount: 1, columns: binCount) }
        let rate = Double(sampleRate) / Double(factor), hop = hopLength / factor
        let baseRate = rate

        // Each octave's filters, its rate and hop, and its signal's length (each halving
        // keeps ceil(n / 2) samples), all known before any signal work.
        struct Octave { let lower: Int; let kernel: ConstantQKernel; let hop: Int; let length: Int; let halve: Bool }
        var plan: [Octave] = []
        let rows = ConstantQKernelRow.Builder(sparsity: sparsity)
        var myRate = rate, myHop = hop, length = (signal.count + factor - 1) / factor
        for octave in 0..<octaves {
            let upper = binCount - perOctave * octave
            let lower = max(0, upper - perOctave)
            let ratio = baseRate / myRate
            let (fftSize, octaveRows) = rows.octave(frequencies: Array(freqs[lower..<upper]),
                                                    q: Array(q[lower..<upper]),
                                                    sampleRate: myRate, rateRatio: ratio)
            let halve = octave < octaves - 1 && myHop % 2 == 0
            plan.append(Octave(lower: lower, kernel: ConstantQKernel(fftSize: fftSize, rows: octaveRows,
                                                                     gain: Float(ratio.squareRoot())),
                               hop: myHop, length: length, halve: halve))
            if halve {
                myHop /= 2
                myRate /= 2
                length = (length + 1) / 2
            }
        }
        // Every octave is trimmed to the shortest, so only the frames kept are computed.
        let frames = plan.map { 1 + $0.length / $0.hop }.min()!

        // Two buffers take turns holding an octave's signal at `margin`, padded on both sides
        // for its frames; the next octave is decimated from one into the other (so the
        // second never holds more than the second octave's samples).
        let margin = plan.map { $0.kernel.fftSize / 2 }.max()!
        let buffers = [0, 1].map { index in
            UnsafeMutablePointer<Float>.allocate(capacity: 3 * margin + plan[min(index, plan.count - 1)].length)
        }
        defer { buffers.forEach { $0.deallocate() } }
        signal.withUnsafeBufferPointer { signal in
            if early > 0 {
                Self.decimate(signal, by: factor, into: buffers[0] + margin)
            } else {
                (buffers[0] + margin).initialize(from: signal.baseAddress!, count: signal.count)
            }
        }

        // Octave by octave from the top: pad, respond straight into the octave's columns
        // with librosa's 1 / sqrt(filter length) scale, then halve the rate.
        let scale = zip(freqs, q).map { Float(1 / ($1 * baseRate / $0).squareRoot()) }
        var out = FrameMatrix(frameCount: frames, columns: binCount)
        var current = 0
        out.values.withUnsafeMutableBufferPointer { values in
            scale.withUnsafeBufferPointer { scale in
                for octave in plan {
                    let signal = UnsafeBufferPointer(start: buffers[current] + margin, count: octave.length)
                    let half = octave.kernel.fftSize / 2
                    for j in -half..<0 { buffers[current][margin + j] = paddedSample(signal, j, padding) }
                    for j in octave.length..<(octave.length + octave.kernel.fftSize) {
                        buffers[current][margin + j] = paddedSample(signal, j, padding)
                    }
                    octave.kernel.respond(firstFrame: signal.baseAddress! - half, hopLength: octave.hop, frames: frames,
                                          into: values.baseAddress! + octave.lower, stride: binCount,
                                          scale: scale.baseAddress! + octave.lower)
                    if octave.halve {
                        Self.decimate(signal, by: 2, into: buffers[1 - current] + margin)
                        current = 1 - current
                    }
                }
            }
        }
        return out
    }

    /// librosa's `_relative_bandwidth`: from the local bins per octave (centred differences of
    /// log2 frequency, one-sided at the ends), alpha = (2^(2/bpo) - 1) / (2^(2/bpo) + 1).
    static func relativeBandwidth(_ freqs: [Double]) -> [Double] {
        let n = freqs.count
        guard n > 1 else {
            let r = pow(2, 2 / 12.0)
            return [(r - 1) / (r + 1)]
        }
        let logf = freqs.map { log2($0) }
        return (0..<n).map { i in
            let bpo: Double
            if i == 0 { bpo = 1 / (logf[1] - logf[0]) }
            else if i == n - 1 { bpo = 1 / (logf[n - 1] - logf[n - 2]) }
            else { bpo = 2 / (logf[i + 1] - logf[i - 1]) }
            let r = pow(2, 2 / bpo)
            return (r - 1) / (r + 1)
        }
    }

    /// Decimates by `factor`, a power of two, halving the rate as often as it takes
    /// (`HalvingFilter`, librosa's libsoxr filter): `ceil(n / factor)` samples to `output`,
    /// multiplied by sqrt(factor) as librosa's `resample(..., scale=True)` does. (librosa
    /// resamples by the whole factor in one go; at its filter's precision, in one go or in
    /// halvings is the same.)
    static func decimate(_ input: UnsafeBufferPointer<Float>, by factor: Int, into output: UnsafeMutablePointer<Float>) {
        precondition(factor >= 2 && factor & (factor - 1) == 0, "the CQT decimates by powers of two, not \(factor)")
        guard factor > 2 else { return HalvingFilter.shared.halve(input, into: output) }
        let half = UnsafeMutablePointer<Float>.allocate(capacity: (input.count + 1) / 2)
        defer { half.deallocate() }
        HalvingFilter.shared.halve(input, into: half)
        decimate(UnsafeBufferPointer(start: half, count: (input.count + 1) / 2), by: factor / 2, into: output)
    }
}
