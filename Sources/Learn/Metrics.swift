/// How well predicted labels match true ones: the numbers every model in the report is
/// judged by, computed one way for all of them.
public struct ClassificationMetrics: Sendable, Equatable {
    /// `confusion[truth][prediction]`: how many examples of class `truth` were predicted as
    /// `prediction`. Rows sum to each class's count.
    public let confusion: [[Int]]

    /// - Parameters:
    ///   - truth, predicted: labels in `0..<classCount`, one per example.
    public init(truth: [Int], predicted: [Int], classCount: Int) {
        precondition(truth.count == predicted.count, "\(truth.count) labels against \(predicted.count) predictions")
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (t, p) in zip(truth, predicted) {
            precondition((0..<classCount).contains(t) && (0..<classCount).contains(p),
                         "label \(t) or prediction \(p) outside 0..<\(classCount)")
            confusion[t][p] += 1
        }
        self.confusion = confusion
    }

    public var classCount: Int { confusion.count }
    public var count: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }

    /// The fraction of examples predicted right.
    public var accuracy: Double {
        let right = (0..<classCount).reduce(0) { $0 + confusion[$1][$1] }
        return count == 0 ? 0 : Double(right) / Double(count)
    }

    /// The unweighted mean over classes of F1 = 2·precision·recall / (precision + recall),
    /// with a class that is never predicted nor present counting as 0, as scikit-learn's
    /// `f1_score(average='macro', zero_division=0)` does.
    public var macroF1: Double {
        guard classCount > 0 else { return 0 }
        var sum = 0.0
        for c in 0..<classCount {
            let truePositives = Double(confusion[c][c])
            let actual = Double(confusion[c].reduce(0, +))
            let predicted = Double((0..<classCount).reduce(0) { $0 + confusion[$1][c] })
            // F1 = 2TP / (actual + predicted), the same as the harmonic mean of precision and recall.
            if actual + predicted > 0 { sum += 2 * truePositives / (actual + predicted) }
        }
        return sum / Double(classCount)
    }

    /// Each row divided by its sum: the fraction of class `truth` predicted as each class.
    public var rowNormalized: [[Double]] {
        confusion.map { row in
            let total = row.reduce(0, +)
            return row.map { total == 0 ? 0 : Double($0) / Double(total) }
        }
    }
}

/// A percentile bootstrap: the test set resampled with replacement, the metric recomputed on
/// each resample, and the 2.5th and 97.5th percentiles of those values as the 95 % interval.
/// It says how much a score would move on another test set of the same size.
public struct BootstrapInterval: Sendable, Equatable {
    public let lower: Double
    public let upper: Double

    /// - Parameters:
    ///   - metric: computed on one resample's truth and predictions.
    ///   - generator: a seeded generator gives the same interval on every run.
    public init(truth: [Int], predicted: [Int], classCount: Int, samples: Int = 1000,
                using generator: inout some RandomNumberGenerator,
                confidence: Double = 0.95, metric: (ClassificationMetrics) -> Double) {
        precondition(truth.count == predicted.count && !truth.isEmpty, "bootstrap needs paired, non-empty labels")
        var values: [Double] = []
        values.reserveCapacity(samples)
        var t = [Int](repeating: 0, count: truth.count)
        var p = t
        for _ in 0..<samples {
            for i in 0..<truth.count {
                let j = Int.random(in: 0..<truth.count, using: &generator)
                t[i] = truth[j]
                p[i] = predicted[j]
            }
            values.append(metric(ClassificationMetrics(truth: t, predicted: p, classCount: classCount)))
        }
        values.sort()
        let tail = (1 - confidence) / 2
        lower = Self.percentile(values, tail)
        upper = Self.percentile(values, 1 - tail)
    }

    /// Linear interpolation between the closest ranks, as NumPy's default `percentile`.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        let fraction = position - Double(below)
        return sorted[below] + (sorted[above] - sorted[below]) * fraction
    }
}
