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
    public var firstNonFinite: (row: Int, column: Int)? {
        guard let index = values.firstIndex(where: { !$0.isFinite }) else { return nil }
        return (index / columns, index % columns)
    }

    /// The variance of every value together, as NumPy's `X.var()` (population): what SVC's
    /// `gamma='scale'` divides by.
    public var overallVariance: Double {
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    }
}
