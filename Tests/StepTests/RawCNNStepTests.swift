import Foundation
import GenreKit
import _TestSupport
import Testing

/// step06-raw-cnn, run as a user runs it, on the CI demo that steps 00-04 prepared
/// (`config/ci.toml`: 2 epochs, random crops on).
@Suite struct RawCNNStepTests {
    @Test func trainsBothModelsAndWritesTheirArtifacts() throws {
        let folder = try PreparedWorkspace.copy("raw-cnn")
        let workspace = try PreparedWorkspace.workspace(in: folder)
        let run = try PipelineTests.run("step06-raw-cnn", in: folder.url)
        #expect(run.status == 0, "\(run.output)")
        // The summary is Keras's: the article's model has 16,014,640 parameters for 8 classes.
        #expect(run.output.contains("Total params: 16,014,640"), "\(run.output)")
        #expect(run.output.contains("identical logits"), "\(run.output)")

        let output = workspace.folder(.rawCNN)
        let results = try StepResults.read(from: output.appendingPathComponent("results.json"))
        #expect(results.models.map(\.id) == ["raw_cnn", "raw_cnn_crops"])
        for model in results.models {
            // A handful of test clips and 2 epochs: sanity, not skill.
            #expect(model.testCount > 0 && (0...1).contains(model.testAccuracy), "\(model.id)")
            #expect(model.confusion.joined().reduce(0, +) == model.testCount)
            for figure in model.figures {
                #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(figure).path), "\(figure)")
            }
            let history = try TrainingHistory(csvAt: output.appendingPathComponent(try #require(model.history)))
            #expect(history.epochs == 2)
            #expect(history.loss.allSatisfy(\.isFinite) && history.validationLoss.allSatisfy(\.isFinite))
        }
        for model in ["raw_cnn", "raw_cnn_crops"] {
            for suffix in ["index", "data-00000-of-00001"] {
                #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("weights/\(model).\(suffix)").path))
            }
        }
    }

    /// The same seed gives the same history, bit for bit.
    @Test func secondRunRepeatsTheFirst() throws {
        let folder = try PreparedWorkspace.copy("raw-cnn-repeat")
        let workspace = try PreparedWorkspace.workspace(in: folder)
        let history = workspace.folder(.rawCNN).appendingPathComponent("history.csv")
        var texts: [String] = []
        for _ in 0..<2 {
            let run = try PipelineTests.run("step06-raw-cnn", ["--set", "cnn.crops=false"], in: folder.url)
            #expect(run.status == 0, "\(run.output)")
            texts.append(try String(contentsOf: history, encoding: .utf8))
        }
        #expect(texts[0] == texts[1])
    }

    /// A window read from a WAV at sample 0 is the raw1d record of the same clip: the crops
    /// variant and the article's records see the same numbers.
    @Test func firstWindowOfEachWavIsItsRecord() throws {
        let folder = try PreparedWorkspace.copy("raw-cnn-windows")
        let workspace = try PreparedWorkspace.workspace(in: folder)
        let splits = try DataSplits.load(from: workspace)
        let records = try RecordBatches.load(.test, splits: splits, workspace: workspace, shuffle: false)
        let window = records.windowSize
        let clips = try ClipWindows(wavFolder: workspace.folder(.wav), trackIDs: records.trackIDs, labels: records.labels,
                                    windowSize: window, classCount: records.classCount, randomPositions: false)
        #expect(records.exampleCount > 0)
        for index in 0..<records.exampleCount {
            let fromWav = try clips.samples(clip: index, start: 0, count: window)
            #expect(fromWav == Array(records.samples[(index * window)..<((index + 1) * window)]), "track \(records.trackIDs[index])")
        }
    }
}
