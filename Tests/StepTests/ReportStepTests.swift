import AudioIO
import Foundation
import GenreKit
import Plot
import Testing
import _TestSupport

/// Step 08 on a workspace where steps 00-04 ran (with a stand-in results.json for step 05 when
/// no model step has run), and the whole notebook through the Makefile's own rules.
@Suite struct ReportStepTests {
    /// Relative link targets of a Markdown file, found with a pattern of this test's own.
    static func links(in markdown: String) throws -> [String] {
        let expression = try NSRegularExpression(pattern: #"\]\(([^)\s]+)\)"#)
        return expression.matches(in: markdown, range: NSRange(markdown.startIndex..., in: markdown)).map {
            String(markdown[Range($0.range(at: 1), in: markdown)!])
        }
    }

    /// Checks that every link of `index.md` resolves inside the report folder, that every PNG
    /// decodes, and that every model the configuration promises has a row. Returns the text.
    @discardableResult
    static func checkReport(in folder: URL, workspace: Workspace) throws -> String {
        let index = workspace.report.appendingPathComponent("index.md")
        let markdown = try String(contentsOf: index, encoding: .utf8)
        let targets = try links(in: markdown)
        #expect(targets.contains { $0.hasPrefix("figures/03-spectrogram-") })
        for target in targets {
            #expect(!target.hasPrefix("/") && !target.contains(".."), "\(target) is not inside the report")
            let url = workspace.report.appendingPathComponent(target)
            #expect(FileManager.default.fileExists(atPath: url.path), "index.md links to a missing \(target)")
            if target.hasSuffix(".png") { _ = try Figure(contentsOf: url) }
        }
        let pictures = try FileManager.default.contentsOfDirectory(atPath: workspace.report.appendingPathComponent("figures").path)
        for name in pictures { _ = try Figure(contentsOf: workspace.report.appendingPathComponent("figures/\(name)")) }
        for model in ModelCatalog.expected(for: workspace.config) {
            #expect(markdown.contains("\n| \(model.title) |"), "no row for \(model.title)")
        }
        for section in 1...6 { #expect(markdown.contains("\n## \(section). "), "section \(section) is missing") }
        return markdown
    }

    /// A results.json for step 05 from the real test split, standing in for the step.
    static func standInClassicalResults(in workspace: Workspace) throws {
        let splits = try DataSplits.load(from: workspace)
        let records = try RecordsManifest.load(from: workspace)
        let truth = splits[.test].trackIDs.map { records.labels[String($0)]! }
        let expected = ModelCatalog.expected(for: workspace.config).filter { $0.step == .classical }
        let models = expected.enumerated().map { index, model in
            // Every (index + 2)-th prediction wrong: different, imperfect models.
            let predicted = truth.enumerated().map { n, label in n % (index + 2) == 0 ? (label + 1) % splits.classes.count : label }
            return ModelResult(id: model.id, title: model.title, input: "stand-in", classes: splits.classes, truth: truth,
                               predicted: predicted, bootstrapSamples: 100, seed: 1, trainSeconds: 0, predictSeconds: 0)
        }
        let folder = try workspace.createdFolder(.classical)
        try StepResults(step: "05-classical", models: models, wallSeconds: 1).write(to: folder)
    }

    @Test func reportOfStepsZeroToFourAndAStandInModel() throws {
        let folder = try PreparedWorkspace.copy("report-step")
        let workspace = try PreparedWorkspace.workspace(in: folder)
        let hadResults = FileManager.default.fileExists(atPath: workspace.folder(.classical).appendingPathComponent("results.json").path)
        if !hadResults { try Self.standInClassicalResults(in: workspace) }
        let run = try PipelineTests.run("step08-report", in: folder.url)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("7. Wrote "), "\(run.output)")
        let markdown = try Self.checkReport(in: folder.url, workspace: workspace)
        // Steps 00-04 recorded what they cost.
        for step in ["00-data", "01-metadata", "02-wav", "03-tfrecords", "04-splits"] {
            #expect(markdown.contains("\n| \(step) | ") && !markdown.contains("\n| \(step) | — |"), "no cost for \(step)")
        }
        // The demo's six faulty clips, with their reasons.
        for id in [99134, 108925, 133297, 98565, 98567, 98569] {
            #expect(markdown.contains(String(format: "| %06d |", id)), "clip \(id) is not listed as skipped")
        }
        if !hadResults {
            // The model steps that did not run are listed with their command.
            #expect(markdown.contains("`swift run -c release step06-raw-cnn --config "))
            #expect(run.output.contains("Not run yet: 06-raw-cnn, 07-transfer"), "\(run.output)")
        }
    }

    @Test func brokenResultsStopTheStepNamingTheFile() throws {
        let folder = try PreparedWorkspace.copy("report-broken")
        let workspace = try PreparedWorkspace.workspace(in: folder)
        let url = try workspace.createdFolder(.rawCNN).appendingPathComponent("results.json")
        try Data("{\"models\": 3}".utf8).write(to: url)
        let run = try PipelineTests.run("step08-report", in: folder.url)
        #expect(run.status != 0)
        #expect(run.output.contains("06-raw-cnn/results.json"), "\(run.output)")
    }

    /// `make steps` runs the Makefile's own rules with this test's binaries (`BIN`), in a
    /// scratch folder, on config/ci.toml: the whole notebook, 00 to 08, as `make report` runs
    /// it after its release build. A second run does nothing; a step whose stamp is gone runs
    /// again, with the report after it, and nothing else. (Not `make report` itself: that would
    /// start a release build of the whole package from inside the test run, on the same tree.)
    @Test func makeRunsTheNotebookAndOnlyRedoesWhatChanged() throws {
        // No models/ folder here: step 07 finds no pretrained base network and says so (its own
        // tests run musicnn); the report lists the transfer rows as missing.
        let scratch = TemporaryFolder("make-report")
        let first = try Self.make(in: scratch.url)
        #expect(first.status == 0, "\(first.output)")
        let order = ["00-data", "01-metadata", "02-wav", "03-tfrecords", "04-splits", "05-classical", "06-raw-cnn",
                     "07-transfer", "08-report"].map { "== step\($0)" }
        let positions = order.map { first.output.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(first.output)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "steps out of order:\n\(first.output)")
        let workspace = Workspace(config: try ConfigLoader.load(file: PipelineTests.ciConfig), root: scratch.url)
        try Self.checkReport(in: scratch.url, workspace: workspace)

        let second = try Self.make(in: scratch.url)
        #expect(second.status == 0 && !second.output.contains("== step"), "a second run did work:\n\(second.output)")

        // Step 05 made again (its stamp gone): it runs, then the report, and nothing else.
        try FileManager.default.removeItem(at: workspace.artifacts.appendingPathComponent(".make/05-classical"))
        let third = try Self.make(in: scratch.url)
        #expect(third.status == 0, "\(third.output)")
        #expect(order.filter { third.output.contains($0) } == ["== step05-classical", "== step08-report"], "\(third.output)")
    }

    /// The loop closed: step 05's saved models name the genre of a demo clip and of a long
    /// song (the clip ten times over, cut into ten windows), for each model, with a verdict.
    @Test func genrePredictNamesTheGenreOfAClipAndALongSong() throws {
        let folder = try PreparedWorkspace.copy("predict")
        let workspace = try PreparedWorkspace.workspace(in: folder)
        let step05 = try PipelineTests.run("step05-classical", in: folder.url)
        try #require(step05.status == 0, "\(step05.output)")
        let (tracks, _) = try TrackList.read(in: workspace)
        let manifest = try WavManifest.readAll(in: workspace.folder(.wav))
        let clip = try #require(tracks.first { manifest[$0.id]?.status == .ok })
        let wav = try SoundFile.read(contentsOf: WavManifest.wavURL(in: workspace.folder(.wav), trackID: clip.id))
        let long = folder.url.appendingPathComponent("long.wav")
        try SoundFile.writeWAV(Audio(mono: Array(repeating: wav.channels[0], count: 10).flatMap { $0 }, sampleRate: wav.sampleRate), to: long)

        let seconds = String(workspace.config.data.demoClipSeconds - 0.5)
        let run = try PipelineTests.run("genre-predict", [clip.audioPath, long.path, "--window-seconds", seconds], in: folder.url)
        #expect(run.status == 0, "\(run.output)")
        let verdicts = run.output.split(separator: "\n").filter { $0.contains("Verdict: ") }
        #expect(verdicts.count == 2, "\(run.output)")
        let classes = try DataSplits.load(from: workspace).classes
        #expect(verdicts.allSatisfy { line in classes.contains { line.contains("Verdict: \($0) (") } }, "\(run.output)")
        for title in ["Logistic regression", "k-nearest neighbours", "Gaussian naive Bayes", "SVM (RBF kernel)"] {
            let lines = run.output.split(separator: "\n").filter { $0.hasPrefix("  \(title)") }
            #expect(lines.count == 2, "\(title):\n\(run.output)")
            // Three genres with a probability each.
            #expect(lines.allSatisfy { $0.split(separator: ",").count == 3 }, "\(lines)")
        }
        #expect(run.output.contains("(share of 10 windows)"), "\(run.output)")

        // With no model at all it says what to run.
        let empty = TemporaryFolder("predict-empty")
        let none = try PipelineTests.run("genre-predict", [clip.audioPath], in: empty.url)
        #expect(none.status != 0 && none.output.contains("make report"), "\(none.output)")
    }

    /// `make -f <package>/Makefile steps BIN=<test binaries> CONFIG=<package>/config/ci.toml` in `directory`.
    static func make(in directory: URL) throws -> PipelineTests.Run {
        var environment = ProcessInfo.processInfo.environment
        for name in ["FMA_DIR", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "CONFIG", "BIN"] { environment[name] = nil }
        return try PipelineTests.launch(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["make", "--no-print-directory", "-f", PipelineTests.packageRoot.appendingPathComponent("Makefile").path,
             "steps", "BIN=\(PipelineTests.binaries.path)", "CONFIG=\(PipelineTests.ciConfig)"],
            in: directory, environment: environment)
    }
}
