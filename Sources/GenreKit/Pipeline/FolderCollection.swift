import Foundation

/// A collection laid out as `root/<genre>/<file>`, the way GTZAN and most personal libraries
/// are kept. The folder name is the genre; any file whose extension is an audio format counts
/// (its content still decides the decoder).
public enum FolderCollection {
    public static let audioExtensions: Set<String> = ["mp3", "wav", "flac", "ogg", "au", "aiff", "aif"]

    /// Every audio file, sorted by genre then path; ids are 1, 2, ... in that order, so the
    /// same folder always gets the same ids.
    public static func scan(_ root: URL) throws -> [(id: Int, genre: String, path: String)] {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw FMAError.missingFile(path: root.path, hint: "--folders expects a folder with one sub-folder per genre.")
        }
        var files: [(genre: String, path: String)] = []
        for genre in try manager.contentsOfDirectory(atPath: root.path).sorted() where !genre.hasPrefix(".") {
            let folder = root.appendingPathComponent(genre)
            guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else { continue }
            let enumerator = manager.enumerator(atPath: folder.path)
            var paths: [String] = []
            while let relative = enumerator?.nextObject() as? String {
                let ext = (relative as NSString).pathExtension.lowercased()
                if audioExtensions.contains(ext) { paths.append(folder.appendingPathComponent(relative).path) }
            }
            files += paths.sorted().map { (genre, $0) }
        }
        return files.enumerated().map { (id: $0.offset + 1, genre: $0.element.genre, path: $0.element.path) }
    }
}
