import Foundation

/// How the report writes its numbers, one way everywhere: accuracies as percentages with one
/// decimal (41.3 %), F1 scores with three decimals (0.402), 95 % intervals in brackets, times
/// and sizes with their unit. Missing values are an em dash, never 0.
public enum ReportFormat {
    public static let missing = "—"

    /// `0.4125` → `41.3 %`.
    public static func percent(_ fraction: Double?) -> String {
        guard let fraction, fraction.isFinite else { return missing }
        return String(format: "%.1f %%", 100 * fraction)
    }

    /// `[0.38, 0.445]` → `[38.0, 44.5] %`; anything but two finite numbers is missing.
    public static func percentInterval(_ bounds: [Double]) -> String {
        guard bounds.count == 2, bounds.allSatisfy(\.isFinite) else { return missing }
        return String(format: "[%.1f, %.1f] %%", 100 * bounds[0], 100 * bounds[1])
    }

    /// `0.40234` → `0.402`.
    public static func score(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        return String(format: "%.3f", value)
    }

    /// `[0.371, 0.4334]` → `[0.371, 0.433]`.
    public static func scoreInterval(_ bounds: [Double]) -> String {
        guard bounds.count == 2, bounds.allSatisfy(\.isFinite) else { return missing }
        return String(format: "[%.3f, %.3f]", bounds[0], bounds[1])
    }

    /// Wall or CPU time: `0.84 s`, `12.3 s`, `4 min 05 s`, `1 h 02 min`.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return missing }
        if seconds < 10 { return String(format: "%.2f s", seconds) }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
    }

    /// Bytes in binary units: `512 KiB`, `1.5 MiB`, `2.25 GiB`.
    public static func bytes(_ count: Int?) -> String {
        guard let count, count > 0 else { return missing }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let digits = unit == 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2
        return String(format: "%.\(digits)f %@", value, units[unit])
    }

    /// Items per second with three significant figures: `1230 clips/s`, `4.56 clips/s`.
    public static func rate(_ perSecond: Double?, unit: String) -> String {
        guard let perSecond, perSecond.isFinite, perSecond > 0 else { return missing }
        let digits = perSecond >= 100 ? 0 : perSecond >= 10 ? 1 : 2
        return String(format: "%.\(digits)f %@/s", perSecond, unit)
    }

    /// A name as a file name: letters, digits and `-` kept, every other run of characters one
    /// `-` (`Old-Time / Historic` → `Old-Time-Historic`), the rule step 03 names pictures by.
    public static func fileName(_ name: String) -> String {
        name.split { !$0.isLetter && !$0.isNumber && $0 != "-" && $0 != "_" }.joined(separator: "-")
    }
}
