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
    /// Where and how a frame's peaks are found.
    private let search: PeakSearch
    /// Every peak's refined frequency (Hz) and magnitude, frame after frame: the first
    /// `peakCount` values of each store. The rest is room that `add` writes a frame's peaks
    /// into in place (no per-frame buffer and copy); it doubles when a frame might not fit.
    private var pitchStore: [Float] = [], magnitudeStore: [Float] = []
    private var peakCount = 0

    /// Every peak's refined frequency (Hz), frame after frame.
    var pitches: [Float] { Array(pitchStore[..<peakCount]) }
    /// Every peak's magnitude, in the order of `pitches`.
    var magnitudes: [Float] { Array(magnitudeStore[..<peakCount]) }

    public init(sampleRate: Double, fftSize: Int = 2048, binsPerOctave: Int = 12,
                lowHz: Double = 150, highHz: Double = 4000) {
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        self.binsPerOctave = binsPerOctave
        let bins = fftSize / 2 + 1
        let step = (sampleRate / 2) / Double(bins - 1)
        let high = min(highHz, sampleRate / 2), low = max(lowHz, 0)
        let searched = (0..<bins).filter { Double($0) * step >= low && Double($0) * step < high }
        search = PeakSearch(firstBin: searched.first ?? 0, endBin: (searched.last ?? -1) + 1,
                            sampleRate: sampleRate, fftSize: fftSize,
                            inverseSize: fftSize & (fftSize - 1) == 0 ? 1 / Double(fftSize) : nil)
    }

    /// Collects the peaks of one frame (`fftSize / 2 + 1` values).
    public mutating func add(_ s: UnsafeBufferPointer<Float>) {
        add(s, peak: maximum(s))
    }

    /// Collects the peaks of one frame whose largest value the caller already knows (the
    /// feature pass finds it once for the power frame and its square root).
    public mutating func add(_ s: UnsafeBufferPointer<Float>, peak: Float) {
        guard s.count >= 3, search.firstBin < search.endBin else { return }
        // A frame has at most one peak in every two bins.
        let most = (search.endBin - search.firstBin) / 2 + 1
        if pitchStore.count < peakCount + most {
            let room = max(2 * pitchStore.count, peakCount + most) - pitchStore.count
            pitchStore.append(contentsOf: repeatElement(0, count: room))
            magnitudeStore.append(contentsOf: repeatElement(0, count: room))
        }
        // The search is a plain value apart from `self`, so that the stores can be written
        // while it runs.
        let search = self.search, start = peakCount
        let found = pitchStore.withUnsafeMutableBufferPointer { pitches in
            magnitudeStore.withUnsafeMutableBufferPointer { magnitudes in
                search.peaks(of: s, above: 0.1 * peak, pitches: pitches.baseAddress! + start,
                             magnitudes: magnitudes.baseAddress! + start)
            }
        }
        peakCount += found
    }

    /// The estimate in fractions of a bin, in [-0.5, 0.5); 0 when no frame had a peak.
    public var tuning: Double {
        guard peakCount > 0 else { return 0 }
        let pitches = pitchStore[..<peakCount], magnitudes = magnitudeStore[..<peakCount]
        // numpy's median of float32 values, the mean of the middle two computed in float
        // (`FrameStatistics.median` selects them without sorting; its double mean of the
        // middle two rounds to the same float).
        let threshold = magnitudes.withUnsafeBufferPointer { FrameStatistics.median($0) }
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
}

/// The bins a `TuningEstimator` searches, frequencies in [150, min(4000, sr / 2)) Hz, and how a
/// bin becomes hertz.
private struct PeakSearch {
    let firstBin: Int, endBin: Int
    let sampleRate: Double, fftSize: Int
    /// `1 / fftSize` when `fftSize` is a power of two: dividing by a power of two is
    /// multiplying by its reciprocal, exactly, and a multiplication is much quicker.
    let inverseSize: Double?

    /// Writes the pitch and magnitude of each peak of `s` in the searched bins; returns how many.
    @inline(__always)
    func peaks(of s: UnsafeBufferPointer<Float>, above reference: Float,
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
            let scaled = (Double(k) + Double(shift)) * sampleRate
            let pitch = Float(inverseSize.map { scaled * $0 } ?? scaled / Double(fftSize))
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
}
