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
        let n = values.count
        guard n > 0 else {
            self.init(mean: 0, std: 0, skew: 0, kurtosis: 0, median: 0, min: 0, max: 0)
            return
        }
        var sum = 0.0, low = values[0], high = values[0]
        for v in values {
            sum += Double(v)
            low = Swift.min(low, v)
            high = Swift.max(high, v)
        }
        let m = sum / Double(n)
        var m2 = 0.0, m3 = 0.0, m4 = 0.0
        for v in values {
            let d = Double(v) - m, d2 = d * d
            m2 += d2
            m3 += d2 * d
            m4 += d2 * d2
        }
        m2 /= Double(n); m3 /= Double(n); m4 /= Double(n)
        // scipy's test for a constant row, at float32's resolution (the features are float32).
        let constant = m2 <= (1e-6 * m) * (1e-6 * m) || m2 == 0
        self.init(mean: Float(m), std: Float(m2.squareRoot()),
                  skew: constant ? 0 : Float(m3 / pow(m2, 1.5)),
                  kurtosis: constant ? 0 : Float(m4 / (m2 * m2) - 3),
                  median: Self.median(values), min: low, max: high)
    }

    /// The median by selection (average O(n)) on a copy.
    static func median(_ values: UnsafeBufferPointer<Float>) -> Float {
        var copy = Array(values)
        let n = copy.count
        return copy.withUnsafeMutableBufferPointer { a in
            let upper = select(a, n / 2)
            if n % 2 == 1 { return upper }
            // The largest of the lower half sits left of index n/2 after selection.
            var lower = a[0]
            for i in 1..<(n / 2) { lower = Swift.max(lower, a[i]) }
            return Float((Double(lower) + Double(upper)) / 2)
        }
    }

    /// Hoare's selection: rearranges `a` so that `a[k]` is the k-th smallest, with smaller
    /// or equal values before it; returns it.
    static func select(_ a: UnsafeMutableBufferPointer<Float>, _ k: Int) -> Float {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            // Median of three as the pivot.
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return a[k] }
        }
        return a[k]
    }
}
