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
        var db = power
        convert(&db, reference: reference, floor: floor, dynamicRange: dynamicRange)
        return db
    }

    /// `fromPower` in place, for callers that reuse their buffers.
    public static func convert(_ values: inout [Float], reference: Float = 1, floor: Float = 1e-10,
                               dynamicRange: Float? = 80) {
        precondition(floor > 0, "the floor must be positive")
        // 10 log10(x) = (10 log10 2) log2(x): log2f is the cheaper call. The reference goes
        // through the same formula, so that it maps to exactly 0 dB.
        let scale: Float = 3.0102999566398120
        let offset = scale * log2f(max(floor, reference))
        var peak = -Float.infinity
        values.withUnsafeMutableBufferPointer { db in
            for i in 0..<db.count {
                let value = scale * log2f(max(floor, db[i])) - offset
                db[i] = value
                peak = max(peak, value)
            }
            if let dynamicRange, !db.isEmpty {
                let lowest = peak - dynamicRange
                for i in 0..<db.count { db[i] = max(db[i], lowest) }
            }
        }
    }
}
