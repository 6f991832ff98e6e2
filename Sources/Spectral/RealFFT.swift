import CFFTW
import Foundation

/// A real-to-complex FFT of one size, planned once with FFTW (single precision).
///
/// FFTW's planner is not thread-safe, so planning is serialised under a lock; executing a
/// plan on its own buffers is, so make one `RealFFT` per thread and reuse it for every frame.
/// Plans use `FFTW_ESTIMATE`: the same arithmetic on every run and machine, which keeps
/// results reproducible bit for bit (FFTW_MEASURE may pick a different algorithm each time).
public final class RealFFT {
    public let size: Int
    /// Input: `size` real samples. Fill it, then call `execute()`.
    public let input: UnsafeMutablePointer<Float>
    /// Output: `size / 2 + 1` complex bins, interleaved (re, im).
    public let output: UnsafeMutablePointer<Float>
    private let plan: fftwf_plan

    /// Held around every call into FFTW's planner in this module (plans made and destroyed).
    static let plannerLock = NSLock()

    public init(size: Int) {
        precondition(size >= 2, "FFT size must be at least 2, got \(size)")
        self.size = size
        input = fftwf_alloc_real(size)!
        let complex = fftwf_alloc_complex(size / 2 + 1)!
        output = UnsafeMutableRawPointer(complex).bindMemory(to: Float.self, capacity: 2 * (size / 2 + 1))
        Self.plannerLock.lock()
        plan = fftwf_plan_dft_r2c_1d(Int32(size), input, complex, UInt32(FFTW_ESTIMATE))
        Self.plannerLock.unlock()
    }

    deinit {
        Self.plannerLock.lock()
        fftwf_destroy_plan(plan)
        Self.plannerLock.unlock()
        fftwf_free(input)
        fftwf_free(output)
    }

    public var binCount: Int { size / 2 + 1 }

    /// Transforms `input` into `output`.
    public func execute() { fftwf_execute(plan) }
}
