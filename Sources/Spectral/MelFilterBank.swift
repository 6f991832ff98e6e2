/// Triangular filters that pool an STFT's bins into mel bands (librosa: `filters.mel`).
///
/// Band `m` rises from the (m)th to the (m+1)th of `bandCount + 2` mel-spaced frequencies
/// and falls to the (m+2)th. With `.slaney` normalization each triangle is scaled by
/// 2 / (its width in Hz), so that bands have equal area rather than equal height.
/// The weights are computed in double precision and stored as float, as librosa does.
public struct MelFilterBank: Sendable {
    public enum Normalization: Sendable { case slaney, none }

    public let sampleRate: Int
    public let fftSize: Int
    public let bandCount: Int
    /// bandCount x (fftSize / 2 + 1), row-major.
    public let weights: [Float]
    /// `project`'s layout of the weights, eight bands at a time (see `Block`).
    private let blocks: [Block]
    /// Each step's weights: four for a pair's first band in the low lanes, four for its
    /// second in the high lanes.
    private let stepWeights: [SIMD8<Float>]
    /// Each step's first bin for the pair's first band (x) and its second (y).
    private let stepBins: [SIMD2<Int32>]
    private let tails: [Tail]

    /// - Parameters:
    ///   - sampleRate: of the signal, in Hz (librosa: `sr`).
    ///   - fftSize: of the STFT (librosa: `n_fft`).
    ///   - bandCount: mel bands (librosa: `n_mels`, default 128).
    ///   - lowHz, highHz: the band edges (librosa: `fmin` = 0, `fmax` = sr / 2).
    public init(sampleRate: Int, fftSize: Int, bandCount: Int = 128, lowHz: Double = 0, highHz: Double? = nil,
                scale: MelScale = .slaney, normalization: Normalization = .slaney) {
        precondition(bandCount >= 1 && fftSize >= 2 && sampleRate > 0, "a mel filter bank needs bands, bins and a rate")
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        self.bandCount = bandCount
        let bins = fftSize / 2 + 1
        let edges = scale.frequencies(count: bandCount + 2, low: lowHz, high: highHz ?? Double(sampleRate) / 2)
        let binHz = (0..<bins).map { Double($0) * Double(sampleRate) / Double(fftSize) }
        var weights = [Float](repeating: 0, count: bandCount * bins)
        for m in 0..<bandCount {
            let lower = edges[m], middle = edges[m + 1], upper = edges[m + 2]
            let scaleFactor = normalization == .slaney ? 2 / (upper - lower) : 1
            for k in 0..<bins {
                let rising = (binHz[k] - lower) / (middle - lower)
                let falling = (upper - binHz[k]) / (upper - middle)
                weights[m * bins + k] = Float(max(0, min(rising, falling)) * scaleFactor)
            }
        }
        self.weights = weights
        (blocks, stepWeights, stepBins, tails) = Self.layout(weights, bandCount: bandCount, bins: bins)
    }

    public var binCount: Int { fftSize / 2 + 1 }

    /// Projects a spectrogram (frames x bins) onto the bands: frames x bands.
    public func apply(_ spectrogram: FrameMatrix) -> FrameMatrix {
        precondition(spectrogram.columns == binCount,
                     "spectrogram has \(spectrogram.columns) bins, the filter bank expects \(binCount)")
        return spectrogram.projected(columns: bandCount) { project($0, into: $1) }
    }

    /// Projects one frame's `binCount` values onto the bands, writing `bandCount` values.
    ///
    /// Eight bands at a time, in four vectors of partial sums: each vector holds a pair of
    /// bands, the first's four partial sums in its low lanes and the second's in its high
    /// lanes. A step multiplies four consecutive bins of each band of a pair (two four-lane
    /// loads joined into one vector) by their weights and adds them to the pair's sums; the
    /// four pairs' steps are independent, so the processor overlaps their additions. The tail
    /// terms then go to their bands' first partial sums, and two rounds of pairwise additions
    /// leave the eight totals `(s0 + s1) + (s2 + s3)` in one vector.
    ///
    /// A step does up to eight useful products, and a narrow band needs one or two: a bin is
    /// weighted by two bands only, so a layout with one vector of eight bands' weights per bin
    /// would multiply mostly zeros.
    public func project(_ frame: UnsafeBufferPointer<Float>, into bands: UnsafeMutablePointer<Float>) {
        precondition(frame.count == binCount, "a frame of \(frame.count) bins for a bank of \(binCount)")
        let x = frame.baseAddress!
        blocks.withUnsafeBufferPointer { blocks in
            stepWeights.withUnsafeBufferPointer { weights in
                stepBins.withUnsafeBufferPointer { bins in
                    tails.withUnsafeBufferPointer { tails in
                        for (b, block) in blocks.enumerated() {
                            var pair0 = SIMD8<Float>(), pair1 = pair0, pair2 = pair0, pair3 = pair0
                            var w = weights.baseAddress! + 4 * block.rows.lowerBound
                            var at = bins.baseAddress! + 4 * block.rows.lowerBound
                            for _ in block.rows {
                                pair0 += w[0] * fours(x, at[0])
                                pair1 += w[1] * fours(x, at[1])
                                pair2 += w[2] * fours(x, at[2])
                                pair3 += w[3] * fours(x, at[3])
                                w += 4
                                at += 4
                            }
                            for tail in tails[block.tails] {
                                let term = tail.weight * x[tail.bin]
                                switch tail.pair {
                                case 0: pair0[tail.lane] += term
                                case 1: pair1[tail.lane] += term
                                case 2: pair2[tail.lane] += term
                                default: pair3[tail.lane] += term
                                }
                            }
                            // [s0 + s1, s2 + s3] of each band of two pairs, then of all eight
                            // bands the sum of those two.
                            let pairs01 = SIMD8(lowHalf: pair0.evenHalf, highHalf: pair1.evenHalf)
                                + SIMD8(lowHalf: pair0.oddHalf, highHalf: pair1.oddHalf)
                            let pairs23 = SIMD8(lowHalf: pair2.evenHalf, highHalf: pair3.evenHalf)
                                + SIMD8(lowHalf: pair2.oddHalf, highHalf: pair3.oddHalf)
                            let totals = SIMD8(lowHalf: pairs01.evenHalf, highHalf: pairs23.evenHalf)
                                + SIMD8(lowHalf: pairs01.oddHalf, highHalf: pairs23.oddHalf)
                            if 8 * b + 8 <= bandCount {
                                UnsafeMutableRawPointer(bands + 8 * b).storeBytes(of: totals, as: SIMD8<Float>.self)
                            } else {
                                for lane in 0..<(bandCount - 8 * b) { bands[8 * b + lane] = totals[lane] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Eight bands' share of `project`'s work: a range of rows of four steps (one per pair of
    /// bands), and one of tail terms.
    ///
    /// `project` adds each band's products in one fixed order, which it keeps so that the
    /// values stay the same to the last bit: the bands are taken in groups of eight; a group's
    /// range runs from the lowest bin any of its bands weights to the highest; and band m's
    /// value is `(s0 + s1) + (s2 + s3)`, where `s_c` adds, from the lowest bin up, the products
    /// of the bins at an offset of c (mod 4) from the range's start, except that the bins past
    /// the range's last whole four (its tail) go to `s0`, after the rest. (This is the order of
    /// an earlier layout that took eight bands at a time, one vector per bin of the range.)
    /// A zero weight's product adds a zero, which changes no sum, so a band need only visit
    /// the bins it weights; its steps start at an offset of 0 (mod 4) from its group's range,
    /// so that lane c of a band's four always feeds its `s_c`.
    private struct Block {
        let rows: Range<Int>
        let tails: Range<Int>
    }

    /// A term of a group's tail: `weight` times bin `bin`, added to lane `lane` of pair `pair`'s
    /// partial sums (lane 0 for the pair's first band, 4 for its second).
    private struct Tail {
        let bin: Int
        let pair: Int
        let lane: Int
        let weight: Float
    }

    /// `project`'s layout of `weights` (bandCount x bins).
    private static func layout(_ weights: [Float], bandCount: Int, bins: Int)
        -> ([Block], [SIMD8<Float>], [SIMD2<Int32>], [Tail]) {
        // Each band's first step's bin, its number of steps, and its tail terms.
        var starts = [Int](repeating: 0, count: bandCount), stepCounts = starts
        var bandTails = [[(bin: Int, weight: Float)]](repeating: [], count: bandCount)
        for group in stride(from: 0, to: bandCount, by: 8) {
            let members = group..<min(group + 8, bandCount)
            let weighted = (0..<bins).filter { k in members.contains { weights[$0 * bins + k] != 0 } }
            guard let first = weighted.first, let last = weighted.last else { continue }
            let tailStart = first + (last + 1 - first) / 4 * 4
            for m in members {
                func weight(_ k: Int) -> Float { weights[m * bins + k] }
                guard let low = (0..<bins).first(where: { weight($0) != 0 }),
                      let high = (0..<bins).last(where: { weight($0) != 0 }) else { continue }
                starts[m] = first + (low - first) / 4 * 4
                stepCounts[m] = max(0, (min(high + 1, tailStart) - starts[m] + 3) / 4)
                bandTails[m] = stride(from: max(low, tailStart), through: high, by: 1)
                    .filter { weight($0) != 0 }.map { ($0, weight($0)) }
            }
        }
        var blocks: [Block] = [], stepWeights: [SIMD8<Float>] = [], stepBins: [SIMD2<Int32>] = [], tails: [Tail] = []
        for group in stride(from: 0, to: bandCount, by: 8) {
            let members = group..<min(group + 8, bandCount)
            let firstRow = stepBins.count / 4, firstTail = tails.count
            for i in 0..<(members.map { stepCounts[$0] }.max() ?? 0) {
                // Band m's i-th four bins, if it has that many; a band with fewer (or one past
                // the last band) reads another band's bins of this row with zero weights.
                let fours = (group..<(group + 8)).map { m -> (bin: Int, weights: SIMD4<Float>)? in
                    guard members.contains(m), i < stepCounts[m] else { return nil }
                    let bin = starts[m] + 4 * i
                    return (bin, SIMD4((0..<4).map { weights[m * bins + bin + $0] }))
                }
                let someBin = fours.lazy.compactMap { $0?.bin }.first!
                for pair in 0..<4 {
                    let (low, high) = (fours[2 * pair], fours[2 * pair + 1])
                    stepWeights.append(SIMD8(lowHalf: low?.weights ?? SIMD4(), highHalf: high?.weights ?? SIMD4()))
                    stepBins.append(SIMD2(Int32(low?.bin ?? someBin), Int32(high?.bin ?? someBin)))
                }
            }
            for m in members {
                tails += bandTails[m].map { Tail(bin: $0.bin, pair: (m - group) / 2, lane: (m - group) % 2 * 4, weight: $0.weight) }
            }
            blocks.append(Block(rows: firstRow..<(stepBins.count / 4), tails: firstTail..<tails.count))
        }
        return (blocks, stepWeights, stepBins, tails)
    }
}

/// Four bins of `x` from `bins.x` in the low lanes, and four from `bins.y` in the high lanes.
@inline(__always)
private func fours(_ x: UnsafePointer<Float>, _ bins: SIMD2<Int32>) -> SIMD8<Float> {
    SIMD8(lowHalf: load4(x + Int(bins.x)), highHalf: load4(x + Int(bins.y)))
}

/// Four floats from any address (one unaligned load).
@inline(__always)
private func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
    SIMD4(p[0], p[1], p[2], p[3])
}
