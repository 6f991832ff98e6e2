import Foundation
import Learn

/// scikit-learn's numbers for one small data set, made by `Fixtures/make_fixtures.py`.
struct SklearnFixture: Decodable {
    struct Scaler: Decodable { var mean: [Double]; var scale: [Double] }
    struct Result: Decodable {
        var predictions: [Int]
        var accuracy: Double
        // logistic regression
        var C: Double?
        var coefficients: [[Double]]?
        var intercepts: [Double]?
        // kNN
        var k: Int?
        var metric: String?
        // naive Bayes
        var var_smoothing: Double?
        var means: [[Double]]?
        var variances: [[Double]]?
        var priors: [Double]?
        // SVM (gamma is "scale" or a number)
        var gamma_value: Double?
        var support_per_class: [Int]?
        var support: [Int]?
    }
    struct Metrics: Decodable {
        struct Sparse: Decodable { var truth: [Int]; var predicted: [Int]; var classes: Int; var macro_f1: Double }
        var truth: [Int]
        var predicted: [Int]
        var accuracy: Double
        var macro_f1: Double
        var confusion: [[Int]]
        var bootstrap_accuracy: [Double]
        var percentile_values: [Double]
        var percentiles: [String: Double]
        var sparse: Sparse
    }

    var sklearn: String
    var train: [[Double]]
    var test: [[Double]]
    var train_labels: [Int]
    var test_labels: [Int]
    var classes: Int
    var scaler: Scaler
    var logistic_regression: [Result]
    var knn: [Result]
    var naive_bayes: [Result]
    var svm: [Result]
    var metrics: Metrics

    static let shared: SklearnFixture = {
        let url = Bundle.module.url(forResource: "sklearn_classical", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(SklearnFixture.self, from: Data(contentsOf: url))
    }()

    /// The training and test matrices standardized with our scaler fitted on the training rows.
    var standardized: (train: FeatureMatrix, test: FeatureMatrix) {
        let scaler = try! StandardScaler().fit(FeatureMatrix(train))
        return (scaler.transform(FeatureMatrix(train)), scaler.transform(FeatureMatrix(test)))
    }

    /// The fraction of equal entries.
    static func agreement(_ a: [Int], _ b: [Int]) -> Double {
        Double(zip(a, b).filter { $0 == $1 }.count) / Double(max(a.count, 1))
    }
}
