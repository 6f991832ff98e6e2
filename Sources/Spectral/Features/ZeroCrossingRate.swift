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
        return signal.withUnsafeBufferPointer { x in
            let counts = (0..<blockCount(sampleCount: x.count, hopLength: hopLength)).map {
                blockCrossings(x, block: $0, hopLength: hopLength)
            }
            return rates(x, blockCrossings: counts, frameLength: frameLength, hopLength: hopLength)
        }
    }

    // A crossing at j (1 <= j < n) is a sign change between samples j - 1 and j; the edge
    // padding repeats the end samples, so it adds none. A frame counts the crossings at j in
    // [first, end).
    //
    // Every frame starts and ends at the same offsets modulo the hop, so the crossings of each
    // hop-long block are counted once, eight samples at a time, and a frame adds up its blocks
    // and only the few crossings between a block boundary and its edges (one sample at the
    // start, none at the end, for FMA's 2048 and 512). The blocks are counted apart from the
    // rates so that a caller that reads the signal block by block anyway (an STFT with the same
    // hop: its frame t covers block t) can count each block while it is in the cache, where
    // `compute` reads the whole signal again.

    /// The number of hop-long blocks: `1 + count / hop`, as many as the frames.
    public static func blockCount(sampleCount: Int, hopLength: Int) -> Int {
        sampleCount / hopLength + 1
    }

    /// The crossings at j in block `block`: `[block hop, (block + 1) hop)`, within `[1, n)`.
    public static func blockCrossings(_ signal: UnsafeBufferPointer<Float>, block: Int, hopLength: Int) -> Int {
        let start = max(block * hopLength, 1), end = min((block + 1) * hopLength, signal.count)
        return end > start ? crossings(signal, start, end) : 0
    }

    /// The rates of `compute`, from every block's `blockCrossings`.
    public static func rates(_ signal: UnsafeBufferPointer<Float>, blockCrossings counts: [Int],
                             frameLength: Int = 2048, hopLength: Int = 512) -> [Float] {
        let n = signal.count, pad = frameLength / 2
        precondition(n > 0 && counts.count == blockCount(sampleCount: n, hopLength: hopLength),
                     "\(counts.count) block counts for \(n) samples and a hop of \(hopLength)")
        let frames = 1 + (n + 2 * pad - frameLength) / hopLength
        // totals[b]: the crossings before block b.
        var totals = [0]
        totals.reserveCapacity(counts.count + 1)
        for count in counts { totals.append(totals[totals.count - 1] + count) }
        // The crossings at j < i.
        func crossings(before i: Int) -> Int {
            let i = min(max(i, 1), n), block = i / hopLength
            let start = max(block * hopLength, 1)
            return totals[block] + (i > start ? Self.crossings(signal, start, i) : 0)
        }
        return (0..<frames).map { t in
            // The frame covers original samples [t hop - pad, t hop - pad + frameLength); its
            // first sample has no predecessor inside the frame (librosa: pad=False).
            let first = t * hopLength - pad + 1, end = t * hopLength - pad + frameLength
            return Float(max(crossings(before: end) - crossings(before: first), 0)) / Float(frameLength)
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
