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
    /// The bands in groups of eight, for `project`: group g's bands have nonzero weights only
    /// in bins `groupBins[g]`, and `groupWeights` holds, from `groupOffsets[g]` on, one vector
    /// per bin of that range with the eight bands' weights for it (zero past the last band).
    /// A triangle covers a few bins and overlaps only its neighbours, so a group's range is
    /// about nine triangles wide, and the whole projection some 15 times less work than the
    /// dense product librosa does.
    private let groupBins: [Range<Int>]
    private let groupOffsets: [Int]
    private let groupWeights: [SIMD8<Float>]

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
        var ranges: [Range<Int>] = [], offsets: [Int] = [], packed: [SIMD8<Float>] = []
        for group in stride(from: 0, to: bandCount, by: 8) {
            let bands = group..<min(group + 8, bandCount)
            let nonzero = (0..<bins).filter { k in bands.contains { weights[$0 * bins + k] != 0 } }
            let range = (nonzero.first ?? 0)..<((nonzero.last ?? -1) + 1)
            ranges.append(range)
            offsets.append(packed.count)
            for k in range {
                var column = SIMD8<Float>()
                for m in bands { column[m - group] = weights[m * bins + k] }
                packed.append(column)
            }
        }
        groupBins = ranges
        groupOffsets = offsets
        groupWeights = packed
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
    /// Eight bands at a time: each bin of the group's range adds its value times the group's
    /// weight vector for it, so that no band needs a sum across lanes. Four accumulators take
    /// turns, so that the additions do not wait on each other.
    public func project(_ frame: UnsafeBufferPointer<Float>, into bands: UnsafeMutablePointer<Float>) {
        precondition(frame.count == binCount, "a frame of \(frame.count) bins for a bank of \(binCount)")
        groupWeights.withUnsafeBufferPointer { packed in
            for (g, range) in groupBins.enumerated() {
                let w = packed.baseAddress! + groupOffsets[g], x = frame.baseAddress! + range.lowerBound
                let n = range.count
                var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0
                var k = 0
                while k + 4 <= n {
                    a0 += w[k] * x[k]
                    a1 += w[k + 1] * x[k + 1]
                    a2 += w[k + 2] * x[k + 2]
                    a3 += w[k + 3] * x[k + 3]
                    k += 4
                }
                while k < n {
                    a0 += w[k] * x[k]
                    k += 1
                }
                let sums = (a0 + a1) + (a2 + a3)
                for lane in 0..<min(8, bandCount - 8 * g) { bands[8 * g + lane] = sums[lane] }
            }
        }
    }
}
