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
        let bins = fftSize / 2 + 1
        // The kept FFT bins but DC, and the one after them (for the last one's width), in
        // chroma units; DC is put 1.5 octaves below bin 1.
        let edges = min(fftSize, bins + 1)
        var binChroma = [Double](repeating: 0, count: edges)
        for k in 1..<edges {
            let hz = Double(k) * sampleRate / Double(fftSize)
            binChroma[k] = Double(n) * log2(hz / (a440 / 16))
        }
        binChroma[0] = binChroma[1] - 1.5 * Double(n)
        let half = (Double(n) / 2).rounded(.toNearestOrEven)
        // Roll so that row 0 is C: class c + 3 (counted from A) moves to row c.
        let roll = 3 * (n / 12)
        let rows = (0..<n).map { c in (c - roll + n) % n }
        var dense = [Float](repeating: 0, count: n * bins)
        var column = [Double](repeating: 0, count: n)
        for k in 0..<bins {
            let width = k + 1 < edges ? max(binChroma[k + 1] - binChroma[k], 1) : 1
            var norm = 0.0
            for c in 0..<n {
                // Distance to class c, wrapped into [-n/2, n/2) (numpy's floor remainder).
                let shifted = binChroma[k] - Double(c) + half + 10 * Double(n)
                let d = shifted - Double(n) * (shifted / Double(n)).rounded(.down) - half
                let z = 2 * d / width
                column[c] = exp(-0.5 * z * z)
                norm += column[c] * column[c]
            }
            norm = norm.squareRoot()
            let octave = (binChroma[k] / Double(n) - centerOctave) / octaveWidth
            let scale = exp(-0.5 * octave * octave) / (norm < Double(Float.leastNormalMagnitude) ? 1 : norm)
            for c in 0..<n { dense[rows[c] * bins + k] = Float(column[c] * scale) }
        }
        self.chromaCount = n
        binCount = bins
        weights = dense
    }

    /// Projects every frame of a power spectrogram (frames x `binCount`) onto the classes:
    /// frames x `chromaCount`.
    ///
    /// Four frames and two classes at a time (`projectFour`). The 49 KB of weights do not fit
    /// in the 32 KB first-level cache, so they stream from the second level: reading them once
    /// for four frames rather than for two is a tenth faster when the spectrogram is cached.
    /// The four frames (16 KB) stay in the first level for the passes over the classes. The
    /// spectrogram (10 MB for 30 s) comes from memory, and waiting for it costs as much as the
    /// arithmetic; the first pass over a group reads four frames side by side, so four runs of
    /// misses are in flight at once, which is the rest of the gain over two frames (a fifth in
    /// all). (A matrix product over the whole spectrogram spent most of its time copying it
    /// into its own layout.)
    public func apply(_ spectrogram: FrameMatrix) -> FrameMatrix {
        precondition(spectrogram.columns == binCount,
                     "a spectrogram of \(spectrogram.columns) bins for a chroma bank of \(binCount)")
        var result = FrameMatrix(frameCount: spectrogram.frameCount, columns: chromaCount)
        let frames = spectrogram.frameCount, last = frames - 1
        spectrogram.values.withUnsafeBufferPointer { input in
            result.values.withUnsafeMutableBufferPointer { output in
                weights.withUnsafeBufferPointer { w in
                    @inline(__always) func frame(_ t: Int) -> UnsafePointer<Float> { input.baseAddress! + t * binCount }
                    @inline(__always) func chroma(_ t: Int) -> UnsafeMutablePointer<Float> { output.baseAddress! + t * chromaCount }
                    for t in stride(from: 0, to: frames, by: 4) {
                        // A last group of fewer than four repeats its last frame, which then
                        // stores the same sums twice.
                        let t1 = min(t + 1, last), t2 = min(t + 2, last), t3 = min(t + 3, last)
                        projectFour(frame(t), frame(t1), frame(t2), frame(t3),
                                    into: chroma(t), chroma(t1), chroma(t2), chroma(t3), weights: w.baseAddress!)
                    }
                }
            }
        }
        return result
    }

    /// Projects frames `x0` to `x3` into `y0` to `y3` (repeated frames and places are allowed).
    ///
    /// Two classes per pass over the bins: each step loads eight weights of the two classes
    /// and eight powers of each frame, and adds the products into eight running sums, one per
    /// frame and class, eight lanes each. Lane l of a sum adds bins l, l + 8, ... in order;
    /// the lanes are then added in order and the bins past the last whole eight after them,
    /// so every class of every frame gets its products in the same order as a frame by frame
    /// loop of eight lanes would give them, whichever frames it is grouped with.
    private func projectFour(_ x0: UnsafePointer<Float>, _ x1: UnsafePointer<Float>,
                             _ x2: UnsafePointer<Float>, _ x3: UnsafePointer<Float>,
                             into y0: UnsafeMutablePointer<Float>, _ y1: UnsafeMutablePointer<Float>,
                             _ y2: UnsafeMutablePointer<Float>, _ y3: UnsafeMutablePointer<Float>,
                             weights w: UnsafePointer<Float>) {
        let n = binCount
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
            genre_load8(p)
        }
        for first in stride(from: 0, to: chromaCount, by: 2) {
            // An odd last class is paired with itself: both sums are its own.
            let second = min(first + 1, chromaCount - 1)
            let u = w + first * n, v = w + second * n
            // Sums by frame (0 to 3) and class (u: first, v: second).
            var s0u = SIMD8<Float>(), s0v = s0u, s1u = s0u, s1v = s0u, s2u = s0u, s2v = s0u, s3u = s0u, s3v = s0u
            var k = 0
            while k + 8 <= n {
                let wu = load(u + k), wv = load(v + k)
                let p0 = load(x0 + k); s0u += wu * p0; s0v += wv * p0
                let p1 = load(x1 + k); s1u += wu * p1; s1v += wv * p1
                let p2 = load(x2 + k); s2u += wu * p2; s2v += wv * p2
                let p3 = load(x3 + k); s3u += wu * p3; s3v += wv * p3
                k += 8
            }
            var t0u = s0u.sum(), t0v = s0v.sum(), t1u = s1u.sum(), t1v = s1v.sum()
            var t2u = s2u.sum(), t2v = s2v.sum(), t3u = s3u.sum(), t3v = s3v.sum()
            while k < n {
                t0u += u[k] * x0[k]; t0v += v[k] * x0[k]
                t1u += u[k] * x1[k]; t1v += v[k] * x1[k]
                t2u += u[k] * x2[k]; t2v += v[k] * x2[k]
                t3u += u[k] * x3[k]; t3v += v[k] * x3[k]
                k += 1
            }
            y0[first] = t0u; y0[second] = t0v
            y1[first] = t1u; y1[second] = t1v
            y2[first] = t2u; y2[second] = t2v
            y3[first] = t3u; y3[second] = t3v
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
    /// into pitch classes: class c sums bins c, c + 12, ... lowest first (librosa:
    /// `cq_to_chroma` with 12 bins per octave and fmin C1). Not normalized.
    ///
    /// Four classes at a time, their sums in one register: each octave adds four neighbouring
    /// bins with one vector addition (the last, partial octave, if any, bin by bin).
    public static func fold(_ cqt: FrameMatrix, classCount: Int = 12) -> FrameMatrix {
        var chroma = FrameMatrix(frameCount: cqt.frameCount, columns: classCount)
        let bins = cqt.columns
        cqt.values.withUnsafeBufferPointer { x in
            chroma.values.withUnsafeMutableBufferPointer { y in
                for t in 0..<cqt.frameCount {
                    let frame = x.baseAddress! + t * bins, classes = y.baseAddress! + t * classCount
                    for c in stride(from: 0, to: classCount, by: 4) {
                        let lanes = min(4, classCount - c)
                        var sum = SIMD4<Float>()
                        // b: the bin of class c in the octave being added.
                        var b = c
                        while lanes == 4 && b + 4 <= bins {
                            sum += SIMD4(frame[b], frame[b + 1], frame[b + 2], frame[b + 3])
                            b += classCount
                        }
                        while b < bins {
                            for lane in 0..<min(lanes, bins - b) { sum[lane] += frame[b + lane] }
                            b += classCount
                        }
                        for lane in 0..<lanes { classes[c + lane] = sum[lane] }
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
        let frames = chroma.frameCount, columns = chroma.columns
        let window = Window.hann(length: smoothing + 2, periodic: false).map(Double.init)
        let total = window.reduce(0, +)
        let weights = window.map { $0 / total }
        let half = window.count / 2
        // Frame t of the smoothed chroma is the sum over taps j of w[j] times quantized frame
        // t + j - half. Laid out frame after frame, that is value i of the output summing
        // w[j] times value i + j * columns of the input, once the input has `half` frames of
        // zeros before and after it. Those zeros stand for the frames beyond the clip: adding
        // their +0 products leaves every (nonnegative) sum as it was, so each value still sums
        // its taps in the order j = 0, 1, ... and only over the clip, bit for bit.
        let block = 32
        let values = frames * columns, outputs = (values + block - 1) / block * block
        var padded = [Double](repeating: 0, count: outputs + (window.count - 1) * columns)
        var smoothed = FrameMatrix(frameCount: frames, columns: columns)
        chroma.values.withUnsafeBufferPointer { chroma in
            padded.withUnsafeMutableBufferPointer { padded in
                let quantized = padded.baseAddress! + half * columns
                for i in 0..<values {
                    // A quarter for each step exceeded (exactly what adding quarters gives).
                    let v = chroma[i]
                    let steps = (v > 0.4 ? 1 : 0) + (v > 0.2 ? 1 : 0) + (v > 0.1 ? 1 : 0) + (v > 0.05 ? 1 : 0)
                    quantized[i] = 0.25 * Double(steps)
                }
            }
        }
        padded.withUnsafeBufferPointer { input in
            smoothed.values.withUnsafeMutableBufferPointer { output in
                @inline(__always) func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
                    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
                }
                // The values of `sum` from output i on, as floats, up to the last output.
                @inline(__always) func store(_ sum: SIMD4<Double>, at i: Int) {
                    for lane in 0..<4 where i + lane < values { output[i + lane] = Float(sum[lane]) }
                }
                // Thirty-two outputs at a time, their sums in eight registers across the taps
                // (enough independent sums to keep both adders busy).
                for i in stride(from: 0, to: outputs, by: block) {
                    var s0 = SIMD4<Double>(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0
                    for j in 0..<weights.count {
                        let w = SIMD4<Double>(repeating: weights[j])
                        let x = input.baseAddress! + i + j * columns
                        s0 += w * load(x); s1 += w * load(x + 4); s2 += w * load(x + 8); s3 += w * load(x + 12)
                        s4 += w * load(x + 16); s5 += w * load(x + 20); s6 += w * load(x + 24); s7 += w * load(x + 28)
                    }
                    store(s0, at: i); store(s1, at: i + 4); store(s2, at: i + 8); store(s3, at: i + 12)
                    store(s4, at: i + 16); store(s5, at: i + 20); store(s6, at: i + 24); store(s7, at: i + 28)
                }
            }
        }
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
        // The six coordinates side by side in one vector of eight doubles (two lanes unused):
        // column c of the projection is lane p = phi[p * n + c], and each coordinate adds its
        // products class by class, in order, as a loop over one coordinate would.
        var columns = [SIMD8<Double>](repeating: SIMD8(), count: n)
        for c in 0..<n {
            for p in 0..<6 { columns[c][p] = phi[p * n + c] }
        }
        var out = FrameMatrix(frameCount: chroma.frameCount, columns: 6)
        normalized.values.withUnsafeBufferPointer { x in
            out.values.withUnsafeMutableBufferPointer { y in
                for t in 0..<chroma.frameCount {
                    let frame = x.baseAddress! + t * n, coordinates = y.baseAddress! + t * 6
                    var sum = SIMD8<Double>()
                    for c in 0..<n { sum += columns[c] * SIMD8(repeating: Double(frame[c])) }
                    for p in 0..<6 { coordinates[p] = Float(sum[p]) }
                }
            }
        }
        return out
    }
}
