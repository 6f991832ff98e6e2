import Foundation

/// The seven statistics FMA takes of every feature row over time (`features.py`,
/// `feature_stats`), in the order of `features.csv`'s columns (pandas sorts them by name).
public enum FrameStatistic: String, CaseIterable, Sendable {
    case kurtosis, max, mean, median, min, skew, std
}

/// Summaries of one feature row over its frames, as numpy and scipy compute them.
///
/// - mean, median, min, max: numpy's (median of an even count is the mean of the middle two).
/// - std: population standard deviation (numpy's `ddof=0`).
/// - skew: biased sample skewness m3 / m2^1.5 (scipy's `skew`, `bias=True`).
/// - kurtosis: Fisher's excess kurtosis m4 / m2^2 - 3 (scipy's `kurtosis`, `bias=True`).
///
/// Moments are accumulated in double precision. Where scipy returns NaN (a row that is
/// constant to float32 resolution: m2 <= (1e-6 mean)^2) we return 0 for skew and kurtosis, so
/// that silence and single-frame clips give finite numbers.
public struct FrameStatistics: Sendable, Equatable {
    public var mean: Float, std: Float, skew: Float, kurtosis: Float, median: Float, min: Float, max: Float

    public init(mean: Float, std: Float, skew: Float, kurtosis: Float, median: Float, min: Float, max: Float) {
        self.mean = mean; self.std = std; self.skew = skew; self.kurtosis = kurtosis
        self.median = median; self.min = min; self.max = max
    }

    public subscript(statistic: FrameStatistic) -> Float {
        switch statistic {
        case .mean: mean
        case .std: std
        case .skew: skew
        case .kurtosis: kurtosis
        case .median: median
        case .min: min
        case .max: max
        }
    }

    /// The statistics of `values` (one row, one value per frame). An empty row gives zeros.
    public init(_ values: UnsafeBufferPointer<Float>) {
        self = Self.columns(of: values.baseAddress, frameCount: values.count, columns: 1)[0]
    }

    /// The statistics of every column of a frames x columns row-major matrix (column `c`:
    /// `values[t * columns + c]` over the frames `t`), read in place.
    ///
    /// The moments of four adjacent columns are taken at once, one column in each lane of a
    /// double vector (`Moments.ofFourColumns`); each lane adds its column's frames in order, so
    /// every sum is the one a loop over that column alone would take. Columns left over are
    /// taken one at a time (`Moments.ofColumn`).
    public static func columns(of values: UnsafePointer<Float>?, frameCount n: Int, columns: Int) -> [FrameStatistics] {
        guard n > 0, let values else {
            return Array(repeating: FrameStatistics(mean: 0, std: 0, skew: 0, kurtosis: 0, median: 0, min: 0, max: 0),
                         count: columns)
        }
        var moments: [Moments] = []
        moments.reserveCapacity(columns)
        while moments.count + 4 <= columns {
            moments += Moments.ofFourColumns(values + moments.count, frameCount: n, stride: columns)
        }
        while moments.count < columns {
            moments.append(Moments.ofColumn(values + moments.count, frameCount: n, stride: columns))
        }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: n) { scratch in
            moments.enumerated().map { c, column in
                let m = column.mean
                let m2 = column.m2 / Double(n), m3 = column.m3 / Double(n), m4 = column.m4 / Double(n)
                // scipy's test for a constant row, at float32's resolution (the features are float32).
                let constant = m2 <= (1e-6 * m) * (1e-6 * m) || m2 == 0
                return FrameStatistics(mean: Float(m), std: Float(m2.squareRoot()),
                                       skew: constant ? 0 : Float(m3 / pow(m2, 1.5)),
                                       kurtosis: constant ? 0 : Float(m4 / (m2 * m2) - 3),
                                       median: median(values + c, count: n, stride: columns, scratch: scratch),
                                       min: column.min, max: column.max)
            }
        }
    }

    /// numpy's median of `values` (the mean of the middle two of an even count).
    static func median(_ values: UnsafeBufferPointer<Float>) -> Float {
        guard !values.isEmpty else { return .nan }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: values.count) { scratch in
            median(values.baseAddress!, count: values.count, stride: 1, scratch: scratch)
        }
    }

    /// numpy's median of `n` values `stride` apart: the middle value, or for an even count
    /// the mean of the middle two (in double, rounded to float). `scratch` holds `n` floats.
    static func median(_ values: UnsafePointer<Float>, count n: Int, stride: Int,
                       scratch: UnsafeMutableBufferPointer<Float>) -> Float {
        if n % 2 == 1 { return select(n / 2, of: values, count: n, stride: stride, scratch: scratch).value }
        let (lower, upper) = select(n / 2 - 1, of: values, count: n, stride: stride, scratch: scratch)
        return Float((Double(lower) + Double(upper)) / 2)
    }

    /// The `k`-th smallest (from 0) of `n` values `stride` apart and the one after it in order
    /// (the `k + 1`-th, infinity if there is none), by rounds that each narrow the candidates
    /// around rank `k` with eight pivots at once. (With NaNs among the values the answer is
    /// meaningless, as numpy's would be NaN; the rounds still end.)
    ///
    /// A round takes eight candidates spread evenly through them as pivots, sorted, and
    /// counts in one pass how many candidates lie below each pivot and how many at or below
    /// it: eight lanes of one vector comparison per candidate, no jumps. If rank `k` falls
    /// among a pivot's copies, that pivot is the answer; otherwise the answer lies strictly
    /// between the nearest pivots on either side of rank `k`, and a second pass keeps those
    /// candidates, in `scratch`, writing each and advancing only past the ones kept (no
    /// jumps again). About an eighth of the candidates survive a round, and at least the
    /// pivots' copies leave it. (Hoare's selection, swapping around one pivot, jumped
    /// unpredictably on every comparison and took about three times as long.)
    ///
    /// The value after rank `k` comes almost free: it is the same pivot when rank `k + 1` is
    /// among that pivot's copies too; otherwise it is the smallest candidate above the pivot,
    /// or, if no candidate is above it, the upper pivot of the last round that narrowed the
    /// candidates (every value between was kept, so that pivot comes next in order).
    static func select(_ k: Int, of values: UnsafePointer<Float>, count n: Int, stride: Int,
                       scratch: UnsafeMutableBufferPointer<Float>) -> (value: Float, next: Float) {
        let kept = scratch.baseAddress!
        var candidates = values, candidateStride = stride, count = n, rank = k
        // The smallest value above every candidate.
        var aboveCandidates = Float.infinity
        while true {
            var pivots = SIMD8<Float>()
            for i in 0..<8 { pivots[i] = candidates[((2 * i + 1) * count / 16) * candidateStride] }
            pivots = sorted(pivots)
            var below = SIMD8<Int32>(), atOrBelow = SIMD8<Int32>()
            var p = candidates
            for _ in 0..<count {
                let v = SIMD8<Float>(repeating: p.pointee)
                below &+= SIMD8<Int32>().replacing(with: 1, where: pivots .> v)
                atOrBelow &+= SIMD8<Int32>().replacing(with: 1, where: pivots .>= v)
                p += candidateStride
            }
            // The nearest pivots below and above rank k, and the rank of the lower one's last copy.
            var low: Float? = nil, high: Float? = nil, lowRank = 0
            for i in 0..<8 where !pivots[i].isNaN {
                let firstRank = Int(below[i]), endRank = Int(atOrBelow[i])
                if firstRank <= rank && rank < endRank {
                    if rank + 1 < endRank { return (pivots[i], pivots[i]) }
                    var next = Float.infinity
                    p = candidates
                    for _ in 0..<count {
                        let v = p.pointee
                        next = v > pivots[i] && v < next ? v : next
                        p += candidateStride
                    }
                    return (pivots[i], next < .infinity ? next : aboveCandidates)
                }
                if endRank <= rank { low = pivots[i]; lowRank = endRank }
                if rank < firstRank && high == nil { high = pivots[i] }
            }
            // Strictly between: at or above the next float up from the lower pivot, at or below
            // the next float down from the upper one (all of them, infinities included, when
            // there is no pivot on that side).
            let lowest = low?.nextUp ?? -.infinity, highest = high?.nextDown ?? .infinity
            var keptCount = 0
            p = candidates
            for _ in 0..<count {
                let v = p.pointee
                kept[keptCount] = v
                keptCount &+= v >= lowest && v <= highest ? 1 : 0
                p += candidateStride
            }
            // Without NaNs, rank k stays among the survivors and the pivots leave; with them,
            // neither need hold.
            guard rank - lowRank < keptCount, keptCount < count else { return (.nan, .nan) }
            aboveCandidates = high ?? aboveCandidates
            candidates = UnsafePointer(kept)
            candidateStride = 1
            count = keptCount
            rank -= lowRank
        }
    }

    /// The eight lanes in increasing order (insertion sort).
    @inline(__always)
    private static func sorted(_ v: SIMD8<Float>) -> SIMD8<Float> {
        var a = v
        for i in 1..<8 {
            let x = a[i]
            var j = i
            while j > 0 && a[j - 1] > x {
                a[j] = a[j - 1]
                j -= 1
            }
            a[j] = x
        }
        return a
    }
}

/// One column's mean, sums of central powers (m2, m3, m4: not yet divided by the count) and
/// extremes.
struct Moments {
    var mean: Double, m2: Double, m3: Double, m4: Double
    var min: Float, max: Float

    /// The moments of four adjacent columns of a row-major matrix whose frames are `stride`
    /// apart, one column in each lane of double vectors. Each lane adds its column's frames in
    /// order, as a loop over the column alone would (`ofColumn`), so the sums are the same;
    /// the extremes keep the first of equal values, as `Swift.min` and `Swift.max` do. (One
    /// function for both widths, choosing its load inside the loop, compiled to lane-by-lane
    /// shuffles and took about four times as long.)
    static func ofFourColumns(_ values: UnsafePointer<Float>, frameCount n: Int, stride: Int) -> [Moments] {
        @inline(__always) func load(_ t: Int) -> SIMD4<Float> {
            UnsafeRawPointer(values + t * stride).loadUnaligned(as: SIMD4<Float>.self)
        }
        var sum = SIMD4<Double>(), low = load(0), high = low
        for t in 0..<n {
            let v = load(t)
            sum += SIMD4<Double>(v)
            low = low.replacing(with: v, where: v .< low)
            high = high.replacing(with: v, where: v .>= high)
        }
        let mean = sum / Double(n)
        var m2 = SIMD4<Double>(), m3 = m2, m4 = m2
        for t in 0..<n {
            let d = SIMD4<Double>(load(t)) - mean, d2 = d * d
            m2 += d2
            m3 += d2 * d
            m4 += d2 * d2
        }
        return (0..<4).map {
            Moments(mean: mean[$0], m2: m2[$0], m3: m3[$0], m4: m4[$0], min: low[$0], max: high[$0])
        }
    }

    /// The moments of one column whose frames are `stride` apart, in scalar doubles.
    static func ofColumn(_ values: UnsafePointer<Float>, frameCount n: Int, stride: Int) -> Moments {
        var sum = 0.0, low = values[0], high = low
        for t in 0..<n {
            let v = values[t * stride]
            sum += Double(v)
            low = v < low ? v : low
            high = v >= high ? v : high
        }
        let mean = sum / Double(n)
        var m2 = 0.0, m3 = 0.0, m4 = 0.0
        for t in 0..<n {
            let d = Double(values[t * stride]) - mean, d2 = d * d
            m2 += d2
            m3 += d2 * d
            m4 += d2 * d2
        }
        return Moments(mean: mean, m2: m2, m3: m3, m4: m4, min: low, max: high)
    }
}
