import Foundation

/// One row of the results table: a model's test result, or why there is none. A model the
/// catalog expects carries the catalog's title, so that the table reads the same whatever a
/// step calls its models; any other model keeps its own.
public struct ModelRow: Sendable {
    public var title: String
    public var step: Workspace.Step
    /// The article's finding for this model.
    public var article: String
    /// The folder the result's `figures` and `history` paths are relative to, and its name in
    /// the report (`07-transfer/musicnn`).
    public var folder: URL
    public var source: String
    /// The result, `nil` for a missing row.
    public var result: ModelResult?
    /// For a missing row: why, and what to run.
    public var missing: String?

    /// A short file-name stem: `05-svm`, `07-musicnn`.
    public var stem: String {
        "\(step.rawValue.prefix(2))-\(ReportFormat.fileName(result?.id ?? title))"
    }
}

/// One `results.json` that was read: the step's costs and notes, for section 5.
public struct ResultsFile: Sendable {
    /// `05-classical`, or `07-transfer/musicnn` for one base network.
    public var name: String
    public var step: Workspace.Step
    public var results: StepResults
}

/// Sections 3 and 4's inputs: every expected model, found or missing, and every model a step
/// wrote beyond those.
public struct ModelResults: Sendable {
    public var rows: [ModelRow]
    public var files: [ResultsFile]

    /// The rows that have a result.
    public var present: [ModelRow] { rows.filter { $0.result != nil } }

    /// Reads `05-classical/results.json`, `06-raw-cnn/results.json` and `07-transfer/<base>/results.json`
    /// (and `07-transfer/results.json` if a step writes its bases together).
    /// - Throws: `ReportError.undecodable` naming a results file that exists but does not decode.
    public static func collect(in workspace: Workspace, steps: ReportSteps) throws -> ModelResults {
        let expected = ModelCatalog.expected(for: workspace.config)
        var files: [ResultsFile] = []
        var rows: [ModelRow] = []

        func read(_ url: URL) throws -> StepResults? {
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            do { return try StepResults.read(from: url) } catch {
                throw ReportError.undecodable(path: url.path, reason: "\(error)")
            }
        }
        func row(_ model: ModelResult, _ step: Workspace.Step, folder: URL, source: String, article: String) -> ModelRow {
            ModelRow(title: model.title, step: step, article: article, folder: folder, source: source, result: model)
        }

        // Steps 05 and 06: one results.json each.
        for step in [Workspace.Step.classical, .rawCNN] {
            let folder = workspace.folder(step)
            let url = folder.appendingPathComponent("results.json")
            let wanted = expected.filter { $0.step == step }
            guard let results = try read(url) else {
                rows += wanted.map { ModelRow(title: $0.title, step: step, article: $0.article, folder: folder,
                                              source: step.rawValue, missing: steps.missing(step)) }
                continue
            }
            files.append(ResultsFile(name: step.rawValue, step: step, results: results))
            var unused = results.models
            for model in wanted {
                if let index = unused.firstIndex(where: { model.matches($0.id) }) {
                    var entry = row(unused.remove(at: index), step, folder: folder, source: step.rawValue, article: model.article)
                    entry.title = model.title
                    rows.append(entry)
                } else {
                    rows.append(ModelRow(title: model.title, step: step, article: model.article, folder: folder,
                                         source: step.rawValue,
                                         missing: "not in \(step.rawValue)/results.json; run `\(steps.command(step))` again"))
                }
            }
            rows += unused.map { row($0, step, folder: folder, source: step.rawValue, article: ArticleFinding.notInArticle) }
        }

        // Step 07: a folder per base network; the configured ones first, then any other found.
        let transfer = workspace.folder(.transfer)
        let configured = ModelCatalog.transferBases(workspace.config)
        let found = ((try? FileManager.default.contentsOfDirectory(atPath: transfer.path)) ?? []).sorted().filter {
            FileManager.default.fileExists(atPath: transfer.appendingPathComponent("\($0)/results.json").path)
        }
        var together = try read(transfer.appendingPathComponent("results.json"))
        if let together { files.append(ResultsFile(name: Workspace.Step.transfer.rawValue, step: .transfer, results: together)) }
        for base in configured + found.filter({ !configured.contains($0) }) {
            let folder = transfer.appendingPathComponent(base)
            let source = "\(Workspace.Step.transfer.rawValue)/\(base)"
            let model = expected.first { $0.base == base }
            let article = model?.article ?? ArticleFinding.notInArticle
            if let results = try read(folder.appendingPathComponent("results.json")) {
                files.append(ResultsFile(name: source, step: .transfer, results: results))
                rows += results.models.map { result in
                    var entry = row(result, .transfer, folder: folder, source: source, article: article)
                    if let model, results.models.count == 1 || model.matches(result.id) { entry.title = model.title }
                    return entry
                }
            } else if let index = together?.models.firstIndex(where: { model?.matches($0.id) ?? ($0.id == base) }) {
                var entry = row(together!.models.remove(at: index), .transfer, folder: transfer,
                                source: Workspace.Step.transfer.rawValue, article: article)
                entry.title = model?.title ?? entry.title
                rows.append(entry)
            } else {
                rows.append(ModelRow(title: model?.title ?? base, step: .transfer, article: article, folder: folder,
                                     source: source, missing: missingTransfer(base, workspace: workspace, steps: steps)))
            }
        }
        for result in together?.models ?? [] {
            rows.append(row(result, .transfer, folder: transfer, source: Workspace.Step.transfer.rawValue,
                            article: ArticleFinding.notInArticle))
        }
        return ModelResults(rows: rows, files: files)
    }

    /// Why a base network has no results: its pretrained weights are absent, or step 07 has not run.
    private static func missingTransfer(_ base: String, workspace: Workspace, steps: ReportSteps) -> String {
        let checkpoint: String? = switch base.lowercased() {
        case "mobilenet_v2", "mobilenetv2": workspace.config.transfer.mobilenetCheckpoint
        case "musicnn": workspace.config.transfer.musicnnCheckpoint
        default: nil
        }
        if let checkpoint {
            let index = checkpoint.hasSuffix("/") ? checkpoint + "model.ckpt.index" : checkpoint + ".index"
            let url = checkpoint.hasPrefix("/") ? URL(fileURLWithPath: index) : workspace.root.appendingPathComponent(index)
            let folder = checkpoint.hasPrefix("/") ? URL(fileURLWithPath: checkpoint) : workspace.root.appendingPathComponent(checkpoint)
            let present = FileManager.default.fileExists(atPath: url.path)
                || (checkpoint.hasSuffix("/") && FileManager.default.fileExists(atPath: folder.path))
            if !present {
                let how = base.lowercased() == "musicnn" ? "`make setup` fetches it" : "see README.md for where to get it"
                return "no pretrained weights at `\(checkpoint)` (\(how)); then `\(steps.command(.transfer))`"
            }
        }
        return steps.missing(.transfer)
    }
}
