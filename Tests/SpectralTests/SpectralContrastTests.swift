import Foundation
@testable import Spectral
import Testing

/// The contrast's band extremes (`SpectralShape.contrastExtremes`, kept lane lists merged
/// without sorting) against a full sort, librosa's way, summed in the same order: the means
/// must agree to the last bit, down to the sign of a zero.
@Suite struct SpectralContrastTests {
    /// Frames built to trip the lane lists: random, falling and rising spectra, heavy ties,
    /// silence, spikes, and the quietest or loudest bins all in one lane (every eighth bin from
    /// some offset), which overflows that lane's list and sends the band to the slow path.
    static func frames(bins: Int, seed: UInt32) -> [[Float]] {
        var numbers = TestNumbers(state: seed)
        var frames: [[Float]] = [
            (0..<bins).map { _ in numbers.next() },
            (0..<bins).map { k in 1 / Float(k + 1) + 0.01 * numbers.next() },
            (0..<bins).map { k in Float(k) * 1e-3 + 0.01 * numbers.next() },
            (0..<bins).map { _ in Float(Int(numbers.next() * 4)) },
            (0..<bins).map { _ in Float(Int(numbers.next() * 40)) },
            [Float](repeating: 0, count: bins),
            [Float](repeating: 0.25, count: bins),
            (0..<bins).map { k in k % 97 == 0 ? 5 : 0.5 },
        ]
        for offset in [0, 3, 5, 7] {
            frames.append((0..<bins).map { k in k % 8 == offset ? numbers.next() : 10 + numbers.next() })
            frames.append((0..<bins).map { k in k % 8 == offset ? 10 + numbers.next() : numbers.next() })
            frames.append((0..<bins).map { k in k % 16 == offset ? 0 : 1 + Float(k % 5) })
        }
        return frames
    }

    /// FMA's bands at 22050 Hz (1 to 9 extremes) and other rates and quantiles, so that counts
    /// of extremes from 1 to 16 and beyond are met, in bands of 4 bins to 728 that mostly end
    /// past their last whole vector of eight.
    @Test(arguments: [0.02, 0.05, 0.1, 0.3])
    func contrastExtremesMatchSorting(quantile: Double) {
        for sampleRate in [22050.0, 44100, 96000, 16000, 8000] {
            let shape = SpectralShape(sampleRate: sampleRate, fftSize: 2048, quantile: quantile)
            for (f, frame) in Self.frames(bins: 1025, seed: 11).enumerated() {
                let rows = shape.contrastRowCount
                var valleys = [Double](repeating: .nan, count: rows), peaks = valleys
                frame.withUnsafeBufferPointer { s in
                    shape.contrastExtremes(s, valleys: &valleys, peaks: &peaks)
                }
                for (b, band) in shape.contrastBands.enumerated() where band.count > 0 {
                    let sorted = frame[band.start..<(band.start + band.count)].sorted()
                    let e = min(band.extremes, band.count)
                    let valley = sorted.prefix(e).reduce(0.0) { $0 + Double($1) } / Double(e)
                    let peak = sorted.suffix(e).reversed().reduce(0.0) { $0 + Double($1) } / Double(e)
                    #expect(valleys[b].bitPattern == valley.bitPattern && peaks[b].bitPattern == peak.bitPattern,
                            "\(sampleRate) Hz, frame \(f), band \(b) (\(band.count) bins, e = \(e)): \(valleys[b]), \(peaks[b]) vs \(valley), \(peak)")
                }
            }
        }
    }
}
