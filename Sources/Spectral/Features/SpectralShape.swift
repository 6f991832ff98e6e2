import CVectorMath
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

    /// The centroid, bandwidth, roll-off and RMS of one magnitude frame.
    ///
    /// Two passes over the frame, eight bins at a time:
    /// 1. The sums of s, s f and s^2, each in eight float lanes (lane j adds bins j, j + 8, ...),
    ///    the lanes then added in double: the centroid is sum(s f) / sum(s) and the RMS
    ///    sqrt(sum(s^2) / bins). The same lanes of s, added in float from lane 0 (as
    ///    `SIMD8.sum()` adds them), give the roll-off's total.
    /// 2. The bandwidth's sum of s (f - centroid)^2, again in eight float lanes (librosa sums
    ///    about the centroid, which only the first pass knows). While it runs, the roll-off's
    ///    search rides along (`RolloffSearch`): the running sum of whole eight-bin blocks,
    ///    until a block reaches the threshold.
    /// Each number is, to the last bit, what the separate loops it replaces gave
    /// (`SpectralShapeTests` checks them against plain ones); a silent frame gives 0 for all four.
    public func descriptors(_ s: UnsafeBufferPointer<Float>) -> ShapeDescriptors {
        floatFrequencies.withUnsafeBufferPointer { hertz in
            let n = s.count, x = s.baseAddress!, f = hertz.baseAddress!
            @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
                genre_load8(p)
            }
            let blockEnd = n - n % 8
            var totalLanes = SIMD8<Float>(), weightedLanes = SIMD8<Float>(), squareLanes = SIMD8<Float>()
            for k in stride(from: 0, to: blockEnd, by: 8) {
                let v = load(x + k)
                totalLanes += v
                weightedLanes += v * load(f + k)
                squareLanes += v * v
            }
            var total = 0.0, weighted = 0.0, squares = 0.0, rollTotal: Float = -0.0
            for lane in 0..<8 {
                total += Double(totalLanes[lane])
                weighted += Double(weightedLanes[lane])
                squares += Double(squareLanes[lane])
                rollTotal += totalLanes[lane]
            }
            for k in blockEnd..<n {
                total += Double(x[k])
                weighted += Double(x[k]) * Double(f[k])
                squares += Double(x[k]) * Double(x[k])
                rollTotal += x[k]
            }
            let silent = total < Double(Float.leastNormalMagnitude)
            let centroid = silent ? weighted : weighted / total

            let offset = Float(centroid), offsets = SIMD8<Float>(repeating: offset)
            let threshold = rollPercent * rollTotal
            var search = RolloffSearch(threshold: threshold)
            var spreadLanes = SIMD8<Float>()
            var k = 0
            while k < blockEnd {
                let v = load(x + k), d = load(f + k) - offsets
                spreadLanes += v * d * d
                k += 8
                if search.reachesThreshold(v) { break }
            }
            while k < blockEnd {
                let v = load(x + k), d = load(f + k) - offsets
                spreadLanes += v * d * d
                k += 8
            }
            var spread = 0.0
            for lane in 0..<8 { spread += Double(spreadLanes[lane]) }
            for k in blockEnd..<n {
                let d = Double(f[k]) - Double(offset)
                spread += Double(x[k]) * (d * d)
            }
            let rolloffBin = search.provenBin(s) ?? Self.serialRolloffBin(s, threshold: threshold)
            return ShapeDescriptors(centroid: centroid,
                                    bandwidth: (silent ? spread : spread / total).squareRoot(),
                                    rolloff: frequencies[rolloffBin],
                                    rms: (squares / Double(max(n, 1))).squareRoot())
        }
    }

    /// The roll-off bin as numpy's `cumsum` finds it: the first bin at which the running sum
    /// of magnitudes, added one bin after another in float, reaches `threshold` (the last bin
    /// if none does).
    static func serialRolloffBin(_ s: UnsafeBufferPointer<Float>, threshold: Float) -> Int {
        var running: Float = 0
        for k in 0..<s.count {
            running += s[k]
            if running >= threshold { return k }
        }
        return s.count - 1
    }
}

/// The per-frame numbers `SpectralShape.descriptors` reads from a magnitude frame.
public struct ShapeDescriptors: Sendable, Equatable {
    /// Hz: the mean frequency of the magnitude distribution (librosa: `spectral_centroid`).
    public var centroid: Double
    /// Hz: the standard deviation of frequency about the centroid (`spectral_bandwidth`, p = 2).
    public var bandwidth: Double
    /// Hz: the lowest bin at which the running sum of magnitudes reaches `rollPercent` of the
    /// total (`spectral_rolloff`).
    public var rolloff: Double
    /// The root-mean-square of the magnitudes over the bins (librosa 0.5's `rmse(S=...)`, which
    /// FMA used; librosa 0.7 and later rescale by the frame length instead).
    public var rms: Double
}

/// The roll-off's bin from sums of eight bins at a time, proven equal to the serial sum's.
///
/// numpy finds the roll-off with a float `cumsum`, one addition per bin in order: a chain
/// of additions, each waiting for the last, up to the bin that reaches the threshold (85 % of
/// the energy, often several hundred bins up). Here blocks of eight bins are summed (in
/// float, as a tree), their running sum kept in double, up to the first block that reaches
/// the threshold; then its bins are added one by one (in double) to the first bin `k` that
/// does. That sum Q differs from numpy's float one R only by rounding, and a bound on the
/// difference decides whether `k` is numpy's bin too:
/// - R adds bins one at a time, each addition rounding by at most u = 2^-24 of its result,
///   so |R_k - S_k| <= u (S_1 + ... + S_k) (S: the exact running sums), and as running sums
///   grow, S_1 + ... + S_k <= 8 (sum of S at the ends of the whole blocks passed) + (bins
///   from the block where the search stopped up to k) S_k;
/// - Q rounds each bin in its block's tree sum three times at most, and otherwise in double:
///   |Q_k - S_k| <= 3.01 u S_k.
/// Together, with Q in place of S and 1 % to spare, |R_k - Q_k| <= margin_k = 1.01 u (8 (sum
/// of Q at those block ends) + (bins from that block up to k) Q_k + 4 Q_k). So R_k >= threshold
/// when Q_k - margin_k >= threshold, and R_(k-1) < threshold when Q_(k-1) + margin_(k-1) <
/// threshold; then `k` is the first bin where numpy's running sum reaches the threshold (R
/// never decreases: magnitudes are not negative). On music about one frame in twenty comes
/// this close, and gets no proof (`provenBin` returns nil): the caller then adds the bins
/// serially. (The threshold itself is `rollPercent` times the eight-lane total, as before;
/// numpy's is of its serial total, which differs from it by rounding only.)
struct RolloffSearch {
    let threshold: Double
    /// The first bin of the block where the search stopped.
    private var start = 0
    /// The running sum of the whole blocks before `start`.
    private var before = 0.0
    /// The sum of the running sums at the ends of those blocks (for the rounding bound).
    private var blockEnds = 0.0

    init(threshold: Float) { self.threshold = Double(threshold) }

    /// Adds the block of eight bins at `start`; true when the running sum reaches the
    /// threshold (the search then stays at that block), false when it moved past it.
    @inline(__always)
    mutating func reachesThreshold(_ block: SIMD8<Float>) -> Bool {
        let quads = block.lowHalf + block.highHalf, pair = quads.lowHalf + quads.highHalf
        let after = before + Double(pair[0] + pair[1])
        if after >= threshold { return true }
        blockEnds += after
        before = after
        start += 8
        return false
    }

    /// Adds bins from `start` one by one to the first that reaches the threshold; its index
    /// when the rounding bound proves it is numpy's bin, nil when only the serial float sum can
    /// tell (or when no bin reaches the threshold).
    func provenBin(_ s: UnsafeBufferPointer<Float>) -> Int? {
        // u = 2^-24 with 1 % to spare, rounded up.
        let u = 0x1.0290p-24
        func margin(_ k: Int, _ running: Double) -> Double {
            u * (8 * blockEnds + Double(k - start + 1) * running + 4 * running)
        }
        var running = before
        for k in start..<s.count {
            let next = running + Double(s[k])
            guard next >= threshold else { running = next; continue }
            // The first bin is exact in both sums.
            if k == 0 { return 0 }
            let proven = next - margin(k, next) >= threshold && running + margin(k - 1, running) < threshold
            return proven ? k : nil
        }
        return nil
    }
}
