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

    /// Each contrast band's valley and peak: the means of its `extremes` smallest and largest
    /// magnitudes. Writes `contrastRowCount` values to each.
    public func contrastExtremes(_ s: UnsafeBufferPointer<Float>, valleys: UnsafeMutablePointer<Double>,
                                 peaks: UnsafeMutablePointer<Double>) {
        for (b, band) in contrastBands.enumerated() {
            guard band.count > 0 else { valleys[b] = 0; peaks[b] = 0; continue }
            (valleys[b], peaks[b]) = Self.meansOfExtremes(s.baseAddress! + band.start, band.count,
                                                          min(band.extremes, band.count))
        }
    }

    /// The means of the `e` smallest and of the `e` largest of `x[0 ..< count]`.
    ///
    /// librosa sorts every band of every frame; we only need its few extremes (`e` is 2 % of
    /// the band, at most a dozen bins). Two vector passes find both ends at once:
    /// 1. Bars. The band is read as vectors of eight and cut into `ceil(e / 8)` runs of
    ///    vectors; the lane-wise minimum of each run gives eight group minima (a group: every
    ///    eighth bin of the run), and the bins past the last whole vector count as groups of one.
    ///    The low bar is the e-th smallest group minimum: e groups each hold a bin at or below
    ///    it, so the e smallest bins of the band are all at or below it. The high bar is the
    ///    same from the maxima.
    /// 2. Candidates. Only bins beyond a bar can be among the extremes; one vector comparison
    ///    skips eight bins that are not, and the few that are (about twice e on music) go
    ///    through a sorted buffer of e values for each end (the largest kept negated).
    /// The extremes, ties included, are the values a full sort would put at either end, and
    /// each sum is taken in the same order.
    private static func meansOfExtremes(_ x: UnsafePointer<Float>, _ count: Int, _ e: Int) -> (Double, Double) {
        let vectors = count / 8, runs = (e + 7) / 8
        @inline(__always) func load(_ v: Int) -> SIMD8<Float> {
            UnsafeRawPointer(x + 8 * v).loadUnaligned(as: SIMD8<Float>.self)
        }
        if e == 1 {
            // The narrow low bands average a single bin at each end: the minimum and maximum.
            var low = SIMD8<Float>(repeating: .infinity), high = SIMD8<Float>(repeating: -.infinity)
            for v in 0..<vectors {
                let next = load(v)
                low.replace(with: next, where: next .< low)
                high.replace(with: next, where: next .> high)
            }
            var smallest = low.min(), largest = high.max()
            for i in (8 * vectors)..<count {
                smallest = min(smallest, x[i])
                largest = max(largest, x[i])
            }
            return (Double(smallest), Double(largest))
        }
        let groupCapacity = 8 * runs + 8
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * (groupCapacity + e)) { scratch in
            let lowGroups = scratch.baseAddress!, highGroups = lowGroups + groupCapacity
            let lowKept = highGroups + groupCapacity, highKept = lowKept + e
            var lowBar = Float.infinity, highBar = -Float.infinity
            if vectors >= runs {
                var groupCount = 0
                for run in 0..<runs {
                    let first = vectors * run / runs, end = vectors * (run + 1) / runs
                    var low = load(first), high = low
                    for v in (first + 1)..<end {
                        let next = load(v)
                        low.replace(with: next, where: next .< low)
                        high.replace(with: next, where: next .> high)
                    }
                    for lane in 0..<8 {
                        lowGroups[groupCount + lane] = low[lane]
                        highGroups[groupCount + lane] = -high[lane]
                    }
                    groupCount += 8
                }
                for i in (8 * vectors)..<count {
                    lowGroups[groupCount] = x[i]
                    highGroups[groupCount] = -x[i]
                    groupCount += 1
                }
                lowBar = smallest(e, of: UnsafeBufferPointer(start: lowGroups, count: groupCount), into: lowKept)
                highBar = -smallest(e, of: UnsafeBufferPointer(start: highGroups, count: groupCount), into: highKept)
            }
            var lows = SmallestValues(buffer: lowKept, capacity: e)
            var highs = SmallestValues(buffer: highKept, capacity: e)
            let lowBars = SIMD8<Float>(repeating: lowBar), highBars = SIMD8<Float>(repeating: highBar)
            for v in 0..<vectors {
                let block = load(v)
                let lowMask = block .<= lowBars, highMask = block .>= highBars
                // Most vectors hold no candidate; the others give only the lanes past a bar,
                // picked by their bits.
                guard any(lowMask .| highMask) else { continue }
                var low = laneBits(lowMask), high = laneBits(highMask)
                while low != 0 {
                    lows.offer(block[low.trailingZeroBitCount])
                    low &= low - 1
                }
                while high != 0 {
                    highs.offer(-block[high.trailingZeroBitCount])
                    high &= high - 1
                }
            }
            for i in (8 * vectors)..<count {
                if x[i] <= lowBar { lows.offer(x[i]) }
                if x[i] >= highBar { highs.offer(-x[i]) }
            }
            var low = 0.0, high = 0.0
            for j in 0..<lows.count { low += Double(lowKept[j]) }
            for j in 0..<highs.count { high += Double(highKept[j]) }
            return (low / Double(lows.count), -high / Double(highs.count))
        }
    }

    /// The e-th smallest of `values`, found with `buffer` (e floats); infinity when there are
    /// fewer than e (a quantile so large that the groups cannot bound the band).
    private static func smallest(_ e: Int, of values: UnsafeBufferPointer<Float>,
                                 into buffer: UnsafeMutablePointer<Float>) -> Float {
        guard values.count >= e else { return .infinity }
        var keeper = SmallestValues(buffer: buffer, capacity: e)
        for v in values { keeper.offer(v) }
        return buffer[e - 1]
    }

    /// Spectral contrast in dB from every frame's valleys and peaks (frames x bands each):
    /// `power_to_db(peak) - power_to_db(valley)`, each in dB re 1 with a floor of 1e-10 and
    /// clipped to 80 dB below its own maximum over the whole clip, as librosa does.
    public static func contrast(valleys: [Double], peaks: [Double]) -> [Double] {
        func decibels(_ x: [Double]) -> [Double] {
            var db = x.map { 10 * log10(max(1e-10, $0)) }
            if let top = db.max() { db = db.map { max($0, top - 80) } }
            return db
        }
        let p = decibels(peaks), v = decibels(valleys)
        return zip(p, v).map { $0 - $1 }
    }
}

/// The zero-crossing rate of each frame (librosa: `feature.zero_crossing_rate` with
/// `center=True`): the signal is padded by `frameLength / 2` copies of its end samples, frame
/// `t` covers `[t hop, t hop + frameLength)` of that, and its rate is the number of sign changes
/// between consecutive samples divided by `frameLength`. Values within 1e-10 of zero count as
/// positive zero (librosa's `threshold` and `zero_pos`).
public enum ZeroCrossingRate {
    /// - Returns: one rate per frame, `1 + count / hop` frames.
    public static func compute(_ signal: [Float], frameLength: Int = 2048, hopLength: Int = 512) -> [Float] {
        guard !signal.isEmpty else { return [0] }
        let n = signal.count, pad = frameLength / 2
        let frames = 1 + (n + 2 * pad - frameLength) / hopLength
        // A crossing at j (1 <= j < n) is a sign change between samples j - 1 and j; the edge
        // padding repeats the end samples, so it adds none. A frame counts the crossings at
        // j in [first, end); crossings(i) below counts those at j < i.
        //
        // Every frame starts and ends at the same offsets modulo the hop, so we count the
        // crossings of each hop-long block once, eight samples at a time, and add to a block
        // boundary's running total only the few crossings between it and a frame's edge (one
        // sample at the start, none at the end, for FMA's 2048 and 512).
        return signal.withUnsafeBufferPointer { x in
            let blocks = n / hopLength + 1
            var totals = [Int](repeating: 0, count: blocks + 1)
            for b in 0..<blocks {
                let start = max(b * hopLength, 1), end = min((b + 1) * hopLength, n)
                totals[b + 1] = totals[b] + (end > start ? Self.crossings(x, start, end) : 0)
            }
            func crossings(before i: Int) -> Int {
                let i = min(max(i, 1), n), block = i / hopLength
                let start = max(block * hopLength, 1)
                return totals[block] + (i > start ? Self.crossings(x, start, i) : 0)
            }
            return (0..<frames).map { t in
                // The frame covers original samples [t hop - pad, t hop - pad + frameLength); its
                // first sample has no predecessor inside the frame (librosa: pad=False).
                let first = t * hopLength - pad + 1, end = t * hopLength - pad + frameLength
                return Float(max(crossings(before: end) - crossings(before: first), 0)) / Float(frameLength)
            }
        }
    }

    /// The sign changes at j in [start, end) (start >= 1): eight pairs of neighbours at a time.
    private static func crossings(_ x: UnsafeBufferPointer<Float>, _ start: Int, _ end: Int) -> Int {
        let p = x.baseAddress!
        let threshold = SIMD8<Float>(repeating: -1e-10), ones = SIMD8<Int32>(repeating: 1)
        var counts = SIMD8<Int32>()
        var j = start
        while j + 8 <= end {
            let here = UnsafeRawPointer(p + j).loadUnaligned(as: SIMD8<Float>.self) .< threshold
            let before = UnsafeRawPointer(p + j - 1).loadUnaligned(as: SIMD8<Float>.self) .< threshold
            counts &+= SIMD8<Int32>().replacing(with: ones, where: here .^ before)
            j += 8
        }
        var total = Int(counts.wrappedSum())
        while j < end {
            total += (p[j] < -1e-10) != (p[j - 1] < -1e-10) ? 1 : 0
            j += 1
        }
        return total
    }
}

/// Bit i set for each true lane i of a mask (the eight sign bits that x86's `movmskps` reads).
@inline(__always)
private func laneBits(_ mask: SIMDMask<SIMD8<Int32>>) -> UInt32 {
    let weights = SIMD8<Int32>(1, 2, 4, 8, 16, 32, 64, 128)
    return UInt32(SIMD8<Int32>().replacing(with: weights, where: mask).wrappedSum())
}

/// The `capacity` smallest values offered so far, ascending, in a caller's buffer. A value
/// replaces the largest kept one only if strictly smaller, so among equal values the first
/// offered stay.
private struct SmallestValues {
    let buffer: UnsafeMutablePointer<Float>
    let capacity: Int
    private(set) var count = 0

    init(buffer: UnsafeMutablePointer<Float>, capacity: Int) {
        self.buffer = buffer
        self.capacity = capacity
    }

    @inline(__always)
    mutating func offer(_ v: Float) {
        var j: Int
        if count < capacity {
            j = count
            count += 1
        } else if v < buffer[capacity - 1] {
            j = capacity - 1
        } else {
            return
        }
        while j > 0 && buffer[j - 1] > v {
            buffer[j] = buffer[j - 1]
            j -= 1
        }
        buffer[j] = v
    }
}
