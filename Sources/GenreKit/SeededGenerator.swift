import Foundation
import Seeded

/// A small, fast, seedable random number generator (xoshiro256**, Blackman and Vigna 2018),
/// seeded through SplitMix64 as its authors recommend.
///
/// Every random choice in the pipeline (demo music, shuffles, splits) draws from one of
/// these, so that a run is reproduced exactly by its seed on any machine. Swift's
/// `SystemRandomNumberGenerator` cannot be seeded.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose sequence is fixed by `seed`: its four words of state are the first
    /// four outputs of `SplitMix64(seed:)`, which never makes them all zero (the one state
    /// xoshiro cannot leave) and spreads nearby seeds far apart.
    public init(seed: UInt64) {
        var splitMix = SplitMix64(seed: seed)
        state = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
    }

    /// A generator for one item of a seeded collection (clip 17 of genre 3, say), independent
    /// of how many items come before it, so that items can be made in parallel and in any order.
    public init(seed: UInt64, stream: UInt64...) {
        var mixed = seed
        for part in stream {
            var generator = SeededGenerator(seed: mixed ^ (part &* 0xD6E8_FEB8_6659_FD93))
            mixed = generator.next()
        }
        self.init(seed: mixed)
    }

    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform double in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform double in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUnit()
    }

    /// A standard normal deviate (Box-Muller).
    public mutating func gaussian() -> Double {
        let u1 = max(nextUnit(), 0x1.0p-60)
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { nextUnit() < p }
}
