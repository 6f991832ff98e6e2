import Foundation
import GenreKit
import _TestSupport

/// Steps 00 to 04 run once per test process on `config/ci.toml`, for the tests of the steps
/// after them. Each test takes its own copy, so that tests running in parallel never share
/// an artifact folder.
enum PreparedWorkspace {
    /// The folder where steps 00–04 ran; kept for the whole test process.
    private static let original: Result<TemporaryFolder, PreparationError> = {
        let folder = TemporaryFolder("prepared-pipeline")
        for step in ["step00-data", "step01-metadata", "step02-wav", "step03-tfrecords", "step04-splits"] {
            do {
                let run = try PipelineTests.run(step, in: folder.url)
                guard run.status == 0 else { return .failure(PreparationError(step: step, output: run.output)) }
            } catch {
                return .failure(PreparationError(step: step, output: "\(error)"))
            }
        }
        return .success(folder)
    }()

    /// A fresh copy of a folder where steps 00–04 ran; deleted when the returned value goes.
    static func copy(_ name: String) throws -> TemporaryFolder {
        let source = try original.get()
        let copy = TemporaryFolder(name)
        for item in try FileManager.default.contentsOfDirectory(atPath: source.url.path) {
            try FileManager.default.copyItem(at: source.url.appendingPathComponent(item),
                                             to: copy.url.appendingPathComponent(item))
        }
        return copy
    }

    /// The workspace of a copy, as the steps see it with `config/ci.toml`.
    static func workspace(in folder: TemporaryFolder) throws -> Workspace {
        Workspace(config: try ConfigLoader.load(file: PipelineTests.ciConfig), root: folder.url)
    }

    struct PreparationError: Error, CustomStringConvertible {
        var step: String
        var output: String
        var description: String { "\(step) failed while preparing the workspace:\n\(output)" }
    }
}
