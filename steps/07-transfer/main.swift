// Step 07: Transfer learning: a frozen base network and a small dense head
//
// The article's best model was MobileNetV2, pretrained on ImageNet photographs and frozen, with a
// dense classifier trained on its 1280 average-pooled features of each 224 x 224 x 3 mel image.
// We do the same when TF-slim's checkpoint is in models/ (README.md says where to get it), and
// add a base network trained on music instead of photographs: musicnn's Million Song Dataset
// model (50 tags, several of them genres), which `make setup` fetches. musicnn hears the whole
// clip as 3-second patches; a clip's embedding is the mean and the maximum of its patches'.
// Each clip is embedded once and cached; only the head is trained: Dense(256, ReLU),
// Dropout(0.5), Dense(classes), Adam (lr 1e-3), batch 32, early stopping on validation loss
// with the best weights restored. A base network whose weights are missing is skipped, not fatal.
//   reads   artifacts/04-splits/splits.json, artifacts/02-wav/ (musicnn),
//           artifacts/03-tfrecords/mel2d[-full]/ (MobileNetV2), the checkpoints under models/
//   writes  artifacts/07-transfer/<base>/: embeddings/, history.csv, results.json, figures/,
//           head.index + head.data-00000-of-00001 (the head's weights, a TensorFlow checkpoint)
//   run     swift run -c release step07-transfer [--bases musicnn,mobilenet_v2]

import ArgumentParser
import Foundation
import GenreKit
import Neural
import TensorBundle

struct Step07Transfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step07-transfer",
        abstract: "Embed every clip with pretrained networks (musicnn, MobileNetV2) and train a dense head on each.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Base networks, comma-separated: musicnn, mobilenet_v2 (config: transfer.bases).")
    var bases: String?

    @Flag(inversion: .prefixedNo, help: "Append the maximum over musicnn's patches to their mean (400 values instead of 200).")
    var musicnnMax = true

    func run() throws {
        let clock = ContinuousClock()
        var options = options
        if let bases { options.set.append("transfer.bases=\(bases)") }
        let config = try options.load()
        let workspace = Workspace(config: config)
        let splits = try DataSplits.load(from: workspace)
        let records = try RecordsManifest.load(from: workspace)
        let classes = splits.classes
        let output = try workspace.createdFolder(.transfer)
        let settings = config.transfer

        // MARK: - 1. Find the base networks
        // Each base network is a TensorFlow checkpoint read by our own TensorBundle reader. One
        // that is not on disk is reported with where to get it, and the others go on.
        let networks = ModelCatalog.transferBases(config).map { BaseNetwork(name: $0, config: config, root: workspace.root) }
        let available = networks.filter(\.isAvailable)
        let missing = networks.filter { !$0.isAvailable }
        for network in networks {
            print("1. \(network.name): " + (network.isAvailable
                ? "checkpoint \(network.prefixPath)"
                : "MISSING, no checkpoint at \(network.indexURL.path); \(network.hint). Skipped."))
        }
        let missingNotes = missing.map { "\($0.name): not run, no checkpoint at \($0.checkpoint); \($0.hint)" }
        guard !available.isEmpty else {
            print("   No base network to run: nothing written. The report lists them as missing.")
            return
        }
        let sizes = DataSplits.Name.allCases.map { "\(splits[$0].records) \($0.rawValue)" }.joined(separator: ", ")
        print("   Clips: \(sizes); chance is \(String(format: "%.1f", 100 / Double(classes.count))) %.")

        for network in available {
            let started = clock.now
            let folder = output.appendingPathComponent(network.name)
            let cacheFolder = folder.appendingPathComponent("embeddings")
            let checkpoint = try TensorBundleReader(prefix: network.prefixPath)

            // MARK: - 2. Embed every clip once
            // musicnn: the clip's WAV at 16 kHz, 3-second patches, mean (+ max) of their 200-d
            // embeddings. MobileNetV2: the mel2d image (and, beyond the article, the mel2d-full
            // image of the whole clip), 1280 values each. Cached by track id: a second run
            // reuses every embedding whose network and input file are unchanged.
            var variants: [(id: String, title: String, input: String, data: [DataSplits.Name: EmbeddedSplit], dimension: Int, notes: [String])] = []
            if network.name == "musicnn" {
                let model = try MusicnnModel(checkpoint: checkpoint)
                let dimension = MusicnnModel.embeddingSize * (musicnnMax ? 2 : 1)
                let pooling = musicnnMax ? "mean+max" : "mean"
                var cache = EmbeddingCache.load(folder: cacheFolder, name: "clips", model: network.fingerprint(pooling), dimension: dimension)
                let wavFolder = workspace.folder(.wav)
                let all = DataSplits.Name.allCases.flatMap { splits[$0].trackIDs }
                let progress = ProgressBar("   musicnn", total: all.count)
                var (computed, reused) = (0, 0)
                var data: [DataSplits.Name: EmbeddedSplit] = [:]
                for name in DataSplits.Name.allCases {
                    var split = EmbeddedSplit()
                    for id in splits[name].trackIDs {
                        let wav = WavManifest.wavURL(in: wavFolder, trackID: id)
                        let stamp = EmbeddingCache.stamp(of: wav)
                        let embedding: [Float]
                        if let cached = cache.embedding(id, stamp: stamp) {
                            embedding = cached
                            reused += 1
                        } else {
                            embedding = try musicnnEmbedding(model, wav: wav, withMax: musicnnMax)
                            cache.store(id, stamp: stamp, values: embedding)
                            computed += 1
                        }
                        split.append(id, label: records.labels[String(id)]!, embedding: embedding)
                        progress.advance()
                    }
                    data[name] = split
                }
                let seconds = progress.finish()
                try cache.save(folder: cacheFolder, name: "clips")
                print("2. musicnn: \(computed) clips embedded, \(reused) from the cache, \(String(format: "%.1f", seconds)) s; \(dimension) values per clip (\(pooling) of 200-d patch embeddings).")
                variants.append(("musicnn", "Transfer learning: musicnn (Million Song Dataset)",
                                 "musicnn embedding, \(pooling) over the clip's 3-s patches (\(dimension)-d)", data, dimension,
                                 ["embeddings: \(computed) computed, \(reused) cached"]))
            } else {
                let model = try MobileNetV2(checkpoint: checkpoint)
                print("2. MobileNetV2: \(model.variableCount) variables read, \(model.movingAverageCount) from their ExponentialMovingAverage copy.")
                let imageCount = records.imageShape.reduce(1, *)
                let sets: [RecordSet] = splits[.train].files[RecordSet.mel2dFull.rawValue] == nil ? [.mel2d] : [.mel2d, .mel2dFull]
                for set in sets {
                    let name = set.rawValue
                    var cache = EmbeddingCache.load(folder: cacheFolder, name: name, model: network.fingerprint(name),
                                                    dimension: MobileNetV2.embeddingSize)
                    let total = DataSplits.Name.allCases.reduce(0) { $0 + splits[$1].records }
                    let progress = ProgressBar("   MobileNetV2 \(name)", total: total)
                    var (computed, reused) = (0, 0)
                    var data: [DataSplits.Name: EmbeddedSplit] = [:]
                    for split in DataSplits.Name.allCases {
                        var embedded = EmbeddedSplit()
                        try forEachImageBatch(set, split: splits[split], workspace: workspace, imageCount: imageCount,
                                              batchSize: config.training.batchSize) { batch in
                            let todo = batch.filter { cache.embedding($0.trackID, stamp: $0.stamp) == nil }
                            if !todo.isEmpty {
                                let images = Tensor(shape: [todo.count] + records.imageShape, values: todo.flatMap(\.image))
                                let embeddings = try model.embed(images)
                                for (row, item) in todo.enumerated() {
                                    let d = MobileNetV2.embeddingSize
                                    cache.store(item.trackID, stamp: item.stamp, values: Array(embeddings.values[(row * d)..<((row + 1) * d)]))
                                }
                            }
                            computed += todo.count
                            reused += batch.count - todo.count
                            for item in batch {
                                embedded.append(item.trackID, label: item.label, embedding: cache.embedding(item.trackID, stamp: item.stamp)!)
                            }
                            progress.advance(by: batch.count)
                        }
                        data[split] = embedded
                    }
                    let seconds = progress.finish()
                    try cache.save(folder: cacheFolder, name: name)
                    print(String(format: "2. MobileNetV2 on %@: %d images embedded (%.1f images/s), %d from the cache; 1280 values per clip.",
                                 name, computed, Double(computed) / max(seconds, 1e-9), reused))
                    let full = set == .mel2dFull
                    variants.append((TransferHead.mobileNetVariant(of: set),
                                     full ? "Transfer learning: MobileNetV2 on the whole-clip image" : "Transfer learning: MobileNetV2 (ImageNet)",
                                     "MobileNetV2 embedding of the \(name) image (1280-d)", data, MobileNetV2.embeddingSize,
                                     ["embeddings: \(computed) computed, \(reused) cached"]))
                }
            }

            // MARK: - 3. Train the head
            // Only the head learns; the base network stays frozen, as the article froze
            // MobileNetV2. Validation after every epoch; training stops when the validation
            // loss has not improved for `patience` epochs, and the best epoch's weights are kept.
            var results: [ModelResult] = []
            for variant in variants {
                let (train, validation, test) = (variant.data[.train]!, variant.data[.validation]!, variant.data[.test]!)
                for (name, split) in [("train", train), ("validation", validation), ("test", test)] where split.count == 0 {
                    throw TransferError.emptySplit(base: variant.id, split: name)
                }
                let fitStart = clock.now
                let head = DenseHead(dimension: variant.dimension, hiddenUnits: settings.hiddenUnits, dropout: Float(settings.dropout),
                                     classes: classes.count, train: train, seed: UInt64(config.training.seed))
                let fit = try head.fit(train: train, validation: validation, classes: classes.count, epochs: settings.epochs,
                                   patience: settings.patience, batchSize: config.training.batchSize, learningRate: 1e-3,
                                   seed: UInt64(config.training.seed)) { epoch, h in
                    guard epoch <= 3 || epoch % 10 == 0 else { return }
                    print(String(format: "3. %@ epoch %d: loss %.3f, accuracy %.3f, val_loss %.3f, val_accuracy %.3f",
                                 variant.id, epoch, h.loss.last!, h.accuracy.last!, h.validationLoss.last!, h.validationAccuracy.last!))
                }
                let trainSeconds = (clock.now - fitStart).seconds
                let stopped = fit.lastEpoch < settings.epochs
                print("3. \(variant.id): \(fit.lastEpoch) epochs\(stopped ? " (early stop)" : ""), best validation loss at epoch \(fit.bestEpoch) (\(String(format: "%.3f", fit.history.validationLoss[fit.bestEpoch - 1]))), kept; \(String(format: "%.1f", trainSeconds)) s.")

                // MARK: - 4. Score the test split once
                let predictStart = clock.now
                let predicted = head.predict(test)
                let predictSeconds = (clock.now - predictStart).seconds
                let history = variant.id == network.name ? "history.csv" : "history-\(variant.id).csv"
                try AtomicFile.write(fit.history.csv, to: folder.appendingPathComponent(history))
                let figures = ["loss", "accuracy", "confusion", "confusion-normalized"].map { "figures/\(variant.id)-\($0).png" }
                var result = ModelResult(
                    id: variant.id, title: variant.title, input: variant.input, classes: classes,
                    truth: test.labels, predicted: predicted, bootstrapSamples: config.classical.bootstrapSamples,
                    seed: config.training.seed,
                    parameters: ["hidden_units": "\(settings.hiddenUnits)", "dropout": "\(settings.dropout)",
                                 "epochs": "\(fit.lastEpoch) of \(settings.epochs)", "best_epoch": "\(fit.bestEpoch)",
                                 "patience": "\(settings.patience)", "learning_rate": "0.001",
                                 "batch_size": "\(config.training.batchSize)", "embedding": "\(variant.dimension)"],
                    trainSeconds: trainSeconds, predictSeconds: predictSeconds, figures: figures, history: history,
                    notes: variant.notes + ["\(stopped ? "early stopping at" : "trained all") epoch \(fit.lastEpoch); weights of epoch \(fit.bestEpoch) restored"])
                let curves = try fit.history.figures(title: variant.title)
                let pictures = [curves.loss, curves.accuracy, try result.confusionFigure(normalized: false),
                                try result.confusionFigure(normalized: true)]
                for (path, figure) in zip(figures, pictures) {
                    let url = folder.appendingPathComponent(path)
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try AtomicFile.write(to: url) { try figure.write(to: $0) }
                }
                let weights = TransferHead.checkpointName(base: network.name, variant: variant.id)
                try head.write(prefix: folder.appendingPathComponent(weights).path)
                result.notes.append("head weights: \(weights).index (TensorFlow checkpoint)")
                results.append(result)
                print(String(format: "4. %@: test accuracy %.1f %% (95 %% interval %.1f-%.1f), macro-F1 %.3f on %d clips.",
                             variant.id, 100 * result.testAccuracy, 100 * result.accuracyInterval[0],
                             100 * result.accuracyInterval[1], result.macroF1, result.testCount))
            }

            // MARK: - 5. Write the results
            let wall = (clock.now - started).seconds
            let step = StepResults(step: Workspace.Step.transfer.rawValue, models: results, wallSeconds: wall, notes: [
                "base network: \(network.name), checkpoint \(network.checkpoint)",
                "train \(splits[.train].records), validation \(splits[.validation].records), test \(splits[.test].records) clips; split: \(splits.strategy)",
            ] + missingNotes)
            try step.write(to: folder)
            print("5. Wrote \(folder.path)/: results.json, history, figures/, head weights (\(String(format: "%.1f", wall)) s).")
        }
        for note in missingNotes { print("   \(note)") }
        print("   The article: MobileNetV2 on mel images was its best model (its text gives no accuracy; its repository says about 40 %); chance is \(String(format: "%.1f", 100 / Double(classes.count))) %.")
        let clips = DataSplits.Name.allCases.reduce(0) { $0 + splits[$1].records }
        try StepCost.record(.transfer, in: workspace, items: clips, unit: "clips")
    }
}

lineBufferStandardOutput()
Step07Transfer.main()
