import CBLAS
import Dispatch
import Foundation

/// Double-precision matrix products: `cblas_dgemm`, split by us over the cores.
///
/// C [M, N] = α · A [M, K] · op(B) + β · C, row-major, op(B) = B [K, N] or Bᵀ with B stored
/// [N, K]. The rows of C are cut into one block per core, each block one single-threaded
/// `cblas_dgemm` on its own thread (as `Neural`'s `Gemm` does, for the same reasons: OpenBLAS's
/// own threads spin between calls, and every value then comes from one thread in a fixed
/// order, so results are deterministic on a machine).
enum MatrixProduct {
    static let parts = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Products smaller than this many multiply-adds run as one call: threads cost more.
    static let splitThreshold = 1 << 20

    static func multiply(m: Int, n: Int, k: Int, alpha: Double = 1, _ a: UnsafePointer<Double>,
                         _ b: UnsafePointer<Double>, transposeB: Bool, beta: Double = 0,
                         _ c: UnsafeMutablePointer<Double>, threaded: Bool = true) {
        guard m > 0, n > 0 else { return }
        singleThreadedBLAS
        let ldb = transposeB ? k : n
        let opB = transposeB ? CblasTrans : CblasNoTrans
        let parts = (!threaded || m * n * k < splitThreshold) ? 1 : min(Self.parts, m)
        nonisolated(unsafe) let (pa, pb, pc) = (a, b, c)
        parallelFor(parts) { part in
            let first = m * part / parts, last = m * (part + 1) / parts
            guard last > first else { return }
            cblas_dgemm(CblasRowMajor, CblasNoTrans, opB, Int32(last - first), Int32(n), Int32(k), alpha,
                        pa + first * k, Int32(k), pb, Int32(ldb), beta, pc + first * n, Int32(n))
        }
    }

    /// C [M, N] = α · Aᵀ · B + β C, with A stored [K, M] and B [K, N] (the gradients' small
    /// outputs from long sums): the columns of C are cut into one block per core.
    static func multiplyTransposedA(m: Int, n: Int, k: Int, alpha: Double = 1, _ a: UnsafePointer<Double>,
                                    _ b: UnsafePointer<Double>, beta: Double = 0, _ c: UnsafeMutablePointer<Double>) {
        guard m > 0, n > 0 else { return }
        singleThreadedBLAS
        let parts = m * n * k < splitThreshold ? 1 : min(Self.parts, n)
        nonisolated(unsafe) let (pa, pb, pc) = (a, b, c)
        parallelFor(parts) { part in
            let first = n * part / parts, last = n * (part + 1) / parts
            guard last > first else { return }
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(m), Int32(last - first), Int32(k), alpha,
                        pa, Int32(m), pb + first, Int32(n), beta, pc + first, Int32(n))
        }
    }

    /// Σ_j x_j² of each row of a row-major [rows, columns] matrix.
    static func squaredNorms(_ matrix: FeatureMatrix) -> [Double] {
        (0..<matrix.rows).map { i in matrix.row(i).reduce(0) { $0 + $1 * $1 } }
    }
}

/// Asks OpenBLAS, once, to run each call on the calling thread (`MatrixProduct` splits the work).
private let singleThreadedBLAS: Void = openblas_set_num_threads(1)
