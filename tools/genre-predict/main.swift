// genre-predict: name the genre of any song with the models the notebook trained.
//
// Loads every trained model it finds under the artifacts (step 05's classical models, step 06's
// raw-audio CNNs, step 07's heads on musicnn and on MobileNetV2's mel images; each family plugs
// in through GenreKit's `GenrePredictor`), decodes each file in any format the pipeline reads,
// cuts it into the windows the models were trained on (30 s, FMA's clip length, up to 12 spread
// over a long song; the raw-audio CNNs' and the article's mel image's short windows, up to 64)
// and averages over them, then prints the top three genres with their probabilities for each
// model and a one-line verdict. A model that cannot run is named on a "Not used" line with why.
//   run   swift run -c release genre-predict song.mp3 other.flac [--config config/default.toml]

import ArgumentParser
import AudioIO
import Foundation
import GenreKit
import Spectral

struct GenrePredict: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genre-predict",
        abstract: "Print the three most likely genres of audio files for each trained model, and a verdict.",
        discussion: """
            Models come from the artifacts of `make report` (or of the steps run by hand) under the \
            configuration's artifacts folder: step 05's classical models, step 06's raw-audio CNNs, \
            step 07's transfer heads on musicnn and on MobileNetV2 (the MobileNetV2 heads also need \
            the ImageNet checkpoint step 07 used, transfer.mobilenet_checkpoint). Models that cannot \
            run are listed as not used, with the reason. kNN, naive Bayes and the SVM give one label \
            per window, so their probabilities are the share of windows voting for each genre.
            """)

    @OptionGroup var options: ConfigOptions

    @Argument(help: "Audio files (MP3, WAV, FLAC, Ogg, AIFF, AU).")
    var files: [String]

    @Option(help: "Seconds per window for the classical models and the musicnn head (FMA's clips: 30); the raw-audio CNNs and the MobileNetV2 heads use the span they were trained on.")
    var windowSeconds: Double = 30

    @Option(help: "Genres shown per model.")
    var top: Int = 3

    func validate() throws {
        guard windowSeconds >= 1 else { throw ValidationError("--window-seconds must be at least 1.") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1.") }
    }

    func run() throws {
        let config = try options.load()
        let workspace = Workspace(config: config)

        // The models: each family that has saved models under the artifacts.
        let catalog = ModelCatalog.expected(for: config)
        let titles = Dictionary(uniqueKeysWithValues: catalog.map { ($0.id, $0.title) })
        var predictors: [any GenrePredictor] = []
        let classical = workspace.folder(.classical).appendingPathComponent("models")
        predictors += try ClassicalGenrePredictor.loadAll(
            in: classical, sampleRate: config.audio.sampleRate,
            variant: config.features.variant == "corrected" ? .corrected : .fma,
            windowSeconds: windowSeconds, titles: titles)
            .sorted { a, b in (catalog.firstIndex { $0.title == a.name } ?? .max) < (catalog.firstIndex { $0.title == b.name } ?? .max) }
        var absent: [String] = []
        if predictors.isEmpty { absent.append("classical models (none in \(classical.path); run step 05)") }
        // The raw-audio CNNs of step 06: TensorFlow checkpoints named after each model.
        // Label order, from step 01 (read only when a network is there to use it).
        func classes() throws -> [String] { try TrackList.read(in: workspace).classes }
        for id in ["raw_cnn", "raw_cnn_crops"] {
            let prefix = workspace.folder(.rawCNN).appendingPathComponent("weights/\(id)").path
            guard FileManager.default.fileExists(atPath: prefix + ".index") else { continue }
            predictors.append(try RawCNNGenrePredictor(
                checkpoint: prefix, name: titles[id] ?? id, classes: classes(),
                sampleRate: config.audio.sampleRate, window: config.tfrecords.windowSize))
        }
        // The transfer heads of step 07: on musicnn's embeddings of the audio, and on
        // MobileNetV2's embeddings of the mel images (the article's and the whole-clip one).
        let musicnnHead = workspace.folder(.transfer).appendingPathComponent("musicnn/head").path
        if FileManager.default.fileExists(atPath: musicnnHead + ".index") {
            predictors.append(try MusicnnHeadPredictor(
                head: musicnnHead, base: config.transfer.musicnnCheckpoint, name: titles["musicnn"] ?? "musicnn",
                classes: classes(), windowSeconds: windowSeconds))
        }
        let mobileNet = try MobileNetHeadPredictor.loadAll(in: workspace, classes: classes)
        predictors += mobileNet.predictors
        absent += mobileNet.unused
        guard !predictors.isEmpty else {
            let reasons = absent.isEmpty ? "" : " Not used: \(absent.joined(separator: "; "))."
            throw ValidationError("No trained model under \(workspace.artifacts.path) can run: run `make report` first.\(reasons)")
        }
        print("Models: \(predictors.map(\.name).joined(separator: ", ")).")
        if !absent.isEmpty { print("Not used: \(absent.joined(separator: "; ")).") }

        let nameWidth = predictors.map(\.name.count).max()!
        let decoder = try AudioDecoder()
        var failed = 0
        for file in files {
            do {
                let song = try SongAnalysis(contentsOf: URL(fileURLWithPath: file), decoder: decoder)
                print("\n\(file) (\(String(format: "%.1f", song.seconds)) s)")
                var predictions: [SongPrediction] = []
                for predictor in predictors {
                    let prediction = try predictor.predict(song)
                    predictions.append(prediction)
                    let ranked = prediction.top(top).map { String(format: "%@ %.2f", $0.genre, $0.probability) }
                    let basis = prediction.calibrated ? "" : " (share of \(prediction.windows) window\(prediction.windows == 1 ? "" : "s"))"
                    print("  \(predictor.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)) \(ranked.joined(separator: ", "))\(basis)")
                }
                print("  Verdict: \(GenreVerdict.line(predictions))")
            } catch {
                failed += 1
                FileHandle.standardError.write(Data("genre-predict: \(file): \(error)\n".utf8))
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

lineBufferStandardOutput()
GenrePredict.main()
