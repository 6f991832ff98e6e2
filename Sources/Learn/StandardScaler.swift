/// Standardizes each feature to mean 0 and standard deviation 1, with the mean and deviation
/// of the data it was fitted on (the training split only, so that nothing of the validation or
/// test data leaks into the model). scikit-learn: `StandardScaler()`.
public struct StandardScaler: Sendable, Equatable {
    public init() {}

    /// The learned per-feature mean and scale.
    public struct Fitted: Sendable, Equatable, Codable {
        /// Per feature, d values.
        public let mean: [Double]
        /// Per feature: the population standard deviation, or 1 where it is 0 (a constant
        /// feature stays 0 after centring, as scikit-learn's `scale_`).
        public let scale: [Double]

        public init(mean: [Double], scale: [Double]) {
            precondition(mean.count == scale.count, "\(mean.count) means against \(scale.count) scales")
            self.mean = mean
            self.scale = scale
        }

        /// (x − mean) / scale, feature by feature.
        public func transform(_ features: FeatureMatrix) -> FeatureMatrix {
            precondition(features.columns == mean.count, "scaler fitted on \(mean.count) features, given \(features.columns)")
            var out = features
            let d = features.columns
            out.values.withUnsafeMutableBufferPointer { values in
                for i in 0..<features.rows {
                    for j in 0..<d { values[i * d + j] = (values[i * d + j] - mean[j]) / scale[j] }
                }
            }
            return out
        }

        /// One example's features standardized.
        public func transform(_ example: [Double]) -> [Double] {
            precondition(example.count == mean.count, "scaler fitted on \(mean.count) features, given \(example.count)")
            return (0..<example.count).map { (example[$0] - mean[$0]) / scale[$0] }
        }
    }

    /// The mean and population standard deviation of every column (two passes, for accuracy).
    /// - Throws: `LearnError.nonFinite` naming the first NaN or infinity.
    public func fit(_ features: FeatureMatrix) throws -> Fitted {
        if let (row, column) = features.firstNonFinite { throw LearnError.nonFinite(model: "standard scaler", row: row, column: column) }
        let n = features.rows, d = features.columns
        var mean = [Double](repeating: 0, count: d)
        var variance = [Double](repeating: 0, count: d)
        features.values.withUnsafeBufferPointer { x in
            for i in 0..<n { for j in 0..<d { mean[j] += x[i * d + j] } }
            for j in 0..<d { mean[j] /= Double(max(n, 1)) }
            for i in 0..<n {
                for j in 0..<d {
                    let deviation = x[i * d + j] - mean[j]
                    variance[j] += deviation * deviation
                }
            }
        }
        // A deviation this small next to the mean is rounding noise: scikit-learn treats it as 0.
        let scale = (0..<d).map { j -> Double in
            let deviation = (variance[j] / Double(max(n, 1))).squareRoot()
            return deviation < 10 * Double.ulpOfOne * max(abs(mean[j]), 1) ? 1 : deviation
        }
        return Fitted(mean: mean, scale: scale)
    }
}
