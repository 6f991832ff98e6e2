import Foundation

// Spectral contrast (Jiang et al., "Music type classification by spectral contrast feature",
// ICME 2002; librosa's `feature.spectral_contrast`): per octave band, the dB distance between the
// mean of its few largest magnitudes (the peak) and of its few smallest (the valley).

extension SpectralShape {
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
