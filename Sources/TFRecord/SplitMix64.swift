/// A small seeded pseudo-random generator (SplitMix64), so that shard shuffles are the
/// same on every platform and Swift version for a given seed.
///
/// It cannot reproduce NumPy's `np.random.shuffle` (Mersenne Twister or PCG64, and NumPy's
/// own bounded-integer method): a Swift run and a Python run with the same seed put records
/// in different orders.
///
/// Reference: Steele, Lea and Flood, "Fast Splittable Pseudorandom Number Generators",
/// OOPSLA 2014; constants as in Vigna's `splitmix64.c`.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound`, by Lemire's multiply-and-reject method, spelled out
    /// here so the sequence does not depend on the standard library's implementation.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "the bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// Shuffles `array` in place (Fisher-Yates, from the back).
    public mutating func shuffle<Element>(_ array: inout [Element]) {
        guard array.count > 1 else { return }
        for last in stride(from: array.count - 1, to: 0, by: -1) {
            let other = nextInt(below: last + 1)
            if other != last { array.swapAt(last, other) }
        }
    }
}
