import Spectral

/// musicnn's input: the log-compressed mel spectrogram of 16 kHz audio, cut into patches.
///
/// As `musicnn/extractor.py` (`batch_data`) and the training code compute it: a 512-point
/// STFT every 256 samples (periodic Hann, centred, reflect padding as librosa 0.7 did),
/// power, 96 Slaney mel bands with Slaney area normalization (librosa: `melspectrogram(y,
/// sr=16000, hop_length=256, n_fft=512, n_mels=96)`), then `log10(10000 x + 1)`.
///
/// **The float16 policy.** musicnn casts the mel power to float16 before the log, and since
/// `10000` is a Python int NumPy keeps the whole `log10(10000 * x + 1)` in float16: each of
/// the cast, the product, the sum and the log is rounded to float16. We do exactly the same
/// with Swift's `Float16`, so our inputs equal musicnn's bit for bit (given the same mel
/// power), which is what lets our outputs match its outputs to 1e-3. One departure: where
/// the float16 product overflows (mel power above 65504 / 10000 ≈ 6.55, which loud low
/// tones reach), NumPy gives +inf and the network NaN; we saturate at the largest float16,
/// 65504, so the log is 4.816 (the largest finite value musicnn can produce) and the
/// outputs stay finite. Nothing else changes. Reference: `formats-models.md` §4.1.
public enum MusicnnInput {
    /// 16 kHz (`configuration.SR`).
    public static let sampleRate = 16000
    /// `configuration.FFT_SIZE`.
    public static let fftSize = 512
    /// `configuration.FFT_HOP`.
    public static let hopLength = 256
    /// `configuration.N_MELS`.
    public static let melBandCount = 96
    /// Frames per patch: `time_to_frames(3 s) + 1` = 187 (2.99 s).
    public static let patchFrames = 187

    /// The mel power spectrogram with musicnn's parameters, frames × 96.
    public static let melSpectrogram = MelSpectrogram(
        sampleRate: sampleRate, fftSize: fftSize, hopLength: hopLength, bandCount: melBandCount,
        padding: .reflect)

    /// The log-compressed mel spectrogram of `samples` (16 kHz mono), frames × 96 row-major,
    /// `1 + samples.count / 256` frames.
    public static func logMel(_ samples: [Float]) -> (values: [Float], frameCount: Int) {
        var mel = melSpectrogram.compute(samples)
        compress(&mel.values)
        return (mel.values, mel.frameCount)
    }

    /// `log10(10000 x + 1)` in float16 arithmetic, saturating instead of overflowing (see the
    /// type's documentation), in place.
    public static func compress(_ values: inout [Float]) {
        for index in values.indices {
            values[index] = compress(values[index])
        }
    }

    /// One value of `compress(_:)`.
    @inline(__always)
    public static func compress(_ power: Float) -> Float {
        let rounded = Float(Float16(power))                       // audio_rep.astype(np.float16)
        var product = Float16(rounded * 10000)                    // 10000 * audio_rep, in float16
        if product.isInfinite { product = Float16.greatestFiniteMagnitude }  // our departure: saturate
        let sum = Float16(Float(product) + 1)                     // + 1, in float16
        return Float(Float16(log10f(Float(sum))))                 // np.log10 on float16 gives float16
    }

    /// Patch starts: 0, hop, 2 hop, … while a whole patch fits (`range(0, T - 187 + 1, hop)`).
    /// - Parameter hop: frames between patch starts; 187 (no overlap) is musicnn's default.
    public static func patchStarts(frameCount: Int, hop: Int = patchFrames) -> [Int] {
        precondition(hop >= 1, "the patch hop must be at least one frame")
        guard frameCount >= patchFrames else { return [] }
        return Array(stride(from: 0, through: frameCount - patchFrames, by: hop))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
