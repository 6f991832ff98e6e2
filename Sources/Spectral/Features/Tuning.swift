import CVectorMath
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
    /// Every peak's refined frequency (Hz) and magnitude, frame after frame.
    private(set) var pitches: [Float] = []
    private(set) var magnitudes: [Float] = []

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
        add(s, peak: maximum(s))
    }

    /// Collects the peaks of one frame whose largest value the caller already knows (the
    /// feature pass finds it once for the power frame and its square root).
    public mutating func add(_ s: UnsafeBufferPointer<Float>, peak: Float) {
        guard s.count >= 3, firstBin < endBin else { return }
        // A frame has at most one peak in every two bins; they are gathered in a buffer and
        // appended together (appending them one by one had cost more than finding them).
        let most = (endBin - firstBin) / 2 + 1
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * most) { found in
            let framePitches = found.baseAddress!, frameMagnitudes = framePitches + most
            let count = peaks(of: s, above: 0.1 * peak, pitches: framePitches, magnitudes: frameMagnitudes)
            pitches.append(contentsOf: UnsafeBufferPointer(start: framePitches, count: count))
            magnitudes.append(contentsOf: UnsafeBufferPointer(start: frameMagnitudes, count: count))
        }
    }

    /// Writes the pitch and magnitude of each peak of `s` in the searched bins; returns how many.
    @inline(__always)
    private func peaks(of s: UnsafeBufferPointer<Float>, above reference: Float,
                       pitches: UnsafeMutablePointer<Float>, magnitudes: UnsafeMutablePointer<Float>) -> Int {
        let bins = s.count, base = s.baseAddress!
        var count = 0
        @inline(__always) func gated(_ k: Int) -> Float { s[k] > reference ? s[k] : 0 }
        @inline(__always) func record(_ k: Int) {
            var shift: Float = 0
            if k < bins - 1 {
                let a = s[k + 1] + s[k - 1] - 2 * s[k]
                let b = (s[k + 1] - s[k - 1]) / 2
                shift = abs(b) >= abs(a) ? 0 : -b / a
            }
            let average = k < bins - 1 ? (s[k + 1] - s[k - 1]) / 2 : s[k] - s[k - 1]
            let pitch = Float((Double(k) + Double(shift)) * sampleRate / Double(fftSize))
            guard pitch > 0 else { return }
            pitches[count] = pitch
            magnitudes[count] = s[k] + 0.5 * average * shift
            count += 1
        }
        // A peak is a local maximum of the gated frame (values at or below the reference read
        // as zero): above its left neighbour, not below its right one. Such a bin passed the
        // gate, and a bin that passed it beats its gated neighbours exactly when it beats the
        // raw ones (a neighbour below the gate is below it either way), so the vector test
        // needs no gating: above the reference, above the left value, not below the right
        // one. Eight bins at a time while both neighbours are inside the frame; peaks are
        // rare, so most blocks have none.
        let references = SIMD8<Float>(repeating: reference)
        var k = max(firstBin, 1)
        while k + 8 < min(endBin + 1, bins) {
            let left = genre_load8(base + k - 1)
            let centre = genre_load8(base + k)
            let right = genre_load8(base + k + 1)
            let isPeak = (centre .> references) .& (centre .> left) .& (centre .>= right)
            if any(isPeak) {
                for lane in 0..<8 where isPeak[lane] { record(k + lane) }
            }
            k += 8
        }
        while k < endBin {
            let x = gated(k)
            // The last bin only needs to beat its left neighbour.
            let isPeak = k == bins - 1 ? x > gated(k - 1) : (x > gated(k - 1) && x >= gated(k + 1))
            if isPeak { record(k) }
            k += 1
        }
        return count
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
    /// (`FrameStatistics.median` selects it without sorting; its double mean of the middle two
    /// rounds to the same float.)
    private static func median(_ values: [Float]) -> Float {
        values.withUnsafeBufferPointer { FrameStatistics.median($0) }
    }
}
