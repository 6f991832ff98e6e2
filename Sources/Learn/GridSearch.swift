import Foundation

/// Hyperparameter choice on a held-out split: every candidate is fitted on the training
/// examples and scored by accuracy on the validation examples; the best is the highest
/// accuracy, the earlier candidate on a tie (so list the simpler or conventional ones first).
/// Candidates run on every core. A candidate `fit` rejects (k above the number of training
/// examples) is kept in the table with its reason, and skipped.
/// scikit-learn: `GridSearchCV` with a `PredefinedSplit` of one fold.
public struct GridSearch<Model: Classifier>: Sendable {
    public struct Point: Sendable {
        public let model: Model
        /// Accuracy on the validation split, or nil when the candidate could not be fitted.
        public let validationAccuracy: Double?
        /// Why the candidate was skipped.
        public let failure: String?
        /// Wall time of its fit and validation predictions.
        public let seconds: Double
    }

    /// One per candidate, in the order given.
    public let points: [Point]

    /// - Throws: the first candidate's error when no candidate could be fitted.
    public init(candidates: [Model], train: FeatureMatrix, trainLabels: [Int], validation: FeatureMatrix,
                validationLabels: [Int], classCount: Int) throws {
        precondition(!candidates.isEmpty, "an empty grid")
        let slots = Slots<Point>(count: candidates.count)
        parallelFor(candidates.count) { index in
            let model = candidates[index]
            let start = DispatchTime.now().uptimeNanoseconds
            let point: Point
            do {
                let fitted = try model.fit(train, labels: trainLabels, classCount: classCount)
                let predicted = fitted.predict(validation)
                let accuracy = ClassificationMetrics(truth: validationLabels, predicted: predicted, classCount: classCount).accuracy
                point = Point(model: model, validationAccuracy: accuracy, failure: nil,
                              seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            } catch {
                point = Point(model: model, validationAccuracy: nil, failure: "\(error)", seconds: 0)
            }
            slots.store(index, point)
        }
        points = slots.values.map { $0! }
        guard points.contains(where: { $0.validationAccuracy != nil }) else {
            throw LearnError.badHyperparameter(model: Model.name, name: "every candidate",
                                               reason: "failed; the first: \(points[0].failure ?? "")")
        }
    }

    /// The candidate with the highest validation accuracy (the first of equals).
    public var best: Point {
        var best = points.first { $0.validationAccuracy != nil }!
        for point in points where (point.validationAccuracy ?? -1) > best.validationAccuracy! { best = point }
        return best
    }

    /// The grid as rows for a table: each hyperparameter (columns `parameterNames`), then the
    /// validation accuracy in percent (or the reason it was skipped), with the best marked.
    public var parameterNames: [String] { Array(Set(points.flatMap { $0.model.parameters.keys })).sorted() }

    public var rows: [[String]] {
        let names = parameterNames
        let chosen = best.model
        return points.map { point in
            names.map { point.model.parameters[$0] ?? "" }
                + [point.validationAccuracy.map { String(format: "%.1f", 100 * $0) } ?? "skipped",
                   point.validationAccuracy != nil && point.model == chosen ? "<- chosen" : ""]
        }
    }
}

/// Results filled from several threads, each slot by one.
final class Slots<Value>: @unchecked Sendable {
    // Guarded by `lock`.
    fileprivate let lock = NSLock()
    fileprivate var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }

    var values: [Value?] { lock.withLock { slots } }
}

extension Slots where Value == Int {
    /// A shared counter in slot 0: the next index below `limit`, or nil when all are taken.
    func claim(below limit: Int) -> Int? {
        lock.withLock {
            let next = slots[0] ?? 0
            guard next < limit else { return nil }
            slots[0] = next + 1
            return next
        }
    }
}
