import CFFTW
import Foundation

/// Spectra of two real frames from one complex FFT, read straight from the signal.
///
/// The classic two-for-one trick (Brigham, "The Fast Fourier Transform", 1974, §10.3): put
/// frame `a` in the real part and frame `b` in the imaginary part, `z = a + i b`; then
/// `Z[k] + conj(Z[N-k]) = 2 A[k]` and `-i (Z[k] - conj(Z[N-k])) = 2 B[k]`. FFTW's split-complex
/// interface takes the real and imaginary parts as two separate arrays, so both can point
/// into the padded signal at the two frames' first samples: nothing is copied, and one
/// complex FFT of N points costs less than half of two real ones. The factor 2 is left in
/// the spectra for `ConstantQKernel` to absorb.
///
/// The plan is FFTW_ESTIMATE (the same arithmetic on every run, as `RealFFT`). FFTW only runs
/// a plan on arrays aligned as the ones it was planned with, so a frame that starts off a
/// 16-byte boundary (an odd hop) is copied to an aligned buffer first.
///
/// FFTW's planner is not thread-safe, but running a plan on new arrays is; so each size is
/// planned once per process (see `SplitPlans`) and every instance, on any thread, runs that
/// plan on its own buffers.
final class ConstantQFramePairs {
    let size: Int
    private let outputReal: UnsafeMutablePointer<Float>
    private let outputImaginary: UnsafeMutablePointer<Float>
    private let alignedFirst: UnsafeMutablePointer<Float>
    private let alignedSecond: UnsafeMutablePointer<Float>
    /// N zeros: the partner of a last, unpaired frame.
    private let zeros: UnsafeMutablePointer<Float>
    private let plan: fftwf_plan

    /// - Parameter size: N, a power of two.
    init(size: Int) {
        precondition(size >= 2 && size & (size - 1) == 0, "the frame size must be a power of two, got \(size)")
        self.size = size
        outputReal = fftwf_alloc_real(size)!
        outputImaginary = fftwf_alloc_real(size)!
        alignedFirst = fftwf_alloc_real(size)!
        alignedSecond = fftwf_alloc_real(size)!
        zeros = fftwf_alloc_real(size)!
        zeros.update(repeating: 0, count: size)
        plan = SplitPlans.shared.plan(size: size)
    }

    deinit {
        for pointer in [outputReal, outputImaginary, alignedFirst, alignedSecond, zeros] { fftwf_free(pointer) }
    }

    /// Transforms the N samples at `first` and at `second` (or N zeros) and writes twice
    /// their spectra at bins `bandStart ..< bandStart + bandWidth` (bins past N as zeros):
    /// bin `bandStart + j` of the first frame to `intoReal[j * stride]` and
    /// `intoImaginary[j * stride]`, of the second frame one place further.
    func transform(_ first: UnsafePointer<Float>, _ second: UnsafePointer<Float>?, bandStart: Int, bandWidth: Int,
                   intoReal: UnsafeMutablePointer<Float>, intoImaginary: UnsafeMutablePointer<Float>, stride: Int) {
        var real = UnsafeMutablePointer(mutating: first)
        var imaginary = second.map { UnsafeMutablePointer(mutating: $0) } ?? zeros
        if fftwf_alignment_of(real) != 0 {
            alignedFirst.update(from: real, count: size)
            real = alignedFirst
        }
        if fftwf_alignment_of(imaginary) != 0 {
            alignedSecond.update(from: imaginary, count: size)
            imaginary = alignedSecond
        }
        // Out of place, FFTW's complex DFTs leave their input untouched, so the two frames
        // may overlap each other and the signal.
        fftwf_execute_split_dft(plan, real, imaginary, outputReal, outputImaginary)
        let mask = size - 1
        for j in 0..<bandWidth {
            let k = bandStart + j, at = j * stride
            guard k < size else {
                intoReal[at] = 0; intoImaginary[at] = 0; intoReal[at + 1] = 0; intoImaginary[at + 1] = 0
                continue
            }
            let mirror = (size - k) & mask
            let zr = outputReal[k], zi = outputImaginary[k]
            let mr = outputReal[mirror], mi = outputImaginary[mirror]
            intoReal[at] = zr + mr
            intoImaginary[at] = zi - mi
            intoReal[at + 1] = zi + mi
            intoImaginary[at + 1] = mr - zr
        }
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
