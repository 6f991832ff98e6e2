import Foundation
@testable import Spectral
import Testing

/// The fast paths of the mel projection, the decibels and the MFCC against plain loops that
/// add in the documented order, to the last bit.
struct MelZcrSpeedTests {
    /// Powers spread over many orders of magnitude, with exact zeros, like a spectrum's.
    static func powers(_ count: Int, seed: UInt32) -> [Float] {
        var numbers = TestNumbers(state: seed)
        return (0..<count).map { _ in
            let u = numbers.next()
            return u < 0.05 ? 0 : Float(pow(10, Double(12 * numbers.next() - 8)))
        }
    }

    /// `MelFilterBank.project` adds each band's products in the order its `Block` documents:
    /// groups of eight bands, four partial sums by bin offset (mod 4) from the group's first
    /// weighted bin, the group's tail into the first, then `(s0 + s1) + (s2 + s3)`. Band
    /// counts that are not multiples of eight or two, and banks narrow enough that groups'
    /// tails reach the last bin or bands weight no bin at all, exercise the layout's edges.
    @Test(arguments: [(44100, 2048, 128), (22050, 2048, 128), (22050, 512, 40), (16000, 400, 13),
                      (8000, 64, 9), (8000, 64, 40), (44100, 2048, 1), (1000, 16, 3)])
    func melProjectionAddsInGroupOrder(sampleRate: Int, fftSize: Int, bandCount: Int) {
        let bank = MelFilterBank(sampleRate: sampleRate, fftSize: fftSize, bandCount: bandCount)
        let bins = bank.binCount
        for seed: UInt32 in [1, 2, 3] {
            let frame = Self.powers(bins, seed: seed)
            var expected = [Float](repeating: 0, count: bandCount)
            for group in stride(from: 0, to: bandCount, by: 8) {
                let members = group..<min(group + 8, bandCount)
                let weighted = (0..<bins).filter { k in members.contains { bank.weights[$0 * bins + k] != 0 } }
                guard let first = weighted.first, let last = weighted.last else { continue }
                let tailStart = first + (last + 1 - first) / 4 * 4
                for m in members {
                    var sums: [Float] = [0, 0, 0, 0]
                    for k in first...last {
                        sums[k < tailStart ? (k - first) % 4 : 0] += bank.weights[m * bins + k] * frame[k]
                    }
                    expected[m] = (sums[0] + sums[1]) + (sums[2] + sums[3])
                }
            }
            var bands = [Float](repeating: .nan, count: bandCount)
            frame.withUnsafeBufferPointer { frame in
                bands.withUnsafeMutableBufferPointer { bank.project(frame, into: $0.baseAddress!) }
            }
            #expect(bands.map(\.bitPattern) == expected.map(\.bitPattern), "\(sampleRate) Hz, \(fftSize), \(bandCount) bands")
        }
    }

    /// `Decibels.convert` on vectors and on the last cells equals the same formula cell by cell.
    @Test func decibelsMatchTheFormulaCellByCell() {
        for count in [1, 7, 8, 9, 1000, 1003] {
            let power = Self.powers(count, seed: UInt32(count))
            let scale: Float = 4.342944819032518
            let offset = scale * vectorLog(SIMD8(repeating: 1))[0]
            var expected = power.map { scale * vectorLog(SIMD8(repeating: max($0, 1e-10)))[0] - offset }
            let lowest = expected.max()! - 80
            expected = expected.map { max($0, lowest) }
            #expect(Decibels.fromPower(power).map(\.bitPattern) == expected.map(\.bitPattern), "\(count) cells")
        }
    }

    /// `MFCC.apply`, two frames at a time, equals one dot product per frame and coefficient,
    /// for odd frame counts and band counts with a remainder past the last eight.
    @Test(arguments: [(128, 20, 5), (13, 7, 3), (40, 13, 1), (128, 20, 64)])
    func mfccMatchesOneDotProductPerCoefficient(bandCount: Int, coefficientCount: Int, frameCount: Int) {
        let mfcc = MFCC(bandCount: bandCount, coefficientCount: coefficientCount)
        var numbers = TestNumbers(state: 11)
        let values = (0..<(frameCount * bandCount)).map { _ in 80 * numbers.next() - 80 }
        let out = mfcc.apply(FrameMatrix(frameCount: frameCount, columns: bandCount, values: values))
        for t in 0..<frameCount {
            for k in 0..<coefficientCount {
                // Eight lanes of partial sums, the lanes, then the bands past the last eight.
                var lanes = SIMD8<Float>()
                let whole = bandCount / 8 * 8
                for i in stride(from: 0, to: whole, by: 8) {
                    let row = k * bandCount + i, frame = t * bandCount + i
                    let weights = SIMD8<Float>(mfcc.basis[row..<(row + 8)])
                    let bands = SIMD8<Float>(values[frame..<(frame + 8)])
                    lanes += weights * bands
                }
                var sum = lanes.sum()
                for i in whole..<bandCount {
                    let product: Float = mfcc.basis[k * bandCount + i] * values[t * bandCount + i]
                    sum += product
                }
                #expect(out.values[t * coefficientCount + k].bitPattern == sum.bitPattern, "frame \(t), coefficient \(k)")
            }
        }
    }

    /// Blocks counted one at a time, in any order (as a caller counts them alongside an STFT),
    /// give `compute`'s rates.
    @Test(arguments: [(2048, 512), (1000, 300), (7, 3)])
    func zeroCrossingRateFromBlocksCountedApart(frameLength: Int, hopLength: Int) {
        var numbers = TestNumbers(state: 3)
        for n in [1, 6, 700, 5000] {
            let signal = (0..<n).map { _ in numbers.next() - 0.5 }
            let rates = signal.withUnsafeBufferPointer { x in
                var counts = [Int](repeating: -1, count: ZeroCrossingRate.blockCount(sampleCount: n, hopLength: hopLength))
                for b in counts.indices.reversed() {
                    counts[b] = ZeroCrossingRate.blockCrossings(x, block: b, hopLength: hopLength)
                }
                return ZeroCrossingRate.rates(x, blockCrossings: counts, frameLength: frameLength, hopLength: hopLength)
            }
            #expect(rates == ZeroCrossingRate.compute(signal, frameLength: frameLength, hopLength: hopLength), "n \(n)")
        }
    }
}
