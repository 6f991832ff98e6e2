import Foundation

/// Where each step reads and writes, derived from the configuration's paths.
///
/// Every step owns one folder under `artifacts/`, named like its executable without the
/// `step` prefix (`artifacts/02-wav`), and hands the next steps what it leaves there.
public struct Workspace: Sendable {
    public let config: GenreConfig
    public let root: URL

    public init(config: GenreConfig, root: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.config = config
        self.root = root
    }

    public var artifacts: URL { resolve(config.paths.artifacts) }
    public var dataFolder: URL { resolve(config.paths.data) }
    public var report: URL { resolve(config.paths.report) }
    /// Where step 00 generates the demo dataset in FMA's layout.
    public var demoFolder: URL { dataFolder.appendingPathComponent("demo") }

    /// A step's artifact folder, e.g. `folder(.wav)` for `artifacts/02-wav`.
    public func folder(_ step: Step) -> URL { artifacts.appendingPathComponent(step.rawValue) }

    /// The folder, created if missing.
    @discardableResult
    public func createdFolder(_ step: Step) throws -> URL {
        let url = folder(step)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Throws, naming the step to run, when an artifact that `step` makes is missing.
    public func requireArtifact(_ url: URL, madeBy step: Step) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FMAError.missingFile(path: url.path, hint: "Run step \(step.rawValue.prefix(2)) first: swift run \(step.executable)")
        }
    }

    private func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
    }

    /// The notebook's steps, by artifact folder.
    public enum Step: String, CaseIterable, Sendable {
        case data = "00-data"
        case metadata = "01-metadata"
        case wav = "02-wav"
        case tfrecords = "03-tfrecords"
        case splits = "04-splits"
        case classical = "05-classical"
        case rawCNN = "06-raw-cnn"
        case transfer = "07-transfer"
        case report = "08-report"

        /// The executable that makes this folder: `step02-wav`.
        public var executable: String { "step\(rawValue)" }
    }
}
