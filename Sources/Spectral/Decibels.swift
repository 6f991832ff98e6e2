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
    /// - Precondition: the powers are finite (a power spectrum of finite audio is).
    public static func convert(_ values: inout [Float], reference: Float = 1, floor: Float = 1e-10,
                               dynamicRange: Float? = 80) {
        precondition(floor >= .leastNormalMagnitude, "the floor must be a positive normal float")
        // 10 log10(x) = (10 / ln 10) ln(x), eight cells at a time (`vectorLog`). The reference
        // goes through the same function, so that it maps to exactly 0 dB. Maxima are taken
        // with masks (`replace(with:where:)`), which stay vectorized where `pointwiseMax`,
        // minding NaN, does not.
        let scale: Float = 4.342944819032518
        let offset = scale * vectorLog(SIMD8(repeating: max(floor, reference)))[0]
        let floors = SIMD8<Float>(repeating: floor)
        // Inlined, so that the loop keeps the constants in registers and overlaps the cells'
        // long chains of multiplications (a call per eight cells did neither).
        @inline(__always)
        func decibels(_ power: SIMD8<Float>) -> SIMD8<Float> {
            var power = power
            power.replace(with: floors, where: power .< floors)
            return scale * vectorLog(power) - offset
        }
        values.withUnsafeMutableBufferPointer { db in
            guard let base = db.baseAddress else { return }
            let raw = UnsafeMutableRawPointer(base)
            let vectors = db.count / 8, rest = db.count % 8
            var peaks = SIMD8<Float>(repeating: -.infinity)
            for v in 0..<vectors {
                let value = decibels(raw.loadUnaligned(fromByteOffset: v * 32, as: SIMD8<Float>.self))
                raw.storeBytes(of: value, toByteOffset: v * 32, as: SIMD8<Float>.self)
                peaks.replace(with: value, where: value .> peaks)
            }
            var peak = peaks.max()
            // The last cells, in a vector padded with the floor.
            if rest > 0 {
                var tail = floors
                for lane in 0..<rest { tail[lane] = db[8 * vectors + lane] }
                let value = decibels(tail)
                for lane in 0..<rest {
                    db[8 * vectors + lane] = value[lane]
                    peak = max(peak, value[lane])
                }
            }
            guard let dynamicRange else { return }
            let lowest = SIMD8<Float>(repeating: peak - dynamicRange)
            for v in 0..<vectors {
                var value = raw.loadUnaligned(fromByteOffset: v * 32, as: SIMD8<Float>.self)
                value.replace(with: lowest, where: value .< lowest)
                raw.storeBytes(of: value, toByteOffset: v * 32, as: SIMD8<Float>.self)
            }
            for i in (8 * vectors)..<db.count { db[i] = max(db[i], lowest[0]) }
        }
    }
}
