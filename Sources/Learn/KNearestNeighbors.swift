/// k-nearest neighbours: an example gets the label most common among the `k` training
/// examples closest to it, each neighbour one vote (scikit-learn: `KNeighborsClassifier(
/// n_neighbors=k, metric=…, weights='uniform', algorithm='brute')`). A tie in the vote goes to
/// the lowest label, as scikit-learn's mode does; a tie in distance at the k-th place to the
/// earlier training example. Cover & Hart, "Nearest neighbor pattern classification" (1967).
///
/// Euclidean and cosine distances are ranked first from a float32 matrix product per block of
/// rows (‖x − t‖² = ‖x‖² − 2 x·t + ‖t‖², cosine = 1 − x̂·t̂), as scikit-learn's brute force
/// does in float64; the few training rows that rounding could misplace are then scored again
/// in float64, so the neighbours are exactly those of a float64 search. Manhattan distances are
/// summed directly. Blocks of test rows run on every core.
public struct KNearestNeighbors: Classifier, Equatable {
    public static let name = "k-nearest neighbours"

    public enum Metric: String, Codable, CaseIterable, Sendable {
        /// √Σ (xⱼ − tⱼ)²
        case euclidean
        /// Σ |xⱼ − tⱼ| (scikit-learn: `manhattan`, `cityblock`, `l1`)
        case manhattan
        /// 1 − x·t / (‖x‖ ‖t‖); a zero vector is at distance 1 from everything.
        case cosine
    }

    /// Neighbours that vote; at most the number of training examples. scikit-learn: `n_neighbors`, 5.
    public var k: Int
    public var metric: Metric

    public init(k: Int = 5, metric: Metric = .euclidean) {
        self.k = k
        self.metric = metric
    }

    public var parameters: [String: String] { ["k": String(k), "metric": metric.rawValue] }

    /// The training examples themselves: kNN learns nothing else.
    public struct Fitted: FittedClassifier, Codable, Equatable {
        public let examples: FeatureMatrix
        public let labels: [Int]
        public let k: Int
        public let metric: Metric
        public let classCount: Int

        public var featureCount: Int { examples.columns }

        public func predict(_ features: FeatureMatrix) -> [Int] {
            precondition(features.columns == featureCount, "fitted on \(featureCount) features, given \(features.columns)")
            guard features.rows > 0 else { return [] }
            switch metric {
            case .euclidean:
                return predictFiltered(queries: features, reference: examples, offsets: MatrixProduct.squaredNorms(examples),
                                       alpha: -2, exact: squaredDistance)
            case .cosine:
                return predictFiltered(queries: unitRows(features), reference: unitRows(examples),
                                       offsets: [Double](repeating: 0, count: examples.rows), alpha: -1, exact: negatedDot)
            case .manhattan:
                return predictExhaustively(queries: features, reference: examples, exact: manhattanDistance)
            }
        }

        // MARK: Euclidean and cosine: a float32 product, then the close calls in float64
        //
        // Both rank training rows t by a score s(t) = o(t) + α x·t (euclidean: o = ‖t‖², α = −2,
        // which is ‖x − t‖² − ‖x‖²; cosine: o = 0, α = −1 on unit rows, the cosine distance − 1).
        // Nearly all the time goes into the products x·t, so they are computed in float32
        // (`cblas_sgemm`, twice the speed of double), giving s̃(t). From a rigorous bound E(t) on
        // |s̃(t) − s(t)|, every training row that the float64 computation could put among the k
        // nearest is kept: with U the k-th smallest s̃ + E, a row is dropped only if
        // s̃ − E > U, that is if it is surely farther than k other rows. The kept rows (about k
        // plus those within E of the k-th distance) are then scored exactly in float64 and the
        // k nearest picked with the usual tie rules, so the predictions are those of a pure
        // float64 search, only faster.
        //
        // The bound. With u = 2⁻²⁴ and d features, rounding x and t to float32 moves x·t by at
        // most (2u + u²) ‖x‖‖t‖, and the float32 dot product adds at most γ_d (1 + u)² ‖x‖‖t‖,
        // γ_d = d u / (1 − d u), in any order of summation, with or without FMA (Higham,
        // "Accuracy and Stability of Numerical Algorithms", §3.1). Scaling by α = −2 or −1 is
        // exact, and o(t) is added in float64. Both together stay below γ_{d+3} ‖x‖‖t‖, and as
        // |α| ‖x‖‖t‖ ≤ ‖x‖² + ‖t‖²,
        //     |s̃(t) − s(t)| ≤ γ_{d+3} (‖x‖² + ‖t‖²) + η.
        // We use β = 2 γ_{d+3}: the factor 2 covers, with a margin of about 2²⁹, the float64
        // rounding of the exact scores and of the sums made while filtering. η covers underflow:
        // each float32 rounding may add an absolute error of 2⁻¹⁵⁰, which with entries at most M
        // in magnitude gives at most d 2⁻¹⁴⁶ (M + 1) in all. Entries that are not finite or
        // beyond 2⁵⁰ (whose float32 products could overflow) send the search to the plain
        // float64 path, as does d so large that d u approaches 1.

        /// Test rows scored against every training row in float32 in blocks of `blockRows`, the
        /// close calls rescored in float64 by `exact`; blocks of test rows run on every core.
        ///
        /// - Parameters:
        ///   - offsets: o(t) per training row, [N].
        ///   - alpha: α, −2 or −1 (exact in float32, and |α| ≤ 2 as the bound assumes).
        ///   - exact: the float64 score of a test row against a training row, ranking as s does.
        private func predictFiltered(queries: FeatureMatrix, reference: FeatureMatrix, offsets: [Double], alpha: Float,
                                     exact: @escaping Distance) -> [Int] {
            let m = queries.rows, n = reference.rows, d = featureCount
            let largest = max(largestMagnitude(queries.values), largestMagnitude(reference.values))
            let u = 0x1p-24, grown = Double(d + 3) * u
            guard largest <= 0x1p50, grown < 0.25 else {
                return predictExhaustively(queries: queries, reference: reference, exact: exact)
            }
            let beta = 2 * grown / (1 - grown)
            let eta = Double(d) * 0x1p-146 * (largest + 1)
            let queryNorms = MatrixProduct.squaredNorms(queries)
            let referenceNorms = MatrixProduct.squaredNorms(reference)
            // s̃ + E = s̃ + upper + β‖x‖², s̃ − E = s̃ + lower − β‖x‖².
            let upper = (0..<n).map { offsets[$0] + beta * referenceNorms[$0] + eta }
            let lower = (0..<n).map { offsets[$0] - beta * referenceNorms[$0] - eta }
            let queries32 = queries.values.map(Float.init), reference32 = reference.values.map(Float.init)
            // Blocks of up to about 256 test rows, the same number for every core: each product
            // packs the whole training matrix again, so fewer, larger blocks save that traffic
            // (256 x 6400 scores are 6.5 MB per core).
            let workers = min(MatrixProduct.parts, m)
            let blocks = workers * ((m + workers * 256 - 1) / (workers * 256))
            let blockRows = (m + blocks - 1) / blocks
            var predictions = [Int](repeating: 0, count: m)
            predictions.withUnsafeMutableBufferPointer { out in
                queries.values.withUnsafeBufferPointer { q in
                    reference.values.withUnsafeBufferPointer { t in
                        queries32.withUnsafeBufferPointer { q32 in
                            reference32.withUnsafeBufferPointer { t32 in
                                upper.withUnsafeBufferPointer { upper in
                                    lower.withUnsafeBufferPointer { lower in
                                        nonisolated(unsafe) let (out, q, t, q32, t32, upper, lower) = (out, q, t, q32, t32, upper, lower)
                                        parallelFor(workers) { worker in
                                            var scores = [Float](repeating: 0, count: blockRows * n)
                                            var bounds = SmallestScores(k: k)
                                            var nearest = SmallestScores(k: k)
                                            var candidates: [Int] = []
                                            scores.withUnsafeMutableBufferPointer { s in
                                                for block in stride(from: worker, to: blocks, by: workers) {
                                                    let first = block * blockRows, rows = min(blockRows, m - first)
                                                    MatrixProduct.multiply(m: rows, n: n, k: d, alpha: alpha, q32.baseAddress! + first * d,
                                                                           t32.baseAddress!, transposeB: true, s.baseAddress!, threaded: false)
                                                    for r in 0..<rows {
                                                        let row = s.baseAddress! + r * n, i = first + r
                                                        // U: the k-th smallest upper bound.
                                                        bounds.reset()
                                                        for j in 0..<n { bounds.insert(Double(row[j]) + upper[j], index: j) }
                                                        let threshold = bounds.worst + 2 * beta * queryNorms[i]
                                                        candidates.removeAll(keepingCapacity: true)
                                                        for j in 0..<n where Double(row[j]) + lower[j] <= threshold { candidates.append(j) }
                                                        // The survivors in training order, so that equal distances keep the earlier.
                                                        nearest.reset()
                                                        let x = q.baseAddress! + i * d
                                                        for j in candidates { nearest.insert(exact(x, t.baseAddress! + j * d, d), index: j) }
                                                        out[i] = vote(nearest.indices)
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return predictions
        }

        // MARK: Every pair in float64

        /// Each test row scored by `exact` against every training row: Manhattan distances, and
        /// the fallback for data the float32 filter cannot bound. Blocks of test rows run on every core.
        private func predictExhaustively(queries: FeatureMatrix, reference: FeatureMatrix, exact: @escaping Distance) -> [Int] {
            let m = queries.rows, n = reference.rows, d = featureCount
            let blockRows = 16
            let blocks = (m + blockRows - 1) / blockRows
            let workers = min(MatrixProduct.parts, blocks)
            var predictions = [Int](repeating: 0, count: m)
            predictions.withUnsafeMutableBufferPointer { out in
                queries.values.withUnsafeBufferPointer { q in
                    reference.values.withUnsafeBufferPointer { t in
                        nonisolated(unsafe) let (out, q, t) = (out, q, t)
                        parallelFor(workers) { worker in
                            var nearest = SmallestScores(k: k)
                            for block in stride(from: worker, to: blocks, by: workers) {
                                for i in (block * blockRows)..<min((block + 1) * blockRows, m) {
                                    nearest.reset()
                                    let x = q.baseAddress! + i * d
                                    for j in 0..<n { nearest.insert(exact(x, t.baseAddress! + j * d, d), index: j) }
                                    out[i] = vote(nearest.indices)
                                }
                            }
                        }
                    }
                }
            }
            return predictions
        }

        /// The majority label among the given training examples (−1 marks an empty place); a tie
        /// goes to the lowest label.
        private func vote(_ neighbours: [Int]) -> Int {
            var counts = [Int](repeating: 0, count: classCount)
            for index in neighbours where index >= 0 { counts[labels[index]] += 1 }
            var winner = 0
            for c in 1..<classCount where counts[c] > counts[winner] { winner = c }
            return winner
        }
    }

    public func fit(_ features: FeatureMatrix, labels: [Int], classCount: Int) throws -> Fitted {
        try validate(features, labels: labels, classCount: classCount)
        guard k >= 1, k <= features.rows else {
            throw LearnError.badHyperparameter(model: Self.name, name: "k = \(k)",
                                               reason: "must lie between 1 and the \(features.rows) training examples")
        }
        return Fitted(examples: features, labels: labels, k: k, metric: metric, classCount: classCount)
    }
}

/// Each row divided by its Euclidean norm (a zero row stays zero), as scikit-learn's `normalize`.
func unitRows(_ matrix: FeatureMatrix) -> FeatureMatrix {
    var out = matrix
    let norms = MatrixProduct.squaredNorms(matrix)
    for i in 0..<matrix.rows where norms[i] > 0 {
        let scale = 1 / norms[i].squareRoot()
        for j in 0..<matrix.columns { out[i, j] *= scale }
    }
    return out
}

/// A float64 score of test row x against training row t, both of `d` features; smaller is nearer.
typealias Distance = (_ x: UnsafePointer<Double>, _ t: UnsafePointer<Double>, _ d: Int) -> Double

/// Σ (xⱼ − tⱼ)², in four running sums (every summation order is equally a float64 computation;
/// this one is quick).
func squaredDistance(_ x: UnsafePointer<Double>, _ t: UnsafePointer<Double>, _ d: Int) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var j = 0
    while j + 4 <= d {
        let e0 = x[j] - t[j], e1 = x[j + 1] - t[j + 1], e2 = x[j + 2] - t[j + 2], e3 = x[j + 3] - t[j + 3]
        s0 += e0 * e0; s1 += e1 * e1; s2 += e2 * e2; s3 += e3 * e3
        j += 4
    }
    while j < d { let e = x[j] - t[j]; s0 += e * e; j += 1 }
    return (s0 + s1) + (s2 + s3)
}

/// −Σ xⱼ tⱼ: on unit rows, the cosine distance minus 1.
func negatedDot(_ x: UnsafePointer<Double>, _ t: UnsafePointer<Double>, _ d: Int) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var j = 0
    while j + 4 <= d {
        s0 += x[j] * t[j]; s1 += x[j + 1] * t[j + 1]; s2 += x[j + 2] * t[j + 2]; s3 += x[j + 3] * t[j + 3]
        j += 4
    }
    while j < d { s0 += x[j] * t[j]; j += 1 }
    return -((s0 + s1) + (s2 + s3))
}

/// Σ |xⱼ − tⱼ|.
func manhattanDistance(_ x: UnsafePointer<Double>, _ t: UnsafePointer<Double>, _ d: Int) -> Double {
    var sum = 0.0
    for j in 0..<d { sum += abs(x[j] - t[j]) }
    return sum
}

/// The largest |v|, or infinity if any value is not finite.
func largestMagnitude(_ values: [Double]) -> Double {
    var largest = 0.0
    for v in values {
        guard v.isFinite else { return .infinity }
        largest = max(largest, abs(v))
    }
    return largest
}

/// The k smallest scores offered so far, ascending, with their indices (−1 while empty).
/// A score must beat the current k-th strictly, so among equal scores the one offered first
/// stays: offered in training order, that is the earlier training example.
struct SmallestScores {
    let k: Int
    private(set) var scores: [Double]
    private(set) var indices: [Int]
    /// The k-th smallest score so far (infinity until k have come).
    private(set) var worst = Double.infinity

    init(k: Int) {
        self.k = k
        scores = [Double](repeating: .infinity, count: k)
        indices = [Int](repeating: -1, count: k)
    }

    mutating func reset() {
        for p in 0..<k { scores[p] = .infinity; indices[p] = -1 }
        worst = .infinity
    }

    @inline(__always) mutating func insert(_ score: Double, index: Int) {
        guard score < worst else { return }
        var position = k - 1
        while position > 0 && scores[position - 1] > score {
            scores[position] = scores[position - 1]
            indices[position] = indices[position - 1]
            position -= 1
        }
        scores[position] = score
        indices[position] = index
        worst = scores[k - 1]
    }
}
