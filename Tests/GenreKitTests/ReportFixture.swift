import Foundation
@testable import GenreKit
import Plot
import _TestSupport

/// A workspace with synthetic artifacts for the report: steps 00 to 04 as small records,
/// step 05's results.json with the four classical models and one extra, step 07's musicnn
/// folder with a history, and no step 06 at all.
struct ReportFixture {
    let folder = TemporaryFolder("report")
    let workspace: Workspace
    static let classes = ["Folk", "Hip-Hop", "Old-Time / Historic"]

    init() throws {
        var config = GenreConfig.article
        config.cnn.crops = true
        config.transfer.bases = "musicnn,mobilenet_v2"
        workspace = Workspace(config: config, root: folder.url)
        let classes = Self.classes

        // Steps 00 and 01: the source record and 12 tracks, 4 per genre.
        try FileManager.default.createDirectory(at: workspace.folder(.data), withIntermediateDirectories: true)
        try DataSource(kind: .demo, root: workspace.demoFolder.path, subset: .small).save(in: workspace)
        let tracks = (0..<12).map { TrackEntry(id: 1000 + $0, genre: classes[$0 % 3], label: $0 % 3, split: "training",
                                               audioPath: "/x/\($0).mp3") }
        try TrackList.write(tracks, classes: classes, in: workspace)

        // Step 02: two clips it could not use.
        let wav = try workspace.createdFolder(.wav)
        let entries = tracks.map { track in
            switch track.id {
            case 1004: ManifestEntry(trackID: track.id, source: track.audioPath, status: .broken, seconds: 0,
                                     sourceSampleRate: 0, sourceChannels: 0, reason: "\(folder.url.path)/x/4.mp3 holds no audio")
            case 1007: ManifestEntry(trackID: track.id, source: track.audioPath, status: .short, seconds: 2.5,
                                     sourceSampleRate: 44100, sourceChannels: 2, reason: "2.50 s, under the 20.0 s minimum")
            default: ManifestEntry(trackID: track.id, source: track.audioPath, status: .ok, seconds: 30,
                                   sourceSampleRate: 44100, sourceChannels: 2, reason: "")
            }
        }
        try WavManifest.write(entries, to: WavManifest.url(in: wav, worker: 0, workers: 1))

        // Step 03: five shards of the ten usable tracks, and a spectrogram per genre but the last.
        let usable = tracks.filter { $0.id != 1004 && $0.id != 1007 }
        let shards = (0..<5).map { s in usable[(2 * s)..<(2 * s + 2)].map(\.id) }
        let records = RecordsManifest(
            classes: classes, sets: ["raw1d": (0..<5).map { .init(name: "songs0\($0)-2.tfrec", records: 2) }],
            shardTracks: shards, labels: Dictionary(uniqueKeysWithValues: usable.map { (String($0.id), $0.label) }),
            skipped: ["broken": 1, "short": 1], sampleRate: 44100, windowSize: 10000, imageShape: [224, 224, 3],
            shuffleSeed: 35155)
        try AtomicFile.writeJSON(records, to: RecordsManifest.url(in: workspace))
        let pictures = workspace.folder(.tfrecords).appendingPathComponent("spectrograms")
        try FileManager.default.createDirectory(at: pictures, withIntermediateDirectories: true)
        for genre in ["Folk", "Hip-Hop"] { try Self.picture(genre).write(to: pictures.appendingPathComponent("\(genre).png")) }

        // Step 04.
        let splits = try DataSplits.byShards(records, testFraction: 0.2, validationFraction: 0.2, seed: 42)
        try AtomicFile.writeJSON(splits, to: DataSplits.url(in: workspace))

        // Step 05: four models and one the catalog does not know; the SVM lists its own
        // confusion picture, naive Bayes one that is not on disk.
        let classical = try workspace.createdFolder(.classical)
        try FileManager.default.createDirectory(at: classical.appendingPathComponent("figures"), withIntermediateDirectories: true)
        try Self.picture("svm").write(to: classical.appendingPathComponent("figures/svm-confusion.png"))
        let models = [
            Self.model("logistic_regression", "Logistic regression", Self.predictions(correct: 12)),
            Self.model("knn", "k-nearest neighbours", Self.predictions(correct: 9)),
            Self.model("naive_bayes", "Gaussian naive Bayes", Self.predictions(correct: 14), figures: ["figures/gnb-confusion.png"]),
            Self.model("svm", "SVM (RBF kernel)", Self.predictions(correct: 15), figures: ["figures/svm-confusion.png"]),
            Self.model("random_forest", "Random forest", Self.predictions(correct: 11)),
        ]
        try StepResults(step: "05-classical", models: models, wallSeconds: 12.5, peakMemoryBytes: 300 << 20,
                        notes: ["train 12, validation 4, test 20"]).write(to: classical)

        // Step 07: musicnn with a history; no MobileNetV2.
        let musicnn = workspace.folder(.transfer).appendingPathComponent("musicnn")
        try FileManager.default.createDirectory(at: musicnn, withIntermediateDirectories: true)
        var history = TrainingHistory()
        for epoch in 0..<6 {
            let e = Double(epoch)
            history.append(loss: 2 - 0.2 * e, accuracy: 0.3 + 0.1 * e, validationLoss: 2.1 - 0.15 * e, validationAccuracy: 0.25 + 0.08 * e)
        }
        try AtomicFile.write(history.csv, to: musicnn.appendingPathComponent("history.csv"))
        try StepResults(step: "07-transfer", models: [
            Self.model("musicnn", "musicnn head", Self.predictions(correct: 17), history: "history.csv"),
        ], wallSeconds: 40, peakMemoryBytes: 500 << 20).write(to: musicnn)
    }

    /// Test truth for 20 clips over three classes, and predictions with `correct` of them right.
    static let truth = (0..<20).map { $0 % 3 }
    static func predictions(correct: Int) -> [Int] {
        truth.enumerated().map { index, label in index < correct ? label : (label + 1) % 3 }
    }

    static func model(_ id: String, _ title: String, _ predicted: [Int], figures: [String] = [],
                      history: String? = nil) -> ModelResult {
        ModelResult(id: id, title: title, input: "synthetic", classes: classes, truth: truth, predicted: predicted,
                    bootstrapSamples: 200, seed: 7, trainSeconds: 1, predictSeconds: 0.1, figures: figures, history: history)
    }

    /// A small picture to stand for a step's figure.
    static func picture(_ name: String) throws -> Figure {
        try GroupedBarChart(title: name, categories: ["a", "b"], groups: [.init(name: "", values: [1, 2])])
            .render(width: 400, height: 300)
    }
}
