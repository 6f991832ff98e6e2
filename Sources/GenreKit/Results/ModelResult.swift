import Foundation
import Learn

/// One trained model's test result, as every model step writes it to its `results.json` and
/// step 08 reads it into the report's table. One schema for the classical models, the
/// raw-audio CNN and transfer learning, so that they can stand side by side.
public struct ModelResult: Codable, Equatable, Sendable {
    /// A stable identifier: `logistic_regression`, `svm`, `raw_cnn`, `raw_cnn_crops`, `musicnn`…
    public var id: String
    /// The name a reader sees: "SVM (RBF kernel)".
    public var title: String
    /// What the model sees: "518 FMA features (ours)", "first 10000 samples", "musicnn embedding".
    public var input: String
    /// Class names, in label order; the confusion matrix's rows and columns.
    public var classes: [String]
    public var testCount: Int
    public var testAccuracy: Double
    /// 95 % bootstrap interval of the test accuracy, `[lower, upper]`.
    public var accuracyInterval: [Double]
    public var macroF1: Double
    /// 95 % bootstrap interval of the macro-F1, `[lower, upper]`.
    public var macroF1Interval: [Double]
    /// `confusion[truth][prediction]` counts on the test split.
    public var confusion: [[Int]]
    /// The chosen hyperparameters and other settings, as text: `["C": "10", "gamma": "0.001"]`.
    public var parameters: [String: String]
    /// Seconds spent fitting (including the hyperparameter search), and predicting the test split.
    public var trainSeconds: Double
    public var predictSeconds: Double
    /// Figures of this model, relative to the step's artifact folder (`figures/svm-confusion.png`).
    public var figures: [String]
    /// Per-epoch history (CSV with `epoch,loss,accuracy,val_loss,val_accuracy`) relative to the
    /// step's artifact folder, for the networks.
    public var history: String?
    /// Anything a reader should know: "early stopping at epoch 14", "weights missing".
    public var notes: [String]

    public init(id: String, title: String, input: String, classes: [String], metrics: ClassificationMetrics,
                accuracyInterval: BootstrapInterval, macroF1Interval: BootstrapInterval,
                parameters: [String: String] = [:], trainSeconds: Double, predictSeconds: Double,
                figures: [String] = [], history: String? = nil, notes: [String] = []) {
        self.id = id
        self.title = title
        self.input = input
        self.classes = classes
        testCount = metrics.count
        testAccuracy = metrics.accuracy
        self.accuracyInterval = [accuracyInterval.lower, accuracyInterval.upper]
        macroF1 = metrics.macroF1
        self.macroF1Interval = [macroF1Interval.lower, macroF1Interval.upper]
        confusion = metrics.confusion
        self.parameters = parameters
        self.trainSeconds = trainSeconds
        self.predictSeconds = predictSeconds
        self.figures = figures
        self.history = history
        self.notes = notes
    }

    /// Scores test predictions: metrics, bootstrap intervals (seeded) and the rest.
    public init(id: String, title: String, input: String, classes: [String], truth: [Int], predicted: [Int],
                bootstrapSamples: Int, seed: Int, parameters: [String: String] = [:],
                trainSeconds: Double, predictSeconds: Double, figures: [String] = [], history: String? = nil,
                notes: [String] = []) {
        let metrics = ClassificationMetrics(truth: truth, predicted: predicted, classCount: classes.count)
        var generator = SeededGenerator(seed: UInt64(truncatingIfNeeded: seed))
        let accuracy = BootstrapInterval(truth: truth, predicted: predicted, classCount: classes.count,
                                         samples: bootstrapSamples, using: &generator) { $0.accuracy }
        let f1 = BootstrapInterval(truth: truth, predicted: predicted, classCount: classes.count,
                                   samples: bootstrapSamples, using: &generator) { $0.macroF1 }
        self.init(id: id, title: title, input: input, classes: classes, metrics: metrics,
                  accuracyInterval: accuracy, macroF1Interval: f1, parameters: parameters,
                  trainSeconds: trainSeconds, predictSeconds: predictSeconds, figures: figures,
                  history: history, notes: notes)
    }
}

/// A model step's `results.json`: its models, and what the step cost.
public struct StepResults: Codable, Equatable, Sendable {
    /// The step's artifact folder name, `05-classical`.
    public var step: String
    public var models: [ModelResult]
    /// Wall time of the whole step, and its peak resident memory.
    public var wallSeconds: Double
    public var peakMemoryBytes: Int
    /// Lines for the report about the data this step used: "train 256, validation 64, test 80".
    public var notes: [String]

    public init(step: String, models: [ModelResult], wallSeconds: Double, peakMemoryBytes: Int = peakResidentMemory(),
                notes: [String] = []) {
        self.step = step
        self.models = models
        self.wallSeconds = wallSeconds
        self.peakMemoryBytes = peakMemoryBytes
        self.notes = notes
    }

    /// Writes `results.json` into `folder`, atomically.
    public func write(to folder: URL) throws {
        try AtomicFile.writeJSON(self, to: folder.appendingPathComponent("results.json"))
    }

    public static func read(from url: URL) throws -> StepResults {
        try JSONDecoder().decode(StepResults.self, from: Data(contentsOf: url))
    }
}
