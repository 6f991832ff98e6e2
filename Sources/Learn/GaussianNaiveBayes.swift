import Foundation

/// Gaussian naive Bayes: each feature normal within each class, features independent given
/// the class; the label with the highest posterior wins. scikit-learn: `GaussianNB(
/// var_smoothing=…)`, which adds ε = var_smoothing · (the largest variance of any feature over
/// all training examples) to every class variance, for numerical stability.
/// Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning* §6.6.3.
public struct GaussianNaiveBayes: Classifier, Equatable {
    public static let name = "Gaussian naive Bayes"

    /// scikit-learn: `var_smoothing`, default 1e-9; the article chose 1.29e-10.
    public var varianceSmoothing: Double

    public init(varianceSmoothing: Double = 1e-9) {
        self.varianceSmoothing = varianceSmoothing
    }

    public var parameters: [String: String] { ["var_smoothing": formatParameter(varianceSmoothing)] }

    public struct Fitted: FittedClassifier, Codable, Equatable {
        /// K x d: each class's feature means (scikit-learn: `theta_`).
        public let means: FeatureMatrix
        /// K x d: each class's feature variances plus ε (scikit-learn: `var_`).
        public let variances: FeatureMatrix
        /// K class frequencies in the training data; 0 for a class with no example, which is
        /// then never predicted.
        public let priors: [Double]

        public var classCount: Int { priors.count }
        public var featureCount: Int { means.columns }

        /// log P(class) + Σⱼ log N(xⱼ; μ, σ²), m x K.
        public func jointLogLikelihood(_ features: FeatureMatrix) -> FeatureMatrix {
            precondition(features.columns == featureCount, "fitted on \(featureCount) features, given \(features.columns)")
            let k = classCount, d = featureCount
            var out = FeatureMatrix(rows: features.rows, columns: k)
            let constants = (0..<k).map { c in
                log(priors[c]) - 0.5 * (0..<d).reduce(0) { $0 + log(2 * Double.pi * variances[c, $1]) }
            }
            let precisions = variances.values.map { 1 / $0 }
            let m = features.rows, parts = min(m, MatrixProduct.parts)
            out.values.withUnsafeMutableBufferPointer { scores in
                nonisolated(unsafe) let scores = scores
                parallelFor(parts) { part in
                    for i in (m * part / parts)..<(m * (part + 1) / parts) {
                        for c in 0..<k {
                            var sum = 0.0
                            for j in 0..<d {
                                let deviation = features.values[i * d + j] - means.values[c * d + j]
                                sum += deviation * deviation * precisions[c * d + j]
                            }
                            scores[i * k + c] = constants[c] - 0.5 * sum
                        }
                    }
                }
            }
            return out
        }

        public func predict(_ features: FeatureMatrix) -> [Int] {
            let scores = jointLogLikelihood(features)
            return (0..<scores.rows).map { argmax(scores.row($0)) }
        }
    }

    public func fit(_ features: FeatureMatrix, labels: [Int], classCount: Int) throws -> Fitted {
        try validate(features, labels: labels, classCount: classCount)
        guard varianceSmoothing >= 0 else {
            throw LearnError.badHyperparameter(model: Self.name, name: "var_smoothing", reason: "must not be negative")
        }
        let n = features.rows, d = features.columns
        var means = FeatureMatrix(rows: classCount, columns: d)
        var variances = FeatureMatrix(rows: classCount, columns: d)
        var counts = [Int](repeating: 0, count: classCount)
        // Over all examples too: ε comes from the variance of each feature, as scikit-learn's `epsilon_`.
        var overallMean = [Double](repeating: 0, count: d), overall = [Double](repeating: 0, count: d)
        features.values.withUnsafeBufferPointer { x in
            means.values.withUnsafeMutableBufferPointer { mean in
                variances.values.withUnsafeMutableBufferPointer { variance in
                    // Row by row, in memory order: sums, then squared deviations.
                    for i in 0..<n {
                        let c = labels[i]
                        counts[c] += 1
                        for j in 0..<d {
                            mean[c * d + j] += x[i * d + j]
                            overallMean[j] += x[i * d + j]
                        }
                    }
                    for c in 0..<classCount where counts[c] > 0 { for j in 0..<d { mean[c * d + j] /= Double(counts[c]) } }
                    for j in 0..<d { overallMean[j] /= Double(n) }
                    for i in 0..<n {
                        let c = labels[i]
                        for j in 0..<d {
                            let deviation = x[i * d + j] - mean[c * d + j]
                            variance[c * d + j] += deviation * deviation
                            let spread = x[i * d + j] - overallMean[j]
                            overall[j] += spread * spread
                        }
                    }
                }
            }
        }
        for j in 0..<d { overall[j] /= Double(n) }
        let epsilon = varianceSmoothing * (overall.max() ?? 0)
        for c in 0..<classCount {
            for j in 0..<d {
                variances[c, j] = counts[c] > 0 ? variances[c, j] / Double(counts[c]) + epsilon : 1
            }
        }
        let priors = counts.map { Double($0) / Double(n) }
        return Fitted(means: means, variances: variances, priors: priors)
    }
}
