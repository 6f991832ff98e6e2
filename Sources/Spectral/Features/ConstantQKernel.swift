import CFFTW
import CVectorMath
import Foundation

/// One octave's constant-Q filters in the frequency domain, as librosa's `constant_q` with
/// `sparsity=0.01` builds them: per filter, its kept FFT bins and complex coefficients.
///
/// Each filter is a Hann-windowed complex exponential of `length = Q sr / f` samples, L1
/// normalized, centred in `fftSize` points and Fourier transformed. Its spectrum is
/// band-limited (a Hann main lobe and fast-decaying side lobes), and librosa drops the
/// smallest coefficients holding `sparsity` of each row's L1 mass: a dozen or so
/// neighbouring bins survive per filter, and an octave's filters together touch a band of
/// about 40 of the 129 bins. Only that band is taken from each frame's spectrum.
///
/// The coefficients carry librosa's octave gain `sqrt(sr / my_sr)` and a factor 1/2 that
/// belongs to `FramePairFFT.band`, which hands over twice each frame's spectrum
/// (multiplying by 1/2 is exact in floating point, so the product is the same as applying
/// the 1/2 to the spectrum).
struct ConstantQKernel {
    let fftSize: Int
    let rowCount: Int
    /// The lowest FFT bin any row keeps; `FramePairFFT.band` extracts bins from here.
    let bandStart: Int
    /// Bins from `bandStart` up to the highest bin any row keeps.
    let bandWidth: Int
    /// Row `r`'s coefficients are `rowStart[r] ..< rowStart[r + 1]` of `bins` (relative to
    /// `bandStart`, ascending), `real` and `imaginary`.
    let rowStart: [Int]
    let bins: [Int]
    let real: [Float]
    let imaginary: [Float]

    /// - Parameters:
    ///   - rows: the octave's filters (lowest first), their unscaled spectra as
    ///     `ConstantQKernelRow.Builder` makes them.
    ///   - gain: librosa's `sqrt(sr / my_sr)`, applied to every coefficient as librosa does
    ///     (a float product of the float coefficient).
    init(fftSize: Int, rows: [ConstantQKernelRow], gain: Float) {
        precondition(fftSize >= 16, "a constant-Q kernel's band is read eight bins at a time: fftSize \(fftSize) < 16")
        self.fftSize = fftSize
        rowCount = rows.count
        let kept = rows.filter { !$0.real.isEmpty }
        let start = kept.map(\.firstBin).min() ?? 0
        let end = kept.map { $0.firstBin + $0.real.count }.max() ?? start
        var starts: [Int] = [0], allBins: [Int] = [], re: [Float] = [], im: [Float] = []
        for row in rows {
            // Zeros inside a row's run are coefficients librosa dropped.
            for j in row.real.indices where row.real[j] != 0 || row.imaginary[j] != 0 {
                allBins.append(row.firstBin + j - start)
                re.append(row.real[j] * gain * 0.5)
                im.append(row.imaginary[j] * gain * 0.5)
            }
            starts.append(allBins.count)
        }
        bandStart = start
        bandWidth = end - start
        rowStart = starts
        bins = allBins
        real = re
        imaginary = im
    }
}

/// One filter's kept spectrum, before the octave gain: bins `firstBin ..< firstBin + count`,
/// with zeros where a coefficient inside that run fell under the sparsity threshold.
struct ConstantQKernelRow {
    let firstBin: Int
    let real: [Float]
    let imaginary: [Float]
}

extension ConstantQKernelRow {
    /// Builds every octave's rows for one tuning, reusing a row when a lower octave asks for
    /// exactly the same filter.
    ///
    /// Octave `o` runs at `baseRate / 2^o` with frequencies close to `f / 2^o`. Scaling a
    /// double by a power of two is exact, so when a lower octave's frequency times `2^o` and
    /// its Q are bit for bit those of a row already built (at the same FFT size), every phase
    /// `n 2 pi f / sr` and every length `Q sr / f` the recipe computes are the same doubles,
    /// and the row is the same too. Otherwise the row is built afresh; the result never
    /// depends on whether it was reused. With librosa's `fmin 2^(b / 12)` frequencies about
    /// half of the 84 rows come out reusable, halving the kernels' cost (cosines, sines and
    /// a sort per row).
    final class Builder {
        private struct Key: Hashable {
            let fftSize: Int
            let frequencyBits: UInt64
            let qBits: UInt64
        }
        private var built: [Key: ConstantQKernelRow] = [:]
        private var transforms: [Int: RealFFT] = [:]
        let sparsity: Double

        init(sparsity: Double) { self.sparsity = sparsity }

        /// The rows of one octave and their FFT size (the next power of two above the
        /// longest filter, librosa's `n_fft`).
        /// - Parameters:
        ///   - frequencies, q: the octave's bins, lowest first.
        ///   - sampleRate: the octave's rate; `rateRatio` (a power of two) times it is the
        ///     rate of the first octave.
        func octave(frequencies: [Double], q: [Double], sampleRate: Double,
                    rateRatio: Double) -> (fftSize: Int, rows: [ConstantQKernelRow]) {
            let lengths = zip(frequencies, q).map { $1 * sampleRate / $0 }
            var size = 1
            while Double(size) < lengths.max()! { size *= 2 }
            var rows: [ConstantQKernelRow] = []
            rows.reserveCapacity(frequencies.count)
            for ((hz, qValue), length) in zip(zip(frequencies, q), lengths) {
                let key = Key(fftSize: size, frequencyBits: (hz * rateRatio).bitPattern, qBits: qValue.bitPattern)
                if let row = built[key] {
                    rows.append(row)
                    continue
                }
                let row = build(hz: hz, length: length, sampleRate: sampleRate, size: size)
                built[key] = row
                rows.append(row)
            }
            return (size, rows)
        }

        /// librosa's recipe for one filter, in its order of operations: `arange(-ilen // 2,
        /// ilen // 2)`, a periodic Hann window of that many points normalized by its L1 norm,
        /// complex64 storage, the real rescale by `length / size`, centring in `size` points,
        /// the FFT, then the sparsity threshold on the magnitudes.
        private func build(hz: Double, length: Double, sampleRate: Double, size: Int) -> ConstantQKernelRow {
            let fft: RealFFT
            if let existing = transforms[size] { fft = existing } else {
                fft = RealFFT(size: size)
                transforms[size] = fft
            }
            let half = size / 2 + 1
            let first = Int((-length / 2).rounded(.down)), end = Int((length / 2).rounded(.down))
            let count = end - first
            let window = Window.hann(length: count)
            var l1 = 0.0
            for w in window { l1 += Double(w) }
            let offset = (size - count) / 2
            var re = [Float](repeating: 0, count: count), im = [Float](repeating: 0, count: count)
            for i in 0..<count {
                let phase = Double(first + i) * 2 * Double.pi * hz / sampleRate
                let w = Double(window[i]) / l1
                let cr = Float(cos(phase) * w), ci = Float(sin(phase) * w)
                re[i] = Float(Double(cr) * length / Double(size))
                im[i] = Float(Double(ci) * length / Double(size))
            }
            // The complex filter's FFT from two real FFTs: X = FFT(re) + i FFT(im).
            var spectrumRe = [Float](repeating: 0, count: half), spectrumIm = [Float](repeating: 0, count: half)
            fft.input.update(repeating: 0, count: size)
            for i in 0..<count { fft.input[offset + i] = re[i] }
            fft.execute()
            for k in 0..<half { spectrumRe[k] = fft.output[2 * k]; spectrumIm[k] = fft.output[2 * k + 1] }
            for i in 0..<count { fft.input[offset + i] = im[i] }
            fft.execute()
            for k in 0..<half {
                let ir = fft.output[2 * k], ii = fft.output[2 * k + 1]
                spectrumRe[k] = spectrumRe[k] - ii
                spectrumIm[k] = spectrumIm[k] + ir
            }
            // Sparsify: drop the smallest coefficients holding `sparsity` of the L1 mass.
            var magnitudes = [Float](repeating: 0, count: half)
            var norm: Float = 0
            for k in 0..<half {
                magnitudes[k] = (spectrumRe[k] * spectrumRe[k] + spectrumIm[k] * spectrumIm[k]).squareRoot()
                norm += magnitudes[k]
            }
            let sorted = magnitudes.sorted()
            var cumulative: Float = 0, threshold = sorted.last!
            for m in sorted {
                cumulative += m / norm
                if cumulative >= Float(sparsity) { threshold = m; break }
            }
            guard let low = magnitudes.firstIndex(where: { $0 >= threshold }),
                  let high = magnitudes.lastIndex(where: { $0 >= threshold }) else {
                return ConstantQKernelRow(firstBin: 0, real: [], imaginary: [])
            }
            var keptRe = [Float](repeating: 0, count: high - low + 1)
            var keptIm = [Float](repeating: 0, count: high - low + 1)
            for k in low...high where magnitudes[k] >= threshold {
                keptRe[k - low] = spectrumRe[k]
                keptIm[k - low] = spectrumIm[k]
            }
            return ConstantQKernelRow(firstBin: low, real: keptRe, imaginary: keptIm)
        }
    }
}

extension ConstantQKernel {
    /// Frames handled together: the spectra of `lanes` consecutive frames sit side by side
    /// (bin-major), so one SIMD multiply-add applies a coefficient to all of them and the
    /// sum over a row's bins runs in bin order, as librosa's sparse product does.
    static let lanes = 8

    /// |kernel · STFT| (rectangular window, `frames` frames), each row times its `scale`,
    /// written to `out[t * stride + row]`.
    /// - Parameter firstFrame: frame 0's first sample; frame `t` is the `fftSize` samples
    ///   from `firstFrame + t hopLength`, padding included (the caller pads the signal).
    ///
    /// The band is held as one `SIMD8<Float>` per bin (its eight frames), so the kernel loop
    /// reads a bin with one aligned vector load from a typed pointer (a raw pointer's generic
    /// `loadUnaligned` was left as a call).
    func respond(firstFrame: UnsafePointer<Float>, hopLength: Int, frames: Int,
                 into out: UnsafeMutablePointer<Float>, stride: Int, scale: UnsafePointer<Float>) {
        guard frames > 0 && rowCount > 0 else { return }
        let lanes = Self.lanes
        let pairs = FramePairFFT(size: fftSize)
        // Whole eights of bins, as `band` writes them (at least one, for an empty band).
        let binCount = max(8, (bandWidth + 7) / 8 * 8)
        let bandReal = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: binCount)
        let bandImaginary = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: binCount)
        bandReal.initialize(repeating: .zero, count: binCount)
        bandImaginary.initialize(repeating: .zero, count: binCount)
        defer { bandReal.deallocate(); bandImaginary.deallocate() }
        bins.withUnsafeBufferPointer { bins in
            real.withUnsafeBufferPointer { real in
                imaginary.withUnsafeBufferPointer { imaginary in
                    for block in Swift.stride(from: 0, to: frames, by: lanes) {
                        let count = min(lanes, frames - block)
                        for lane in Swift.stride(from: 0, to: count, by: 2) {
                            let t = block + lane
                            pairs.transform(firstFrame + t * hopLength,
                                            lane + 1 < count ? firstFrame + (t + 1) * hopLength : nil)
                            pairs.band(start: bandStart, width: bandWidth, intoReal: bandReal,
                                       intoImaginary: bandImaginary, lane: lane)
                        }
                        for row in 0..<rowCount {
                            var sumRe = SIMD8<Float>(), sumIm = SIMD8<Float>()
                            for j in rowStart[row]..<rowStart[row + 1] {
                                let kr = real[j], ki = imaginary[j]
                                let vr = bandReal[bins[j]], vi = bandImaginary[bins[j]]
                                sumRe += kr * vr - ki * vi
                                sumIm += kr * vi + ki * vr
                            }
                            let magnitude = genre_square_root8(sumRe * sumRe + sumIm * sumIm) * scale[row]
                            // Down the row's column, one frame per `stride`. A full block is
                            // a loop of constant length, unrolled with each lane extracted
                            // straight to memory; a variable lane index would go through the
                            // stack.
                            let column = out + (block &* stride &+ row)
                            if count == lanes {
                                for lane in 0..<8 { column[lane &* stride] = magnitude[lane] }
                            } else {
                                for lane in 0..<count { column[lane &* stride] = magnitude[lane] }
                            }
                        }
                    }
                }
            }
        }
    }
}

fileprivate extension FramePairFFT {
    /// After `transform`: twice both frames' spectra at bins `start ..< start + width`, for
    /// `ConstantQKernel` (whose coefficients carry the 1/2): bin `start + j` of the first
    /// frame to lane `lane` of `intoReal[j]` and `intoImaginary[j]`, of the second frame to
    /// lane `lane + 1` (`lane` is even).
    ///
    /// Eight bins at a time (`separated(from:)`), with no bin-by-bin tail: `respond` rounds
    /// the band's storage up to whole eights, and the last eight may run past the band into
    /// bins that are never read. Those still lie inside the spectrum, mirrors included,
    /// because a kernel's band is a real FFT's (`start + width <= size / 2 + 1`) and
    /// `size >= 16` (checked in `init`). The two frames' values of a bin go to neighbouring
    /// lanes, so each bin takes one 8-byte store per part (`interleave`) instead of two
    /// scalar ones. Offsets use wrapping arithmetic (`&+`, `&*`; they are small): an
    /// overflow check between the stores would keep LLVM from keeping the eight bins in
    /// vector registers.
    @inline(always)
    func band(start: Int, width: Int, intoReal: UnsafeMutablePointer<SIMD8<Float>>,
              intoImaginary: UnsafeMutablePointer<SIMD8<Float>>, lane: Int) {
        let realBytes = UnsafeMutableRawPointer(intoReal), imaginaryBytes = UnsafeMutableRawPointer(intoImaginary)
        let binBytes = MemoryLayout<SIMD8<Float>>.stride, laneOffset = lane &* MemoryLayout<Float>.stride
        var j = 0
        while j < width {
            let eight = separated(from: start &+ j), offset = j &* binBytes &+ laneOffset
            interleave(eight.aReal, eight.bReal, into: realBytes + offset, binBytes: binBytes)
            interleave(eight.aImaginary, eight.bImaginary, into: imaginaryBytes + offset, binBytes: binBytes)
            j &+= 8
        }
    }
}

/// Eight bins of two frames, `a[i]` and `b[i]` side by side at `bytes + i binBytes`: the
/// lanes interleaved by two shuffles, (a0 b0 a1 b1 ...), then each pair stored as one 8-byte
/// value (a `Double`'s bits).
@inline(always)
private func interleave(_ a: SIMD8<Float>, _ b: SIMD8<Float>, into bytes: UnsafeMutableRawPointer, binBytes: Int) {
    let low = unsafeBitCast(genre_interleave_low8(a, b), to: SIMD4<Double>.self)
    let high = unsafeBitCast(genre_interleave_high8(a, b), to: SIMD4<Double>.self)
    for i in 0..<4 {
        bytes.storeBytes(of: low[i], toByteOffset: i &* binBytes, as: Double.self)
        bytes.storeBytes(of: high[i], toByteOffset: (i &+ 4) &* binBytes, as: Double.self)
    }
}
