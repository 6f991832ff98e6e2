import Testing
@testable import Learn

/// `firstNonFinite` checks blocks of values at once; it must still name the first bad value,
/// wherever it lies: in the first or a later block, in a block's four-lane part or its tail.
@Suite struct FeatureMatrixTests {
    /// A 1000 x 9 matrix (9000 values: two whole blocks of 4096 and a part) of finite values.
    static func finite() -> FeatureMatrix {
        FeatureMatrix(rows: 1000, columns: 9, values: (0..<9000).map { Double($0 % 97) - 48.5 })
    }

    @Test(arguments: [0, 3, 4095, 4096, 4099, 8191, 8192, 8999])
    func firstNonFiniteNamesTheFirstBadValue(index: Int) {
        for bad in [Double.nan, .infinity, -.infinity] {
            var matrix = Self.finite()
            matrix.values[index] = bad
            // A second bad value later on must not be the one named.
            if index + 5 < matrix.values.count { matrix.values[index + 5] = .nan }
            let found = matrix.firstNonFinite
            #expect(found?.row == index / 9 && found?.column == index % 9, "\(bad) at \(index)")
        }
    }

    @Test func finiteMatrixHasNone() {
        #expect(Self.finite().firstNonFinite == nil)
        // Values whose products with zero are zeros of either sign, and the largest finite.
        let extremes = FeatureMatrix(rows: 1, columns: 4, values: [-0.0, .greatestFiniteMagnitude,
                                                                    -.greatestFiniteMagnitude, .leastNonzeroMagnitude])
        #expect(extremes.firstNonFinite == nil)
    }
}
