/// k-nearest neighbours: an example gets the label most common among the `k` training
/// examples closest to it, each neighbour one vote (scikit-learn: `KNeighborsClassifier(
/// n_neighbors=k, metric=…, weights='uniform', algorithm='brute')`). A tie in the vote goes to
/// the lowest label, as scikit-learn's mode does; a tie in distance at the k-th place to the
/// earlier training example. Cover & Hart, "Nearest neighbor pattern classification" (1967).
///
/// Euclidean and cosine distances come from one matrix product per block of rows
/// (‖x − t‖² = ‖x‖² − 2 x·t + ‖t‖², cosine = 1 − x̂·t̂), as scikit-learn's brute force does;
/// Manhattan distances are summed directly. Blocks of test rows run on every core.
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
            let m = features.rows, n = examples.rows, d = featureCount
            guard m > 0 else { return [] }
            // Per training example, the part of the distance that does not depend on the query:
            // ‖t‖² (euclidean), or the unit rows (cosine).
            var reference = examples
            var offsets = [Double](repeating: 0, count: n)
            switch metric {
            case .euclidean: offsets = MatrixProduct.squaredNorms(examples)
            case .cosine: reference = unitRows(examples)
            case .manhattan: break
            }
            let queries = metric == .cosine ? unitRows(features) : features
            // Blocks of test rows, each worker reusing one score buffer for its blocks.
            let blockRows = 128
            let blocks = (m + blockRows - 1) / blockRows
            let workers = min(MatrixProduct.parts, blocks)
            var predictions = [Int](repeating: 0, count: m)
            predictions.withUnsafeMutableBufferPointer { out in
                queries.values.withUnsafeBufferPointer { q in
                    reference.values.withUnsafeBufferPointer { t in
                        offsets.withUnsafeBufferPointer { offsets in
                            nonisolated(unsafe) let (out, q, t, offsets) = (out, q, t, offsets)
                            parallelFor(workers) { worker in
                                var scores = [Double](repeating: 0, count: blockRows * n)
                                scores.withUnsafeMutableBufferPointer { s in
                                    for block in stride(from: worker, to: blocks, by: workers) {
                                        let first = block * blockRows, rows = min(blockRows, m - first)
                                        switch metric {
                                        case .euclidean, .cosine:
                                            // −2 x·t (+ ‖t‖² in the vote), or −x̂·t̂: ranks as the distance does.
                                            MatrixProduct.multiply(m: rows, n: n, k: d, alpha: metric == .euclidean ? -2 : -1,
                                                                   q.baseAddress! + first * d, t.baseAddress!, transposeB: true,
                                                                   s.baseAddress!, threaded: false)
                                        case .manhattan:
                                            for r in 0..<rows {
                                                let x = q.baseAddress! + (first + r) * d
                                                for j in 0..<n {
                                                    let y = t.baseAddress! + j * d
                                                    var sum = 0.0
                                                    for c in 0..<d { sum += abs(x[c] - y[c]) }
                                                    s[r * n + j] = sum
                                                }
                                            }
                                        }
                                        for r in 0..<rows {
                                            out[first + r] = vote(UnsafeBufferPointer(rebasing: s[(r * n)..<((r + 1) * n)]), offsets: offsets)
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

        /// The majority label among the k smallest scores (each plus its offset).
        private func vote(_ scores: UnsafeBufferPointer<Double>, offsets: UnsafeBufferPointer<Double>) -> Int {
            // The k best so far, ascending by score; a new score must beat the worst strictly,
            // so on equal distances the earlier training example stays.
            var bestScores = [Double](repeating: .infinity, count: k)
            var bestIndices = [Int](repeating: -1, count: k)
            var worst = Double.infinity
            for j in 0..<scores.count {
                let score = scores[j] + offsets[j]
                guard score < worst else { continue }
                var position = k - 1
                while position > 0 && bestScores[position - 1] > score {
                    bestScores[position] = bestScores[position - 1]
                    bestIndices[position] = bestIndices[position - 1]
                    position -= 1
                }
                bestScores[position] = score
                bestIndices[position] = j
                worst = bestScores[k - 1]
            }
            var counts = [Int](repeating: 0, count: classCount)
            for index in bestIndices where index >= 0 { counts[labels[index]] += 1 }
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
