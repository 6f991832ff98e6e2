// Step 06: A 1-D convolutional network on raw audio
//
// The article's first network reads the raw waveform: the first 10 000 samples of each clip
// (the `raw1d` records), two Conv1D + MaxPooling1D blocks, then Dense(100) - Dropout -
// Dense(20) - Dropout - Dense(classes), trained with Adam on batches of 32 for 100 epochs.
// We build the same model layer for layer with our `Neural` module (the summary below matches
// Keras's), train it with the same defaults, validate after every epoch and score the test
// split once. The article's network sees 0.23 s of a 30 s clip; as a documented extra
// (`cnn.crops`), a second copy trains on random 10 000-sample windows from anywhere in the
// clip and predicts a clip from all its windows.
//   reads   artifacts/04-splits/splits.json, artifacts/03-tfrecords/raw1d/*.tfrec,
//           artifacts/02-wav/NNN/NNNNNN.wav (crops only)
//   writes  artifacts/06-raw-cnn/results.json, history.csv, history-crops.csv,
//           weights/<model>.{index,data-00000-of-00001} (TensorFlow checkpoints), figures/*.png
//   run     swift run -c release step06-raw-cnn [--set cnn.epochs=100] [--set cnn.crops=false]

import ArgumentParser
import Foundation
import GenreKit
import Neural
@preconcurrency import Glibc

struct Step06RawCNN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step06-raw-cnn",
        abstract: "Train the article's 1-D CNN on raw audio (and, optionally, on random crops of whole clips).")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        lineBufferStandardOutput()
        let clock = ContinuousClock(), started = clock.now
        let config = try options.load()
        let workspace = Workspace(config: config)
        let splits = try DataSplits.load(from: workspace)
        let output = try workspace.createdFolder(.rawCNN)
        let classes = splits.classes, window = config.tfrecords.windowSize
        let seed = UInt64(config.training.seed), batchSize = config.training.batchSize

        // MARK: - 1. Load the raw windows of each split
        // One record per clip: its first `window_size` samples and its class. The training
        // batches are reshuffled every epoch (seeded); validation and test keep shard order.
        let train = try RecordBatches.load(.train, splits: splits, workspace: workspace, batchSize: batchSize,
                                           shuffle: true, seed: seed)
        let validation = try RecordBatches.load(.validation, splits: splits, workspace: workspace, batchSize: batchSize,
                                                shuffle: false)
        let test = try RecordBatches.load(.test, splits: splits, workspace: workspace, batchSize: batchSize, shuffle: false)
        print("1. raw1d records: train \(train.exampleCount), validation \(validation.exampleCount), test \(test.exampleCount) clips x \(window) samples (\(String(format: "%.2f", Double(window) / Double(config.audio.sampleRate))) s at \(config.audio.sampleRate) Hz).")

        // MARK: - 2. The article's model
        // Input (10000, 1): mono samples as a sequence of one channel. Glorot-uniform kernels,
        // zero biases, as Keras initializes them; the seed fixes them and the dropout masks.
        let model = rawAudioCNN(window: window, classes: classes.count, seed: seed)
        print("2. The model (Keras's summary):")
        print(indent(model.summary()))

        // MARK: - 3. Train
        // Adam (lr from the config, Keras's betas and epsilon) on softmax cross-entropy, one
        // pass over the training clips per epoch, then loss and accuracy on validation. With
        // cnn.patience > 0 training stops when validation loss stalls and the best weights return.
        let epochs = config.cnn.epochs, patience = config.cnn.patience
        print("3. Training for \(epochs) epoch\(epochs == 1 ? "" : "s")\(patience > 0 ? " (early stopping, patience \(patience))" : ""):")
        let trainStart = clock.now
        let history = try model.fit(train, validation: validation, epochs: epochs,
                                    optimizer: Adam(learningRate: Float(config.cnn.learningRate)), patience: patience,
                                    progress: printEpoch(started: trainStart))
        let trainSeconds = (clock.now - trainStart).seconds

        // MARK: - 4. Score the test split and save the weights
        // The weights go to a TensorFlow checkpoint under Keras 3's variable names; reading them
        // back into a fresh model must give the very same logits, bit for bit.
        let predictStart = clock.now
        let scored = try model.evaluate(test)
        let predictSeconds = (clock.now - predictStart).seconds
        let weights = output.appendingPathComponent("weights")
        try FileManager.default.createDirectory(at: weights, withIntermediateDirectories: true)
        try model.saveWeights(prefix: weights.appendingPathComponent("raw_cnn").path)
        let reloaded = rawAudioCNN(window: window, classes: classes.count, seed: seed &+ 1)
        try reloaded.loadWeights(prefix: weights.appendingPathComponent("raw_cnn").path)
        let identical = try reloaded.evaluate(test).logits == scored.logits
        let base = try result(
            id: "raw_cnn", title: "1-D CNN on raw audio", input: "first \(window) samples", history: history,
            truth: scored.labels, predicted: Sequential.argmaxRows(scored.logits), trainSeconds: trainSeconds,
            predictSeconds: predictSeconds, classes: classes, config: config, output: output,
            notes: ["test loss \(String(format: "%.3f", scored.loss))"])
        print("4. Test accuracy \(percent(base.testAccuracy)) % (macro-F1 \(String(format: "%.3f", base.macroF1))); weights in \(weights.path)/raw_cnn.*, reloaded: \(identical ? "identical logits" : "LOGITS DIFFER").")
        guard identical else { throw ValidationError("The checkpoint read back gives other logits than the trained model.") }

        // MARK: - 5. Beyond the article: random crops of whole clips
        // Each epoch takes one 10 000-sample window per training clip at a random place
        // (seeded), read from step 02's WAVs; validation uses one fixed window per clip; a
        // test clip is predicted by averaging the softmax probabilities of all its
        // non-overlapping windows (about 130 for 30 s at 44.1 kHz).
        var models = [base]
        if config.cnn.crops {
            let wavs = workspace.folder(.wav)
            func clips(_ split: RecordBatches, random: Bool) throws -> ClipWindows {
                try ClipWindows(wavFolder: wavs, trackIDs: split.trackIDs, labels: split.labels, windowSize: window,
                                classCount: classes.count, batchSize: batchSize, randomPositions: random, seed: seed)
            }
            let (cropTrain, cropValidation, cropTest) = (try clips(train, random: true), try clips(validation, random: false),
                                                         try clips(test, random: false))
            print("5. Random crops: \(cropTrain.exampleCount) training clips, one random window each per epoch; \(cropTest.clips.map { $0.frames / window }.reduce(0, +)) test windows.")
            let crops = rawAudioCNN(window: window, classes: classes.count, seed: seed)
            let cropStart = clock.now
            let cropHistory = try crops.fit(cropTrain, validation: cropValidation, epochs: epochs,
                                            optimizer: Adam(learningRate: Float(config.cnn.learningRate)),
                                            patience: patience, progress: printEpoch(started: cropStart))
            let cropSeconds = (clock.now - cropStart).seconds
            let cropPredictStart = clock.now
            let probabilities = try cropTest.predict(with: crops, batchSize: batchSize)
            let cropPredictSeconds = (clock.now - cropPredictStart).seconds
            try crops.saveWeights(prefix: weights.appendingPathComponent("raw_cnn_crops").path)
            let cropResult = try result(
                id: "raw_cnn_crops", title: "1-D CNN on random crops", input: "random \(window)-sample windows; clip = mean of its windows",
                history: cropHistory, truth: cropTest.clips.map(\.label), predicted: Sequential.argmaxRows(probabilities),
                trainSeconds: cropSeconds, predictSeconds: cropPredictSeconds, classes: classes, config: config,
                output: output, notes: ["prediction: mean softmax probability over all non-overlapping windows of the clip"])
            models.append(cropResult)
            print("   Test accuracy \(percent(cropResult.testAccuracy)) % (macro-F1 \(String(format: "%.3f", cropResult.macroF1))) against \(percent(base.testAccuracy)) % from the first window alone.")
        } else {
            print("5. Random crops: off (cnn.crops = false).")
        }

        // MARK: - 6. Results
        let wall = (clock.now - started).seconds
        let step = StepResults(step: Workspace.Step.rawCNN.rawValue, models: models, wallSeconds: wall, notes: [
            "train \(train.exampleCount), validation \(validation.exampleCount), test \(test.exampleCount) clips; split: \(splits.strategy)",
            "\(history.epochs) epochs\(history.stoppedEarly ? " (early stopping, best epoch \(history.bestEpoch! + 1))" : "") of batches of \(batchSize), Adam lr \(config.cnn.learningRate)",
        ])
        try step.write(to: output)
        print("6. Wrote \(output.appendingPathComponent("results.json").path), history CSVs and figures/ (\(String(format: "%.1f", wall)) s, peak memory \(peakResidentMemory() >> 20) MB).")
        print("   Chance is \(percent(1 / Double(classes.count))) %; the article trained this network for 100 epochs on the same first 10 000 samples.")
        try StepCost.record(.rawCNN, in: workspace, items: train.exampleCount * history.epochs, unit: "training examples")
    }
}

/// A progress callback that prints one line per epoch, as Keras's `verbose=2`.
func printEpoch(started: ContinuousClock.Instant) -> (Int, History) -> Void {
    { epoch, history in
        let e = epoch
        print(String(format: "   epoch %3d  loss %.4f  accuracy %.3f  val_loss %.4f  val_accuracy %.3f  (%.0f s)",
                     e + 1, history.loss[e], history.accuracy[e], history.validationLoss[e], history.validationAccuracy[e],
                     (ContinuousClock.now - started).seconds))
    }
}

/// Scores one model, writes its history CSV and figures, and returns its result.
func result(id: String, title: String, input: String, history: History, truth: [Int], predicted: [Int],
            trainSeconds: Double, predictSeconds: Double, classes: [String], config: GenreConfig, output: URL,
            notes: [String]) throws -> ModelResult {
    var table = TrainingHistory()
    for e in 0..<history.epochs {
        table.append(loss: Double(history.loss[e]), accuracy: Double(history.accuracy[e]),
                     validationLoss: Double(history.validationLoss[e]), validationAccuracy: Double(history.validationAccuracy[e]))
    }
    let historyFile = id == "raw_cnn" ? "history.csv" : "history-\(id.replacingOccurrences(of: "raw_cnn_", with: "")).csv"
    try AtomicFile.write(table.csv, to: output.appendingPathComponent(historyFile))
    var extra = notes
    if history.stoppedEarly, let best = history.bestEpoch {
        extra.append("early stopping after epoch \(history.epochs); weights of epoch \(best + 1) restored")
    }
    var model = ModelResult(
        id: id, title: title, input: input, classes: classes, truth: truth, predicted: predicted,
        bootstrapSamples: config.classical.bootstrapSamples, seed: config.training.seed,
        parameters: ["epochs": String(history.epochs), "batch_size": String(config.training.batchSize),
                     "learning_rate": String(config.cnn.learningRate), "patience": String(config.cnn.patience)],
        trainSeconds: trainSeconds, predictSeconds: predictSeconds, history: historyFile, notes: extra)
    let figures = output.appendingPathComponent("figures")
    try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
    let (loss, accuracy) = try table.figures(title: title)
    var names: [String] = []
    for (figure, name) in [(loss, "\(id)-loss.png"), (accuracy, "\(id)-accuracy.png"),
                           (try model.confusionFigure(normalized: false), "\(id)-confusion.png"),
                           (try model.confusionFigure(normalized: true), "\(id)-confusion-normalized.png")] {
        try AtomicFile.write(to: figures.appendingPathComponent(name)) { try figure.write(to: $0) }
        names.append("figures/\(name)")
    }
    model.figures = names
    return model
}

func percent(_ fraction: Double) -> String { String(format: "%.1f", 100 * fraction) }

func indent(_ text: String, by spaces: Int = 3) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { String(repeating: " ", count: spaces) + $0 }
        .joined(separator: "\n")
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

Step06RawCNN.main()
