import Foundation

/// Tick positions at round numbers, and their labels.
///
/// The step is a "nice number", 1, 2, 2.5 or 5 times a power of ten (Heckbert, "Nice numbers
/// for graph labels", Graphics Gems, 1990, with matplotlib's 2.5 added), chosen so that the
/// ticks number about `targetCount` and waste little of the axis.
public struct NiceTicks: Sendable, Equatable {
    /// The tick values, ascending; at least two.
    public let values: [Double]
    /// The distance between neighbouring ticks.
    public let step: Double
    /// The leading digit of `step` (1, 2, 2.5 or 5) and its power of ten.
    let mantissa: Double
    let exponent: Int

    /// The tick counts a step may give before it is considered too sparse or too dense.
    public static let acceptedCounts = 4...10

    /// Ticks from a multiple of the step at or below `range.lowerBound` to one at or above
    /// `range.upperBound`: an axis that ends on its first and last tick.
    /// - Parameters:
    ///   - range: the data range; a single value is widened by 5% either side (by 0.5 around 0).
    ///   - targetCount: the preferred number of ticks.
    ///   - integers: only whole-number steps (epochs, counts).
    public init(covering range: ClosedRange<Double>, targetCount: Int = 6, integers: Bool = false) {
        self.init(range, targetCount: targetCount, integers: integers, covering: true)
    }

    /// Ticks at multiples of the step that lie within `range`, for an axis whose ends are fixed
    /// (a given accuracy range 0...1, an image's extent, a colour bar).
    public init(within range: ClosedRange<Double>, targetCount: Int = 6, integers: Bool = false) {
        self.init(range, targetCount: targetCount, integers: integers, covering: false)
    }

    private init(_ range: ClosedRange<Double>, targetCount: Int, integers: Bool, covering: Bool) {
        let (lower, upper) = Self.nonsingular(range)
        let span = upper - lower
        let rough = span / Double(max(targetCount - 1, 1))
        let baseExponent = Int(log10(rough).rounded(.down))
        struct Candidate { var mantissa: Double; var exponent: Int; var first: Int; var last: Int; var score: Double }
        var best: Candidate?
        for exponent in (baseExponent - 1)...(baseExponent + 2) where !integers || exponent >= 0 {
            for mantissa in [1, 2, 2.5, 5] where !(integers && exponent == 0 && mantissa == 2.5) {
                let step = mantissa * pow(10, Double(exponent))
                // The tolerance keeps 0.3 / 0.1 = 2.9999999999999996 from adding a tick.
                let first = Int(covering ? (lower / step + 1e-9).rounded(.down) : (lower / step - 1e-9).rounded(.up))
                let last = Int(covering ? (upper / step - 1e-9).rounded(.up) : (upper / step + 1e-9).rounded(.down))
                let count = last - first + 1
                guard count >= 2 else { continue }
                // Prefer a count near the target; then, for covering ticks, little empty axis;
                // a count outside the accepted range is a last resort.
                let waste = covering ? (Double(last - first) * step - span) / span : 0
                let outside = Self.acceptedCounts.contains(count) ? 0.0 : 100.0 + Double(abs(count - targetCount))
                let score = outside + Double(abs(count - targetCount)) + 6 * waste
                if best == nil || score < best!.score - 1e-9 {
                    best = Candidate(mantissa: mantissa, exponent: exponent, first: first, last: last, score: score)
                }
            }
        }
        let choice = best ?? Candidate(mantissa: 1, exponent: 0, first: Int(lower), last: Int(lower) + 1, score: 0)
        mantissa = choice.mantissa
        exponent = choice.exponent
        step = Self.value(1, mantissa: mantissa, exponent: exponent)
        values = (choice.first...choice.last).map { Self.value($0, mantissa: choice.mantissa, exponent: choice.exponent) }
    }

    /// `index` steps from zero, computed so that decimal ticks are the nearest doubles to their
    /// decimal values (3 x 0.1 is 0.30000000000000004; 3 / 10 is 0.3).
    private static func value(_ index: Int, mantissa: Double, exponent: Int) -> Double {
        let multiple = Double(index) * mantissa
        return exponent >= 0 ? multiple * pow(10, Double(exponent)) : multiple / pow(10, Double(-exponent))
    }

    /// A range with distinct, finite ends: a single value is widened by 5% either side (by 0.5
    /// around 0), a range with an infinite end becomes 0...1.
    static func nonsingular(_ range: ClosedRange<Double>) -> (Double, Double) {
        let (lower, upper) = (range.lowerBound, range.upperBound)
        guard lower.isFinite, upper.isFinite else { return (0, 1) }
        let magnitude = max(abs(lower), abs(upper))
        if upper - lower > magnitude * 1e-12 { return (lower, upper) }
        let middle = (lower + upper) / 2
        let half = middle == 0 ? 0.5 : abs(middle) * 0.05
        return (middle - half, middle + half)
    }

    /// `range` made nonsingular and widened by `fraction` of its span at each end, matplotlib's
    /// axes margins, so that no data point sits on the frame.
    static func padded(_ range: ClosedRange<Double>, by fraction: Double) -> ClosedRange<Double> {
        let (lower, upper) = nonsingular(range)
        let margin = (upper - lower) * fraction
        return (lower - margin)...(upper + margin)
    }

    /// From the first tick to the last.
    public var range: ClosedRange<Double> { values.first!...values.last! }

    /// Every tick's label.
    public var labels: [String] { values.map(label) }

    /// The label for `value`, with as many decimals as the step needs and no more
    /// ("0.3", not "0.30000000000000004"); scientific notation ("1.5e-4") for magnitudes
    /// below 0.001 or from a million up; a true minus sign, as matplotlib prints.
    public func label(_ value: Double) -> String {
        let largest = values.map(abs).max() ?? 0
        if abs(value) < step * 1e-9 { return "0" }
        let text: String
        if largest >= 1e6 || largest < 1e-3 {
            let power = Int(log10(largest).rounded(.down))
            let digits = max(0, power - exponent) + (mantissa == 2.5 ? 1 : 0)
            let scaled = value / pow(10, Double(power))
            text = String(format: "%.\(digits)fe%d", scaled, power)
        } else {
            let digits = max(0, -exponent) + (mantissa == 2.5 && exponent <= 0 ? 1 : 0)
            text = String(format: "%.\(digits)f", value)
        }
        return text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
    }
}
