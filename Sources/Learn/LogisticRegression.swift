import Foundation

/// Multinomial logistic regression with an L2 penalty: one weight vector and intercept per
/// class, class probabilities by softmax. scikit-learn: `LogisticRegression(C=…)` with its
/// default `lbfgs` solver, which for more than two classes minimizes
///
///     (1/n) Σᵢ −log softmax(W xᵢ + b)[yᵢ]  +  ‖W‖² / (2 C n)
///
/// (the intercepts unpenalized), the same minimizer as scikit-learn's documented
/// C·Σ loss + ½‖W‖². We minimize it with our own L-BFGS (`LimitedMemoryBFGS`), with
/// scikit-learn's stopping rule (max |gradient| ≤ `tolerance`, at most `maxIterations`).
/// Hosmer & Lemeshow, *Applied Logistic Regression*; Bishop, *PRML* §4.3.4.
public struct LogisticRegression: Classifier, Equatable {
    public static let name = "logistic regression"

    /// Inverse regularization strength; smaller C, stronger penalty. scikit-learn: `C`, default 1.
    public var c: Double
    /// Stop when the largest gradient component is at most this. scikit-learn: `tol`, 1e-4.
    public var tolerance: Double
    /// L-BFGS iterations at most. scikit-learn: `max_iter`, 100.
    public var maxIterations: Int

    public init(c: Double = 1, tolerance: Double = 1e-4, maxIterations: Int = 100) {
        self.c = c
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    public var parameters: [String: String] { ["C": formatParameter(c)] }

    /// The learned weights.
    public struct Fitted: FittedClassifier, Codable, Equatable {
        /// K x d: class k's weights in row k.
        public let coefficients: FeatureMatrix
        /// K intercepts.
        public let intercepts: [Double]
        /// L-BFGS iterations run, and whether the gradient test was met before `maxIterations`.
        public let iterations: Int
        public let converged: Bool

        public var classCount: Int { intercepts.count }
        public var featureCount: Int { coefficients.columns }

        /// The linear scores W x + b, m x K.
        public func scores(_ features: FeatureMatrix) -> FeatureMatrix {
            precondition(features.columns == featureCount, "fitted on \(featureCount) features, given \(features.columns)")
            let k = classCount
            var z = FeatureMatrix(rows: features.rows, columns: k)
            features.values.withUnsafeBufferPointer { x in
                coefficients.values.withUnsafeBufferPointer { w in
                    z.values.withUnsafeMutableBufferPointer { out in
                        MatrixProduct.multiply(m: features.rows, n: k, k: featureCount, x.baseAddress!, w.baseAddress!,
                                               transposeB: true, out.baseAddress!)
                    }
                }
            }
            for i in 0..<features.rows { for j in 0..<k { z[i, j] += intercepts[j] } }
            return z
        }

        /// The class with the highest score (the first on a tie, as NumPy's `argmax`).
        public func predict(_ features: FeatureMatrix) -> [Int] {
            let z = scores(features)
            return (0..<z.rows).map { argmax(z.row($0)) }
        }

        /// Class probabilities, m x K, each row summing to 1.
        public func probabilities(_ features: FeatureMatrix) -> FeatureMatrix {
            var z = scores(features)
            for i in 0..<z.rows { softmaxRow(&z.values, offset: i * z.columns, count: z.columns) }
            return z
        }
    }

    public func fit(_ features: FeatureMatrix, labels: [Int], classCount: Int) throws -> Fitted {
        try validate(features, labels: labels, classCount: classCount)
        guard c > 0 else { throw LearnError.badHyperparameter(model: Self.name, name: "C", reason: "must be positive, not \(c)") }
        guard tolerance > 0, maxIterations >= 1 else {
            throw LearnError.badHyperparameter(model: Self.name, name: "tolerance or maxIterations", reason: "must be positive")
        }
        let n = features.rows, d = features.columns, k = classCount
        let penalty = 1 / (c * Double(n))
        // Scratch reused by every evaluation: scores, then probabilities minus one-hot labels.
        var residual = [Double](repeating: 0, count: n * k)
        let objective = { (w: [Double], gradient: inout [Double]) -> Double in
            var loss = 0.0
            features.values.withUnsafeBufferPointer { x in
                w.withUnsafeBufferPointer { w in
                    residual.withUnsafeMutableBufferPointer { r in
                        MatrixProduct.multiply(m: n, n: k, k: d, x.baseAddress!, w.baseAddress!, transposeB: true, r.baseAddress!)
                        for i in 0..<n {
                            let row = i * k
                            var top = -Double.infinity
                            for j in 0..<k {
                                r[row + j] += w[k * d + j]
                                top = max(top, r[row + j])
                            }
                            var total = 0.0
                            for j in 0..<k {
                                r[row + j] = exp(r[row + j] - top)
                                total += r[row + j]
                            }
                            let label = labels[i]
                            // −log p[y] = log Σ exp(z) − z[y], from the shifted values.
                            loss -= log(r[row + label] / total)
                            for j in 0..<k { r[row + j] /= total }
                            r[row + label] -= 1
                        }
                        // ∂/∂W = Rᵀ X / n + W / (C n); ∂/∂b = column sums of R / n.
                        gradient.withUnsafeMutableBufferPointer { g in
                            for i in 0..<(k * d) { g[i] = penalty * w[i] }
                            MatrixProduct.multiplyTransposedA(m: k, n: d, k: n, alpha: 1 / Double(n), r.baseAddress!,
                                                              x.baseAddress!, beta: 1, g.baseAddress!)
                            for j in 0..<k {
                                var sum = 0.0
                                for i in 0..<n { sum += r[i * k + j] }
                                g[k * d + j] = sum / Double(n)
                            }
                        }
                    }
                }
            }
            var squares = 0.0
            for i in 0..<(k * d) { squares += w[i] * w[i] }
            return loss / Double(n) + 0.5 * penalty * squares
        }
        let solver = LimitedMemoryBFGS(maxIterations: maxIterations, gradientTolerance: tolerance)
        let result = solver.minimize(from: [Double](repeating: 0, count: k * d + k), objective)
        return Fitted(coefficients: FeatureMatrix(rows: k, columns: d, values: Array(result.x[0..<(k * d)])),
                      intercepts: Array(result.x[(k * d)...]), iterations: result.iterations, converged: result.converged)
    }
}

/// The index of the largest value, the first among equals.
func argmax(_ values: ArraySlice<Double>) -> Int {
    var best = values.startIndex
    for i in values.indices where values[i] > values[best] { best = i }
    return best - values.startIndex
}

/// Softmax in place over `values[offset..<offset + count]`.
func softmaxRow(_ values: inout [Double], offset: Int, count: Int) {
    var top = -Double.infinity
    for j in 0..<count { top = max(top, values[offset + j]) }
    var total = 0.0
    for j in 0..<count {
        values[offset + j] = exp(values[offset + j] - top)
        total += values[offset + j]
    }
    for j in 0..<count { values[offset + j] /= total }
}
