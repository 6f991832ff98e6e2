import Foundation
@testable import GenreKit
import Plot
import Testing
import _TestSupport

/// The report assembled from synthetic artifacts: missing steps listed with their command,
/// a row for every model, links that resolve to PNGs that decode, numbers formatted one way.
@Suite struct ReportTests {
    static let environment = RunEnvironment(swift: "Swift version 6.3", libraries: [("cairo", "1.16.0")], packages: [],
                                            commit: nil, uncommittedChanges: false, system: "Linux", cores: 2)

    func build(_ fixture: ReportFixture) throws -> String {
        let index = try ReportBuilder.build(workspace: fixture.workspace, configFile: "config/ci.toml",
                                            environment: Self.environment)
        return try String(contentsOf: index, encoding: .utf8)
    }

    /// Markdown link targets, found independently of `ReportLinks`: `](...)` up to the next `)`.
    func linkTargets(_ markdown: String) throws -> [String] {
        let expression = try NSRegularExpression(pattern: #"\]\(([^)\s]+)\)"#)
        let range = NSRange(markdown.startIndex..., in: markdown)
        return expression.matches(in: markdown, range: range).map { String(markdown[Range($0.range(at: 1), in: markdown)!]) }
    }

    /// The results table's line for a model.
    func row(_ title: String, in markdown: String) -> String? {
        markdown.split(separator: "\n").first { $0.hasPrefix("| \(title) |") }.map(String.init)
    }

    @Test func missingStepIsListedWithTheCommandThatRunsIt() throws {
        let markdown = try build(ReportFixture())
        #expect(markdown.contains("- `06-raw-cnn`: `swift run -c release step06-raw-cnn --config config/ci.toml`"))
        #expect(markdown.contains("`make report CONFIG=config/ci.toml`"))
        let raw = try #require(row("Raw-audio CNN (first window)", in: markdown))
        #expect(raw.contains("**missing:**") && raw.contains("step06-raw-cnn"), "\(raw)")
        let mobilenet = try #require(row("Transfer learning: MobileNetV2 (ImageNet)", in: markdown))
        #expect(mobilenet.contains("no pretrained weights at"), "\(mobilenet)")
        // The step that ran is not called missing.
        #expect(!markdown.contains("- `05-classical`:"))
    }

    @Test func everyModelHasARow() throws {
        let fixture = try ReportFixture()
        let markdown = try build(fixture)
        for model in ModelCatalog.expected(for: fixture.workspace.config) {
            #expect(row(model.title, in: markdown) != nil, "no row for \(model.title)")
        }
        // A model the catalog does not know is shown too, not dropped.
        #expect(row("Random forest", in: markdown) != nil)
        #expect(ModelCatalog.expected(for: fixture.workspace.config).count == 8)
    }

    @Test func everyLinkResolvesToAPictureThatDecodes() throws {
        let fixture = try ReportFixture()
        let markdown = try build(fixture)
        let targets = try linkTargets(markdown)
        #expect(targets.count >= 10, "\(targets)")
        for target in targets {
            #expect(!target.hasPrefix("/") && target.hasPrefix("figures/"), "\(target) is not relative")
            let url = fixture.workspace.report.appendingPathComponent(target)
            #expect(FileManager.default.fileExists(atPath: url.path), "\(target)")
            if target.hasSuffix(".png") {
                let figure = try Figure(contentsOf: url)
                #expect(figure.width >= 300 && figure.height >= 200)
            }
        }
        // Every picture in figures/ is linked: none is stale or orphaned.
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.workspace.report.appendingPathComponent("figures").path)
        #expect(Set(files.map { "figures/\($0)" }) == Set(targets))
        // The step's own confusion picture was copied under the step's number; naive Bayes's,
        // listed but absent, is named as absent, and a confusion matrix is drawn for it instead.
        #expect(targets.contains("figures/05-figures-svm-confusion.png"))
        #expect(markdown.contains("`figures/gnb-confusion.png`"))
        #expect(targets.contains("figures/05-naive_bayes-confusion.png"))
        // musicnn's curves were drawn from its history, the Folk spectrogram copied.
        #expect(targets.contains("figures/07-musicnn-loss.png") && targets.contains("figures/07-musicnn-accuracy.png"))
        #expect(targets.contains("figures/03-spectrogram-Folk.png"))
    }

    @Test func resultNumbersAreFormattedOneWay() throws {
        let markdown = try build(ReportFixture())
        let svm = try #require(row("SVM (RBF kernel)", in: markdown))
        // 15 of 20 right: 75.0 %; macro-F1 from the confusion [[7,0,0]... ] computed by hand below.
        #expect(svm.contains("| 75.0 % |"), "\(svm)")
        #expect(svm.contains("| 20 |"))
        let cells = svm.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        // model, step, input, count, accuracy, interval, F1, interval, article
        #expect(cells[5].range(of: #"^\[\d+\.\d, \d+\.\d\] %$"#, options: .regularExpression) != nil, "\(cells[5])")
        #expect(cells[6].range(of: #"^0\.\d{3}$"#, options: .regularExpression) != nil, "\(cells[6])")
        #expect(cells[7].range(of: #"^\[0\.\d{3}, (0\.\d{3}|1\.000)\]$"#, options: .regularExpression) != nil, "\(cells[7])")
        // Macro-F1 by hand: truth cycles 0,1,2 over 20 clips; the first 15 are right, the last
        // five (labels 0,1,2,0,1 at indices 15..19) are predicted as the next class.
        var tp = [0, 0, 0], fp = [0, 0, 0], fn = [0, 0, 0]
        for (index, label) in ReportFixture.truth.enumerated() {
            if index < 15 { tp[label] += 1 } else { fn[label] += 1; fp[(label + 1) % 3] += 1 }
        }
        var f1 = 0.0
        for label in 0..<3 {
            let denominator = Double(2 * tp[label] + fp[label] + fn[label])
            f1 += 2 * Double(tp[label]) / denominator / 3
        }
        #expect(cells[6] == String(format: "%.3f", f1))
        // The article's finding sits beside it.
        #expect(cells[8].hasPrefix(ArticleFinding.close) && cells[8].contains("47.75 %"), "\(cells[8])")
    }

    @Test func skippedClipsAndSplitsAreTabled() throws {
        let fixture = try ReportFixture()
        let markdown = try build(fixture)
        #expect(markdown.contains("| 001004 | Hip-Hop | broken | — | x/4.mp3 holds no audio |"), "paths relative to the root")
        #expect(markdown.contains("| 001007 | Hip-Hop | short | 2.50 s | 2.50 s, under the 20.0 s minimum |"))
        let splits = try DataSplits.load(from: fixture.workspace)
        let all = DataSplits.Name.allCases.map { splits[$0].records }
        #expect(markdown.contains("| **all** | 12 |"))
        #expect(all.reduce(0, +) == 10)
        #expect(markdown.contains("Left out of the TFRecord files by step 03: 1 broken, 1 short."))
        // A genre without a picture says so rather than linking nothing.
        #expect(markdown.contains("| Old-Time / Historic | missing |"))
    }

    @Test func undecodableResultsNameTheFile() throws {
        let fixture = try ReportFixture()
        let url = fixture.workspace.folder(.rawCNN).appendingPathComponent("results.json")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{\"step\": \"06-raw-cnn\", \"models\": [".utf8).write(to: url)
        do {
            _ = try build(fixture)
            Issue.record("a broken results.json was accepted")
        } catch let error as ReportError {
            guard case let .undecodable(path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == url.path)
            #expect(error.description.contains("06-raw-cnn/results.json"))
        }
    }

    @Test func costsComeFromCostRecordsAndResults() throws {
        let fixture = try ReportFixture()
        try AtomicFile.writeJSON(StepCost(step: "02-wav", wallSeconds: 125, cpuSeconds: 240, peakMemoryBytes: 3 << 29,
                                          items: 250, unit: "clips", finished: "2026-11-25T20:00:00Z"),
                                 to: StepCost.url(for: .wav, in: fixture.workspace))
        let markdown = try build(fixture)
        #expect(markdown.contains("| 02-wav | 2 min 05 s | 4 min 00 s | 250 clips | 2.00 clips/s | 1.50 GiB |"), "\(markdown)")
        #expect(markdown.contains("| 05-classical | 12.5 s | — | 5 models | — | 300 MiB | from results.json |"))
        #expect(markdown.contains("| 07-transfer/musicnn | 40.0 s |"))
        #expect(markdown.contains("| 06-raw-cnn | — | — | — | — | — | step 06 has not run"))
    }

    @Test func theArticlesRankingIsChecked() throws {
        let fixture = try ReportFixture()
        let markdown = try build(fixture)
        // musicnn (17 of 20) beats every classical model: transfer learning is best.
        #expect(markdown.contains("| Transfer learning on spectrograms is the best model. | best: Transfer learning: musicnn (Million Song Dataset) 85.0 % | yes |"))
        #expect(markdown.contains("| The raw-audio CNN is weak (it sees under 1 % of each clip). | the raw-audio CNN or the classical models missing | not yet |"))
    }

    @Test func secondReportRemovesStalePictures() throws {
        let fixture = try ReportFixture()
        _ = try build(fixture)
        let stale = fixture.workspace.report.appendingPathComponent("figures/05-old.png")
        try ReportFixture.picture("old").write(to: stale)
        _ = try build(fixture)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
    }
}

@Suite struct ReportPartsTests {
    @Test func numbersAreWrittenOneWay() {
        #expect(ReportFormat.percent(0.41234) == "41.2 %")
        #expect(ReportFormat.percent(nil) == "—" && ReportFormat.percent(.nan) == "—")
        #expect(ReportFormat.percentInterval([0.3804, 0.4449]) == "[38.0, 44.5] %")
        #expect(ReportFormat.percentInterval([0.1]) == "—")
        #expect(ReportFormat.scoreInterval([0.3712, 0.4334]) == "[0.371, 0.433]")
        #expect(ReportFormat.duration(0.843) == "0.84 s" && ReportFormat.duration(12.34) == "12.3 s")
        #expect(ReportFormat.duration(245) == "4 min 05 s" && ReportFormat.duration(3720) == "1 h 02 min")
        #expect(ReportFormat.bytes(512) == "512 B" && ReportFormat.bytes(1536) == "1.50 KiB")
        #expect(ReportFormat.bytes(300 << 20) == "300 MiB" && ReportFormat.bytes(0) == "—")
        #expect(ReportFormat.rate(1234.5, unit: "clips") == "1234 clips/s" || ReportFormat.rate(1234.5, unit: "clips") == "1235 clips/s")
        #expect(ReportFormat.fileName("Old-Time / Historic") == "Old-Time-Historic")
    }

    @Test func tableCellsCannotBreakTheTable() {
        let table = MarkdownTable(header: ["a", "b"], alignments: [.left, .right], rows: [["x|y", "two\nlines"], ["short"]])
        let lines = table.markdown.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1] == "|---|---:|")
        #expect(lines[2] == "| x\\|y | two lines |")
        #expect(lines[3] == "| short |  |")
    }

    @Test func linksAreFoundAndWebAddressesSkipped() {
        let markdown = "![a](figures/a.png) [b](https://x.org/b) [c](#top) [d](figures/d.png \"title\") <img src=\"e.png\">"
        #expect(ReportLinks.localTargets(in: markdown) == ["figures/a.png", "figures/d.png", "e.png"])
    }

    @Test func configurationListingReadsBackAsTheSameConfiguration() throws {
        let folder = TemporaryFolder("listing")
        var config = GenreConfig.article
        config.paths.report = "elsewhere/report"
        config.cnn.learningRate = 0.0005
        config.transfer.bases = "musicnn"
        let url = folder.file("listing.toml")
        try ConfigListing.toml(config).write(to: url, atomically: true, encoding: .utf8)
        #expect(try ConfigLoader.load(file: url.path) == config)
    }

    @Test func stepCostKeepsTheRunThatDidTheWork() throws {
        let folder = TemporaryFolder("cost")
        let workspace = Workspace(config: .article, root: folder.url)
        let first = try StepCost.record(.wav, in: workspace, items: 40, unit: "clips")
        #expect(first.wallSeconds > 0 && first.wallSeconds < 24 * 3600)
        #expect(first.cpuSeconds > 0 && first.peakMemoryBytes > 1 << 20)
        #expect(try StepCost.read(.wav, in: workspace) == first)
        let idle = try StepCost.record(.wav, in: workspace, items: 0, unit: "clips")
        #expect(idle == first)
        #expect(try StepCost.read(.splits, in: workspace) == nil)
    }
}
