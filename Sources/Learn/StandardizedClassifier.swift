import Foundation

/// A fitted model with the scaler in front of it and the names of its classes: everything
/// needed to classify a new example's raw features, saved as files and loaded back.
///
/// Format (version 1), one JSON document per model, `<id>.json`:
///
///     { "format": "genre-lab classifier", "version": 1,
///       "id": "svm", "kind": "svm" | "logistic_regression" | "knn" | "naive_bayes",
///       "classes": ["Electronic", …], "feature_count": 518, "feature_names": [ … ] (optional),
///       "parameters": {"C": "10", …},
///       "scaler": {"mean": [d], "scale": [d]},
///       one of "logistic_regression": {"coefficients": {rows, columns, values}, "intercepts": [K], …},
///              "knn": {"examples": {rows, columns, values}, "labels": [n], "k": 21, "metric": "euclidean", …},
///              "naive_bayes": {"means": {…}, "variances": {…}, "priors": [K]},
///              "svm": {"libsvm_file": "svm.model"} }
///
/// Matrices are row-major (`values[i * columns + j]`). The SVM's numbers are in libsvm's own
/// model file beside the JSON (`svm_save_model`), readable by libsvm's `svm-predict` after
/// standardizing with the JSON's scaler.
public struct StandardizedClassifier: Sendable {
    public enum Model: Sendable {
        case logisticRegression(LogisticRegression.Fitted)
        case kNearestNeighbors(KNearestNeighbors.Fitted)
        case naiveBayes(GaussianNaiveBayes.Fitted)
        case svm(SupportVectorMachine.Fitted)

        public var kind: String {
            switch self {
            case .logisticRegression: "logistic_regression"
            case .kNearestNeighbors: "knn"
            case .naiveBayes: "naive_bayes"
            case .svm: "svm"
            }
        }

        public func predict(_ features: FeatureMatrix) -> [Int] {
            switch self {
            case let .logisticRegression(model): model.predict(features)
            case let .kNearestNeighbors(model): model.predict(features)
            case let .naiveBayes(model): model.predict(features)
            case let .svm(model): model.predict(features)
            }
        }

        var featureCount: Int {
            switch self {
            case let .logisticRegression(model): model.featureCount
            case let .kNearestNeighbors(model): model.featureCount
            case let .naiveBayes(model): model.featureCount
            case let .svm(model): model.featureCount
            }
        }
    }

    /// The file name stem, `svm` → `svm.json`.
    public let id: String
    /// Class names in label order: label i is `classes[i]`.
    public let classes: [String]
    /// The raw features' names, in the order the model expects them, when known.
    public let featureNames: [String]?
    public let parameters: [String: String]
    public let scaler: StandardScaler.Fitted
    public let model: Model

    public init(id: String, classes: [String], featureNames: [String]? = nil, parameters: [String: String],
                scaler: StandardScaler.Fitted, model: Model) {
        precondition(scaler.mean.count == model.featureCount, "scaler of \(scaler.mean.count) features before a model of \(model.featureCount)")
        self.id = id
        self.classes = classes
        self.featureNames = featureNames
        self.parameters = parameters
        self.scaler = scaler
        self.model = model
    }

    public var featureCount: Int { scaler.mean.count }

    /// Labels for raw (unstandardized) examples, m x d.
    public func predict(_ raw: FeatureMatrix) -> [Int] {
        model.predict(scaler.transform(raw))
    }

    /// The class name for one raw example.
    /// - Throws: `LearnError.featureCount` or `.nonFinite` for an example the model cannot take.
    public func classify(_ features: [Double]) throws -> String {
        guard features.count == featureCount else {
            throw LearnError.featureCount(model: id, expected: featureCount, found: features.count)
        }
        if let column = features.firstIndex(where: { !$0.isFinite }) {
            throw LearnError.nonFinite(model: id, row: 0, column: column)
        }
        return classes[predict(FeatureMatrix(rows: 1, columns: featureCount, values: features))[0]]
    }

    // MARK: files

    struct Document: Codable {
        var format = "genre-lab classifier"
        var version = 1
        var id: String
        var kind: String
        var classes: [String]
        var featureCount: Int
        var featureNames: [String]?
        var parameters: [String: String]
        var scaler: StandardScaler.Fitted
        var logisticRegression: LogisticRegression.Fitted?
        var knn: KNearestNeighbors.Fitted?
        var naiveBayes: GaussianNaiveBayes.Fitted?
        var svm: SVMFile?

        struct SVMFile: Codable { var libsvmFile: String; var gamma: Double
            enum CodingKeys: String, CodingKey { case libsvmFile = "libsvm_file", gamma }
        }

        enum CodingKeys: String, CodingKey {
            case format, version, id, kind, classes, featureCount = "feature_count", featureNames = "feature_names"
            case parameters, scaler, logisticRegression = "logistic_regression", knn, naiveBayes = "naive_bayes", svm
        }
    }

    /// Writes `<id>.json` (and `<id>.model`, libsvm's file, for the SVM) into `folder`, each
    /// under a temporary name renamed when complete. Returns the JSON's URL.
    @discardableResult
    public func save(in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var document = Document(id: id, kind: model.kind, classes: classes, featureCount: featureCount,
                                featureNames: featureNames, parameters: parameters, scaler: scaler)
        switch model {
        case let .logisticRegression(fitted): document.logisticRegression = fitted
        case let .kNearestNeighbors(fitted): document.knn = fitted
        case let .naiveBayes(fitted): document.naiveBayes = fitted
        case let .svm(fitted):
            let file = "\(id).model"
            let partial = folder.appendingPathComponent(".\(file).partial")
            try fitted.libsvm.save(to: partial)
            let destination = folder.appendingPathComponent(file)
            _ = try? FileManager.default.removeItem(at: destination)
            try FileManager.default.moveItem(at: partial, to: destination)
            document.svm = .init(libsvmFile: file, gamma: fitted.gamma)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let url = folder.appendingPathComponent("\(id).json")
        try encoder.encode(document).write(to: url, options: .atomic)
        return url
    }

    /// Reads what `save` wrote.
    /// - Throws: `LearnError.badModelFile` naming the file and what is wrong with it.
    public static func load(from url: URL) throws -> StandardizedClassifier {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(contentsOf: url))
        } catch {
            throw LearnError.badModelFile(path: url.path, reason: "\(error)")
        }
        guard document.format == "genre-lab classifier", document.version == 1 else {
            throw LearnError.badModelFile(path: url.path, reason: "format '\(document.format)' version \(document.version)")
        }
        guard document.scaler.mean.count == document.featureCount else {
            throw LearnError.badModelFile(path: url.path, reason: "the scaler has \(document.scaler.mean.count) features, not \(document.featureCount)")
        }
        let model: Model
        switch document.kind {
        case "logistic_regression" where document.logisticRegression != nil:
            model = .logisticRegression(document.logisticRegression!)
        case "knn" where document.knn != nil:
            model = .kNearestNeighbors(document.knn!)
        case "naive_bayes" where document.naiveBayes != nil:
            model = .naiveBayes(document.naiveBayes!)
        case "svm" where document.svm != nil:
            let file = url.deletingLastPathComponent().appendingPathComponent(document.svm!.libsvmFile)
            let libsvm = try LibSVMModel(contentsOf: file)
            model = .svm(try SupportVectorMachine.Fitted(libsvm: libsvm, featureCount: document.featureCount,
                                                         classCount: document.classes.count))
        default:
            throw LearnError.badModelFile(path: url.path, reason: "kind '\(document.kind)' without its model section")
        }
        guard model.featureCount == document.featureCount else {
            throw LearnError.badModelFile(path: url.path, reason: "the model has \(model.featureCount) features, not \(document.featureCount)")
        }
        return StandardizedClassifier(id: document.id, classes: document.classes, featureNames: document.featureNames,
                                      parameters: document.parameters, scaler: document.scaler, model: model)
    }
}
