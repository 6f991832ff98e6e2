/// A dense matrix of examples: `rows` examples (n) by `columns` features (d), row-major,
/// double precision as scikit-learn computes. Every model in `Learn` takes and returns these.
public struct FeatureMatrix: Sendable, Equatable, Codable {
    public let rows: Int
    public let columns: Int
    /// `values[i * columns + j]` is feature j of example i.
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns,
                     "\(values.count) values cannot fill \(rows) x \(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// One array per example; all of the same length.
    public init(_ examples: [[Double]]) {
        let columns = examples.first?.count ?? 0
        precondition(examples.allSatisfy { $0.count == columns }, "examples of different lengths")
        self.init(rows: examples.count, columns: columns, values: examples.flatMap { $0 })
    }

    /// A zero matrix.
    public init(rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, values: [Double](repeating: 0, count: rows * columns))
    }

    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// Example `i`'s features.
    public func row(_ i: Int) -> ArraySlice<Double> { values[(i * columns)..<((i + 1) * columns)] }

    /// The examples at `indices`, in that order.
    public func selecting(rows indices: [Int]) -> FeatureMatrix {
        var out: [Double] = []
        out.reserveCapacity(indices.count * columns)
        for i in indices { out += row(i) }
        return FeatureMatrix(rows: indices.count, columns: columns, values: out)
    }

    /// This matrix's rows followed by `other`'s (training plus validation, for the refit).
    public func appending(_ other: FeatureMatrix) -> FeatureMatrix {
        precondition(other.columns == columns || rows == 0, "\(columns) columns against \(other.columns)")
        return FeatureMatrix(rows: rows + other.rows, columns: other.columns, values: values + other.values)
    }

    /// The first non-finite value, as (row, column), if any.
    ///
    /// Every model checks its input with this, so it is quick: `x * 0` is 0 for a finite x
    /// and NaN for an infinity or a NaN, so a block's sum of those products, four lanes at a
    /// time, is finite exactly when all of its values are; only a block that fails is then
    /// searched value by value. (A value-by-value search of a 6400 x 518 matrix had cost as
    /// much as scikit-learn's whole k-nearest-neighbours fit.)
    public var firstNonFinite: (row: Int, column: Int)? {
        let block = 4096
        let index: Int? = values.withUnsafeBufferPointer { v in
            var start = 0
            while start < v.count {
                let end = min(start + block, v.count)
                var lanes = SIMD4<Double>()
                var i = start
                while i + 4 <= end {
                    lanes += SIMD4(v[i], v[i + 1], v[i + 2], v[i + 3]) * 0
                    i += 4
                }
                var rest = 0.0
                while i < end {
                    rest += v[i] * 0
                    i += 1
                }
                if !(lanes.sum() + rest).isFinite {
                    return v[start..<end].firstIndex { !$0.isFinite }
                }
                start = end
            }
            return nil
        }
        return index.map { ($0 / columns, $0 % columns) }
    }

    /// The variance of every value together, as NumPy's `X.var()` (population): what SVC's
    /// `gamma='scale'` divides by.
    public var overallVariance: Double {
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    }
}
