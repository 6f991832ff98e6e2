import CBLAS
import Dispatch
import Foundation

/// Matrix products, `cblas_dgemm` (and `cblas_sgemm` for approximate passes), split by us over
/// the cores: each block of the result is one single-threaded BLAS call on its own thread (as
/// `Neural`'s `Gemm` does, for the same reasons: OpenBLAS's own threads spin between calls,
/// and every value then comes from one thread in a fixed order, so results are deterministic
/// on a machine).
enum MatrixProduct {
    static let parts = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Products smaller than this many multiply-adds run as one call: threads cost more.
    static let splitThreshold = 1 << 20

    /// C [M, N] = α · A [M, K] · op(B) + β · C, row-major, op(B) = B [K, N] or Bᵀ with B
    /// stored [N, K]; the rows of C are cut into one block per core.
    ///
    /// In single precision (`cblas_sgemm`) the product serves callers that only need a first,
    /// approximate pass and can bound its error (`KNearestNeighbors` ranks with it, then
    /// recomputes the few close calls in double). Each element is a dot product of length K
    /// summed in float32: |computed − exact| ≤ γ_K Σ |aᵢ bᵢ| with γ_K = K u / (1 − K u),
    /// u = 2⁻²⁴, whatever order OpenBLAS sums in (Higham, "Accuracy and Stability of Numerical
    /// Algorithms", 2nd ed., §3.1).
    static func multiply<Scalar: GemmScalar>(m: Int, n: Int, k: Int, alpha: Scalar = 1, _ a: UnsafePointer<Scalar>,
                                             _ b: UnsafePointer<Scalar>, transposeB: Bool, beta: Scalar = 0,
                                             _ c: UnsafeMutablePointer<Scalar>, threaded: Bool = true) {
        let ldb = transposeB ? k : n
        let opB = transposeB ? CblasTrans : CblasNoTrans
        nonisolated(unsafe) let (pa, pb, pc) = (a, b, c)
        forRowBlocks(m: m, n: n, k: k, threaded: threaded) { first, rows in
            Scalar.gemm(CblasNoTrans, opB, rows, n, k, alpha, pa + first * k, k, pb, ldb, beta, pc + first * n, n)
        }
    }

    /// Calls `body(first, rows)` for one block of C's M rows per core (one block for a small
    /// product, or when not `threaded`), each on its own thread.
    private static func forRowBlocks(m: Int, n: Int, k: Int, threaded: Bool, _ body: (Int, Int) -> Void) {
        guard m > 0, n > 0 else { return }
        singleThreadedBLAS
        let parts = (!threaded || m * n * k < splitThreshold) ? 1 : min(Self.parts, m)
        parallelFor(parts) { part in
            let first = m * part / parts, last = m * (part + 1) / parts
            if last > first { body(first, last - first) }
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
            Double.gemm(CblasTrans, CblasNoTrans, m, last - first, k, alpha, pa, m, pb + first, n, beta, pc + first, n)
        }
    }

    /// Σ_j x_j² of each row of a row-major [rows, columns] matrix.
    static func squaredNorms(_ matrix: FeatureMatrix) -> [Double] {
        (0..<matrix.rows).map { i in matrix.row(i).reduce(0) { $0 + $1 * $1 } }
    }
}

/// Asks OpenBLAS, once, to run each call on the calling thread (`MatrixProduct` splits the work).
private let singleThreadedBLAS: Void = openblas_set_num_threads(1)

/// A scalar type with a BLAS matrix product: `cblas_dgemm` for Double, `cblas_sgemm` for Float
/// (row-major; C = α op(A) op(B) + β C with the leading dimensions given).
protocol GemmScalar: BinaryFloatingPoint {
    static func gemm(_ opA: CBLAS_TRANSPOSE, _ opB: CBLAS_TRANSPOSE, _ m: Int, _ n: Int, _ k: Int, _ alpha: Self,
                     _ a: UnsafePointer<Self>, _ lda: Int, _ b: UnsafePointer<Self>, _ ldb: Int, _ beta: Self,
                     _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
}

extension Double: GemmScalar {
    static func gemm(_ opA: CBLAS_TRANSPOSE, _ opB: CBLAS_TRANSPOSE, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
                     _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int, _ beta: Double,
                     _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        cblas_dgemm(CblasRowMajor, opA, opB, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }
}

extension Float: GemmScalar {
    static func gemm(_ opA: CBLAS_TRANSPOSE, _ opB: CBLAS_TRANSPOSE, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                     _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
                     _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, opA, opB, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }
}
