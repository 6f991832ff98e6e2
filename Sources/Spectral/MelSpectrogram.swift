/// A mel spectrogram: the power STFT pooled into mel bands (librosa: `feature.melspectrogram`
/// with its defaults: 2048-point Hann frames every 512 samples, centred, power 2, 128 Slaney
/// bands with Slaney normalization).
public struct MelSpectrogram: Sendable {
    public let stft: ShortTimeFourierTransform
    public let filterBank: MelFilterBank
    /// 2 for power (librosa's default), 1 for magnitude.
    public let exponent: Float

    public init(sampleRate: Int, fftSize: Int = 2048, hopLength: Int? = nil, bandCount: Int = 128,
                lowHz: Double = 0, highHz: Double? = nil, exponent: Float = 2,
                padding: ShortTimeFourierTransform.Padding = .zeros) {
        stft = ShortTimeFourierTransform(fftSize: fftSize, hopLength: hopLength, padding: padding)
        filterBank = MelFilterBank(sampleRate: sampleRate, fftSize: fftSize, bandCount: bandCount,
                                   lowHz: lowHz, highHz: highHz)
        self.exponent = exponent
    }

    /// frames x bands. With power (exponent 2) each frame is projected as soon as it is
    /// transformed, so the full spectrogram never exists in memory.
    public func compute(_ signal: [Float]) -> FrameMatrix {
        var result = FrameMatrix(frameCount: 0, columns: filterBank.bandCount)
        compute(signal, into: &result)
        return result
    }

    /// The same, into `result`, reusing its storage: a worker that computes clip after clip
    /// allocates (and page-faults) once rather than per clip.
    public func compute(_ signal: [Float], into result: inout FrameMatrix) {
        guard exponent == 2 else {
            result = filterBank.apply(stft.spectrogram(signal, exponent: exponent))
            return
        }
        let frames = stft.frameCount(forSampleCount: signal.count), bands = filterBank.bandCount
        if result.values.count != frames * bands {
            result.values = [Float](repeating: 0, count: frames * bands)
        }
        result.frameCount = frames
        result.columns = bands
        result.values.withUnsafeMutableBufferPointer { out in
            stft.forEachPowerFrame(signal) { t, power in
                filterBank.project(power, into: out.baseAddress! + t * bands)
            }
        }
    }
}
