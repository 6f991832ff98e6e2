import Seeded

/// Keras's default kernel initializer: uniform in [-limit, limit) with
/// limit = sqrt(6 / (fan_in + fan_out)).
///
/// Glorot and Bengio, "Understanding the difficulty of training deep feedforward neural
/// networks", AISTATS 2010. Fans follow Keras's `compute_fans`: for a Dense kernel [D_in, D]
/// fan_in = D_in, fan_out = D; for a Conv1D kernel [K, C, F] fan_in = K * C, fan_out = K * F.
public enum GlorotUniform {
    /// The bound of the uniform distribution for the given fans.
    public static func limit(fanIn: Int, fanOut: Int) -> Float {
        Float((6.0 / Double(fanIn + fanOut)).squareRoot())
    }

    /// `count` values uniform in [-limit, limit), drawn from `generator`.
    /// - Parameters:
    ///   - count: the number of values, the product of the kernel's shape.
    ///   - fanIn: the kernel's fan-in.
    ///   - fanOut: the kernel's fan-out.
    ///   - generator: the seeded source; advanced by `count` draws.
    public static func values(count: Int, fanIn: Int, fanOut: Int, generator: inout SplitMix64) -> [Float] {
        let limit = limit(fanIn: fanIn, fanOut: fanOut)
        return (0..<count).map { _ in (2 * generator.nextUnitFloat() - 1) * limit }
    }
}
