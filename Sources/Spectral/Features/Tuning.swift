import Foundation

/// Tuning estimation, as librosa's `estimate_tuning` (`piptrack` then `pitch_tuning`): how far,
/// in fractions of a bin, the music's pitches sit from equal temperament at A = 440 Hz.
///
/// Each frame of a spectrogram is searched for local maxima above a tenth of the frame's peak
/// between 150 and 4000 Hz; each peak's frequency is refined by parabolic interpolation over its
/// two neighbours. Peaks at least as strong as the median peak vote, with their deviation from
/// the nearest semitone, into a histogram of 100 bins over [-0.5, 0.5); the fullest bin's left
/// edge is the tuning. Arithmetic follows librosa's float32 steps where a vote could change.
///
/// Feed frames with `add(_:)` (magnitudes or powers: `chroma_stft` tracks the power spectrogram),
/// then read `tuning`. Reference: librosa (McFee et al., 2015), `librosa/core/pitch.py`.
public struct TuningEstimator: Sendable {
    public let sampleRate: Double
    public let fftSize: Int
    public let binsPerOctave: Int
    /// The bins searched: frequencies in [150, min(4000, sr / 2)) Hz.
    private let firstBin: Int, endBin: Int
    private var pitches: [Float] = []
    private var magnitudes: [Float] = []

    public init(sampleRate: Double, fftSize: Int = 2048, binsPerOctave: Int = 12,
                lowHz: Double = 150, highHz: Double = 4000) {
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        self.binsPerOctave = binsPerOctave
        let bins = fftSize / 2 + 1
        let step = (sampleRate / 2) / Double(bins - 1)
        let high = min(highHz, sampleRate / 2), low = max(lowHz, 0)
        let searched = (0..<bins).filter { Double($0) * step >= low && Double($0) * step < high }
        firstBin = searched.first ?? 0
        endBin = (searched.last ?? -1) + 1
    }

    /// Collects the peaks of one frame (`fftSize / 2 + 1` values).
    public mutating func add(_ s: UnsafeBufferPointer<Float>) {
        let bins = s.count
        guard bins >= 3 else { return }
        var lanes = SIMD8<Float>()
        var i = 0
        while i + 8 <= bins {
            lanes = pointwiseMax(lanes, UnsafeRawPointer(s.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self))
            i += 8
        }
        var peak = lanes.max()
        while i < bins { peak = max(peak, s[i]); i += 1 }
        let reference: Float = 0.1 * peak
        @inline(__always) func gated(_ k: Int) -> Float { s[k] > reference ? s[k] : 0 }
        for k in max(firstBin, 1)..<endBin {
            let x = gated(k)
            // A local maximum of the gated frame: above the left neighbour, not below the right
            // (the last bin only needs to beat its left neighbour).
            let isPeak = k == bins - 1 ? x > gated(k - 1) : (x > gated(k - 1) && x >= gated(k + 1))
            guard isPeak else { continue }
            var shift: Float = 0
            if k < bins - 1 {
                let a = s[k + 1] + s[k - 1] - 2 * s[k]
                let b = (s[k + 1] - s[k - 1]) / 2
                shift = abs(b) >= abs(a) ? 0 : -b / a
            }
            let average = k < bins - 1 ? (s[k + 1] - s[k - 1]) / 2 : s[k] - s[k - 1]
            let pitch = Float((Double(k) + Double(shift)) * sampleRate / Double(fftSize))
            guard pitch > 0 else { continue }
            pitches.append(pitch)
            magnitudes.append(s[k] + 0.5 * average * shift)
        }
    }

    /// The estimate in fractions of a bin, in [-0.5, 0.5); 0 when no frame had a peak.
    public var tuning: Double {
        guard !magnitudes.isEmpty else { return 0 }
        let threshold = Self.median(magnitudes)
        var counts = [Int](repeating: 0, count: 100)
        // numpy's histogram edges, linspace(-0.5, 0.5, 101).
        let edges = (0...100).map { $0 == 100 ? 0.5 : -0.5 + Double($0) * 0.01 }
        let bpo = Float(binsPerOctave)
        for (pitch, magnitude) in zip(pitches, magnitudes) where magnitude >= threshold {
            // Octaves above A0 / 2 (27.5 Hz), in bins, modulo one bin (float32, as numpy).
            var residual = bpo * log2f(pitch / 27.5)
            residual -= residual.rounded(.down)
            if residual >= 0.5 { residual -= 1 }
            let r = Double(residual)
            guard r >= -0.5 && r <= 0.5 else { continue }
            var index = min(Int((r + 0.5) * 100), 99)
            if r < edges[index] { index -= 1 }
            if index < 99 && r >= edges[index + 1] { index += 1 }
            counts[index] += 1
        }
        var best = 0
        for i in 1..<100 where counts[i] > counts[best] { best = i }
        return edges[best]
    }

    /// numpy's median of float32 values (the mean of the middle two computed in float).
    private static func median(_ values: [Float]) -> Float {
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
