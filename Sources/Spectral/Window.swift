import Foundation

/// Analysis windows.
public enum Window {
    /// The Hann window. `periodic` (the default, and what librosa and scipy's
    /// `get_window('hann', n, fftbins=True)` give) is the first `length` points of a
    /// `length + 1` symmetric window, the right choice for spectral analysis.
    /// - Returns: `length` values, `0.5 - 0.5 cos(2 pi n / N)` with N = length (periodic)
    ///   or length - 1 (symmetric).
    public static func hann(length: Int, periodic: Bool = true) -> [Float] {
        precondition(length > 0, "a window needs at least one point")
        if length == 1 { return [1] }
        let denominator = Double(periodic ? length : length - 1)
        return (0..<length).map { n in Float(0.5 - 0.5 * cos(2 * Double.pi * Double(n) / denominator)) }
    }
}
