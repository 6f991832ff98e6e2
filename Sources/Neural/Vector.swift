// Eight floats at a time: the AVX register width, spelled with Swift's SIMD types so that the
// hot element-wise loops (pooling, the direct convolution) vectorize whatever the optimizer
// decides about pointer aliasing.

typealias Float8 = SIMD8<Float>

extension UnsafePointer where Pointee == Float {
    /// The 8 floats from `self + offset`, any alignment.
    @inline(__always)
    func load8(_ offset: Int = 0) -> Float8 {
        UnsafeRawPointer(self + offset).loadUnaligned(as: Float8.self)
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// The 8 floats from `self + offset`, any alignment.
    @inline(__always)
    func load8(_ offset: Int = 0) -> Float8 {
        UnsafeRawPointer(self + offset).loadUnaligned(as: Float8.self)
    }

    /// Writes 8 floats at `self + offset`, any alignment.
    @inline(__always)
    func store8(_ value: Float8, _ offset: Int = 0) {
        UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: Float8.self)
    }
}
