import Foundation

/// How values printed on a chart (bar labels, heat-map cells) are written.
public enum ValueFormat: Sendable, Hashable {
    /// Whole numbers when every value is whole (counts); otherwise two decimals below 10,
    /// one below 100 and none above.
    case automatic
    /// A fixed number of decimals: `.decimals(3)` writes 0.412.
    case decimals(Int)
    /// A fraction as a percentage: `.percent(decimals: 1)` writes 0.412 as 41.2%.
    case percent(decimals: Int)

    /// `value` written in this format; a true minus sign, NaN as "n/a".
    public func string(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "∞" : "\u{2212}∞") }
        let text: String = switch self {
        case .automatic:
            if value == value.rounded(), abs(value) < 1e15 {
                String(format: "%.0f", value)
            } else {
                String(format: "%.\(abs(value) < 10 ? 2 : abs(value) < 100 ? 1 : 0)f", value)
            }
        case let .decimals(digits):
            String(format: "%.\(max(0, digits))f", value)
        case let .percent(digits):
            String(format: "%.\(max(0, digits))f%%", value * 100)
        }
        return text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
    }

    /// For `.automatic`, one format for a whole chart, so that every cell or bar shows the same
    /// number of decimals: whole numbers if all are whole, else decimals for the largest value.
    func resolved(for values: [Double]) -> ValueFormat {
        guard case .automatic = self else { return self }
        let finite = values.filter(\.isFinite)
        if finite.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e15 }) { return .decimals(0) }
        let largest = finite.map(abs).max() ?? 0
        return .decimals(largest < 10 ? 2 : largest < 100 ? 1 : 0)
    }
}
