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
    /// Four coefficients at a time: one load of the frame's eight bands feeds four basis rows,
    /// and the four sums are independent chains that the processor overlaps, where one
    /// coefficient at a time would wait on each addition in turn. Each coefficient still sums
    /// its products in the same order as a dot product of its own, so the results do not
    /// depend on the grouping.
    /// - Returns: frames x `coefficientCount`.
    public func apply(_ melDB: FrameMatrix) -> FrameMatrix {
        precondition(melDB.columns == bandCount, "\(melDB.columns) bands for an MFCC of \(bandCount)")
        var out = FrameMatrix(frameCount: melDB.frameCount, columns: coefficientCount)
        let n = bandCount
        melDB.values.withUnsafeBufferPointer { x in
            basis.withUnsafeBufferPointer { basis in
                out.values.withUnsafeMutableBufferPointer { out in
                    for t in 0..<melDB.frameCount {
                        let frame = x.baseAddress! + t * n
                        let coefficients = out.baseAddress! + t * coefficientCount
                        var k = 0
                        while k + 4 <= coefficientCount {
                            let r0 = basis.baseAddress! + k * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n
                            var l0 = SIMD8<Float>(), l1 = l0, l2 = l0, l3 = l0
                            var i = 0
                            while i + 8 <= n {
                                let bands = load(frame + i)
                                l0 += load(r0 + i) * bands
                                l1 += load(r1 + i) * bands
                                l2 += load(r2 + i) * bands
                                l3 += load(r3 + i) * bands
                                i += 8
                            }
                            var s0 = l0.sum(), s1 = l1.sum(), s2 = l2.sum(), s3 = l3.sum()
                            while i < n {
                                let band = frame[i]
                                s0 += r0[i] * band
                                s1 += r1[i] * band
                                s2 += r2[i] * band
                                s3 += r3[i] * band
                                i += 1
                            }
                            (coefficients[k], coefficients[k + 1], coefficients[k + 2], coefficients[k + 3]) = (s0, s1, s2, s3)
                            k += 4
                        }
                        while k < coefficientCount {
                            coefficients[k] = dot(basis.baseAddress! + k * n, frame, count: n)
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
