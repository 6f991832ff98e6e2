import CVectorMath
import Foundation

// Spectral contrast (Jiang et al., "Music type classification by spectral contrast feature",
// ICME 2002; librosa's `feature.spectral_contrast`): per octave band, the dB distance between the
// mean of its few largest magnitudes (the peak) and of its few smallest (the valley).

extension SpectralShape {
    /// Each contrast band's valley and peak: the means of its `extremes` smallest and largest
    /// magnitudes. Writes `contrastRowCount` values to each.
    ///
    /// librosa sorts every band of every frame; we only need each band's few extremes (2 % of
    /// the band: 1 to 9 bins for FMA's bands), which `LaneLists` finds in one pass over the band
    /// without a branch that depends on the data (a rare fallback aside). The values, and the
    /// order of each sum (ascending for the valley, descending for the peak), are those of a
    /// full sort, so the means are too, to the last bit.
    public func contrastExtremes(_ s: UnsafeBufferPointer<Float>, valleys: UnsafeMutablePointer<Double>,
                                 peaks: UnsafeMutablePointer<Double>) {
        for (b, band) in contrastBands.enumerated() {
            guard band.count > 0 else { valleys[b] = 0; peaks[b] = 0; continue }
            let x = s.baseAddress! + band.start, count = band.count, e = min(band.extremes, band.count)
            switch e {
            case _ where count < 8 || e > 16:
                // Bands too small for a vector, or quantiles far above librosa's 2 %.
                (valleys[b], peaks[b]) = meansBySorting(x, count, e)
            case 1: (valleys[b], peaks[b]) = LaneLists<1>.meansOfExtremes(x, count, e)
            case 2: (valleys[b], peaks[b]) = LaneLists<2>.meansOfExtremes(x, count, e)
            case 3: (valleys[b], peaks[b]) = LaneLists<3>.meansOfExtremes(x, count, e)
            default: (valleys[b], peaks[b]) = LaneLists<4>.meansOfExtremes(x, count, e)
            }
        }
    }

    /// Spectral contrast in dB from every frame's valleys and peaks (frames x bands each):
    /// `power_to_db(peak) - power_to_db(valley)`, each in dB re 1 with a floor of 1e-10 and
    /// clipped to 80 dB below its own maximum over the whole clip, as librosa does.
    ///
    /// Two passes over preallocated storage: the first writes the peaks' decibels to the result
    /// and the valleys' to a scratch buffer while it tracks both maxima (the clip's, so the
    /// clipping has to wait for them); the second clips both and subtracts. Each value takes
    /// the same `log10`, `max` and subtraction as in librosa's array-at-a-time steps, in the
    /// same order (a maximum does not depend on the order of its values), so the bits are too.
    public static func contrast(valleys: [Double], peaks: [Double]) -> [Double] {
        precondition(valleys.count == peaks.count, "every frame needs a valley and a peak per band")
        let count = peaks.count
        guard count > 0 else { return [] }
        @inline(__always) func decibels(_ x: Double) -> Double { 10 * log10(max(1e-10, x)) }
        return [Double](unsafeUninitializedCapacity: count) { result, written in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { valleyDecibels in
                peaks.withUnsafeBufferPointer { peaks in
                    valleys.withUnsafeBufferPointer { valleys in
                        var peakTop = -Double.infinity, valleyTop = -Double.infinity
                        for i in 0..<count {
                            let p = decibels(peaks[i]), v = decibels(valleys[i])
                            result[i] = p
                            valleyDecibels[i] = v
                            peakTop = max(peakTop, p)
                            valleyTop = max(valleyTop, v)
                        }
                        let peakFloor = peakTop - 80, valleyFloor = valleyTop - 80
                        for i in 0..<count {
                            result[i] = max(result[i], peakFloor) - max(valleyDecibels[i], valleyFloor)
                        }
                    }
                }
            }
            written = count
        }
    }
}

/// librosa's way: the means of the `e` smallest and `e` largest of `x[0 ..< count]` by a sort.
private func meansBySorting(_ x: UnsafePointer<Float>, _ count: Int, _ e: Int) -> (Double, Double) {
    let sorted = UnsafeBufferPointer(start: x, count: count).sorted()
    var low = 0.0, high = 0.0
    for j in 0..<e {
        low += Double(sorted[j])
        high += Double(sorted[count - 1 - j])
    }
    return (low / Double(e), high / Double(e))
}

/// The means of a band's `e` smallest and `e` largest values (1 ≤ e ≤ 16, at least eight
/// values), in one pass and without a branch that depends on the data (but the check in 3).
///
/// The band is read as vectors of eight, so lane i sees bins i, i + 8, i + 16, ...
/// 1. Scan. Every lane keeps its `depth` smallest values so far, sorted, as `depth` rows
///    (`SortedRows`). A new vector v enters by `row[j] = min(row[j], max(row[j - 1], v))`, from
///    the last row up: each lane's value lands in its place and the larger ones move down a row
///    (2 depth - 1 vector min/max, no comparison branch). The largest are kept the same way,
///    mirrored. The bins past the last whole vector come in a vector that ends the band, its
///    lanes already seen set to infinity.
/// 2. Merge (`depth` is e when e ≤ 4, otherwise 4). The lanes' sorted lists are merged without
///    branches. Row j of two sorted lists A and B merged is the least, over i, of
///    max(A[j - i], B[i - 1]): the (j + 1)-th smallest takes i values from B and the rest from A.
///    - e ≤ 4: each lane merges with the lane 4 apart, then 2, then 1, keeping e rows each time;
///      lane 0 ends with the band's e smallest, ascending.
///    - e > 4: the 32 kept values: lanes merge with those 4 apart by the formula into four
///      sorted lists of eight, then with those 2 and 1 apart by bitonic merges, row by row,
///      into the 16 smallest, ascending (`sixteenSmallest`).
/// 3. Check (e > 4 only). A lane kept only its 4 smallest, so if its 4th is below the e-th
///    smallest found, a value it dropped may belong to the extremes. Then (on music, for 6 %
///    of the top band's ends and 0.4 % of the next band's) the band is read again: every
///    value at or below that e-th smallest is collected and sorted (`meanOfSmallest`).
///
/// After the scan the rows of the largest are negated, so that the merges and the check find
/// them as the smallest of the negated values; each is negated back before the sum. Each sum
/// starts from zero and runs in sorted order (ascending for the smallest, descending for the
/// largest): the order of a full sort, whatever the ties.
///
/// `depth` is a type parameter so that each depth gets its own code, with the rows it does not
/// use folded away. The helpers are `@inline(always)` (guaranteed), not `@inline(__always)`
/// (a hint that the optimizer drops here, leaving a call per vector).
private struct LaneLists<let depth: Int> {
    @inline(never)
    static func meansOfExtremes(_ x: UnsafePointer<Float>, _ count: Int, _ e: Int) -> (Double, Double) {
        var low = SortedRows(repeating: .infinity), high = SortedRows(repeating: -.infinity)
        let vectors = count / 8
        for v in 0..<vectors {
            let block = genre_load8(x + 8 * v)
            low.enter(block, depth)
            high.enterLargest(block, depth)
        }
        if 8 * vectors < count {
            let last = genre_load8(x + count - 8)
            let seen = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) .< SIMD8<Int32>(repeating: Int32(8 * vectors - (count - 8)))
            low.enter(last.replacing(with: .infinity, where: seen), depth)
            high.enterLargest(last.replacing(with: -.infinity, where: seen), depth)
        }
        high = high.negated

        if depth < 4 || e == depth {
            let lows = low.mergedAcrossLanes(depth), highs = high.mergedAcrossLanes(depth)
            var lowSum = 0.0, highSum = 0.0
            lowSum += Double(lows.r0[0]); highSum += Double(-highs.r0[0])
            if depth > 1 { lowSum += Double(lows.r1[0]); highSum += Double(-highs.r1[0]) }
            if depth > 2 { lowSum += Double(lows.r2[0]); highSum += Double(-highs.r2[0]) }
            if depth > 3 { lowSum += Double(lows.r3[0]); highSum += Double(-highs.r3[0]) }
            return (lowSum / Double(e), highSum / Double(e))
        }
        let lows = low.sixteenSmallest, highs = high.sixteenSmallest
        @inline(always) func rank(_ j: Int, _ sorted: (SIMD8<Float>, SIMD8<Float>)) -> Float {
            j < 8 ? sorted.0[j] : sorted.1[j - 8]
        }
        var lowSum = 0.0, highSum = 0.0
        for j in 0..<e {
            lowSum += Double(rank(j, lows))
            highSum += Double(-rank(j, highs))
        }
        var valley = lowSum / Double(e), peak = highSum / Double(e)
        let lowBound = rank(e - 1, lows), highBound = rank(e - 1, highs)
        if smallestLane(low.r3) < lowBound {
            valley = meanOfSmallest(e, of: x, count, atOrBelow: lowBound, negated: false)
        }
        if smallestLane(high.r3) < highBound {
            peak = meanOfSmallest(e, of: x, count, atOrBelow: highBound, negated: true)
        }
        return (valley, peak)
    }
}

/// Up to four rows of eight lanes, each lane a sorted list: row j holds the lane's (j + 1)-th
/// smallest value (or, in `enterLargest`, its (j + 1)-th largest). Rows past the depth in use
/// are left alone.
private struct SortedRows {
    var r0, r1, r2, r3: SIMD8<Float>

    init(repeating value: Float) {
        r0 = SIMD8(repeating: value); r1 = r0; r2 = r0; r3 = r0
    }

    init(_ r0: SIMD8<Float>, _ r1: SIMD8<Float>, _ r2: SIMD8<Float>, _ r3: SIMD8<Float>) {
        (self.r0, self.r1, self.r2, self.r3) = (r0, r1, r2, r3)
    }

    /// Each lane's value of `v` entered into its `depth` smallest: into row j goes the lesser
    /// of row j and the greater of row j - 1 and v, from the last row up, so v lands in its
    /// place and the rows below move down by one, the last dropping out.
    @inline(always)
    mutating func enter(_ v: SIMD8<Float>, _ depth: Int) {
        if depth > 3 { r3 = minimum(r3, maximum(r2, v)) }
        if depth > 2 { r2 = minimum(r2, maximum(r1, v)) }
        if depth > 1 { r1 = minimum(r1, maximum(r0, v)) }
        r0 = minimum(r0, v)
    }

    /// The same for the `depth` largest, row 0 the largest.
    @inline(always)
    mutating func enterLargest(_ v: SIMD8<Float>, _ depth: Int) {
        if depth > 3 { r3 = maximum(r3, minimum(r2, v)) }
        if depth > 2 { r2 = maximum(r2, minimum(r1, v)) }
        if depth > 1 { r1 = maximum(r1, minimum(r0, v)) }
        r0 = maximum(r0, v)
    }

    @inline(always)
    var negated: SortedRows { SortedRows(-r0, -r1, -r2, -r3) }

    /// The `depth` smallest of all lanes, ascending, in every lane: each lane's list merged with
    /// the list 4 lanes away, then 2, then 1.
    @inline(always)
    func mergedAcrossLanes(_ depth: Int) -> SortedRows {
        mergedWithLanes(4, depth).mergedWithLanes(2, depth).mergedWithLanes(1, depth)
    }

    /// Each lane's list merged with the list of the lane `distance` away (B), keeping `depth`
    /// rows: row j is the least of A[j], B[j] and max(A[j - i], B[i - 1]) for i from 1 to j.
    @inline(always)
    func mergedWithLanes(_ distance: Int, _ depth: Int) -> SortedRows {
        let b0 = partner(r0, distance), b1 = partner(r1, distance)
        let b2 = partner(r2, distance), b3 = partner(r3, distance)
        var merged = self
        merged.r0 = minimum(r0, b0)
        if depth > 1 { merged.r1 = minimum(minimum(r1, b1), maximum(r0, b0)) }
        if depth > 2 { merged.r2 = minimum(minimum(r2, b2), minimum(maximum(r1, b0), maximum(r0, b1))) }
        if depth > 3 {
            merged.r3 = minimum(minimum(r3, b3),
                                minimum(maximum(r2, b0), minimum(maximum(r1, b1), maximum(r0, b2))))
        }
        return merged
    }

    /// The 16 smallest of the four rows' 32 values, ascending, in two vectors.
    ///
    /// Three merges of lanes, all row by row: lanes 4 apart by the formula of `mergedWithLanes`
    /// into sorted lists of 8, then lanes 2 apart and 1 apart by bitonic merges (Batcher's:
    /// two ascending lists, one read backwards, make a rise and a fall, which exchanges 8, 4,
    /// 2, then 1 apart sort). Every lane works alike and only lane 0's result is read (LLVM
    /// narrows the last steps to the lanes they feed): gathering each list into a vector of its
    /// own would take fewer operations, but LLVM folds such transposes into the minima around
    /// them and emits three times the code.
    @inline(always)
    var sixteenSmallest: (SIMD8<Float>, SIMD8<Float>) {
        // Lanes 4 apart, all eight rows kept: lanes 0-3 hold four sorted lists of 8.
        let b0 = swapHalves(r0), b1 = swapHalves(r1), b2 = swapHalves(r2), b3 = swapHalves(r3)
        let m0 = minimum(r0, b0)
        let m1 = minimum(minimum(r1, b1), maximum(r0, b0))
        let m2 = minimum(minimum(r2, b2), minimum(maximum(r1, b0), maximum(r0, b1)))
        let m3 = minimum(minimum(r3, b3), minimum(maximum(r2, b0), minimum(maximum(r1, b1), maximum(r0, b2))))
        let m4 = minimum(minimum(maximum(r3, b0), maximum(r2, b1)), minimum(maximum(r1, b2), maximum(r0, b3)))
        let m5 = minimum(maximum(r3, b1), minimum(maximum(r2, b2), maximum(r1, b3)))
        let m6 = minimum(maximum(r3, b2), maximum(r2, b3))
        let m7 = maximum(r3, b3)
        // Lanes 2 apart: each list against the other's read backwards gives the lesser eight
        // (l) and the greater eight (h) of the two, each a rise and a fall; lanes 0-1 then hold
        // two sorted lists of 16, l0 ... l7, h0 ... h7.
        var l0 = m0, l1 = m1, l2 = m2, l3 = m3, l4 = m4, l5 = m5, l6 = m6, l7 = m7
        var h0 = swapPairs(m7), h1 = swapPairs(m6), h2 = swapPairs(m5), h3 = swapPairs(m4)
        var h4 = swapPairs(m3), h5 = swapPairs(m2), h6 = swapPairs(m1), h7 = swapPairs(m0)
        exchange(&l0, &h0); exchange(&l1, &h1); exchange(&l2, &h2); exchange(&l3, &h3)
        exchange(&l4, &h4); exchange(&l5, &h5); exchange(&l6, &h6); exchange(&l7, &h7)
        sortBitonic(&l0, &l1, &l2, &l3, &l4, &l5, &l6, &l7)
        sortBitonic(&h0, &h1, &h2, &h3, &h4, &h5, &h6, &h7)
        // Lanes 1 apart: the lesser of each of lane 0's 16 and its mirror in lane 1's, a rise
        // and a fall of the 16 smallest, sorted.
        var s0 = minimum(l0, swapNeighbours(h7)), s1 = minimum(l1, swapNeighbours(h6))
        var s2 = minimum(l2, swapNeighbours(h5)), s3 = minimum(l3, swapNeighbours(h4))
        var s4 = minimum(l4, swapNeighbours(h3)), s5 = minimum(l5, swapNeighbours(h2))
        var s6 = minimum(l6, swapNeighbours(h1)), s7 = minimum(l7, swapNeighbours(h0))
        var s8 = minimum(h0, swapNeighbours(l7)), s9 = minimum(h1, swapNeighbours(l6))
        var s10 = minimum(h2, swapNeighbours(l5)), s11 = minimum(h3, swapNeighbours(l4))
        var s12 = minimum(h4, swapNeighbours(l3)), s13 = minimum(h5, swapNeighbours(l2))
        var s14 = minimum(h6, swapNeighbours(l1)), s15 = minimum(h7, swapNeighbours(l0))
        exchange(&s0, &s8); exchange(&s1, &s9); exchange(&s2, &s10); exchange(&s3, &s11)
        exchange(&s4, &s12); exchange(&s5, &s13); exchange(&s6, &s14); exchange(&s7, &s15)
        sortBitonic(&s0, &s1, &s2, &s3, &s4, &s5, &s6, &s7)
        sortBitonic(&s8, &s9, &s10, &s11, &s12, &s13, &s14, &s15)
        return (SIMD8(s0[0], s1[0], s2[0], s3[0], s4[0], s5[0], s6[0], s7[0]),
                SIMD8(s8[0], s9[0], s10[0], s11[0], s12[0], s13[0], s14[0], s15[0]))
    }
}

/// The lesser of each lane of `a` and `b` into `a`, the greater into `b`.
@inline(always)
private func exchange(_ a: inout SIMD8<Float>, _ b: inout SIMD8<Float>) {
    (a, b) = (minimum(a, b), maximum(a, b))
}

/// Eight rows whose lanes each rise then fall, sorted lane by lane: rows 4 apart exchanged,
/// then 2, then 1 (Batcher's bitonic merge).
@inline(always)
private func sortBitonic(_ a0: inout SIMD8<Float>, _ a1: inout SIMD8<Float>, _ a2: inout SIMD8<Float>,
                         _ a3: inout SIMD8<Float>, _ a4: inout SIMD8<Float>, _ a5: inout SIMD8<Float>,
                         _ a6: inout SIMD8<Float>, _ a7: inout SIMD8<Float>) {
    exchange(&a0, &a4); exchange(&a1, &a5); exchange(&a2, &a6); exchange(&a3, &a7)
    exchange(&a0, &a2); exchange(&a1, &a3); exchange(&a4, &a6); exchange(&a5, &a7)
    exchange(&a0, &a1); exchange(&a2, &a3); exchange(&a4, &a5); exchange(&a6, &a7)
}

/// The mean of the `e` smallest of `x[0 ..< count]` (of its negation when `negated`, then
/// negated back: the largest), when at least `e` of them are at or below `bound`: those are
/// collected and sorted.
@inline(never)
private func meanOfSmallest(_ e: Int, of x: UnsafePointer<Float>, _ count: Int, atOrBelow bound: Float,
                            negated: Bool) -> Double {
    let sign: Float = negated ? -1 : 1
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: count) { buffer in
        var n = 0
        let bounds = SIMD8<Float>(repeating: bound)
        for v in 0..<(count / 8) {
            let block = sign * genre_load8(x + 8 * v)
            guard any(block .<= bounds) else { continue }
            for lane in 0..<8 where block[lane] <= bound {
                buffer[n] = block[lane]
                n += 1
            }
        }
        for i in (count / 8 * 8)..<count where sign * x[i] <= bound {
            buffer[n] = sign * x[i]
            n += 1
        }
        var candidates = UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
        candidates.sort()
        var sum = 0.0
        for j in 0..<e { sum += Double(sign * candidates[j]) }
        return sum / Double(e)
    }
}

// Lane-wise minimum and maximum as compare-and-select, which LLVM turns into `vminps` and
// `vmaxps` (Swift's `pointwiseMin` calls a scalar function per lane).
@inline(always)
private func minimum(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: b .< a) }
@inline(always)
private func maximum(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: b .> a) }

/// The least lane, by three exchanges of halves, pairs and neighbours.
@inline(always)
private func smallestLane(_ v: SIMD8<Float>) -> Float {
    let a = minimum(v, swapHalves(v)), b = minimum(a, swapPairs(a))
    return minimum(b, swapNeighbours(b))[0]
}

/// The lanes of the list `distance` (4, 2 or 1) lanes away.
@inline(always)
private func partner(_ v: SIMD8<Float>, _ distance: Int) -> SIMD8<Float> {
    switch distance {
    case 4: swapHalves(v)
    case 2: swapPairs(v)
    default: swapNeighbours(v)
    }
}

// Lane permutations, each one shuffle instruction.
@inline(always)
private func swapHalves(_ v: SIMD8<Float>) -> SIMD8<Float> { SIMD8(lowHalf: v.highHalf, highHalf: v.lowHalf) }
@inline(always)
private func swapPairs(_ v: SIMD8<Float>) -> SIMD8<Float> { SIMD8(v[2], v[3], v[0], v[1], v[6], v[7], v[4], v[5]) }
@inline(always)
private func swapNeighbours(_ v: SIMD8<Float>) -> SIMD8<Float> { SIMD8(v[1], v[0], v[3], v[2], v[5], v[4], v[7], v[6]) }
