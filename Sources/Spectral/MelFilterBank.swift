import CBLAS

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
    }

    public var binCount: Int { fftSize / 2 + 1 }

    /// Projects a spectrogram (frames x bins) onto the bands: frames x bands.
    public func apply(_ spectrogram: FrameMatrix) -> FrameMatrix {
        precondition(spectrogram.columns == binCount,
                     "spectrogram has \(spectrogram.columns) bins, the filter bank expects \(binCount)")
        var result = FrameMatrix(frameCount: spectrogram.frameCount, columns: bandCount)
        guard spectrogram.frameCount > 0 else { return result }
        // (frames x bins) x (bands x bins)^T
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                    Int32(spectrogram.frameCount), Int32(bandCount), Int32(binCount),
                    1, spectrogram.values, Int32(binCount), weights, Int32(binCount),
                    0, &result.values, Int32(bandCount))
        return result
    }
}
