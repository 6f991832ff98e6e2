import CSoxr
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
/// decimation, early or between octaves, is libsoxr at its high-quality setting (librosa's
/// default `res_type='soxr_hq'`) with the amplitude scaled by sqrt(factor).
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
        var y = signal, rate = Double(sampleRate), hop = hopLength
        if early > 0 {
            let factor = 1 << early
            guard y.count >= factor else { return FrameMatrix(frameCount: 1, columns: binCount) }
            y = Self.decimate(y, by: factor)
            rate /= Double(factor)
            hop /= factor
        }
        let baseRate = rate
        guard !y.isEmpty else { return FrameMatrix(frameCount: 1, columns: binCount) }

        // Octave by octave from the top: responses, then halve the rate.
        var responses: [FrameMatrix] = []
        var myRate = rate, myHop = hop
        for octave in 0..<octaves {
            let upper = binCount - perOctave * octave
            let lower = max(0, upper - perOctave)
            let kernel = SparseKernel(frequencies: Array(freqs[lower..<upper]), q: Array(q[lower..<upper]),
                                      sampleRate: myRate, sparsity: sparsity,
                                      gain: Float((baseRate / myRate).squareRoot()))
            responses.append(kernel.response(y, hopLength: myHop, padding: padding))
            if octave < octaves - 1 && myHop % 2 == 0 {
                myHop /= 2
                myRate /= 2
                y = Self.decimate(y, by: 2)
                if y.isEmpty { break }
            }
        }

        // Stack the octaves (lowest bins last computed), trimmed to the shortest, and scale.
        let frames = responses.map(\.frameCount).min() ?? 1
        var out = FrameMatrix(frameCount: frames, columns: binCount)
        for (octave, response) in responses.enumerated() {
            let upper = binCount - perOctave * octave
            let lower = upper - response.columns
            for t in 0..<frames {
                for b in 0..<response.columns { out[t, lower + b] = response[t, b] }
            }
        }
        let scale = zip(freqs, q).map { Float(1 / ($1 * baseRate / $0).squareRoot()) }
        for t in 0..<frames {
            for b in 0..<binCount { out[t, b] *= scale[b] }
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

    /// Decimates by an integer factor with libsoxr (SOXR_HQ, float), keeping `ceil(n / factor)`
    /// samples and multiplying by sqrt(factor), as librosa's `resample(..., scale=True)`.
    static func decimate(_ samples: [Float], by factor: Int) -> [Float] {
        let count = (samples.count + factor - 1) / factor
        var output = [Float](repeating: 0, count: count)
        guard count > 0 else { return output }
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
        var produced = 0
        let error = samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                soxr_oneshot(Double(factor), 1, 1, input.baseAddress, input.count, nil,
                             out.baseAddress, out.count, &produced, &io, &quality, nil)
            }
        }
        precondition(error == nil, "libsoxr refused to decimate by \(factor): \(String(cString: error!))")
        let gain = Float(Double(factor).squareRoot())
        for i in 0..<count { output[i] *= gain }
        return output
    }
}

/// One octave's constant-Q filters in the frequency domain, sparse.
struct SparseKernel {
    let fftSize: Int
    let rowCount: Int
    /// Per row, its kept FFT bins and complex coefficients.
    let bins: [[Int32]]
    let coefficients: [[(re: Float, im: Float)]]

    /// - Parameters:
    ///   - frequencies, q: the octave's bins, lowest first.
    ///   - gain: applied to every coefficient (librosa: sqrt(sr / my_sr)).
    init(frequencies: [Double], q: [Double], sampleRate: Double, sparsity: Double, gain: Float) {
        let lengths = zip(frequencies, q).map { $1 * sampleRate / $0 }
        var size = 1
        while Double(size) < lengths.max()! { size *= 2 }
        fftSize = size
        rowCount = frequencies.count
        let half = size / 2 + 1
        let fft = RealFFT(size: size)
        var allBins: [[Int32]] = [], allCoefficients: [[(re: Float, im: Float)]] = []
        var re = [Float](repeating: 0, count: size), im = [Float](repeating: 0, count: size)
        var spectrum = [(re: Float, im: Float)](repeating: (0, 0), count: half)
        for (length, hz) in zip(lengths, frequencies) {
            // librosa: arange(-ilen // 2, ilen // 2), a periodic Hann window of that many
            // points, the L1 norm, centred in `size` points, times length / size.
            let first = Int((-length / 2).rounded(.down)), end = Int((length / 2).rounded(.down))
            let count = end - first
            let window = Window.hann(length: count).map(Double.init)
            let l1 = window.reduce(0, +)
            let offset = (size - count) / 2
            for i in 0..<size { re[i] = 0; im[i] = 0 }
            for i in 0..<count {
                let phase = Double(first + i) * 2 * Double.pi * hz / sampleRate
                let w = window[i] / l1
                // complex64 storage first, then the real rescale, as librosa.
                let cr = Float(cos(phase) * w), ci = Float(sin(phase) * w)
                re[offset + i] = Float(Double(cr) * length / Double(size))
                im[offset + i] = Float(Double(ci) * length / Double(size))
            }
            // FFT of a complex sequence from two real FFTs: X = FFT(re) + i FFT(im).
            for i in 0..<size { fft.input[i] = re[i] }
            fft.execute()
            for k in 0..<half { spectrum[k] = (fft.output[2 * k], fft.output[2 * k + 1]) }
            for i in 0..<size { fft.input[i] = im[i] }
            fft.execute()
            for k in 0..<half {
                let ir = fft.output[2 * k], ii = fft.output[2 * k + 1]
                spectrum[k] = (spectrum[k].re - ii, spectrum[k].im + ir)
            }
            // Sparsify: drop the smallest coefficients holding `sparsity` of the L1 mass.
            let magnitudes = spectrum.map { ($0.re * $0.re + $0.im * $0.im).squareRoot() }
            let sorted = magnitudes.sorted()
            let norm = magnitudes.reduce(Float(0), +)
            var cumulative: Float = 0, threshold = sorted.last!
            for m in sorted {
                cumulative += m / norm
                if cumulative >= Float(sparsity) { threshold = m; break }
            }
            var rowBins: [Int32] = [], rowCoefficients: [(re: Float, im: Float)] = []
            for k in 0..<half where magnitudes[k] >= threshold {
                rowBins.append(Int32(k))
                rowCoefficients.append((spectrum[k].re * gain, spectrum[k].im * gain))
            }
            allBins.append(rowBins)
            allCoefficients.append(rowCoefficients)
        }
        bins = allBins
        coefficients = allCoefficients
    }

    /// |kernel · STFT| of `y` (rectangular window, centred frames): frames x rows magnitudes.
    func response(_ y: [Float], hopLength: Int, padding: ShortTimeFourierTransform.Padding) -> FrameMatrix {
        let frames = 1 + y.count / hopLength
        var out = FrameMatrix(frameCount: frames, columns: rowCount)
        let fft = RealFFT(size: fftSize)
        let offset = fftSize / 2
        y.withUnsafeBufferPointer { samples in
            for t in 0..<frames {
                let start = t * hopLength - offset
                if start >= 0 && start + fftSize <= samples.count {
                    fft.input.update(from: samples.baseAddress! + start, count: fftSize)
                } else {
                    for n in 0..<fftSize { fft.input[n] = paddedSample(samples, start + n, padding) }
                }
                fft.execute()
                let spectrum = fft.output
                for r in 0..<rowCount {
                    var sr: Float = 0, si: Float = 0
                    let rowBins = bins[r], rowCoefficients = coefficients[r]
                    for j in 0..<rowBins.count {
                        let k = Int(rowBins[j])
                        let xr = spectrum[2 * k], xi = spectrum[2 * k + 1]
                        let c = rowCoefficients[j]
                        sr += c.re * xr - c.im * xi
                        si += c.re * xi + c.im * xr
                    }
                    out[t, r] = (sr * sr + si * si).squareRoot()
                }
            }
        }
        return out
    }
}
