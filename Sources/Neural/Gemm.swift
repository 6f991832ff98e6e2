// Dimensions: N batch, L length, C channels, F filters, K kernel size, D units (README.md).

import CBLAS
import Dispatch
import Foundation

/// Single-precision matrix products for the layers: `cblas_sgemm`, split by us over the cores.
///
/// C [M, N] = α · op(A) · op(B) + β · C, row-major, op(X) = X or Xᵀ. The output is cut into as
/// many blocks of rows (or, when M is small, of columns) as there are cores, and each block is
/// one single-threaded `cblas_sgemm` on its own thread. Doing the split ourselves rather than
/// letting OpenBLAS thread each call has two reasons, both measured on the 2-core machine this
/// project is benchmarked on: OpenBLAS's idle workers spin in `sched_yield` between calls and
/// steal the core from the element-wise passes (pooling, ReLU, im2col) that run between the
/// products, and its 2-thread split of the tall-skinny products of a convolution is slower
/// than two independent halves. Every output value is computed by one thread, in an order that
/// depends only on the shapes and the core count, so results are deterministic on a machine.
enum Gemm {
    /// The number of blocks a product is cut into: the cores this process may use.
    static let parts = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Products smaller than this many multiply-adds run as one call: threads cost more.
    static let splitThreshold = 1 << 21

    /// C = α op(A) op(B) + β C.
    /// - Parameters:
    ///   - transposeA: use Aᵀ; A is then stored [K, M], else [M, K].
    ///   - transposeB: use Bᵀ; B is then stored [N, K], else [K, N].
    ///   - m, n, k: op(A) is [M, K], op(B) [K, N], C [M, N].
    ///   - a, b, c: row-major storage, leading dimensions the stored row lengths.
    ///   - split: false for a call made from a thread that already has its share of the work.
    static func multiply(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                         alpha: Float = 1, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                         beta: Float = 0, _ c: UnsafeMutablePointer<Float>, split: Bool = true) {
        let lda = transposeA ? m : k, ldb = transposeB ? k : n
        let opA = transposeA ? CblasTrans : CblasNoTrans, opB = transposeB ? CblasTrans : CblasNoTrans
        singleThreadedBLAS
        let parts = !split || m * n * k < splitThreshold ? 1 : Self.parts
        // Cut the larger operand: along M when A [M, K] is at least as large as B [K, N], else
        // along N, so that each thread streams its own part of the big matrix (the 64 MB kernel
        // of the article's first Dense is read once, not once per thread).
        let alongRows = m >= n
        nonisolated(unsafe) let (pa, pb, pc) = (a, b, c)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            if alongRows {
                let first = m * part / parts, last = m * (part + 1) / parts
                guard last > first else { return }
                cblas_sgemm(CblasRowMajor, opA, opB, Int32(last - first), Int32(n), Int32(k), alpha,
                            pa + (transposeA ? first : first * lda), Int32(lda), pb, Int32(ldb),
                            beta, pc + first * n, Int32(n))
            } else {
                let first = n * part / parts, last = n * (part + 1) / parts
                guard last > first else { return }
                cblas_sgemm(CblasRowMajor, opA, opB, Int32(m), Int32(last - first), Int32(k), alpha,
                            pa, Int32(lda), pb + (transposeB ? first * ldb : first), Int32(ldb),
                            beta, pc + first, Int32(n))
            }
        }
    }
}

/// Asks OpenBLAS, once, to run each call on the calling thread (`Gemm` splits the work itself).
private let singleThreadedBLAS: Void = openblas_set_num_threads(1)

extension Array where Element == Float {
    /// An array of `count` floats whose values are left for the caller to write (every one of
    /// them, before reading): no pass to zero pages that are about to be overwritten.
    static func uninitialized(_ count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// `buffer`'s storage for reuse when it holds `count` values, else a new uninitialized
    /// array; `buffer` is left empty so that the storage is not shared. A layer keeps the
    /// arrays it hands out and takes them back on its next call: arrays of hundreds of MB are
    /// fresh `mmap`s otherwise, and the kernel's page faults and zeroing cost as much as the
    /// arithmetic. If the caller still holds the old array, writing copies it first (correct,
    /// only slower).
    static func reusing(_ buffer: inout [Float], count: Int) -> [Float] {
        var taken: [Float] = []
        swap(&taken, &buffer)
        return taken.count == count ? taken : .uninitialized(count)
    }
}
