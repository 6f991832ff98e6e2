import Foundation

/// How the report names steps and tells the reader to run one that is missing.
public struct ReportSteps: Sendable {
    /// The configuration file the steps were run with, as the user gave it (`config/ci.toml`);
    /// `nil` for the default.
    public var configFile: String?

    public init(configFile: String?) {
        self.configFile = configFile
    }

    /// The command that runs `step` by itself: `swift run -c release step06-raw-cnn --config config/ci.toml`.
    public func command(_ step: Workspace.Step) -> String {
        var text = "swift run -c release \(step.executable)"
        if let configFile, configFile != ConfigOptions.defaultFile { text += " --config \(configFile)" }
        return text
    }

    /// `make report` with the same configuration, which runs every missing step in order.
    public var makeCommand: String {
        if let configFile, configFile != ConfigOptions.defaultFile { return "make report CONFIG=\(configFile)" }
        return "make report"
    }

    /// A phrase for a step that has not run: "step 06 has not run: `swift run -c release step06-raw-cnn`".
    public func missing(_ step: Workspace.Step) -> String {
        "step \(step.rawValue.prefix(2)) has not run: `\(command(step))`"
    }

    /// The files whose presence shows that a step of the data pipeline (00 to 04) has run.
    public static func marker(of step: Workspace.Step, in workspace: Workspace) -> URL? {
        switch step {
        case .data: DataSource.recordURL(in: workspace)
        case .metadata: TrackList.tracksURL(in: workspace)
        case .wav: workspace.folder(.wav)
        case .tfrecords: RecordsManifest.url(in: workspace)
        case .splits: DataSplits.url(in: workspace)
        case .classical, .rawCNN: workspace.folder(step).appendingPathComponent("results.json")
        case .transfer: workspace.folder(.transfer)
        case .report: nil
        }
    }

    /// Whether a step has left its marker. Step 02 counts when its folder holds a manifest.
    public static func hasRun(_ step: Workspace.Step, in workspace: Workspace) -> Bool {
        guard let marker = marker(of: step, in: workspace) else { return false }
        if step == .wav {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: marker.path)) ?? []
            return names.contains { $0.hasPrefix("manifest") && $0.hasSuffix(".csv") }
        }
        return FileManager.default.fileExists(atPath: marker.path)
    }
}
