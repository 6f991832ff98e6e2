import Foundation

/// Section 2: step 03's spectrogram picture of one clip per genre.
public struct SpectrogramPicture: Sendable {
    public var genre: String
    /// The image of the first `tfrecords.image_samples` samples (what the network sees), and
    /// the whole-clip image when step 03 drew one.
    public var window: URL?
    public var fullClip: URL?

    /// The pictures in `artifacts/03-tfrecords/spectrograms/`, one entry per class.
    public static func collect(in workspace: Workspace, classes: [String]) -> [SpectrogramPicture] {
        let folder = workspace.folder(.tfrecords).appendingPathComponent("spectrograms")
        func existing(_ name: String) -> URL? {
            let url = folder.appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        return classes.map { genre in
            // Step 03 names a picture after the genre with every run of other characters than
            // letters, digits and '-' made one '-'.
            let stem = genre.split { !$0.isLetter && !$0.isNumber && $0 != "-" }.joined(separator: "-")
            return SpectrogramPicture(genre: genre, window: existing("\(stem).png"), fullClip: existing("\(stem)-full.png"))
        }
    }
}
