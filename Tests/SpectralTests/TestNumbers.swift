/// A linear congruential generator (Numerical Recipes' constants), so that every run of a test
/// builds the same frames.
struct TestNumbers {
    var state: UInt32

    /// The next value in [0, 1), on a grid of 2^-24.
    mutating func next() -> Float {
        state = 1664525 &* state &+ 1013904223
        return Float(state >> 8) / Float(1 << 24)
    }
}
