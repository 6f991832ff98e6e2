import Foundation
import GenreKit
import Plot
import TFRecord
import _TestSupport
import Testing

/// step05-classical, run as a user runs it: on feature records written here (8 genres whose
/// feature means differ, with noise, so that no model is perfect), and on the demo that steps
/// 00-04 prepared.
@Suite struct ClassicalStepTests {
    static let featureCount = 518
    static let classes = ["Electronic", "Experimental", "Folk", "Hip-Hop", "Instrumental", "International", "Pop", "Rock"]

    /// A workspace with records.json, splits.json and `features` shards: `perClass` tracks per
    /// genre in `shards` shards, split by shard file as step 04 does. `poison` puts a value
    /// into one track's feature.
    static func syntheticWorkspace(perClass: Int = 40, shards: Int = 10, withFeatures: Bool = true,
                                   poison: (trackID: Int, feature: Int, value: Float)? = nil) throws -> (TemporaryFolder, Workspace) {
        let folder = TemporaryFolder("classical")
        let workspace = Workspace(config: try ConfigLoader.load(file: PipelineTests.ciConfig), root: folder.url)
        var generator = SeededGenerator(seed: 5)
        // Music's features are correlated: here each track is a point in a 10-dimensional
        // space (its genre's centre plus spread), seen through one fixed random projection
        // onto the 518 features, plus independent noise.
        let latent = 10
        let centres = classes.indices.map { _ in (0..<latent).map { _ in Float(generator.uniform(-1...1)) } }
        let projection = (0..<latent).map { _ in (0..<featureCount).map { _ in Float(generator.uniform(-1...1)) } }
        var tracks: [(id: Int, label: Int)] = []
        for label in classes.indices { for n in 0..<perClass { tracks.append((1000 + label * perClass + n, label)) } }
        tracks.shuffle(using: &generator)
        let perShard = (tracks.count + shards - 1) / shards
        let shardTracks = stride(from: 0, to: tracks.count, by: perShard).map { Array(tracks[$0..<min($0 + perShard, tracks.count)]) }
        let files = shardTracks.enumerated().map { RecordsManifest.ShardFile(name: String(format: "songs%02d-%d.tfrec", $0.offset, $0.element.count), records: $0.element.count) }
        let records = RecordsManifest(
            classes: classes, sets: withFeatures ? ["features": files] : [:], shardTracks: shardTracks.map { $0.map(\.id) },
            labels: Dictionary(uniqueKeysWithValues: tracks.map { (String($0.id), $0.label) }), skipped: [:],
            sampleRate: 22050, windowSize: 10000, imageShape: [224, 224, 3], shuffleSeed: 35155)
        try FileManager.default.createDirectory(at: workspace.folder(.tfrecords), withIntermediateDirectories: true)
        try AtomicFile.writeJSON(records, to: RecordsManifest.url(in: workspace))
        let splits = try DataSplits.byShards(records, testFraction: 0.2, validationFraction: 0.2, seed: 42)
        try FileManager.default.createDirectory(at: workspace.folder(.splits), withIntermediateDirectories: true)
        try AtomicFile.writeJSON(splits, to: DataSplits.url(in: workspace))
        guard withFeatures else { return (folder, workspace) }
        let shardFolder = RecordsManifest.folder(of: .features, in: workspace)
        try FileManager.default.createDirectory(at: shardFolder, withIntermediateDirectories: true)
        for (file, members) in zip(files, shardTracks) {
            let writer = try TFRecordWriter(path: shardFolder.appendingPathComponent(file.name).path)
            for track in members {
                let point = centres[track.label].map { $0 + 1.2 * Float(generator.uniform(-1...1)) }
                // Features on wildly different scales, as the real ones (Hz beside 0...1).
                var values = (0..<featureCount).map { j -> Float in
                    var value = Float(generator.uniform(-1...1))
                    for d in 0..<latent { value += point[d] * projection[d][j] }
                    return value * Float(1 + j % 5 * 100)
                }
                if let poison, poison.trackID == track.id { values[poison.feature] = poison.value }
                var oneHot = [Float](repeating: 0, count: classes.count)
                oneHot[track.label] = 1
                try writer.write(Example(features: [
                    RecordKey.features: .float(values), RecordKey.label: .int64([Int64(track.label)]),
                    RecordKey.oneHot: .float(oneHot), RecordKey.trackID: .int64([Int64(track.id)]),
                ]))
            }
            try writer.close()
        }
        return (folder, workspace)
    }

    @Test func everyModelBeatsChanceButIsNotPerfect() throws {
        let (folder, workspace) = try Self.syntheticWorkspace()
        let run = try PipelineTests.run("step05-classical", in: folder.url)
        #expect(run.status == 0, "\(run.output)")
        let output = workspace.folder(.classical)
        let results = try StepResults.read(from: output.appendingPathComponent("results.json"))
        #expect(results.models.map(\.id) == ["logistic_regression", "knn", "naive_bayes", "svm"])
        let splits = try DataSplits.load(from: workspace)
        for model in results.models {
            // Chance is 12.5 %; the genres' centres overlap, so that scikit-learn's models score
            // 60-85 % on data made this way.
            #expect(model.testAccuracy > 0.3 && model.testAccuracy < 1, "\(model.id): \(model.testAccuracy)")
            #expect(model.testCount == splits[.test].records)
            #expect(model.accuracyInterval[0] <= model.testAccuracy && model.testAccuracy <= model.accuracyInterval[1])
            #expect(model.classes == Self.classes && !model.parameters.isEmpty)
            for path in model.figures {
                let figure = try Figure(contentsOf: output.appendingPathComponent(path))
                #expect(figure.width > 300 && figure.height > 300, "\(path)")
            }
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("models/\(model.id).json").path))
        }
        #expect(results.models.first { $0.id == "knn" }?.parameters["k"] != nil)
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("models/svm.model").path))
        // The grid tables, with the article's choices among the candidates.
        #expect(run.output.contains("1.29e-10") && run.output.contains("<- chosen"), "\(run.output)")
        #expect(run.output.contains("Test scores"))
    }

    @Test func nonFiniteFeatureIsReportedWithTrackAndName() throws {
        let (folder, workspace) = try Self.syntheticWorkspace(perClass: 10, poison: (1013, 17, .nan))
        let run = try PipelineTests.run("step05-classical", in: folder.url)
        #expect(run.status != 0)
        #expect(run.output.contains("Track 1013") && run.output.contains("feature 17 (chroma_cens/"), "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: workspace.folder(.classical).appendingPathComponent("results.json").path))
    }

    @Test func missingFeatureRecordsSayWhichStepToRun() throws {
        let (folder, _) = try Self.syntheticWorkspace(withFeatures: false)
        let run = try PipelineTests.run("step05-classical", in: folder.url)
        #expect(run.status != 0)
        #expect(run.output.contains("Run step 03") && run.output.contains("features"), "\(run.output)")
    }

    @Test func fmaCSVWithoutTheFileIsExplained() throws {
        let (folder, workspace) = try Self.syntheticWorkspace(perClass: 10)
        try DataSource(kind: .demo, root: folder.url.appendingPathComponent("data/ci/demo").path, subset: .small).save(in: workspace)
        let run = try PipelineTests.run("step05-classical", ["--features", "fma-csv"], in: folder.url)
        #expect(run.status != 0)
        #expect(run.output.contains("fma_metadata/features.csv"), "\(run.output)")
    }

    @Test func runsOnTheDemo() throws {
        let folder = try PreparedWorkspace.copy("classical-demo")
        let workspace = try PreparedWorkspace.workspace(in: folder)
        let run = try PipelineTests.run("step05-classical", in: folder.url)
        #expect(run.status == 0, "\(run.output)")
        let results = try StepResults.read(from: workspace.folder(.classical).appendingPathComponent("results.json"))
        #expect(results.models.count == 4)
        for model in results.models {
            // The CI demo holds a handful of test tracks: only sanity, not skill, can be asked.
            #expect(model.testCount > 0 && (0...1).contains(model.testAccuracy), "\(model.id)")
        }
    }
}
