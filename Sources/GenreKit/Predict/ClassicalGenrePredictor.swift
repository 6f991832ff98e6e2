import Foundation
import Learn
import Spectral

/// Step 05's saved models (`artifacts/05-classical/models/<id>.json`, `StandardizedClassifier`)
/// as predictors: the FMA 518 features of each window, at the rate and with the variant the
/// models were trained on, then the scaler and the model. Logistic regression gives
/// probabilities; kNN, naive Bayes and the SVM give a label per window, so that their
/// probabilities are the share of windows voting for each genre.
public struct ClassicalGenrePredictor: GenrePredictor {
    public let classifier: StandardizedClassifier
    public let name: String
    public let extractor: FMAFeatureExtractor
    /// Samples per window at `extractor.sampleRate`: FMA's clips are 30 s.
    public let windowSamples: Int

    public var classes: [String] { classifier.classes }

    public init(classifier: StandardizedClassifier, name: String, extractor: FMAFeatureExtractor, windowSeconds: Double) {
        self.classifier = classifier
        self.name = name
        self.extractor = extractor
        windowSamples = Int(windowSeconds * Double(extractor.sampleRate))
    }

    /// Every model in `folder` (`*.json`), in file-name order; none when the folder is absent.
    /// - Parameters:
    ///   - titles: a display name per model id (`svm` → "SVM (RBF kernel)"); the id otherwise.
    public static func loadAll(in folder: URL, sampleRate: Int, variant: FMAFeatureExtractor.Variant,
                               windowSeconds: Double, titles: [String: String] = [:]) throws -> [ClassicalGenrePredictor] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        let extractor = FMAFeatureExtractor(sampleRate: sampleRate, variant: variant)
        return try names.filter { $0.hasSuffix(".json") }.sorted().map { name in
            let classifier = try StandardizedClassifier.load(from: folder.appendingPathComponent(name))
            return ClassicalGenrePredictor(classifier: classifier, name: titles[classifier.id] ?? classifier.id,
                                           extractor: extractor, windowSeconds: windowSeconds)
        }
    }

    public func predict(_ song: SongAnalysis) throws -> SongPrediction {
        let key = "fma518-\(extractor.variant.rawValue)-\(extractor.sampleRate)-\(windowSamples)"
        let rows: [[Double]] = try song.cached(key) {
            try song.windows(at: extractor.sampleRate, length: windowSamples).map { window in
                extractor.compute(Array(window)).map(Double.init)
            }
        }
        let matrix = FeatureMatrix(rows)
        guard matrix.columns == classifier.featureCount else {
            throw LearnError.featureCount(model: classifier.id, expected: classifier.featureCount, found: matrix.columns)
        }
        let classCount = classifier.classes.count
        if case let .logisticRegression(model) = classifier.model {
            let probabilities = model.probabilities(classifier.scaler.transform(matrix))
            return SongPrediction(model: name, classes: classes, perWindow: (0..<probabilities.rows).map { Array(probabilities.row($0)) },
                                  calibrated: true)
        }
        let labels = classifier.predict(matrix)
        let votes = labels.map { label in (0..<classCount).map { $0 == label ? 1.0 : 0.0 } }
        return SongPrediction(model: name, classes: classes, perWindow: votes, calibrated: false)
    }
}
