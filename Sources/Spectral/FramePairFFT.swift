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
    /// Z after `transform`: `size` real parts and `size` imaginary parts, then Z[0] once more
    /// at index `size`. Z is periodic, Z[N] = Z[0], so with that copy bin 0's mirror is
    /// `N - 0` like every other bin's, and a run of eight mirrors may end at bin 0.
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
        real = fftwf_alloc_real(size + 1)!
        imaginary = fftwf_alloc_real(size + 1)!
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
        real[size] = real[0]
        imaginary[size] = imaginary[0]
    }

    /// After `transform`: twice both frames' spectra at bins `k ..< k + 8`, all in `0 ... N`
    /// (and so are their mirrors). `powers` and `ConstantQKernel`'s band both read the
    /// separation from here. The mirrors `N - k - 7 ... N - k` are eight consecutive values
    /// read backwards, so one load and one lane reversal fetch them.
    @inline(__always)
    func separated(from k: Int) -> SeparatedBins {
        let mirrors = size &- k &- 7
        return SeparatedBins(genre_load8(real + k), genre_load8(imaginary + k),
                             mirror: genre_reversed8(genre_load8(real + mirrors)),
                             genre_reversed8(genre_load8(imaginary + mirrors)))
    }

    /// The same for bin `k` alone, in every lane: a bin outside the eights goes through the
    /// same separation as the rest, and LLVM compiles it to scalar arithmetic.
    @inline(__always)
    func separated(at k: Int) -> SeparatedBins {
        SeparatedBins(SIMD8(repeating: real[k]), SIMD8(repeating: imaginary[k]),
                      mirror: SIMD8(repeating: real[size &- k]), SIMD8(repeating: imaginary[size &- k]))
    }

    /// After `transform`: |A[k]|² into `a[k]` and |B[k]|² into `b[k]` for the `size / 2 + 1`
    /// bins of a real FFT: bin 0, then eight at a time, then one by one.
    ///
    /// Returns each frame's largest power, kept lane by lane as the powers are stored (a
    /// consumer such as the tuning trackers would otherwise read the frame once more for it).
    @discardableResult
    public func powers(into a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>) -> (Float, Float) {
        let bins = size / 2 + 1
        // The largest powers so far; a value replaces one only if greater, as in `maximum`.
        var peakA = SIMD8<Float>(repeating: -.infinity), peakB = peakA
        @inline(__always) func powers(_ twice: SeparatedBins) -> (a: SIMD8<Float>, b: SIMD8<Float>) {
            let powerA = (twice.aReal * twice.aReal + twice.aImaginary * twice.aImaginary) * 0.25
            let powerB = (twice.bReal * twice.bReal + twice.bImaginary * twice.bImaginary) * 0.25
            peakA.replace(with: powerA, where: powerA .> peakA)
            peakB.replace(with: powerB, where: powerB .> peakB)
            return (powerA, powerB)
        }
        @inline(__always) func alone(_ k: Int) {
            let one = powers(separated(at: k))
            a[k] = one.a[0]
            b[k] = one.b[0]
        }
        // Bin 0 alone first, so that the eights start at bin 1 and, for N a multiple of 8,
        // their mirrors' loads at `N - k - 7` are aligned (`powers` alone 2-3 % faster than
        // with eights from bin 0).
        alone(0)
        var k = 1
        while k + 8 <= bins {
            let eight = powers(separated(from: k))
            UnsafeMutableRawPointer(a + k).storeBytes(of: eight.a, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(b + k).storeBytes(of: eight.b, as: SIMD8<Float>.self)
            k += 8
        }
        while k < bins {
            alone(k)
            k += 1
        }
        return (peakA.max(), peakB.max())
    }
}

/// Twice the spectra A and B of a frame pair's two frames at eight bins, from their complex
/// FFT Z at those bins (`zr`, `zi`) and at their mirrors N - k (`mr`, `mi`):
/// `2 A[k] = Z[k] + conj Z[N-k] = (zr + mr) + i (zi - mi)` and
/// `2 B[k] = -i (Z[k] - conj Z[N-k]) = (zi + mi) + i (mr - zr)`.
struct SeparatedBins {
    let aReal, aImaginary, bReal, bImaginary: SIMD8<Float>

    @inline(__always)
    init(_ zr: SIMD8<Float>, _ zi: SIMD8<Float>, mirror mr: SIMD8<Float>, _ mi: SIMD8<Float>) {
        (aReal, aImaginary, bReal, bImaginary) = (zr + mr, zi - mi, zi + mi, mr - zr)
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
