// genre-predict: name the genre of any song with the models the notebook trained.
//
// Loads every trained model it finds under the artifacts (step 05's classical models, step 06's
// raw-audio CNNs, step 07's musicnn head; each family plugs in through GenreKit's
// `GenrePredictor`), decodes each file in any
// format the pipeline reads, cuts it into the windows the models were trained on (30 s, FMA's
// clip length, up to 12 spread over a long song) and averages over them, then prints the top
// three genres with their probabilities for each model and a one-line verdict.
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
            configuration's artifacts folder. kNN, naive Bayes and the SVM give one label per window, \
            so their probabilities are the share of windows voting for each genre.
            """)

    @OptionGroup var options: ConfigOptions

    @Argument(help: "Audio files (MP3, WAV, FLAC, Ogg, AIFF, AU).")
    var files: [String]

    @Option(help: "Seconds per window for the feature-based models (FMA's clips: 30).")
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
        // The transfer heads of step 07 on musicnn (MobileNetV2's heads need the mel image of
        // each window; not wired here yet).
        let musicnnHead = workspace.folder(.transfer).appendingPathComponent("musicnn/head").path
        if FileManager.default.fileExists(atPath: musicnnHead + ".index") {
            predictors.append(try MusicnnHeadPredictor(
                head: musicnnHead, base: config.transfer.musicnnCheckpoint, name: titles["musicnn"] ?? "musicnn",
                classes: classes(), windowSeconds: windowSeconds))
        }
        if FileManager.default.fileExists(atPath: workspace.folder(.transfer).appendingPathComponent("mobilenet_v2").path) {
            absent.append("the MobileNetV2 heads (no predictor for mel-image heads yet)")
        }
        guard !predictors.isEmpty else {
            throw ValidationError("No trained model under \(workspace.artifacts.path): run `make report` first.")
        }
        print("Models: \(predictors.map(\.name).joined(separator: ", ")).")
        if !absent.isEmpty { print("Not used: \(absent.joined(separator: "; ")).") }

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
                    print("  \(predictor.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(ranked.joined(separator: ", "))\(basis)")
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
