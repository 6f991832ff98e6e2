import CVectorMath

/// The largest of `values` (−infinity for none), eight lanes at a time.
///
/// The lanes keep their maxima with masks (`replace(with:where:)`): the standard library's
/// `pointwiseMax`, which minds NaN, compiles to a call per vector instead of one instruction
/// and had cost as much as the tuning trackers that used it.
@inline(__always)
func maximum(_ values: UnsafeBufferPointer<Float>) -> Float {
    guard let base = values.baseAddress else { return -.infinity }
    var lanes = SIMD8<Float>(repeating: -.infinity)
    var i = 0
    while i + 8 <= values.count {
        let v = genre_load8(base + i)
        lanes.replace(with: v, where: v .> lanes)
        i += 8
    }
    var peak = lanes.max()
    while i < values.count {
        peak = max(peak, base[i])
        i += 1
    }
    return peak
}
