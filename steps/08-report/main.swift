// Step 08: Write the report
//
// The article showed its results as a table (an image), a few training curves from
// TensorBoard, and a ranking in words. We gather everything the notebook made into one
// Markdown page that reads as it is on a code-hosting site: the data and what was left out,
// a spectrogram per genre, every model's test accuracy and macro-F1 with 95 % intervals beside
// the article's finding, each network's curves, each model's confusion matrix, what every step
// cost, and the configuration and versions that repeat the run. A step that has not run is
// listed with the command that runs it; a results.json that does not decode stops the step.
//   reads   artifacts/00-data ... 04-splits, 05-classical/results.json, 06-raw-cnn/results.json,
//           07-transfer/<base>/results.json, each step's history.csv, figures and cost.json
//   writes  report/index.md, report/figures/*.png (config: paths.report)
//   run     swift run step08-report [--config config/default.toml]   (or: make report)

import ArgumentParser
import Foundation
import GenreKit

struct Step08Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step08-report",
        abstract: "Collect every step's results, curves and figures into report/index.md.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        let workspace = Workspace(config: config)
        var report = try ReportBuilder(workspace: workspace, configFile: options.config)

        // MARK: - 1. The data
        // Tracks per genre and split come from step 04's splits.json, the clips that could not be
        // used from step 02's manifests (FMA small has six: three without audio, three too short).
        let data = try report.addData()
        let splitCounts = data.splits.map { splits in
            DataSplits.Name.allCases.map { "\(splits[$0].records) \($0.rawValue)" }.joined(separator: ", ")
        } ?? "no splits yet"
        print("1. Data: \(data.classes.count) genres; \(splitCounts); \(data.skippedClips.count) clips skipped by step 02.")
        for step in data.missingSteps { print("   missing: step \(step.rawValue)") }

        // MARK: - 2. One spectrogram per genre
        // Step 03 drew them; we copy them into report/figures so the report stands on its own.
        let pictures = try report.addSpectrograms(classes: data.classes)
        print("2. Spectrograms: \(pictures.filter { $0.window != nil }.count) of \(pictures.count) genres.")

        // MARK: - 3. The results table
        // One row per model the notebook promises (four classical models, the raw-audio CNN and
        // its crop-trained variant, a transfer head per base network), found or missing, and a
        // bar chart of accuracy and macro-F1 with their intervals. The article gives a ranking,
        // not numbers: we check whether its ranking holds here.
        let models = try report.addResults()
        print("3. Results: \(models.present.count) of \(models.rows.count) models have a result.")
        for row in models.rows {
            if let result = row.result {
                print("   " + row.title.padding(toLength: max(48, row.title.count), withPad: " ", startingAt: 0)
                      + String(format: " %5.1f %%  macro-F1 %.3f  (%@)", 100 * result.testAccuracy, result.macroF1, row.source))
            } else {
                print("   \(row.title): missing, \(row.missing ?? "")")
            }
        }

        // MARK: - 4. Curves and confusion matrices
        // A network's own curve pictures when its step drew them, otherwise drawn here from its
        // history.csv; a confusion matrix for every model (rows: true genre, as a fraction).
        let figureCount = try report.addCurvesAndConfusions(models)
        print("4. Curves and confusion matrices: \(figureCount) figures.")

        // MARK: - 5. What each step cost
        // Steps 00-04 leave cost.json (wall time from the process's start, CPU time, peak
        // memory, work done); steps 05-07 report wall time and peak memory in results.json.
        let costs = try report.addCosts(models)
        let measured = costs.filter { $0.wallSeconds != nil }
        let total = measured.reduce(0) { $0 + ($1.wallSeconds ?? 0) }
        print(String(format: "5. Costs of %d steps, %.1f s of wall time in all.", measured.count, total))

        // MARK: - 6. Configuration and versions
        // What repeats the run: the commit, the Swift toolchain, the C libraries (pkg-config),
        // the Swift packages (Package.resolved), and every setting as a TOML file.
        let environment = RunEnvironment.current(root: workspace.root)
        report.addConfiguration(environment)
        print("6. \(environment.swift); commit \(environment.commit.map { String($0.prefix(12)) } ?? "unknown").")

        // MARK: - 7. Write it
        // Every link is checked before index.md is written.
        let index = try report.write()
        print("7. Wrote \(index.path) and \(report.figures.names.count) figures in \(report.figures.folder.path)/.")
        if !report.missingSteps.isEmpty {
            print("   Not run yet: \(report.missingSteps.map(\.rawValue).joined(separator: ", ")); `\(report.steps.makeCommand)` runs them.")
        }
        print("   The article: transfer learning best, SVM and naive Bayes close, the raw-audio CNN weak.")
    }
}

lineBufferStandardOutput()
Step08Report.main()
