// Step 05: The classical models on 518 features per track
//
// The article fed FMA's published features (features.csv: 518 statistics per track) to
// scikit-learn's Gaussian naive Bayes (about 34 %), k-nearest neighbours with k = 21 (45 %),
// and an SVM (47.75 %), and found that the features, not the models, decide the score. We
// train those models and multinomial logistic regression on our own 518 features (step 03's
// `features` records) or, with `--features fma-csv`, on FMA's file as the article did. The
// article chose hyperparameters by 5-fold cross-validation over every track, test split
// included; here they are chosen on the validation split only, the chosen model is refit on
// training + validation, and the test split is scored once.
//   reads   artifacts/04-splits/splits.json, artifacts/03-tfrecords/features/*.tfrec
//           (or <dataset>/fma_metadata/features.csv with --features fma-csv)
//   writes  artifacts/05-classical/results.json, figures/<model>-confusion[-normalized].png,
//           models/<model>.json (+ svm.model, libsvm's file): the fitted models, for genre-predict
//   run     swift run -c release step05-classical [--features ours|fma-csv]

import ArgumentParser
import Foundation
import GenreKit
import Learn
import Spectral
import TFRecord

struct Step05Classical: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step05-classical",
        abstract: "Train logistic regression, kNN, Gaussian naive Bayes and an RBF SVM on the 518 features.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "ours: step 03's features records; fma-csv: FMA's fma_metadata/features.csv (config: classical.source).")
    var features: String?

    func run() throws {
        let clock = ContinuousClock(), started = clock.now
        var options = options
        if let features { options.set.append("classical.source=\(features)") }
        let config = try options.load()
        let workspace = Workspace(config: config)
        let splits = try DataSplits.load(from: workspace)
        let records = try RecordsManifest.load(from: workspace)
        let classes = splits.classes
        let output = try workspace.createdFolder(.classical)

        // MARK: - 1. Load the features of each split
        // 518 numbers per track: 11 librosa features (chroma, MFCC, spectral shape, ...) each
        // summarised over time by 7 statistics. A NaN or infinite value stops the step with its
        // track and feature: a model would silently learn nothing from it.
        let source = config.classical.source
        let data: [DataSplits.Name: SplitData]
        let columnNames: [String]
        if source == "fma-csv" {
            (data, columnNames) = try FMAFeaturesFile.load(in: workspace, splits: splits, labels: records.labels)
        } else {
            columnNames = FMAFeaturesTable(columns: FMAFeatureExtractor.columns).columnNames
            data = try FeatureRecords.load(in: workspace, splits: splits, names: columnNames)
        }
        let input = source == "fma-csv" ? "518 FMA features (features.csv)" : "518 FMA features (ours)"
        let (train, validation, test) = (data[.train]!, data[.validation]!, data[.test]!)
        print("1. \(input): train \(train.count), validation \(validation.count), test \(test.count) tracks x \(train.features.columns) features.")

        // MARK: - 2. Standardize
        // Each feature to mean 0 and deviation 1, with the training split's mean and deviation:
        // the scales differ by orders of magnitude (a spectral centroid in Hz beside a chroma
        // in 0...1), and kNN, the SVM and the penalty of logistic regression all see distance.
        let scaler = try StandardScaler().fit(train.features)
        let (x, xValidation) = (scaler.transform(train.features), scaler.transform(validation.features))
        print("2. Standardized with the training split's mean and deviation per feature (on validation the largest |mean| of a feature is \(String(format: "%.2f", columnMeans(xValidation).map(abs).max() ?? 0)); on training, 0).")

        // MARK: - 3. Choose hyperparameters on the validation split
        // Each candidate is fitted on training and scored on validation; the article's choices
        // (k = 21, var_smoothing 1.29e-10) are in the grids. Ties go to the earlier row.
        print("3. Validation accuracy of each candidate (%):")
        var results: [ModelResult] = []
        let context = Context(train: train, validation: validation, test: test, x: x, xValidation: xValidation,
                              classes: classes, input: input, output: output, config: config, columnNames: columnNames)
        results.append(try context.evaluate(
            id: "logistic_regression", title: "Logistic regression",
            grid: [0.001, 0.01, 0.1, 1, 10].map { LogisticRegression(c: $0) }) { .logisticRegression($0) })
        results.append(try context.evaluate(
            id: "knn", title: "k-nearest neighbours",
            grid: KNearestNeighbors.Metric.allCases.flatMap { metric in
                [1, 5, 11, 21, 41].map { KNearestNeighbors(k: $0, metric: metric) }
            }) { .kNearestNeighbors($0) })
        results.append(try context.evaluate(
            id: "naive_bayes", title: "Gaussian naive Bayes",
            grid: [1e-11, 1.29e-10, 1e-9, 1e-6, 1e-3, 1e-1].map { GaussianNaiveBayes(varianceSmoothing: $0) }) { .naiveBayes($0) })
        results.append(try context.evaluate(
            id: "svm", title: "SVM (RBF kernel)",
            grid: [1.0, 10, 100].flatMap { c in
                [0.25, 1, 4].map { SupportVectorMachine(c: c, gamma: .scale(times: $0)) }
            }) { .svm($0) })

        // MARK: - 4. Scores on the test split
        // Each chosen model was refit on training + validation (its own scaler), then
        // predicted the test split once. The interval is a 95 % bootstrap over test tracks.
        let wall = (clock.now - started).seconds
        let step = StepResults(step: Workspace.Step.classical.rawValue, models: results, wallSeconds: wall, notes: [
            "features: \(input)",
            "train \(train.count), validation \(validation.count), test \(test.count) tracks; split: \(splits.strategy)",
        ])
        try step.write(to: output)
        print("4. Test scores (chance: \(String(format: "%.1f", 100 / Double(classes.count))) %):")
        let rows = results.map { r in
            [r.title, r.parameters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
             String(format: "%.1f", 100 * r.testAccuracy),
             String(format: "%.1f-%.1f", 100 * r.accuracyInterval[0], 100 * r.accuracyInterval[1]),
             String(format: "%.3f", r.macroF1), String(format: "%.2f s", r.trainSeconds)]
        }
        print(indent(TextTable(header: ["model", "chosen", "accuracy %", "95 % interval", "macro-F1", "fit + search"],
                               rows: rows).rendered))
        print("5. Wrote \(output.appendingPathComponent("results.json").path), confusion matrices in figures/, models in models/ (\(String(format: "%.1f", wall)) s).")
        print("   The authors' repository (features.csv, random split; low confidence): naive Bayes ~34 %, kNN ~45 %, SVM ~47.75 %.")
        try StepCost.record(.classical, in: workspace, items: train.count + validation.count + test.count, unit: "tracks")
    }
}

/// The examples of one split: raw features, labels and track ids, row by row.
struct SplitData {
    var features: FeatureMatrix
    var labels: [Int]
    var trackIDs: [Int]
    var count: Int { labels.count }
}

/// What every model's evaluation shares.
struct Context {
    let train: SplitData, validation: SplitData, test: SplitData
    let x: FeatureMatrix, xValidation: FeatureMatrix
    let classes: [String]
    let input: String
    let output: URL
    let config: GenreConfig
    let columnNames: [String]

    /// Grid search on validation, refit on training + validation, one test score; saves the
    /// model and its confusion figures, prints the grid.
    func evaluate<Model: Classifier>(id: String, title: String, grid candidates: [Model],
                                     wrap: (Model.Fitted) -> StandardizedClassifier.Model) throws -> ModelResult {
        let clock = ContinuousClock(), start = clock.now
        let grid = try GridSearch(candidates: candidates, train: x, trainLabels: train.labels, validation: xValidation,
                                  validationLabels: validation.labels, classCount: classes.count)
        print("   \(title):")
        print(indent(TextTable(header: grid.parameterNames + ["validation", ""], rows: grid.rows).rendered, by: 5))
        let chosen = grid.best
        let all = train.features.appending(validation.features)
        let scaler = try StandardScaler().fit(all)
        let fitted = try chosen.model.fit(scaler.transform(all), labels: train.labels + validation.labels,
                                          classCount: classes.count)
        let trainSeconds = (clock.now - start).seconds
        let predictStart = clock.now
        let predicted = fitted.predict(scaler.transform(test.features))
        let predictSeconds = (clock.now - predictStart).seconds
        let model = StandardizedClassifier(id: id, classes: classes, featureNames: columnNames, parameters: chosen.model.parameters,
                                           scaler: scaler, model: wrap(fitted))
        try model.save(in: output.appendingPathComponent("models"))
        let figures = ["figures/\(id)-confusion.png", "figures/\(id)-confusion-normalized.png"]
        var result = ModelResult(
            id: id, title: title, input: input, classes: classes, truth: test.labels, predicted: predicted,
            bootstrapSamples: config.classical.bootstrapSamples, seed: config.training.seed,
            parameters: chosen.model.parameters, trainSeconds: trainSeconds, predictSeconds: predictSeconds,
            figures: figures,
            notes: [String(format: "validation accuracy %.1f %% (best of %d candidates), refit on training + validation",
                           100 * chosen.validationAccuracy!, grid.points.count)])
        try FileManager.default.createDirectory(at: output.appendingPathComponent("figures"), withIntermediateDirectories: true)
        for (normalized, path) in zip([false, true], figures) {
            let figure = try result.confusionFigure(normalized: normalized)
            try AtomicFile.write(to: output.appendingPathComponent(path)) { try figure.write(to: $0) }
        }
        result.figures = figures
        return result
    }
}

/// Step 03's `features` records of each split, read through the shard lists of splits.json.
enum FeatureRecords {
    static func load(in workspace: Workspace, splits: DataSplits, names: [String]) throws -> [DataSplits.Name: SplitData] {
        try workspace.requireArtifact(RecordsManifest.folder(of: .features, in: workspace), madeBy: .tfrecords)
        let folder = workspace.folder(.tfrecords)
        var out: [DataSplits.Name: SplitData] = [:]
        for name in DataSplits.Name.allCases {
            guard let files = splits[name].files[RecordSet.features.rawValue] else {
                throw ValidationError("splits.json lists no features shards: it was written before step 03 made them. Run step 04 again: swift run step04-splits")
            }
            // With FMA's official split every shard serves every split: keep this split's tracks.
            let wanted = Set(splits[name].trackIDs)
            var values: [Double] = [], labels: [Int] = [], ids: [Int] = []
            for file in files {
                let path = folder.appendingPathComponent(file).path
                let reader = try TFRecordReader(path: path)
                while let example = try reader.nextExample() {
                    let index = reader.recordsRead - 1
                    guard let id = example[RecordKey.trackID]?.int64Values?.first,
                          let label = example[RecordKey.label]?.int64Values?.first,
                          let features = example[RecordKey.features]?.floatValues else {
                        throw ValidationError("\(path), record \(index): no track_id, class or features. Run step 03 again.")
                    }
                    guard wanted.contains(Int(id)) else { continue }
                    guard features.count == names.count else {
                        throw ValidationError("\(path), record \(index) (track \(id)): \(features.count) features, expected \(names.count).")
                    }
                    if let j = features.firstIndex(where: { !$0.isFinite }) {
                        throw ValidationError("Track \(id) has a \(features[j]) in feature \(j) (\(names[j])), in \(path); the models cannot use it. Check that track's audio, or leave it out and run step 03 again.")
                    }
                    values += features.map(Double.init)
                    labels.append(Int(label))
                    ids.append(Int(id))
                }
            }
            guard !ids.isEmpty else { throw ValidationError("The \(name.rawValue) split has no feature records.") }
            out[name] = SplitData(features: FeatureMatrix(rows: ids.count, columns: names.count, values: values),
                                  labels: labels, trackIDs: ids)
        }
        return out
    }
}

/// FMA's `fma_metadata/features.csv` (read by `FMAFeaturesTable`, its columns put in our
/// order), joined with our splits by track id.
enum FMAFeaturesFile {
    static func load(in workspace: Workspace, splits: DataSplits, labels: [String: Int]) throws
        -> ([DataSplits.Name: SplitData], [String]) {
        let url = try DataSource.load(from: workspace).rootURL.appendingPathComponent("fma_metadata/features.csv")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ValidationError("--features fma-csv reads FMA's features.csv, which is not at \(url.path). It is in fma_metadata.zip (unpack with 7z x); the demo has none, so use --features ours.")
        }
        let (names, table) = try FMAFeaturesTable.read(url)
        let rows = Dictionary(table.map { ($0.trackID, $0.values) }, uniquingKeysWith: { first, _ in first })
        var out: [DataSplits.Name: SplitData] = [:]
        for name in DataSplits.Name.allCases {
            let ids = splits[name].trackIDs
            let missing = ids.filter { rows[$0] == nil }
            guard missing.isEmpty else {
                throw ValidationError("\(url.path) has no row for \(missing.count) tracks of the \(name.rawValue) split (\(missing.prefix(5).map(String.init).joined(separator: ", ")), ...).")
            }
            for id in ids {
                if let j = rows[id]!.firstIndex(where: { !$0.isFinite }) {
                    throw ValidationError("Track \(id) has no finite value for feature \(j) (\(names[j])) in \(url.path); the models cannot use it.")
                }
            }
            out[name] = SplitData(features: FeatureMatrix(rows: ids.count, columns: names.count,
                                                          values: ids.flatMap { rows[$0]!.map(Double.init) }),
                                  labels: ids.map { labels[String($0)]! }, trackIDs: ids)
        }
        return (out, names)
    }
}

func columnMeans(_ matrix: FeatureMatrix) -> [Double] {
    (0..<matrix.columns).map { j in (0..<matrix.rows).reduce(0) { $0 + matrix[$1, j] } / Double(max(matrix.rows, 1)) }
}

func indent(_ text: String, by spaces: Int = 3) -> String {
    let pad = String(repeating: " ", count: spaces)
    return text.split(separator: "\n").map { pad + $0 }.joined(separator: "\n")
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

lineBufferStandardOutput()
Step05Classical.main()
