import CFFTW
import CVectorMath
import Foundation

/// Spectra of two real frames from one complex FFT.
///
/// The classic two-for-one trick (Brigham, "The Fast Fourier Transform", 1974, §10.3): put
/// frame `a` in the real part and frame `b` in the imaginary part, `z = a + i b`; then
/// `Z[k] + conj(Z[N-k]) = 2 A[k]` and `-i (Z[k] - conj(Z[N-k])) = 2 B[k]`. One complex FFT of
/// N points costs less than two real ones: for FMA's 2048-point STFT, a quarter less time
/// per frame, the separation included. FFTW's split-complex interface takes the real and
/// imaginary parts as two separate arrays, so each can point straight at a frame.
///
/// The STFT windows its frames into `first` and `second` and reads both power spectra back
/// (`transform`, then `powers`); the constant-Q transform passes frames in place in its
/// padded signal and takes a band of both spectra (`ConstantQKernel`).
///
/// FFTW only runs a plan on arrays aligned as the ones it was planned with, so a frame that
/// starts off a 16-byte boundary (an odd hop) is copied to an aligned buffer first. The plan
/// is FFTW_ESTIMATE: the same arithmetic on every run. FFTW's planner is not thread-safe,
/// but running a plan on new arrays is; so each size is planned once per process (see
/// `SplitPlans`) and every instance, on any thread, runs that plan on its own buffers.
public final class FramePairFFT {
    public let size: Int
    /// Aligned room for the two frames, `size` floats each, for a caller that builds them.
    public let first: UnsafeMutablePointer<Float>
    public let second: UnsafeMutablePointer<Float>
    /// Z after `transform`: `size` real parts and `size` imaginary parts.
    let real: UnsafeMutablePointer<Float>
    let imaginary: UnsafeMutablePointer<Float>
    /// N zeros: the partner of a last, unpaired frame.
    private let zeros: UnsafeMutablePointer<Float>
    private let plan: fftwf_plan

    public init(size: Int) {
        precondition(size >= 2, "a frame pair FFT needs at least 2 points, got \(size)")
        self.size = size
        first = fftwf_alloc_real(size)!
        second = fftwf_alloc_real(size)!
        real = fftwf_alloc_real(size)!
        imaginary = fftwf_alloc_real(size)!
        zeros = fftwf_alloc_real(size)!
        zeros.update(repeating: 0, count: size)
        plan = SplitPlans.shared.plan(size: size)
    }

    deinit {
        for pointer in [first, second, real, imaginary, zeros] { fftwf_free(pointer) }
    }

    /// Transforms the N samples at `a` and at `b` (or N zeros) together into `real` and
    /// `imaginary`. Either may be `first` or `second`, or any frame in memory.
    public func transform(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>?) {
        var re = UnsafeMutablePointer(mutating: a)
        var im = b.map { UnsafeMutablePointer(mutating: $0) } ?? zeros
        if fftwf_alignment_of(re) != 0 {
            first.update(from: re, count: size)
            re = first
        }
        if fftwf_alignment_of(im) != 0 {
            second.update(from: im, count: size)
            im = second
        }
        // Out of place, FFTW's complex DFTs leave their input untouched, so the two frames
        // may overlap each other and the signal.
        fftwf_execute_split_dft(plan, re, im, real, imaginary)
    }

    /// After `transform`: |A[k]|² into `a[k]` and |B[k]|² into `b[k]` for the `size / 2 + 1`
    /// bins of a real FFT, with `A[k] = (Z[k] + conj Z[N-k]) / 2` and
    /// `B[k] = -i (Z[k] - conj Z[N-k]) / 2`.
    ///
    /// Eight bins at a time from bin 1: their mirrors `N - k` are eight consecutive values
    /// read backwards, so one load and one lane reversal fetch them.
    ///
    /// Returns each frame's largest power, kept lane by lane as the powers are stored (a
    /// consumer such as the tuning trackers would otherwise read the frame once more for it).
    @discardableResult
    public func powers(into a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>) -> (Float, Float) {
        let n = size, bins = n / 2 + 1
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
            genre_load8(p)
        }
        // The largest powers so far; a value replaces one only if greater, as in `maximum`.
        var peakA = SIMD8<Float>(repeating: -.infinity), peakB = peakA
        @inline(__always) func bin(_ k: Int) {
            let mirror = k == 0 ? 0 : n - k
            let zr = real[k], zi = imaginary[k], mr = real[mirror], mi = imaginary[mirror]
            let ar = zr + mr, ai = zi - mi, br = zi + mi, bi = mr - zr
            a[k] = (ar * ar + ai * ai) * 0.25
            b[k] = (br * br + bi * bi) * 0.25
            if a[k] > peakA[0] { peakA[0] = a[k] }
            if b[k] > peakB[0] { peakB[0] = b[k] }
        }
        bin(0)
        var k = 1
        while k + 8 <= bins {
            let zr = load(real + k), zi = load(imaginary + k)
            let mr = genre_reversed8(load(real + n - k - 7)), mi = genre_reversed8(load(imaginary + n - k - 7))
            let ar = zr + mr, ai = zi - mi, br = zi + mi, bi = mr - zr
            let powerA = (ar * ar + ai * ai) * 0.25, powerB = (br * br + bi * bi) * 0.25
            UnsafeMutableRawPointer(a + k).storeBytes(of: powerA, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(b + k).storeBytes(of: powerB, as: SIMD8<Float>.self)
            peakA.replace(with: powerA, where: powerA .> peakA)
            peakB.replace(with: powerB, where: powerB .> peakB)
            k += 8
        }
        while k < bins {
            bin(k)
            k += 1
        }
        return (peakA.max(), peakB.max())
    }
}

/// Split-complex FFT plans, one per size for the life of the process.
///
/// Planning happens once per size, under this cache's lock and `RealFFT`'s planner lock, on
/// scratch arrays from `fftwf_alloc_real` (whose alignment every later buffer from it
/// shares); the plans are never destroyed, so the planner is touched only the first time a
/// size is needed.
final class SplitPlans: @unchecked Sendable {
    static let shared = SplitPlans()
    private let lock = NSLock()
    private var plans: [Int: fftwf_plan] = [:]

    func plan(size: Int) -> fftwf_plan {
        lock.lock()
        defer { lock.unlock() }
        if let plan = plans[size] { return plan }
        let scratch = (0..<4).map { _ in fftwf_alloc_real(size)! }
        defer { scratch.forEach { fftwf_free($0) } }
        var dimension = fftwf_iodim(n: Int32(size), is: 1, os: 1)
        // FFTW's planner is shared with every `RealFFT` being made on other threads.
        RealFFT.plannerLock.lock()
        let plan = fftwf_plan_guru_split_dft(1, &dimension, 0, nil, scratch[0], scratch[1], scratch[2], scratch[3],
                                             UInt32(FFTW_ESTIMATE))!
        RealFFT.plannerLock.unlock()
        plans[size] = plan
        return plan
    }
}
