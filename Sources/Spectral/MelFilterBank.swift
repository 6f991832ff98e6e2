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
    /// Each band's nonzero bins, `firstBin[m] ..< firstBin[m] + binSpan[m]`: a triangle
    /// covers a few bins, so projecting only those is some 60 times less work than the dense
    /// product librosa does.
    private let firstBin: [Int]
    private let binSpan: [Int]

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
        var first = [Int](repeating: 0, count: bandCount), span = [Int](repeating: 0, count: bandCount)
        for m in 0..<bandCount {
            let row = weights[(m * bins)..<((m + 1) * bins)]
            if let lo = row.firstIndex(where: { $0 != 0 }), let hi = row.lastIndex(where: { $0 != 0 }) {
                first[m] = lo - m * bins
                span[m] = hi - lo + 1
            }
        }
        firstBin = first
        binSpan = span
    }

    public var binCount: Int { fftSize / 2 + 1 }

    /// Projects a spectrogram (frames x bins) onto the bands: frames x bands.
    public func apply(_ spectrogram: FrameMatrix) -> FrameMatrix {
        precondition(spectrogram.columns == binCount,
                     "spectrogram has \(spectrogram.columns) bins, the filter bank expects \(binCount)")
        var result = FrameMatrix(frameCount: spectrogram.frameCount, columns: bandCount)
        spectrogram.values.withUnsafeBufferPointer { power in
            result.values.withUnsafeMutableBufferPointer { out in
                for frame in 0..<spectrogram.frameCount {
                    project(UnsafeBufferPointer(rebasing: power[(frame * binCount)..<((frame + 1) * binCount)]),
                            into: out.baseAddress! + frame * bandCount)
                }
            }
        }
        return result
    }

    /// Projects one frame's `binCount` values onto the bands, writing `bandCount` values.
    public func project(_ frame: UnsafeBufferPointer<Float>, into bands: UnsafeMutablePointer<Float>) {
        precondition(frame.count == binCount, "a frame of \(frame.count) bins for a bank of \(binCount)")
        weights.withUnsafeBufferPointer { weights in
            firstBin.withUnsafeBufferPointer { firstBin in
                binSpan.withUnsafeBufferPointer { binSpan in
                    for m in 0..<bandCount {
                        bands[m] = dot(weights.baseAddress! + m * binCount + firstBin[m],
                                       frame.baseAddress! + firstBin[m], count: binSpan[m])
                    }
                }
            }
        }
    }
}

/// The dot product of two float arrays, eight lanes at a time (a float sum in one lane
/// cannot be vectorized by the compiler, which must keep its order).
@inline(__always)
private func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD8<Float>()
    var k = 0
    while k + 8 <= count {
        let x = UnsafeRawPointer(a + k).loadUnaligned(as: SIMD8<Float>.self)
        let y = UnsafeRawPointer(b + k).loadUnaligned(as: SIMD8<Float>.self)
        lanes += x * y
        k += 8
    }
    var sum = lanes.sum()
    while k < count {
        sum += a[k] * b[k]
        k += 1
    }
    return sum
}
