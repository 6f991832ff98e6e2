import CVectorMath
import Foundation

/// The chroma filter bank of `chroma_stft` (librosa: `filters.chroma`, after Dan Ellis's
/// `chromagram_E`): each STFT bin adds to the pitch classes near its own with a Gaussian bump
/// two bins wide in chroma, weighted by a broad Gaussian over octaves centred on octave 5
/// (about 880 Hz) with a width of 2 octaves; columns are L2-normalized before that weighting.
/// Rows start at C (`base_c=True`).
///
/// Every weight is nonzero (the bumps are Gaussian), so the projection is a dense 12 x 1025
/// product per frame, eight lanes at a time.
public struct ChromaFilterBank: Sendable {
    public let chromaCount: Int
    public let binCount: Int
    /// chromaCount x binCount, row-major.
    public let weights: [Float]

    /// - Parameters:
    ///   - sampleRate: Hz of the bins (librosa: `sr`; FMA's call assumed 22050).
    ///   - tuning: in fractions of a chroma bin (librosa: `tuning`, from `TuningEstimator`).
    public init(sampleRate: Double, fftSize: Int = 2048, chromaCount: Int = 12, tuning: Double = 0,
                centerOctave: Double = 5, octaveWidth: Double = 2) {
        let n = chromaCount
        let a440 = 440 * pow(2, tuning / Double(n))
        // Every FFT bin but DC, in chroma units; DC is put 1.5 octaves below bin 1.
        var binChroma = [Double](repeating: 0, count: fftSize)
        for k in 1..<fftSize {
            let hz = Double(k) * sampleRate / Double(fftSize)
            binChroma[k] = Double(n) * log2(hz / (a440 / 16))
        }
        binChroma[0] = binChroma[1] - 1.5 * Double(n)
        var width = [Double](repeating: 1, count: fftSize)
        for k in 0..<(fftSize - 1) { width[k] = max(binChroma[k + 1] - binChroma[k], 1) }
        let half = (Double(n) / 2).rounded(.toNearestOrEven)
        let bins = fftSize / 2 + 1
        var dense = [Double](repeating: 0, count: n * bins)
        for k in 0..<bins {
            var column = [Double](repeating: 0, count: n)
            var norm = 0.0
            for c in 0..<n {
                // Distance to class c, wrapped into [-n/2, n/2) (numpy's floor remainder).
                let shifted = binChroma[k] - Double(c) + half + 10 * Double(n)
                let d = shifted - Double(n) * (shifted / Double(n)).rounded(.down) - half
                let z = 2 * d / width[k]
                column[c] = exp(-0.5 * z * z)
                norm += column[c] * column[c]
            }
            norm = norm.squareRoot()
            let octave = (binChroma[k] / Double(n) - centerOctave) / octaveWidth
            let scale = exp(-0.5 * octave * octave) / (norm < Double(Float.leastNormalMagnitude) ? 1 : norm)
            // Roll so that row 0 is C: class c + 3 (counted from A) moves to row c.
            let roll = 3 * (n / 12)
            for c in 0..<n { dense[((c - roll + n) % n) * bins + k] = column[c] * scale }
        }
        self.chromaCount = n
        binCount = bins
        weights = dense.map { Float($0) }
    }

    /// Projects every frame of a power spectrogram (frames x `binCount`) onto the classes:
    /// frames x `chromaCount`.
    ///
    /// Two frames and four classes at a time: each step loads eight powers of both frames
    /// and eight weights of four classes, and adds their eight products into eight running
    /// sums. The 49 KB of weights do not fit in the first-level cache, so reading them once
    /// for two frames, rather than once per frame, is what sets the speed. (A matrix product
    /// over the whole spectrogram spent most of its time copying it into its own layout.)
    public func apply(_ spectrogram: FrameMatrix) -> FrameMatrix {
        precondition(spectrogram.columns == binCount,
                     "a spectrogram of \(spectrogram.columns) bins for a chroma bank of \(binCount)")
        var result = FrameMatrix(frameCount: spectrogram.frameCount, columns: chromaCount)
        let frames = spectrogram.frameCount
        spectrogram.values.withUnsafeBufferPointer { input in
            result.values.withUnsafeMutableBufferPointer { output in
                for t in stride(from: 0, to: frames, by: 2) {
                    // A last, unpaired frame is projected as its own partner.
                    let second = min(t + 1, frames - 1)
                    projectPair(input.baseAddress! + t * binCount, input.baseAddress! + second * binCount,
                                into: output.baseAddress! + t * chromaCount,
                                output.baseAddress! + second * chromaCount)
                }
            }
        }
        return result
    }

    /// Projects frames `x` and `y` into `cx` and `cy` (which may be the same frame and place).
    private func projectPair(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                             into cx: UnsafeMutablePointer<Float>, _ cy: UnsafeMutablePointer<Float>) {
        let n = binCount
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
            genre_load8(p)
        }
        weights.withUnsafeBufferPointer { w in
            var c = 0
            while c < chromaCount {
                let classes = min(4, chromaCount - c)
                // Rows past the last class repeat it; their sums are not stored.
                @inline(__always) func row(_ i: Int) -> UnsafePointer<Float> { w.baseAddress! + (c + min(i, classes - 1)) * n }
                let r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3)
                var x0 = SIMD8<Float>(), x1 = x0, x2 = x0, x3 = x0
                var y0 = x0, y1 = x0, y2 = x0, y3 = x0
                var k = 0
                while k + 8 <= n {
                    let u = load(x + k), v = load(y + k)
                    let w0 = load(r0 + k), w1 = load(r1 + k), w2 = load(r2 + k), w3 = load(r3 + k)
                    x0 += w0 * u; y0 += w0 * v
                    x1 += w1 * u; y1 += w1 * v
                    x2 += w2 * u; y2 += w2 * v
                    x3 += w3 * u; y3 += w3 * v
                    k += 8
                }
                var sx = (x0.sum(), x1.sum(), x2.sum(), x3.sum()), sy = (y0.sum(), y1.sum(), y2.sum(), y3.sum())
                while k < n {
                    sx.0 += r0[k] * x[k]; sy.0 += r0[k] * y[k]
                    sx.1 += r1[k] * x[k]; sy.1 += r1[k] * y[k]
                    sx.2 += r2[k] * x[k]; sy.2 += r2[k] * y[k]
                    sx.3 += r3[k] * x[k]; sy.3 += r3[k] * y[k]
                    k += 1
                }
                cx[c] = sx.0; cy[c] = sy.0
                if classes > 1 { cx[c + 1] = sx.1; cy[c + 1] = sy.1 }
                if classes > 2 { cx[c + 2] = sx.2; cy[c + 2] = sy.2 }
                if classes > 3 { cx[c + 3] = sx.3; cy[c + 3] = sy.3 }
                c += classes
            }
        }
    }
}

/// Chroma, CENS and tonnetz from pitch-class or constant-Q frames (librosa: `chroma_cqt`,
/// `chroma_cens`, `tonnetz`). Frames are rows of a `FrameMatrix`.
public enum Chroma {
    /// Divides each frame by its norm: `.infinity` for the maximum, 1 or 2 for the L1 or L2
    /// norm. Frames whose norm is below float's smallest normal are left as they are
    /// (librosa's `util.normalize` with `fill=None`), so silence stays zero.
    public static func normalize(_ m: inout FrameMatrix, norm: Double) {
        let columns = m.columns
        m.values.withUnsafeMutableBufferPointer { values in
            for t in 0..<m.frameCount {
                let frame = values.baseAddress! + t * columns
                var length = 0.0
                for c in 0..<columns {
                    let v = abs(Double(frame[c]))
                    if norm == .infinity { length = max(length, v) } else if norm == 1 { length += v } else { length += v * v }
                }
                if norm == 2 { length = length.squareRoot() }
                guard length >= Double(Float.leastNormalMagnitude) else { continue }
                for c in 0..<columns { frame[c] = Float(Double(frame[c]) / length) }
            }
        }
    }

    /// Folds constant-Q magnitudes (frames x bins, bin 0 at a C, `binsPerOctave` = classes)
    /// into pitch classes: class c sums bins c, c + 12, ... (librosa: `cq_to_chroma` with
    /// 12 bins per octave and fmin C1). Not normalized.
    public static func fold(_ cqt: FrameMatrix, classCount: Int = 12) -> FrameMatrix {
        var chroma = FrameMatrix(frameCount: cqt.frameCount, columns: classCount)
        let bins = cqt.columns
        cqt.values.withUnsafeBufferPointer { x in
            chroma.values.withUnsafeMutableBufferPointer { y in
                for t in 0..<cqt.frameCount {
                    let frame = x.baseAddress! + t * bins, classes = y.baseAddress! + t * classCount
                    // Octave by octave, bins in order: each class adds its bins lowest first.
                    var b = 0
                    while b < bins {
                        for c in 0..<min(classCount, bins - b) { classes[c] += frame[b + c] }
                        b += classCount
                    }
                }
            }
        }
        return chroma
    }

    /// `chroma_cqt` from a constant-Q magnitude spectrogram: folded, then each frame divided
    /// by its maximum.
    public static func fromConstantQ(_ cqt: FrameMatrix) -> FrameMatrix {
        var chroma = fold(cqt)
        normalize(&chroma, norm: .infinity)
        return chroma
    }

    /// Chroma Energy Normalized Statistics (Müller and Ewert, "Chroma Toolbox", ISMIR 2011;
    /// librosa: `chroma_cens`): L1-normalized chroma quantized at 0.4, 0.2, 0.1 and 0.05 (a
    /// quarter for each step exceeded), smoothed over time with a 41-frame Hann window
    /// (symmetric, 43 points with zero ends, unit sum, zeros beyond the clip), L2-normalized.
    public static func cens(fromConstantQ cqt: FrameMatrix, smoothing: Int = 41) -> FrameMatrix {
        var chroma = fold(cqt)
        normalize(&chroma, norm: 1)
        var quantized = chroma
        for i in quantized.values.indices {
            let v = chroma.values[i]
            var q: Float = 0
            for step: Float in [0.4, 0.2, 0.1, 0.05] where v > step { q += 0.25 }
            quantized.values[i] = q
        }
        let window = Window.hann(length: smoothing + 2, periodic: false).map(Double.init)
        let total = window.reduce(0, +)
        let half = window.count / 2
        // Tap by tap: frame t gains w[j] times frame t + j - half, for every frame whose source
        // lies inside the clip. Each tap is one multiply-add over a contiguous run of frames,
        // and every value still sums its taps in the order j = 0, 1, ...
        let frames = chroma.frameCount, columns = chroma.columns
        var sums = [Double](repeating: 0, count: frames * columns)
        let source = quantized.values.map(Double.init)
        sums.withUnsafeMutableBufferPointer { sums in
            source.withUnsafeBufferPointer { source in
                for j in 0..<window.count {
                    let weight = window[j] / total, shift = j - half
                    let first = max(0, -shift), end = min(frames, frames - shift)
                    guard end > first else { continue }
                    let out = sums.baseAddress! + first * columns, input = source.baseAddress! + (first + shift) * columns
                    for i in 0..<((end - first) * columns) { out[i] += weight * input[i] }
                }
            }
        }
        var smoothed = FrameMatrix(frameCount: frames, columns: columns, values: sums.map { Float($0) })
        normalize(&smoothed, norm: 2)
        return smoothed
    }

    /// Tonal centroid features (Harte, Sandler and Gasser, "Detecting harmonic change in
    /// musical audio", 2006; librosa: `tonnetz`): each L1-normalized 12-class frame projected
    /// onto the circles of fifths (radius 1), minor thirds (1) and major thirds (0.5), as
    /// (x, y) pairs. Returns frames x 6.
    public static func tonnetz(_ chroma: FrameMatrix) -> FrameMatrix {
        var normalized = chroma
        normalize(&normalized, norm: 1)
        let n = chroma.columns
        let scale: [Double] = [7.0 / 6, 7.0 / 6, 3.0 / 2, 3.0 / 2, 2.0 / 3, 2.0 / 3]
        let radius: [Double] = [1, 1, 1, 1, 0.5, 0.5]
        var phi = [Double](repeating: 0, count: 6 * n)
        for p in 0..<6 {
            for c in 0..<n {
                let position: Double = 12 * Double(c) / Double(n)
                var v: Double = scale[p] * position
                if p % 2 == 0 { v -= 0.5 }
                phi[p * n + c] = radius[p] * cos(Double.pi * v)
            }
        }
        var out = FrameMatrix(frameCount: chroma.frameCount, columns: 6)
        for t in 0..<chroma.frameCount {
            for p in 0..<6 {
                var sum = 0.0
                for c in 0..<n { sum += phi[p * n + c] * Double(normalized[t, c]) }
                out[t, p] = Float(sum)
            }
        }
        return out
    }
}
