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
    /// - Returns: frames x `coefficientCount`.
    public func apply(_ melDB: FrameMatrix) -> FrameMatrix {
        precondition(melDB.columns == bandCount, "\(melDB.columns) bands for an MFCC of \(bandCount)")
        var out = FrameMatrix(frameCount: melDB.frameCount, columns: coefficientCount)
        melDB.values.withUnsafeBufferPointer { x in
            basis.withUnsafeBufferPointer { basis in
                out.values.withUnsafeMutableBufferPointer { out in
                    for t in 0..<melDB.frameCount {
                        let frame = x.baseAddress! + t * bandCount
                        for k in 0..<coefficientCount {
                            let row = basis.baseAddress! + k * bandCount
                            var lanes = SIMD8<Float>()
                            var i = 0
                            while i + 8 <= bandCount {
                                lanes += UnsafeRawPointer(row + i).loadUnaligned(as: SIMD8<Float>.self)
                                    * UnsafeRawPointer(frame + i).loadUnaligned(as: SIMD8<Float>.self)
                                i += 8
                            }
                            var sum = lanes.sum()
                            while i < bandCount { sum += row[i] * frame[i]; i += 1 }
                            out[t * coefficientCount + k] = sum
                        }
                    }
                }
            }
        }
        return out
    }
}
