import CVectorMath
import Foundation

/// Mel-frequency cepstral coefficients (Davis and Mermelstein, 1980; librosa: `feature.mfcc`):
/// the orthonormal DCT-II of each frame of a dB mel spectrogram, first `coefficientCount`
/// coefficients, no liftering.
///
/// `c[0] = sqrt(1/N) sum x[n]`, `c[k] = sqrt(2/N) sum x[n] cos(pi k (2n + 1) / 2N)`, N = bands
/// (scipy's `dct(type=2, norm='ortho')`).
public struct MFCC: Sendable {
    public let bandCount: Int
    public let coefficientCount: Int
    /// coefficientCount x bandCount, row-major.
    public let basis: [Float]

    public init(bandCount: Int = 128, coefficientCount: Int = 20) {
        precondition(coefficientCount <= bandCount, "\(coefficientCount) coefficients from \(bandCount) bands")
        self.bandCount = bandCount
        self.coefficientCount = coefficientCount
        let n = Double(bandCount)
        var basis = [Float](repeating: 0, count: coefficientCount * bandCount)
        for k in 0..<coefficientCount {
            let scale = k == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
            for i in 0..<bandCount {
                basis[k * bandCount + i] = Float(scale * cos(Double.pi * Double(k) * (2 * Double(i) + 1) / (2 * n)))
            }
        }
        self.basis = basis
    }

    /// The coefficients of every frame of a dB mel spectrogram (frames x bands).
    ///
    /// Two frames and four coefficients at a time: each load of a basis row's eight bands
    /// serves both frames, and each load of a frame's bands four rows, and the eight sums are
    /// independent chains that the processor overlaps, where one coefficient at a time would
    /// wait on each addition in turn. Each coefficient still sums its products in the same
    /// order as a dot product of its own (eight lanes, then the lanes, then the last bands),
    /// so the results do not depend on the grouping. An odd last frame is paired with itself.
    /// - Returns: frames x `coefficientCount`.
    public func apply(_ melDB: FrameMatrix) -> FrameMatrix {
        precondition(melDB.columns == bandCount, "\(melDB.columns) bands for an MFCC of \(bandCount)")
        var out = FrameMatrix(frameCount: melDB.frameCount, columns: coefficientCount)
        let n = bandCount
        melDB.values.withUnsafeBufferPointer { x in
            basis.withUnsafeBufferPointer { basis in
                out.values.withUnsafeMutableBufferPointer { out in
                    for t in stride(from: 0, to: melDB.frameCount, by: 2) {
                        let u = min(t + 1, melDB.frameCount - 1)
                        let (frameA, frameB) = (x.baseAddress! + t * n, x.baseAddress! + u * n)
                        let (outA, outB) = (out.baseAddress! + t * coefficientCount, out.baseAddress! + u * coefficientCount)
                        var k = 0
                        while k + 4 <= coefficientCount {
                            let r0 = basis.baseAddress! + k * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n
                            var a0 = SIMD8<Float>(), a1 = a0, a2 = a0, a3 = a0
                            var b0 = a0, b1 = a0, b2 = a0, b3 = a0
                            var i = 0
                            while i + 8 <= n {
                                let bandsA = load(frameA + i), bandsB = load(frameB + i)
                                let w0 = load(r0 + i), w1 = load(r1 + i), w2 = load(r2 + i), w3 = load(r3 + i)
                                a0 += w0 * bandsA
                                b0 += w0 * bandsB
                                a1 += w1 * bandsA
                                b1 += w1 * bandsB
                                a2 += w2 * bandsA
                                b2 += w2 * bandsB
                                a3 += w3 * bandsA
                                b3 += w3 * bandsB
                                i += 8
                            }
                            var sumsA = SIMD4(a0.sum(), a1.sum(), a2.sum(), a3.sum())
                            var sumsB = SIMD4(b0.sum(), b1.sum(), b2.sum(), b3.sum())
                            while i < n {
                                let weights = SIMD4(r0[i], r1[i], r2[i], r3[i])
                                sumsA += weights * frameA[i]
                                sumsB += weights * frameB[i]
                                i += 1
                            }
                            for c in 0..<4 {
                                outA[k + c] = sumsA[c]
                                outB[k + c] = sumsB[c]
                            }
                            k += 4
                        }
                        while k < coefficientCount {
                            outA[k] = dot(basis.baseAddress! + k * n, frameA, count: n)
                            outB[k] = dot(basis.baseAddress! + k * n, frameB, count: n)
                            k += 1
                        }
                    }
                }
            }
        }
        return out
    }
}

@inline(__always)
private func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    genre_load8(p)
}

/// The sum of `a[i] * b[i]`: eight lanes of partial sums, then the lanes, then the tail.
@inline(__always)
private func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD8<Float>()
    var i = 0
    while i + 8 <= count {
        lanes += load(a + i) * load(b + i)
        i += 8
    }
    var sum = lanes.sum()
    while i < count {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}
