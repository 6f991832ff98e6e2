import Foundation
@testable import Spectral
import Testing

/// The rewritten per-frame loops (`SpectralShape.descriptors`, the tuning trackers' peak test,
/// `FrameStatistics.columns`) against plain ones that take the same sums in the same order:
/// the results must agree to the last bit.
@Suite struct SpectralShapeTests {
    /// Frames built to trip the fused loops: music-like falling spectra, rising ones, ties,
    /// silence, lone spikes (at the first bin and at the last, which is past the last whole
    /// block of eight), and a loud first bin over a faint floor, whose running sum creeps up to
    /// the roll-off threshold in steps far smaller than its rounding bound.
    static func frames(bins: Int, seed: UInt32) -> [[Float]] {
        var numbers = TestNumbers(state: seed)
        var frames: [[Float]] = [
            [Float](repeating: 0, count: bins),
            (0..<bins).map { $0 == 0 ? 1 : 0 },
            (0..<bins).map { $0 == bins - 1 ? 1 : 0 },
            (0..<bins).map { $0 == 0 ? 0.8 : 1e-6 * numbers.next() },
            (0..<bins).map { _ in Float(Int(numbers.next() * 4)) },
            (0..<bins).map { k in Float(k) * 1e-3 + 0.01 * numbers.next() },
        ]
        for _ in 0..<40 {
            let slope = 2 * numbers.next()
            frames.append((0..<bins).map { k in 50 * numbers.next() / pow(Float(k + 1), slope) + 1e-3 * numbers.next() })
        }
        return frames
    }

    /// The four numbers as the separate loops took them: sums in eight float lanes (lane j
    /// adds bins j, j + 8, ...), the lanes then added in double, the bins past the last whole
    /// block in double; the roll-off's total the same lanes added in float, its running sum
    /// one float addition per bin (numpy's `cumsum`).
    static func plainDescriptors(_ s: [Float], shape: SpectralShape) -> ShapeDescriptors {
        let n = s.count, blockEnd = n - n % 8, f = shape.frequencies.map { Float($0) }
        func lanes(_ term: (Int) -> Float) -> [Float] {
            var lanes = [Float](repeating: 0, count: 8)
            for k in 0..<blockEnd { lanes[k % 8] += term(k) }
            return lanes
        }
        func sum(_ term: (Int) -> Float, tail: (Int) -> Double) -> Double {
            lanes(term).reduce(0.0) { $0 + Double($1) } + (blockEnd..<n).reduce(0.0) { $0 + tail($1) }
        }
        let total = sum({ s[$0] }, tail: { Double(s[$0]) })
        let weighted = sum({ s[$0] * f[$0] }, tail: { Double(s[$0]) * Double(f[$0]) })
        let silent = total < Double(Float.leastNormalMagnitude)
        let centroid = silent ? weighted : weighted / total
        let c = Float(centroid)
        let spread = sum({ s[$0] * (f[$0] - c) * (f[$0] - c) }, tail: {
            let d = Double(f[$0]) - Double(c)
            return Double(s[$0]) * (d * d)
        })
        let squares = sum({ s[$0] * s[$0] }, tail: { Double(s[$0]) * Double(s[$0]) })
        var rollTotal = lanes { s[$0] }.reduce(Float(0), +)
        for k in blockEnd..<n { rollTotal += s[k] }
        var running: Float = 0, bin = n - 1
        for k in 0..<n {
            running += s[k]
            if running >= shape.rollPercent * rollTotal { bin = k; break }
        }
        return ShapeDescriptors(centroid: centroid, bandwidth: (silent ? spread : spread / total).squareRoot(),
                                rolloff: shape.frequencies[bin], rms: (squares / Double(n)).squareRoot())
    }

    @Test(arguments: [2048, 30, 16, 8])
    func descriptorsMatchPlainLoops(fftSize: Int) {
        let shape = SpectralShape(sampleRate: 22050, fftSize: fftSize)
        for (f, frame) in Self.frames(bins: fftSize / 2 + 1, seed: UInt32(fftSize)).enumerated() {
            let fused = frame.withUnsafeBufferPointer { shape.descriptors($0) }
            let plain = Self.plainDescriptors(frame, shape: shape)
            #expect(fused.centroid.bitPattern == plain.centroid.bitPattern, "frame \(f): centroid \(fused.centroid) vs \(plain.centroid)")
            #expect(fused.bandwidth.bitPattern == plain.bandwidth.bitPattern, "frame \(f): bandwidth \(fused.bandwidth) vs \(plain.bandwidth)")
            #expect(fused.rolloff == plain.rolloff, "frame \(f): roll-off \(fused.rolloff) vs \(plain.rolloff)")
            #expect(fused.rms.bitPattern == plain.rms.bitPattern, "frame \(f): rms \(fused.rms) vs \(plain.rms)")
        }
    }

    /// Whenever the block sums prove a roll-off bin, it is the serial float sum's; and on these
    /// frames both outcomes occur, so that the proof and the serial fallback both run.
    @Test func rolloffProofAgreesWithSerialSum() {
        var numbers = TestNumbers(state: 3)
        var proven = 0, unproven = 0
        for frame in Self.frames(bins: 1025, seed: 5) + Self.frames(bins: 1025, seed: 6) {
            for percent in [Float(0.85), 0.5, 0.99, 0.999, numbers.next()] {
                let threshold = percent * frame.reduce(0, +)
                var search = RolloffSearch(threshold: threshold)
                let bin = frame.withUnsafeBufferPointer { s -> Int? in
                    var k = 0
                    while k + 8 <= s.count {
                        let block = UnsafeRawPointer(s.baseAddress! + k).loadUnaligned(as: SIMD8<Float>.self)
                        if search.reachesThreshold(block) { break }
                        k += 8
                    }
                    return search.provenBin(s)
                }
                let serial = frame.withUnsafeBufferPointer { SpectralShape.serialRolloffBin($0, threshold: threshold) }
                if let bin {
                    proven += 1
                    #expect(bin == serial, "threshold \(threshold): proven \(bin), serial \(serial)")
                } else {
                    unproven += 1
                }
            }
        }
        #expect(proven > 0 && unproven > 0, "proven \(proven), unproven \(unproven)")
    }

    /// The trackers' vector peak test (raw values against the reference and the neighbours)
    /// finds the peaks of the gated frame, with the same refinements.
    @Test(arguments: [22050.0, 44100.0])
    func tuningPeaksMatchGatedFrame(sampleRate: Double) {
        let fftSize = 2048, bins = fftSize / 2 + 1
        let step = sampleRate / Double(fftSize)
        let searched = (0..<bins).filter { Double($0) * step >= 150 && Double($0) * step < min(4000, sampleRate / 2) }
        var numbers = TestNumbers(state: 9)
        var frames = Self.frames(bins: bins, seed: 11)
        frames.append((0..<bins).map { _ in Float(Int(numbers.next() * 3)) })  // plateaus
        frames.append((0..<bins).map { $0 % 5 == 0 ? 1 : 0.05 })  // peaks just past the gate
        var tracker = TuningEstimator(sampleRate: sampleRate, fftSize: fftSize)
        var pitches: [Float] = [], magnitudes: [Float] = []
        for frame in frames {
            frame.withUnsafeBufferPointer { tracker.add($0) }
            let reference = 0.1 * frame.max()!
            func gated(_ k: Int) -> Float { frame[k] > reference ? frame[k] : 0 }
            for k in searched where k >= 1 {
                let x = gated(k)
                let isPeak = k == bins - 1 ? x > gated(k - 1) : (x > gated(k - 1) && x >= gated(k + 1))
                guard isPeak else { continue }
                var shift: Float = 0
                if k < bins - 1 {
                    let a = frame[k + 1] + frame[k - 1] - 2 * frame[k]
                    let b = (frame[k + 1] - frame[k - 1]) / 2
                    shift = abs(b) >= abs(a) ? 0 : -b / a
                }
                let average = k < bins - 1 ? (frame[k + 1] - frame[k - 1]) / 2 : frame[k] - frame[k - 1]
                let pitch = Float((Double(k) + Double(shift)) * sampleRate / Double(fftSize))
                guard pitch > 0 else { continue }
                pitches.append(pitch)
                magnitudes.append(frame[k] + 0.5 * average * shift)
            }
        }
        #expect(!pitches.isEmpty)
        #expect(tracker.pitches == pitches)
        #expect(tracker.magnitudes == magnitudes)
    }

    /// `FrameStatistics.columns` reads a frames x columns matrix in place, four columns at a
    /// time: each column's statistics are those of plain loops over that column alone.
    @Test(arguments: [1, 3, 4, 7, 12, 20])
    func statisticsOfColumnsMatchPlainLoops(columns: Int) {
        var numbers = TestNumbers(state: UInt32(columns))
        for frameCount in [1, 2, 5, 64, 2585] {
            let values = (0..<(frameCount * columns)).map { i -> Float in
                let x = numbers.next()
                // Column 0 constant, odd columns with heavy ties and negative values.
                return i % columns == 0 && columns > 1 ? 0.25 : i % 2 == 1 ? Float(Int(x * 7)) - 3 : 100 * x * x
            }
            let stats = values.withUnsafeBufferPointer {
                FrameStatistics.columns(of: $0.baseAddress, frameCount: frameCount, columns: columns)
            }
            for c in 0..<columns {
                let column = (0..<frameCount).map { values[$0 * columns + c] }
                var sum = 0.0, low = column[0], high = column[0]
                for v in column {
                    sum += Double(v)
                    low = min(low, v)
                    high = max(high, v)
                }
                let m = sum / Double(frameCount)
                var m2 = 0.0, m3 = 0.0, m4 = 0.0
                for v in column {
                    let d = Double(v) - m
                    m2 += d * d
                    m3 += d * d * d
                    m4 += d * d * (d * d)
                }
                m2 /= Double(frameCount); m3 /= Double(frameCount); m4 /= Double(frameCount)
                let constant = m2 <= (1e-6 * m) * (1e-6 * m) || m2 == 0
                let sorted = column.sorted(), half = frameCount / 2
                let median = frameCount % 2 == 1 ? sorted[half] : Float((Double(sorted[half - 1]) + Double(sorted[half])) / 2)
                let expected = FrameStatistics(mean: Float(m), std: Float(m2.squareRoot()),
                                               skew: constant ? 0 : Float(m3 / pow(m2, 1.5)),
                                               kurtosis: constant ? 0 : Float(m4 / (m2 * m2) - 3),
                                               median: median, min: low, max: high)
                #expect(stats[c] == expected, "\(frameCount) frames, column \(c) of \(columns)")
            }
        }
    }

    /// Medians by selection on values built to trip the eight-pivot rounds: heavy ties,
    /// sorted runs, infinities, odd and even counts, read with a stride.
    @Test func medianOfStridedValuesMatchesSorting() {
        var numbers = TestNumbers(state: 13)
        for n in [1, 2, 3, 8, 9, 16, 17, 100, 101, 2584, 2585, 30001] {
            let rows: [[Float]] = [
                (0..<n).map { _ in numbers.next() },
                (0..<n).map { _ in Float(Int(numbers.next() * 3)) },
                (0..<n).map { Float($0) },
                (0..<n).map { Float(n - $0) * 0.5 },
                (0..<n).map { i in i % 7 == 0 ? -.infinity : i % 11 == 0 ? .infinity : numbers.next() - 0.5 },
            ]
            for (r, row) in rows.enumerated() {
                let sorted = row.sorted(), half = n / 2
                let expected = n % 2 == 1 ? sorted[half] : Float((Double(sorted[half - 1]) + Double(sorted[half])) / 2)
                // Interleaved with a second row, so that the selection reads every third value.
                var strided = [Float](repeating: 7, count: 3 * n)
                for i in 0..<n { strided[3 * i + 1] = row[i] }
                let median = strided.withUnsafeBufferPointer { values in
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: n) {
                        FrameStatistics.median(values.baseAddress! + 1, count: n, stride: 3, scratch: $0)
                    }
                }
                #expect(median == expected || (median.isNaN && expected.isNaN), "n = \(n), row \(r): \(median) vs \(expected)")
            }
        }
    }
}
