import Seeded
import Testing

/// SplitMix64 against an independent implementation: Vigna's `splitmix64.c`, transcribed to
/// Python. The generator's numbers are part of the pipeline's output (shard order, initial
/// weights, dropout masks), so any change to them must fail here first.
///
/// The expected values below were computed with:
///
///     M = 2**64 - 1
///     def splitmix64(state):                 # Vigna's splitmix64.c, next()
///         while True:
///             state = (state + 0x9E3779B97F4A7C15) & M
///             z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & M
///             z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
///             yield z ^ (z >> 31)
///     def below(g, bound):                   # Lemire 2019: reject low words under 2**64 % bound
///         while True:
///             product = next(g) * bound
///             if product & M >= (1 << 64) % bound: return product >> 64
///     g = splitmix64(1234567); print([hex(next(g)) for _ in range(5)])
///     g = splitmix64(1234567); print([below(g, 3 << 61) for _ in range(9)])
///     g = splitmix64(35155); a = list(range(10))
///     for last in range(9, 0, -1):
///         other = below(g, last + 1); a[last], a[other] = a[other], a[last]
///     print(a)
@Suite struct SplitMix64Tests {
    /// Vigna's published sequence for seed 1234567 (`splitmix64.c`'s customary check:
    /// 6457827717110365317, 3203168211198807973, ...).
    static let referenceFor1234567: [UInt64] = [
        0x599E_D017_FB08_FC85, 0x2C73_F084_5854_0FA5, 0x883E_BCE5_A3F2_7C77,
        0x3FBE_F740_E917_7B3F, 0xE3B8_3467_08CB_5ECD,
    ]

    @Test func firstOutputsMatchVignasReference() {
        var generator = SplitMix64(seed: 1234567)
        let observed = (0..<5).map { _ in generator.next() }
        #expect(observed == Self.referenceFor1234567)
        var fromZero = SplitMix64(seed: 0)
        #expect(fromZero.next() == 0xE220_A839_7B1D_CDAF, "seed 0's first output, also published")
    }

    /// A unit float is the top 24 bits of a draw, so it follows from the reference sequence.
    @Test func unitFloatIsTheTop24BitsOfADraw() {
        var generator = SplitMix64(seed: 1234567)
        for reference in Self.referenceFor1234567 {
            let observed = generator.nextUnitFloat()
            #expect(observed == Float(reference >> 40) / 16_777_216, "draw \(String(reference, radix: 16))")
            #expect(observed >= 0 && observed < 1)
        }
    }

    /// A bound of 3 * 2^61 rejects a quarter of the draws (2^64 mod bound = 2^62): the ninth
    /// draw of seed 1234567 is rejected, so nine values take ten draws and the last one checks
    /// the rejection loop.
    @Test func boundedIntegersFollowLemiresMethod() {
        var generator = SplitMix64(seed: 1234567)
        let observed = (0..<9).map { _ in generator.nextInt(below: 3 << 61) }
        #expect(observed == [
            2_421_685_393_916_386_993, 1_201_188_079_199_552_989, 3_681_559_474_574_388_908,
            1_722_517_698_046_905_911, 6_153_346_072_296_833_932, 2_926_723_098_083_949_020,
            4_085_822_113_955_644_273, 1_904_309_268_122_940_066, 5_663_172_741_831_833_578,
        ])
    }

    /// The shard shuffle of step 03 uses this with seed 35155, the article's.
    @Test func shuffleIsFisherYatesFromTheBack() {
        var generator = SplitMix64(seed: 35155)
        var order = Array(0..<10)
        generator.shuffle(&order)
        #expect(order == [5, 6, 7, 3, 8, 9, 1, 0, 2, 4])
    }
}
