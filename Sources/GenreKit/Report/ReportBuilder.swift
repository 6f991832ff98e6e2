import Foundation
import Plot

/// Assembles `report/index.md` section by section, as step 08 narrates it:
///
/// ```swift
/// var report = try ReportBuilder(workspace: workspace, configFile: "config/ci.toml")
/// let data = try report.addData()
/// try report.addSpectrograms(classes: data.classes)
/// let models = try report.addResults()
/// try report.addCurvesAndConfusions(models)
/// try report.addCosts(models)
/// report.addConfiguration(RunEnvironment.current(root: workspace.root))
/// let index = try report.write()
/// ```
///
/// A step that has not run is listed at the top and in its section with the command to run
/// it; a `results.json` that does not decode stops the report with its path. Every link is
/// relative and checked before `index.md` is written.
public struct ReportBuilder {
    public let workspace: Workspace
    public let steps: ReportSteps
    public let figures: ReportFigures
    /// The sections written so far, in order.
    public private(set) var sections: [String] = []
    /// Steps found missing, for the list at the top.
    public private(set) var missingSteps: [Workspace.Step] = []

    public init(workspace: Workspace, configFile: String?) throws {
        self.workspace = workspace
        steps = ReportSteps(configFile: configFile)
        figures = try ReportFigures(reportFolder: workspace.report)
    }

    /// The report's folder, and the file written last.
    public var folder: URL { workspace.report }
    public var indexURL: URL { folder.appendingPathComponent("index.md") }

    // MARK: - 1. The data

    @discardableResult
    public mutating func addData() throws -> DataSummary {
        let data = try DataSummary.collect(in: workspace)
        note(missing: data.missingSteps)
        var text = "## 1. The data\n\n"
        if let source = data.source {
            let root = relative(source.root)
            switch source.kind {
            case .demo: text += "The synthetic demo dataset in FMA's layout (`\(root)`), made by step 00: eight genres with FMA's faults.\n\n"
            case .fma: text += "The FMA download in `\(root)`, subset `\(source.subset.rawValue)`.\n\n"
            case .folders: text += "A folder-per-genre collection in `\(root)`.\n\n"
            }
        }
        for step in data.missingSteps { text += "- **Missing:** \(steps.missing(step)).\n" }
        if !data.missingSteps.isEmpty { text += "\n" }
        if let table = data.splitTable, let splits = data.splits {
            let how = splits.strategy == "fma"
                ? "FMA's official artist-filtered split"
                : "the article's split by shard file (20 % of files for test, then 20 % of the rest for validation)"
            text += "Tracks per genre and split, \(how):\n\n" + table.markdown + "\n"
        }
        if let (table, more) = data.skippedTable(relativeTo: workspace.root) {
            text += "Clips step 02 could not use (`\(Workspace.Step.wav.rawValue)/manifest.csv`), with the reason:\n\n" + table.markdown
            if more > 0 { text += "\n… and \(more) more; all are listed in the manifest.\n" }
            text += "\n"
        } else if !data.missingSteps.contains(.wav) {
            text += "Step 02 converted every clip.\n\n"
        }
        if !data.recordSkips.isEmpty {
            let reasons = data.recordSkips.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            text += "Left out of the TFRecord files by step 03: \(reasons).\n\n"
        }
        sections.append(text)
        return data
    }

    // MARK: - 2. Spectrograms

    @discardableResult
    public mutating func addSpectrograms(classes: [String]) throws -> [SpectrogramPicture] {
        let pictures = SpectrogramPicture.collect(in: workspace, classes: classes)
        var text = "## 2. One spectrogram per genre\n\n"
        if pictures.allSatisfy({ $0.window == nil }) {
            text += "- **Missing:** \(steps.missing(.tfrecords)).\n\n"
            if !missingSteps.contains(.tfrecords) { missingSteps.append(.tfrecords) }
        } else {
            text += "The mel image of one clip per genre, as the networks see it (left: the first "
                + "\(workspace.config.tfrecords.imageSamples) samples, the article's image; right: the whole clip). "
                + "Low bands at the bottom, colour in dB below the image's loudest cell.\n\n"
            let hasFull = pictures.contains { $0.fullClip != nil }
            var table = MarkdownTable(header: ["genre", "first \(workspace.config.tfrecords.imageSamples) samples"] + (hasFull ? ["whole clip"] : []))
            for picture in pictures {
                let stem = ReportFormat.fileName(picture.genre)
                let window = try picture.window.flatMap { try figures.copy($0, as: "03-spectrogram-\(stem)") }
                let full = try picture.fullClip.flatMap { try figures.copy($0, as: "03-spectrogram-\(stem)-full") }
                table.append([picture.genre, window.map { "![\(picture.genre)](\($0))" } ?? "missing"]
                             + (hasFull ? [full.map { "![\(picture.genre), whole clip](\($0))" } ?? ReportFormat.missing] : []))
            }
            text += table.markdown + "\n"
        }
        sections.append(text)
        return pictures
    }

    // MARK: - 3. Results

    @discardableResult
    public mutating func addResults() throws -> ModelResults {
        let models = try ModelResults.collect(in: workspace, steps: steps)
        note(missing: [.classical, .rawCNN, .transfer].filter { step in
            !models.files.contains { $0.step == step } && !ReportSteps.hasRun(step, in: workspace)
        })
        let classCount = models.present.first?.result?.classes.count ?? 8
        var text = "## 3. Results on the test split\n\n"
        text += ArticleFinding.summary + " Chance is \(ReportFormat.percent(1 / Double(max(classCount, 1)))) "
            + "(\(classCount) genres). Intervals are 95 % bootstrap intervals over the test clips.\n\n"
        var table = MarkdownTable(
            header: ["model", "step", "input", "test clips", "accuracy", "95 % interval", "macro-F1", "95 % interval", "the article"],
            alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .left])
        for row in models.rows {
            if let result = row.result {
                table.append([row.title, row.source, result.input, String(result.testCount),
                              ReportFormat.percent(result.testAccuracy), ReportFormat.percentInterval(result.accuracyInterval),
                              ReportFormat.score(result.macroF1), ReportFormat.scoreInterval(result.macroF1Interval),
                              row.article])
            } else {
                table.append([row.title, row.source, "**missing:** \(row.missing ?? "")", ReportFormat.missing,
                              ReportFormat.missing, ReportFormat.missing, ReportFormat.missing, ReportFormat.missing,
                              row.article])
            }
        }
        text += table.markdown + "\n"
        let present = models.present
        if !present.isEmpty {
            let chart = GroupedBarChart(
                title: "Test accuracy and macro-F1 per model (95 % intervals)", yLabel: "score",
                categories: present.map(\.title),
                groups: [
                    .init(name: "accuracy", values: present.map { $0.result!.testAccuracy },
                          intervals: present.map { interval($0.result!.accuracyInterval) }),
                    .init(name: "macro-F1", values: present.map { $0.result!.macroF1 },
                          intervals: present.map { interval($0.result!.macroF1Interval) }),
                ],
                yRange: 0...1, showsValues: true, valueFormat: .decimals(2))
            let width = max(800, min(1400, 150 * present.count + 200))
            let link = try figures.write(try chart.render(width: width, height: 520), as: "08-accuracy-per-model")
            text += "![Test accuracy and macro-F1 per model](\(link))\n\n"
        }
        text += "Against the article's findings:\n\n" + ArticleComparison.compare(
            models.rows, expected: ModelCatalog.expected(for: workspace.config)).table.markdown + "\n"
        let notes = models.files.flatMap { file in file.results.notes.map { "- \(file.name): \($0)" } }
            + models.present.flatMap { row in row.result!.notes.map { "- \(row.title): \($0)" } }
        if !notes.isEmpty { text += "Notes from the steps:\n\n" + notes.joined(separator: "\n") + "\n\n" }
        sections.append(text)
        return models
    }

    // MARK: - 4. Curves and confusion matrices

    /// Each network's training and validation curves and each model's test confusion matrix:
    /// the step's own pictures when its `figures` lists them, otherwise drawn here from
    /// `history.csv` and the confusion counts. Returns the number of figures linked.
    @discardableResult
    public mutating func addCurvesAndConfusions(_ models: ModelResults) throws -> Int {
        var text = "## 4. Training curves and confusion matrices\n\n"
        var count = 0
        if models.present.isEmpty { text += "No model has results yet (section 3 lists what to run).\n\n" }
        for row in models.present {
            let result = row.result!
            text += "### \(row.title)\n\n"
            let listed = result.figures.map { (path: $0, url: row.folder.appendingPathComponent($0)) }
            func kind(_ path: String) -> String {
                let name = path.lowercased()
                if name.contains("confusion") { return name.contains("normal") ? "normalized confusion" : "confusion" }
                if ["loss", "accuracy", "curve", "history", "training"].contains(where: name.contains) { return "curves" }
                return "other"
            }
            let prefix = row.step == .transfer ? row.folder.lastPathComponent : nil
            var links: [(alt: String, link: String)] = []
            var missingFigures: [String] = []
            func copyListed(_ kindName: String) throws -> Bool {
                var any = false
                for figure in listed where kind(figure.path) == kindName {
                    if let link = try figures.copy(figure.url, as: ReportFigures.name(step: row.step, path: figure.path, prefix: prefix)) {
                        links.append(("\(row.title): \(figure.url.deletingPathExtension().lastPathComponent)", link))
                        any = true
                    } else {
                        missingFigures.append(figure.path)
                    }
                }
                return any
            }
            // Curves, for the networks.
            if let history = result.history {
                if try !copyListed("curves") {
                    let url = row.folder.appendingPathComponent(history)
                    if FileManager.default.fileExists(atPath: url.path) {
                        let curves = try TrainingHistory(csvAt: url).figures(title: row.title)
                        links.append(("\(row.title): loss", try figures.write(curves.loss, as: "\(row.stem)-loss")))
                        links.append(("\(row.title): accuracy", try figures.write(curves.accuracy, as: "\(row.stem)-accuracy")))
                    } else {
                        missingFigures.append(history)
                    }
                }
            } else {
                _ = try copyListed("curves")
            }
            // The confusion matrix, for every model: the step's row-normalised picture when it
            // drew one (the counts stay in its artifacts), else any it drew, else ours.
            let normalized = listed.contains { kind($0.path) == "normalized confusion" }
            if try !copyListed(normalized ? "normalized confusion" : "confusion") {
                let link = try figures.write(try result.confusionFigure(normalized: true), as: "\(row.stem)-confusion")
                links.append(("\(row.title): confusion matrix", link))
            }
            _ = try copyListed("other")
            for (alt, link) in links { text += "![\(alt)](\(link))\n\n" }
            count += links.count
            if !missingFigures.isEmpty {
                text += "_Listed in \(row.source)/results.json but not on disk: \(missingFigures.map { "`\($0)`" }.joined(separator: ", "))._\n\n"
            }
            if !result.parameters.isEmpty {
                text += "Chosen settings: " + result.parameters.sorted { $0.key < $1.key }
                    .map { "`\($0.key)` = \($0.value)" }.joined(separator: ", ") + ".\n\n"
            }
        }
        sections.append(text)
        return count
    }

    // MARK: - 5. Costs

    @discardableResult
    public mutating func addCosts(_ models: ModelResults) throws -> [StepCostRow] {
        let rows = try StepCostRow.collect(in: workspace, results: models, steps: steps)
        var table = MarkdownTable(header: ["step", "wall time", "CPU time", "work", "throughput", "peak memory", "note"],
                                  alignments: [.left, .right, .right, .right, .right, .right, .left])
        for row in rows {
            table.append([row.name, ReportFormat.duration(row.wallSeconds), ReportFormat.duration(row.cpuSeconds),
                          row.work ?? ReportFormat.missing, row.throughput ?? ReportFormat.missing,
                          ReportFormat.bytes(row.peakMemoryBytes), row.note])
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        sections.append("## 5. What each step cost\n\n"
            + "Wall time from the step's start to its end, CPU time over all its threads (on \(cores) cores), "
            + "and its peak resident memory. A rerun that finds its work done keeps the record of the run that did it.\n\n"
            + table.markdown + "\n")
        return rows
    }

    // MARK: - 6. Configuration and versions

    public mutating func addConfiguration(_ environment: RunEnvironment) {
        var versions = MarkdownTable(header: ["component", "version"])
        versions.append(["Swift", environment.swift])
        for (name, version) in environment.libraries { versions.append([name, version]) }
        for (name, version) in environment.packages { versions.append(["\(name) (Swift package)", version]) }
        versions.append(["system", "\(environment.system), \(environment.cores) cores"])
        let commit = environment.commit.map { "`\($0)`" + (environment.uncommittedChanges ? " with uncommitted changes" : "") }
            ?? "unknown (not a git checkout)"
        let file = steps.configFile ?? ConfigOptions.defaultFile
        sections.append("## 6. Configuration and versions\n\n"
            + "Commit \(commit); configuration `\(file)`. To repeat this run: `\(steps.makeCommand)`.\n\n"
            + versions.markdown + "\n"
            + "Every setting the steps used (save it as a file and pass it with `CONFIG=`):\n\n"
            + "```toml\n" + ConfigListing.toml(workspace.config) + "```\n")
    }

    // MARK: - Writing

    /// Writes `index.md` (title, the missing steps, then the sections), after checking that
    /// every link it holds resolves.
    /// - Throws: `ReportError.brokenLinks` naming the targets that do not exist.
    @discardableResult
    public func write() throws -> URL {
        var text = "# Music genre classification on the Free Music Archive\n\n"
        text += "The notebook's report, written by `step08-report` from the artifacts of steps 00 to 07 "
            + "(configuration `\(steps.configFile ?? ConfigOptions.defaultFile)`). It reproduces "
            + "\"Music genre classification with TensorFlow\" (Hermez, Cheung and Gu, 2020).\n\n"
        if !missingSteps.isEmpty {
            text += "**Steps that have not run yet** (their sections say what is missing):\n\n"
            text += missingSteps.sorted { $0.rawValue < $1.rawValue }.map { "- `\($0.rawValue)`: `\(steps.command($0))`" }
                .joined(separator: "\n") + "\n\nOr run them all in order: `\(steps.makeCommand)`.\n\n"
        }
        text += sections.joined()
        let broken = ReportLinks.broken(in: text, relativeTo: folder)
        guard broken.isEmpty else { throw ReportError.brokenLinks(report: indexURL.path, targets: broken) }
        try AtomicFile.write(text, to: indexURL)
        return indexURL
    }

    /// Every section in order, then `write()`: what step 08 does, without its printing.
    public static func build(workspace: Workspace, configFile: String?, environment: RunEnvironment) throws -> URL {
        var report = try ReportBuilder(workspace: workspace, configFile: configFile)
        let data = try report.addData()
        try report.addSpectrograms(classes: data.classes)
        let models = try report.addResults()
        try report.addCurvesAndConfusions(models)
        try report.addCosts(models)
        report.addConfiguration(environment)
        return try report.write()
    }

    private mutating func note(missing: [Workspace.Step]) {
        for step in missing where !missingSteps.contains(step) { missingSteps.append(step) }
    }

    private func interval(_ bounds: [Double]) -> ClosedRange<Double>? {
        guard bounds.count == 2, bounds[0] <= bounds[1], bounds.allSatisfy(\.isFinite) else { return nil }
        return bounds[0]...bounds[1]
    }

    /// A path relative to the workspace's root when it lies inside it.
    private func relative(_ path: String) -> String {
        let root = workspace.root.standardizedFileURL.path
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
