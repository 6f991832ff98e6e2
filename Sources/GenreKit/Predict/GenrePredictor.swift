import Foundation

/// A trained model that names a song's genre: what `genre-predict` asks of every model family.
///
/// Each family (the classical models of step 05, the raw-audio CNN of step 06, the transfer
/// heads of step 07) loads its saved model from the artifacts and scores a `SongAnalysis`,
/// cutting the song into the windows it was trained on and averaging over them, so that a
/// 3-minute song and a 30-second clip are handled alike.
public protocol GenrePredictor {
    /// The name a reader sees: "SVM (RBF kernel)".
    var name: String { get }
    /// Class names, label order.
    var classes: [String] { get }
    /// Probabilities over `classes`, averaged over the song's windows.
    func predict(_ song: SongAnalysis) throws -> SongPrediction
}

/// One model's answer for one song.
public struct SongPrediction: Sendable, Equatable {
    public var model: String
    public var classes: [String]
    /// Mean over the windows of each window's class probabilities; sums to 1.
    public var probabilities: [Double]
    /// Windows the song was cut into.
    public var windows: Int
    /// `false` when the model gives only a label per window, so that a probability is the
    /// share of windows voting for the genre.
    public var calibrated: Bool

    public init(model: String, classes: [String], probabilities: [Double], windows: Int, calibrated: Bool) {
        precondition(probabilities.count == classes.count, "\(probabilities.count) probabilities for \(classes.count) classes")
        self.model = model
        self.classes = classes
        self.probabilities = probabilities
        self.windows = windows
        self.calibrated = calibrated
    }

    /// Averages per-window probabilities (rows of `perWindow`, each over `classes`).
    public init(model: String, classes: [String], perWindow: [[Double]], calibrated: Bool) {
        var mean = [Double](repeating: 0, count: classes.count)
        for row in perWindow {
            for (k, p) in row.enumerated() { mean[k] += p / Double(perWindow.count) }
        }
        self.init(model: model, classes: classes, probabilities: mean, windows: perWindow.count, calibrated: calibrated)
    }

    /// The `count` most probable genres, most probable first (ties: label order).
    public func top(_ count: Int) -> [(genre: String, probability: Double)] {
        probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
            .prefix(count).map { (classes[$0], probabilities[$0]) }
    }
}

/// The models' joint answer in a line: the genre with the highest mean probability over the
/// models, and how many models put it first.
public enum GenreVerdict {
    public static func line(_ predictions: [SongPrediction]) -> String {
        guard let classes = predictions.first?.classes else { return "no model to ask" }
        var mean = [Double](repeating: 0, count: classes.count)
        for prediction in predictions where prediction.classes == classes {
            for (k, p) in prediction.probabilities.enumerated() { mean[k] += p / Double(predictions.count) }
        }
        let best = mean.indices.max { mean[$0] < mean[$1] || (mean[$0] == mean[$1] && $0 > $1) }!
        let agree = predictions.filter { $0.top(1).first?.genre == classes[best] }.count
        return String(format: "%@ (%d of %d models put it first; mean probability %.2f)",
                      classes[best], agree, predictions.count, mean[best])
    }
}
