/// Convenience draws for composing.
extension SeededGenerator {
    /// One element of a non-empty array, uniformly.
    mutating func choose<T>(from items: [T]) -> T {
        items[Int(next() % UInt64(items.count))]
    }

    /// An integer in `range`, uniformly.
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// A seed for a note's own noise.
    mutating func noteSeed() -> UInt32 { UInt32(truncatingIfNeeded: next() >> 32) | 1 << 31 }
}
