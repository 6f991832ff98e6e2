import ArgumentParser
import Foundation
import Learn

/// Step 05's four models on the matrix `bench/peers/classical_sklearn.py make` writes (8000 x
/// 518 standardized float64, labels after; the first 6400 rows train, the last 1600 test), with
/// the same hyperparameters as the peer: logistic regression C = 1 (tolerance 1e-4, at most 100
/// iterations), kNN k = 21 euclidean, Gaussian naive Bayes var_smoothing 1.29e-10, RBF SVM
/// C = 1 with gamma 'scale'. Fit and predict are timed apart, best of `repeats` (the SVM's fit
/// once, as the peer's).
struct ClassicalBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classical", abstract: "Time fitting and predicting the classical models on a shared matrix.")
    @Argument(help: "The file classical_sklearn.py make wrote.") var file: String
    @Option var rows = 8000
    @Option var train = 6400
    @Option var features = 518
    @Option var repeats = 3

    func run() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        guard data.count == rows * (features + 1) * 8 else {
            throw ValidationError("\(file) holds \(data.count) bytes, not \(rows) x (\(features) + 1) float64 values")
        }
        let all = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }  // little-endian, as written
        let x = FeatureMatrix(rows: rows, columns: features, values: Array(all[0..<(rows * features)]))
        let labels = all[(rows * features)...].map { Int($0) }
        let trainX = x.selecting(rows: Array(0..<train)), testX = x.selecting(rows: Array(train..<rows))
        let trainY = Array(labels[0..<train]), testY = Array(labels[train...])
        let classCount = (labels.max() ?? 0) + 1
        var fields: [String: Any] = ["rows": train, "test_rows": rows - train, "features": features]

        func measure<Model: Classifier>(_ name: String, _ model: Model, fitRepeats: Int) throws {
            var fitted: Model.Fitted?
            fields["\(name)_fit_seconds"] = try bestTime(repeats: fitRepeats) {
                fitted = try model.fit(trainX, labels: trainY, classCount: classCount)
            }
            var predicted: [Int] = []
            fields["\(name)_predict_seconds"] = bestTime(repeats: repeats) { predicted = fitted!.predict(testX) }
            fields["\(name)_accuracy"] = ClassificationMetrics(truth: testY, predicted: predicted, classCount: classCount).accuracy
        }
        try measure("logistic_regression", LogisticRegression(c: 1), fitRepeats: repeats)
        try measure("knn", KNearestNeighbors(k: 21, metric: .euclidean), fitRepeats: repeats)
        try measure("naive_bayes", GaussianNaiveBayes(varianceSmoothing: 1.29e-10), fitRepeats: repeats)
        try measure("svm", SupportVectorMachine(c: 1, gamma: .scale), fitRepeats: 1)
        printJSON(fields)
    }
}
