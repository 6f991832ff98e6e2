import CVectorMath
import Foundation

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
            let here = genre_load8(p + j) .< threshold
            let before = genre_load8(p + j - 1) .< threshold
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
