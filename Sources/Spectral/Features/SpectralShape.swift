import Foundation

/// Per-frame descriptors of a magnitude spectrum's shape: centroid, bandwidth, roll-off,
/// octave-band contrast and RMS, as librosa computes them from `S` (librosa:
/// `feature.spectral_centroid`, `spectral_bandwidth`, `spectral_rolloff`, `spectral_contrast`,
/// and 0.5's `rmse(S=...)`).
///
/// Bin `k` of an `fftSize`-point STFT sits at `k sampleRate / fftSize` Hz. FMA called these
/// functions without `sr`, so librosa assumed 22050 Hz whatever the file's rate: pass 22050
/// for FMA's numbers, the true rate for the corrected variant.
///
/// References: Klapuri and Davy (2007) for centroid, bandwidth and roll-off; Jiang et al.,
/// "Music type classification by spectral contrast feature", ICME 2002, for the contrast.
public struct SpectralShape: Sendable {
    /// Hz of each bin, `fftSize / 2 + 1` values.
    public let frequencies: [Double]
    /// The same in float, for the vectorized sums.
    private let floatFrequencies: [Float]
    /// The fraction of energy below the roll-off frequency (librosa: `roll_percent=0.85`).
    public let rollPercent: Float
    /// The contrast's octave bands: bins `start ..< start + count`, and how many of the
    /// band's smallest and largest values are averaged into its valley and peak.
    public let contrastBands: [(start: Int, count: Int, extremes: Int)]

    /// - Parameters:
    ///   - sampleRate: Hz assumed for the bins (librosa: `sr`).
    ///   - fftSize: of the STFT (librosa: `n_fft`).
    ///   - contrastBandCount: octave bands above `contrastLowHz` (librosa: `n_bands=6`, `fmin=200`);
    ///     a band at or above Nyquist is left empty (librosa refuses such a rate).
    ///   - quantile: the share of a band's bins in its valley and its peak (librosa: 0.02).
    public init(sampleRate: Double, fftSize: Int = 2048, rollPercent: Float = 0.85,
                contrastBandCount: Int = 6, contrastLowHz: Double = 200, quantile: Double = 0.02) {
        let bins = fftSize / 2 + 1
        // numpy's linspace(0, sr / 2, bins): k times the step.
        let step = (sampleRate / 2) / Double(bins - 1)
        let frequencies = (0..<bins).map { Double($0) * step }
        self.frequencies = frequencies
        floatFrequencies = frequencies.map { Float($0) }
        self.rollPercent = rollPercent
        // Band edges 0, fmin, 2 fmin, ... ; each band also takes the bin just below it, the
        // last band everything above, and every band but the last drops its top bin.
        var edges = [0.0]
        for b in 0...contrastBandCount { edges.append(contrastLowHz * pow(2, Double(b))) }
        var bands: [(Int, Int, Int)] = []
        for k in 0...contrastBandCount {
            let inside = (0..<bins).filter { frequencies[$0] >= edges[k] && frequencies[$0] <= edges[k + 1] }
            guard var lo = inside.first, var hi = inside.last else { bands.append((0, 0, 1)); continue }
            if k > 0 { lo -= 1 }
            if k == contrastBandCount { hi = bins - 1 }
            let selected = hi - lo + 1
            let extremes = max(1, Int((quantile * Double(selected)).rounded(.toNearestOrEven)))
            bands.append((lo, k < contrastBandCount ? selected - 1 : selected, extremes))
        }
        contrastBands = bands.map { (start: $0.0, count: $0.1, extremes: $0.2) }
    }

    public var contrastRowCount: Int { contrastBands.count }

    /// The spectral centroid (Hz): the mean frequency of the frame's magnitude distribution.
    /// A silent frame gives 0. (Sums in eight float lanes, added in double: within 1e-6 of
    /// librosa's double sums.)
    public func centroid(_ s: UnsafeBufferPointer<Float>) -> Double {
        let (total, weighted) = floatFrequencies.withUnsafeBufferPointer { f in
            Self.sums(s, f, offset: 0, squared: false)
        }
        return total < Double(Float.leastNormalMagnitude) ? weighted : weighted / total
    }

    /// The spectral bandwidth (Hz, p = 2): the standard deviation of frequency about the centroid.
    public func bandwidth(_ s: UnsafeBufferPointer<Float>, centroid: Double) -> Double {
        let (total, spread) = floatFrequencies.withUnsafeBufferPointer { f in
            Self.sums(s, f, offset: Float(centroid), squared: true)
        }
        return (total < Double(Float.leastNormalMagnitude) ? spread : spread / total).squareRoot()
    }

    /// (sum of s, sum of s (f - offset)^p) with p = 1 or 2, eight lanes at a time.
    @inline(__always)
    private static func sums(_ s: UnsafeBufferPointer<Float>, _ f: UnsafeBufferPointer<Float>, offset: Float,
                             squared: Bool) -> (Double, Double) {
        var total = SIMD8<Float>(), weighted = SIMD8<Float>()
        let n = s.count, x = s.baseAddress!, y = f.baseAddress!
        let shift = SIMD8<Float>(repeating: offset)
        var k = 0
        while k + 8 <= n {
            let v = UnsafeRawPointer(x + k).loadUnaligned(as: SIMD8<Float>.self)
            let d = UnsafeRawPointer(y + k).loadUnaligned(as: SIMD8<Float>.self) - shift
            total += v
            weighted += squared ? v * d * d : v * d
            k += 8
        }
        var t = 0.0, w = 0.0
        for lane in 0..<8 { t += Double(total[lane]); w += Double(weighted[lane]) }
        while k < n {
            let d = Double(y[k]) - Double(offset)
            t += Double(x[k])
            w += Double(x[k]) * (squared ? d * d : d)
            k += 1
        }
        return (t, w)
    }

    /// The roll-off frequency: the lowest bin at which the running sum of magnitudes reaches
    /// `rollPercent` of the frame's total (summed in float, in order, as numpy's `cumsum`).
    public func rolloff(_ s: UnsafeBufferPointer<Float>) -> Double {
        // The total in eight lanes; then the running sum, which stops early (energy sits low).
        var lanes = SIMD8<Float>()
        var k = 0
        while k + 8 <= s.count {
            lanes += UnsafeRawPointer(s.baseAddress! + k).loadUnaligned(as: SIMD8<Float>.self)
            k += 8
        }
        var total = lanes.sum()
        while k < s.count { total += s[k]; k += 1 }
        let threshold = rollPercent * total
        var running: Float = 0
        for k in 0..<s.count {
            running += s[k]
            if running >= threshold { return frequencies[k] }
        }
        return frequencies[s.count - 1]
    }

    /// The root-mean-square of the magnitudes over the bins (librosa 0.5's `rmse(S=...)`,
    /// which FMA used; librosa 0.7 and later rescale by the frame length instead).
    public func rms(_ s: UnsafeBufferPointer<Float>) -> Double {
        var lanes = SIMD8<Float>()
        var k = 0
        while k + 8 <= s.count {
            let v = UnsafeRawPointer(s.baseAddress! + k).loadUnaligned(as: SIMD8<Float>.self)
            lanes += v * v
            k += 8
        }
        var sum = 0.0
        for lane in 0..<8 { sum += Double(lanes[lane]) }
        while k < s.count { sum += Double(s[k]) * Double(s[k]); k += 1 }
        return (sum / Double(max(s.count, 1))).squareRoot()
    }
}
