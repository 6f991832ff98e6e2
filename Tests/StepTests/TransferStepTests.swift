import Foundation
import GenreKit
import _TestSupport
import Testing

/// Step 07 on the prepared CI workspace: musicnn's head is trained and scored, MobileNetV2
/// (whose weights are not on the machine) is reported missing without failing the step, and a
/// second run reuses every cached embedding.
@Suite struct TransferStepTests {
    /// The musicnn checkpoint `make setup` unpacks: the test needs it and says so rather than skipping.
    static let musicnn = PipelineTests.packageRoot.appendingPathComponent("models/musicnn/MSD_musicnn")

    @Test func step07TrainsTheMusicnnHeadAndReportsMobileNetMissing() throws {
        let index = Self.musicnn.appendingPathComponent(".index")
        try #require(FileManager.default.fileExists(atPath: index.path),
                     "\(index.path) is missing: run `make setup`, which unpacks musicnn's MSD checkpoint there")
        let folder = try PreparedWorkspace.copy("transfer")
        let arguments = ["--set", "transfer.musicnn_checkpoint=\(Self.musicnn.path)/"]
        let run = try PipelineTests.run("step07-transfer", arguments, in: folder.url)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("mobilenet_v2: MISSING"), "\(run.output)")

        let workspace = try PreparedWorkspace.workspace(in: folder)
        let splits = try DataSplits.load(from: workspace)
        let base = workspace.folder(.transfer).appendingPathComponent("musicnn")
        let results = try StepResults.read(from: base.appendingPathComponent("results.json"))
        let model = try #require(results.models.first)
        #expect(results.models.count == 1 && model.id == "musicnn")
        #expect(model.classes == splits.classes)
        #expect(model.testCount == splits[.test].records)
        #expect(model.confusion.flatMap { $0 }.reduce(0, +) == splits[.test].records)
        #expect((0...1).contains(model.testAccuracy))
        #expect(model.accuracyInterval[0] <= model.testAccuracy && model.testAccuracy <= model.accuracyInterval[1])
        #expect(results.notes.contains { $0.hasPrefix("mobilenet_v2: not run") }, "\(results.notes)")
        #expect(!FileManager.default.fileExists(atPath: workspace.folder(.transfer).appendingPathComponent("mobilenet_v2").path))

        let history = try TrainingHistory(csvAt: base.appendingPathComponent(try #require(model.history)))
        let config = try ConfigLoader.load(file: PipelineTests.ciConfig)
        #expect((1...config.transfer.epochs).contains(history.epochs))
        #expect(history.validationLoss.allSatisfy { $0.isFinite })
        for figure in model.figures {
            let data = try Data(contentsOf: base.appendingPathComponent(figure))
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(figure) is not a PNG")
        }
        #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("head.index").path))
        #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("head.data-00000-of-00001").path))

        // Every clip's embedding comes from the cache the second time, and training, seeded,
        // gives the same head and the same test score.
        let again = try PipelineTests.run("step07-transfer", arguments, in: folder.url)
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("musicnn: 0 clips embedded, \(splits.splits.values.reduce(0) { $0 + $1.records }) from the cache"),
                "\(again.output)")
        let second = try StepResults.read(from: base.appendingPathComponent("results.json"))
        #expect(second.models.first?.confusion == model.confusion)
    }
}
