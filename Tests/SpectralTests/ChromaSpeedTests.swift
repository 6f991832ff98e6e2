import Foundation
@testable import Spectral
import Testing

/// The fast paths of `ChromaFilterBank.apply` and of `Chroma`'s fold, CENS and tonnetz
/// against plain loops that add in the documented order, to the last bit.
struct ChromaSpeedTests {
    /// Values in [0, 1) raised to the fourth power: mostly small, a few large, so that the
    /// L1-normalized chroma crosses every CENS step.
    static func peaky(_ count: Int, seed: UInt32) -> [Float] {
        var numbers = TestNumbers(state: seed)
        return (0..<count).map { _ in
            let u = numbers.next()
            return u * u * u * u
        }
    }

    /// Every class of every frame adds its products in eight lanes (lane l: bins l, l + 8,
    /// ...), then the lanes in order, then the bins past the last whole eight, whichever group
    /// of four frames it falls in: frame counts 1 to 9 leave every size of last group, odd
    /// class counts pair the last class with itself, and bin counts leave tails of 0 to 7.
    @Test(arguments: [(22050.0, 2048, 12), (44100, 2048, 12), (22050, 512, 7), (16000, 64, 13),
                      (8000, 30, 12), (8000, 24, 5), (8000, 44, 12), (8000, 14, 1)])
    func projectionAddsInLaneOrder(sampleRate: Double, fftSize: Int, chromaCount: Int) {
        let bank = ChromaFilterBank(sampleRate: sampleRate, fftSize: fftSize, chromaCount: chromaCount, tuning: 0.13)
        let bins = bank.binCount, whole = bins / 8 * 8
        for frames in 1...9 {
            let power = FrameMatrix(frameCount: frames, columns: bins, values: Self.peaky(frames * bins, seed: UInt32(frames)))
            var expected = [Float](repeating: 0, count: frames * chromaCount)
            for t in 0..<frames {
                for c in 0..<chromaCount {
                    var lanes = [Float](repeating: 0, count: 8)
                    for k in 0..<whole { lanes[k % 8] += bank.weights[c * bins + k] * power[t, k] }
                    var sum = lanes[0]
                    for lane in 1..<8 { sum += lanes[lane] }
                    for k in whole..<bins { sum += bank.weights[c * bins + k] * power[t, k] }
                    expected[t * chromaCount + c] = sum
                }
            }
            #expect(bank.apply(power).values.map(\.bitPattern) == expected.map(\.bitPattern),
                    "\(fftSize)-point FFT, \(chromaCount) classes, \(frames) frames")
        }
    }

    /// Folding adds each class's bins lowest first, whole octaves and a last partial one alike.
    @Test func foldAddsOctavesInOrder() {
        for (bins, classes) in [(84, 12), (85, 12), (90, 12), (5, 12), (84, 7), (20, 5), (9, 3)] {
            let cqt = FrameMatrix(frameCount: 3, columns: bins, values: Self.peaky(3 * bins, seed: UInt32(bins)))
            var expected = [Float](repeating: 0, count: 3 * classes)
            for t in 0..<3 {
                for b in 0..<bins { expected[t * classes + b % classes] += cqt[t, b] }
            }
            #expect(Chroma.fold(cqt, classCount: classes).values.map(\.bitPattern) == expected.map(\.bitPattern),
                    "\(bins) bins, \(classes) classes")
        }
    }

    /// CENS smooths with the window's taps in order, in double precision, over the frames
    /// inside the clip only: clips shorter than the window, as long as it, and longer.
    @Test func censSmoothsTapByTap() {
        for frames in [1, 2, 20, 43, 100] {
            let cqt = FrameMatrix(frameCount: frames, columns: 84, values: Self.peaky(frames * 84, seed: UInt32(frames)))
            var chroma = Chroma.fold(cqt)
            Chroma.normalize(&chroma, norm: 1)
            let quantized = chroma.values.map { v in
                var q = 0.0
                for step: Float in [0.4, 0.2, 0.1, 0.05] where v > step { q += 0.25 }
                return q
            }
            let window = Window.hann(length: 43, periodic: false).map(Double.init)
            let total = window.reduce(0, +)
            var smoothed = FrameMatrix(frameCount: frames, columns: 12)
            for t in 0..<frames {
                for c in 0..<12 {
                    var sum = 0.0
                    for j in 0..<43 where (0..<frames).contains(t + j - 21) {
                        sum += window[j] / total * quantized[(t + j - 21) * 12 + c]
                    }
                    smoothed[t, c] = Float(sum)
                }
            }
            Chroma.normalize(&smoothed, norm: 2)
            #expect(Chroma.cens(fromConstantQ: cqt).values.map(\.bitPattern) == smoothed.values.map(\.bitPattern),
                    "\(frames) frames")
        }
    }

    /// Each tonnetz coordinate adds its classes' products in order, in double precision.
    @Test func tonnetzAddsClassesInOrder() {
        let chroma = FrameMatrix(frameCount: 9, columns: 12, values: Self.peaky(9 * 12, seed: 7))
        var normalized = chroma
        Chroma.normalize(&normalized, norm: 1)
        let scale: [Double] = [7.0 / 6, 7.0 / 6, 3.0 / 2, 3.0 / 2, 2.0 / 3, 2.0 / 3]
        let radius: [Double] = [1, 1, 1, 1, 0.5, 0.5]
        var expected = FrameMatrix(frameCount: 9, columns: 6)
        for t in 0..<9 {
            for p in 0..<6 {
                var sum = 0.0
                for c in 0..<12 {
                    let v = scale[p] * Double(c) - (p % 2 == 0 ? 0.5 : 0)
                    sum += radius[p] * cos(Double.pi * v) * Double(normalized[t, c])
                }
                expected[t, p] = Float(sum)
            }
        }
        #expect(Chroma.tonnetz(chroma).values.map(\.bitPattern) == expected.values.map(\.bitPattern))
    }
}
