/// SplitMix64, a small, fast, seedable generator: the one source of seeded randomness under
/// every module, so that a seed fixes the same numbers on every platform and Swift version.
///
/// It draws the weights and dropout masks in `Neural`, the shard shuffle in `TFRecord`, and
/// the four words that seed `GenreKit`'s `SeededGenerator` (xoshiro256**, whose authors
/// recommend seeding it this way). Each draw adds the golden-ratio increment to a 64-bit
/// counter and scrambles the counter with two xor-shift-multiply rounds; the period is 2⁶⁴.
///
/// It cannot reproduce NumPy's or Keras's draws (Mersenne Twister, PCG64, Philox): a Swift
/// run and a Python run with the same seed give different numbers.
///
/// Reference: G. L. Steele, D. Lea and C. H. Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014; the constants are those of Vigna's `splitmix64.c`
/// (prng.di.unimi.it).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`; every seed, 0 included, is good.
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

    /// A float uniform in [0, 1): the top 24 bits, which a float32 holds exactly.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform integer in `0..<bound`, by Lemire's multiply-and-reject method, spelled out
    /// here so the sequence does not depend on the standard library's implementation.
    ///
    /// Reference: D. Lemire, "Fast random integer generation in an interval", ACM TOMACS 29(1),
    /// 2019.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "the bound must be positive, not \(bound)")
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

    /// Shuffles `array` in place (Fisher-Yates, from the back), with `nextInt(below:)`, so
    /// the order does not depend on the standard library's `shuffle(using:)` either.
    public mutating func shuffle<Element>(_ array: inout [Element]) {
        guard array.count > 1 else { return }
        for last in stride(from: array.count - 1, to: 0, by: -1) {
            let other = nextInt(below: last + 1)
            if other != last { array.swapAt(last, other) }
        }
    }
}
