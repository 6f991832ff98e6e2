import Dispatch
import Foundation

/// A model's hyperparameters, kept apart from what it learns, as scikit-learn keeps its
/// constructor arguments apart from its fitted `coef_`. `fit` validates them and returns the
/// learned model, so a classifier that was never fitted has no `predict` to call.
public protocol Classifier: Sendable, Equatable {
    associatedtype Fitted: FittedClassifier
    /// Short name for tables and errors: "logistic regression".
    static var name: String { get }
    /// The hyperparameters as text, for grid tables and results: `["C": "1"]`.
    var parameters: [String: String] { get }
    /// Learns from `features` (n x d) and `labels` (n values in `0..<classCount`).
    /// - Throws: `LearnError` for mismatched labels, non-finite values or a hyperparameter out of range.
    func fit(_ features: FeatureMatrix, labels: [Int], classCount: Int) throws -> Fitted
}

/// A learned model: predicts a label for each example.
public protocol FittedClassifier: Sendable {
    var classCount: Int { get }
    var featureCount: Int { get }
    /// One label in `0..<classCount` per row of `features` (m x d).
    func predict(_ features: FeatureMatrix) -> [Int]
}

extension Classifier {
    /// The checks every `fit` starts with.
    func validate(_ features: FeatureMatrix, labels: [Int], classCount: Int) throws {
        guard labels.count == features.rows else {
            throw LearnError.badLabels(model: Self.name, reason: "\(labels.count) labels for \(features.rows) examples")
        }
        guard features.rows > 0, features.columns > 0 else {
            throw LearnError.badLabels(model: Self.name, reason: "no examples to learn from")
        }
        if let bad = labels.firstIndex(where: { !(0..<classCount).contains($0) }) {
            throw LearnError.badLabels(model: Self.name, reason: "label \(labels[bad]) of example \(bad) is outside 0..<\(classCount)")
        }
        if let (row, column) = features.firstNonFinite {
            throw LearnError.nonFinite(model: Self.name, row: row, column: column)
        }
    }
}

/// Format a hyperparameter value compactly: 1, 0.1, 1.29e-10.
func formatParameter(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e6 { return String(Int(value)) }
    if abs(value) >= 1e-3, abs(value) < 1e6 { return String(format: "%g", value) }
    return String(format: "%.3g", value)
}

/// Runs `body(i)` for `i` in `0..<count`, on every core when `count > 1`.
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count == 1 { body(0); return }
    guard count > 1 else { return }
    withoutActuallyEscaping(body) { body in
        // Callers hand each iteration disjoint output; the closure never outlives this call.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: count) { body($0) }
    }
}
