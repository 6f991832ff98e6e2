import Foundation

/// What step 00 prepared, recorded in `artifacts/00-data/source.json` so that every later
/// step reads the same data without being told again.
public struct DataSource: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// An FMA download: `fma_metadata/` and `fma_<subset>/` under `root`.
        case fma
        /// A collection laid out as `root/<genre>/<file>` (GTZAN and most personal libraries).
        case folders
        /// The synthetic demo, generated in FMA's layout under `root`.
        case demo
    }

    public var kind: Kind
    /// Absolute path of the dataset's top folder.
    public var root: String
    /// The FMA subset whose audio folder holds the clips (fma and demo).
    public var subset: FMASubset

    public init(kind: Kind, root: String, subset: FMASubset) {
        self.kind = kind
        self.root = root
        self.subset = subset
    }

    public var rootURL: URL { URL(fileURLWithPath: root) }
    public var tracksCSV: URL { rootURL.appendingPathComponent("fma_metadata/tracks.csv") }
    public var genresCSV: URL { rootURL.appendingPathComponent("fma_metadata/genres.csv") }
    public var audioFolder: URL { rootURL.appendingPathComponent(subset.audioFolder) }

    public static func recordURL(in workspace: Workspace) -> URL {
        workspace.folder(.data).appendingPathComponent("source.json")
    }

    /// Reads the record step 00 left.
    public static func load(from workspace: Workspace) throws -> DataSource {
        let url = recordURL(in: workspace)
        try workspace.requireArtifact(url, madeBy: .data)
        return try JSONDecoder().decode(DataSource.self, from: Data(contentsOf: url))
    }

    public func save(in workspace: Workspace) throws {
        try AtomicFile.writeJSON(self, to: Self.recordURL(in: workspace))
    }
}
