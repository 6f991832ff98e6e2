import Foundation

/// The mel scale: pitch as listeners space it, roughly linear below 1 kHz and logarithmic
/// above.
public enum MelScale: Sendable {
    /// Slaney's Auditory Toolbox (1998): linear at 200/3 Hz per mel up to 1 kHz (15 mel),
    /// then logarithmic with 27 mels per factor 6.4. librosa's default (`htk=False`).
    case slaney
    /// HTK's formula, 2595 log10(1 + f / 700) (`htk=True`).
    case htk

    public func mel(fromHz hz: Double) -> Double {
        switch self {
        case .htk:
            return 2595 * log10(1 + hz / 700)
        case .slaney:
            let linear = hz / Self.hzPerMel
            guard hz >= Self.breakHz else { return linear }
            return Self.breakHz / Self.hzPerMel + log(hz / Self.breakHz) / Self.logStep
        }
    }

    public func hz(fromMel mel: Double) -> Double {
        switch self {
        case .htk:
            return 700 * (pow(10, mel / 2595) - 1)
        case .slaney:
            let breakMel = Self.breakHz / Self.hzPerMel
            guard mel >= breakMel else { return mel * Self.hzPerMel }
            return Self.breakHz * exp(Self.logStep * (mel - breakMel))
        }
    }

    /// `count` frequencies in Hz, equally spaced in mels from `low` to `high` Hz
    /// (librosa: `mel_frequencies`).
    public func frequencies(count: Int, low: Double, high: Double) -> [Double] {
        let a = mel(fromHz: low), b = mel(fromHz: high)
        return (0..<count).map { i in hz(fromMel: a + (b - a) * Double(i) / Double(max(count - 1, 1))) }
    }

    private static let hzPerMel = 200.0 / 3
    private static let breakHz = 1000.0
    private static let logStep = log(6.4) / 27
}
