import Foundation
import Plot

/// The report's `figures/` folder: pictures copied from the steps' artifacts or drawn by the
/// report, each named after its step (`05-figures-svm-confusion.png`), each linked relative to
/// `index.md` (`figures/05-figures-svm-confusion.png`) so that the report reads as it is on a
/// code-hosting site.
///
/// Not `Sendable`: it owns the folder while the report is written.
public final class ReportFigures {
    /// `report/figures`.
    public let folder: URL
    /// Files written so far, and the link of each copied source (a picture two models share is
    /// copied once).
    public private(set) var names: [String] = []
    private var copied: [URL: String] = [:]

    /// Creates `report/figures`, removing the PNGs of an earlier report so that none is stale.
    public init(reportFolder: URL) throws {
        folder = reportFolder.appendingPathComponent("figures")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".png") {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// Copies a step's picture; returns its link, or `nil` when the file is missing.
    /// - Parameters:
    ///   - source: the picture in the step's artifacts.
    ///   - name: the name in `figures/`, made unique and safe (`.png` added if absent).
    public func copy(_ source: URL, as name: String) throws -> String? {
        if let link = copied[source.standardizedFileURL] { return link }
        guard FileManager.default.fileExists(atPath: source.path) else { return nil }
        let file = unique(name)
        try AtomicFile.write(to: folder.appendingPathComponent(file)) { temporary in
            try FileManager.default.copyItem(at: source, to: temporary)
        }
        names.append(file)
        let link = "figures/\(file)"
        copied[source.standardizedFileURL] = link
        return link
    }

    /// Writes a figure the report drew; returns its link.
    public func write(_ figure: Figure, as name: String) throws -> String {
        let file = unique(name)
        try AtomicFile.write(to: folder.appendingPathComponent(file)) { try figure.write(to: $0) }
        names.append(file)
        return "figures/\(file)"
    }

    /// A name for a step's file: the step's number, then the path within its folder, flattened:
    /// `figures/svm-confusion.png` of step 05 → `05-figures-svm-confusion.png`.
    public static func name(step: Workspace.Step, path: String, prefix: String? = nil) -> String {
        let parts = [String(step.rawValue.prefix(2))] + (prefix.map { [$0] } ?? []) + [path]
        return parts.joined(separator: "-")
    }

    private func unique(_ name: String) -> String {
        var stem = name.hasSuffix(".png") ? String(name.dropLast(4)) : name
        stem = ReportFormat.fileName(stem)
        var file = "\(stem).png"
        var counter = 2
        while names.contains(file) {
            file = "\(stem)-\(counter).png"
            counter += 1
        }
        return file
    }
}
