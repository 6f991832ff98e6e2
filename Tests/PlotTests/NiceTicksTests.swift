import Foundation
import Plot
import Testing

@Suite struct NiceTicksTests {
    /// Whether `step` is 1, 2, 2.5 or 5 times a power of ten.
    static func isNice(_ step: Double) -> Bool {
        let power = pow(10, log10(step).rounded(.down))
        return [1, 2, 2.5, 5, 10].contains { abs(step / power - $0) < 1e-9 }
    }

    @Test(arguments: [(0.0, 1.0), (0.13, 0.87), (3, 97), (-2.5, 7), (1e-4, 3e-4), (0, 30), (1, 30), (0.31, 2.1),
                      (-1e6, 3e6), (42, 42.5)])
    func coveringTicksAreRoundAndCoverTheRange(lower: Double, upper: Double) {
        let ticks = NiceTicks(covering: lower...upper)
        #expect(NiceTicks.acceptedCounts.contains(ticks.values.count), "\(ticks.values)")
        #expect(Self.isNice(ticks.step), "step \(ticks.step)")
        #expect(ticks.values.first! <= lower && ticks.values.last! >= upper, "\(ticks.values) must cover \(lower)...\(upper)")
        for (a, b) in zip(ticks.values, ticks.values.dropFirst()) {
            #expect(abs(b - a - ticks.step) < ticks.step * 1e-9, "ticks are evenly spaced")
        }
        for value in ticks.values {
            #expect(abs(value / ticks.step - (value / ticks.step).rounded()) < 1e-9, "\(value) is a multiple of \(ticks.step)")
        }
        // Covering the range wastes less than one step at each end.
        #expect(lower - ticks.values.first! < ticks.step && ticks.values.last! - upper < ticks.step)
    }

    @Test func ticksAreTheExpectedOnes() {
        #expect(NiceTicks(covering: 0...1).values == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(NiceTicks(covering: 3...97).values == [0, 20, 40, 60, 80, 100])
        #expect(NiceTicks(covering: -2.5...7).values == [-2.5, 0, 2.5, 5, 7.5])
        #expect(NiceTicks(covering: 1e-4...3e-4).values.count == 5)
    }

    @Test func labelsCarryNoFloatingPointNoise() {
        #expect(NiceTicks(covering: 0...1).labels == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(NiceTicks(covering: 0.13...0.87, targetCount: 9).labels.contains("0.3"))
        #expect(NiceTicks(covering: -2.5...7).labels == ["\u{2212}2.5", "0", "2.5", "5.0", "7.5"])
        #expect(NiceTicks(covering: 1e-4...3e-4).labels == ["1.0e-4", "1.5e-4", "2.0e-4", "2.5e-4", "3.0e-4"])
        #expect(NiceTicks(covering: 3...97).labels == ["0", "20", "40", "60", "80", "100"])
        for label in NiceTicks(covering: 0.0001...0.0009).labels + NiceTicks(covering: 0.7...0.71).labels {
            #expect(label.count <= 7, "\(label) is short")
        }
    }

    @Test func ticksWithinAFixedRangeStayInside() {
        let ticks = NiceTicks(within: -80...3)
        #expect(ticks.values.allSatisfy { (-80...3).contains($0) })
        #expect(ticks.values.count >= 3)
        #expect(NiceTicks(within: 0...29.98).values == [0, 5, 10, 15, 20, 25])
    }

    @Test func integerTicksNeverFallBetweenWholeNumbers() {
        let ticks = NiceTicks(covering: 1...3, integers: true)
        #expect(ticks.values.allSatisfy { $0 == $0.rounded() })
        #expect(ticks.values.first! <= 1 && ticks.values.last! >= 3)
    }

    @Test func aSingleValueGetsARangeAroundIt() {
        let ticks = NiceTicks(covering: 0.5...0.5)
        #expect(ticks.values.first! < 0.5 && ticks.values.last! > 0.5)
        let zero = NiceTicks(covering: 0...0)
        #expect(zero.values.first! < 0 && zero.values.last! > 0)
    }
}
