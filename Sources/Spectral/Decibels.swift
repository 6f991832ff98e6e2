import Foundation

/// Power to decibels, as librosa's `power_to_db`:
/// `10 log10(max(amin, S)) - 10 log10(max(amin, ref))`, then values more than `topDB` below
/// the maximum are raised to `max - topDB`.
public enum Decibels {
    /// - Parameters:
    ///   - reference: the power that maps to 0 dB (librosa: `ref=1.0`).
    ///   - floor: the smallest power considered (librosa: `amin=1e-10`), avoiding log(0).
    ///   - dynamicRange: kept below the maximum, in dB (librosa: `top_db=80`); nil keeps all.
    public static func fromPower(_ power: [Float], reference: Float = 1, floor: Float = 1e-10,
                                 dynamicRange: Float? = 80) -> [Float] {
        precondition(floor > 0, "the floor must be positive")
        let offset = 10 * log10(max(floor, reference))
        var db = power.map { 10 * log10(max(floor, $0)) - offset }
        if let dynamicRange, let peak = db.max() {
            let lowest = peak - dynamicRange
            for i in db.indices where db[i] < lowest { db[i] = lowest }
        }
        return db
    }
}
