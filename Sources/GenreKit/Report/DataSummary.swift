import Foundation

/// Section 1 of the report: what data went in, how it was split, and what was left out and why.
public struct DataSummary: Sendable {
    /// Step 00's choice: the demo, an FMA download, or a folder collection.
    public var source: DataSource?
    /// Class names in label order, from the splits, the records or the metadata.
    public var classes: [String]
    /// Labelled tracks per class in step 01's list.
    public var tracksPerClass: [Int]?
    /// Step 04's splits: tracks per class in each.
    public var splits: DataSplits?
    /// Step 02's clips that are not `ok` (short or broken), with their reasons, by track id.
    public var skippedClips: [ManifestEntry]
    /// Genres of the tracks, by id, to name the skipped clips' genres.
    public var genreOf: [Int: String]
    /// Clips step 03 left out of the records, by reason (includes the skipped clips above).
    public var recordSkips: [String: Int]
    /// Steps 00 to 04 that have not run.
    public var missingSteps: [Workspace.Step]

    /// Reads what steps 00 to 04 left; a step that has not run is listed in `missingSteps`.
    /// - Throws: a file that exists but does not decode, named.
    public static func collect(in workspace: Workspace) throws -> DataSummary {
        let pipeline: [Workspace.Step] = [.data, .metadata, .wav, .tfrecords, .splits]
        let missing = pipeline.filter { !ReportSteps.hasRun($0, in: workspace) }
        func decode<T: Decodable>(_ type: T.Type, _ url: URL) throws -> T {
            do { return try JSONDecoder().decode(type, from: Data(contentsOf: url)) } catch {
                throw ReportError.undecodable(path: url.path, reason: "\(error)")
            }
        }
        let source = missing.contains(.data) ? nil : try decode(DataSource.self, DataSource.recordURL(in: workspace))
        var classes: [String] = []
        var tracksPerClass: [Int]?
        var genreOf: [Int: String] = [:]
        if !missing.contains(.metadata) {
            let (tracks, names) = try TrackList.read(in: workspace)
            classes = names
            tracksPerClass = names.indices.map { label in tracks.filter { $0.label == label }.count }
            genreOf = Dictionary(uniqueKeysWithValues: tracks.map { ($0.id, $0.genre) })
        }
        let skipped = missing.contains(.wav) ? []
            : try WavManifest.readAll(in: workspace.folder(.wav)).values.filter { $0.status != .ok }.sorted { $0.trackID < $1.trackID }
        var recordSkips: [String: Int] = [:]
        if !missing.contains(.tfrecords) {
            let records = try decode(RecordsManifest.self, RecordsManifest.url(in: workspace))
            recordSkips = records.skipped
            if classes.isEmpty { classes = records.classes }
        }
        var splits: DataSplits?
        if !missing.contains(.splits) {
            splits = try decode(DataSplits.self, DataSplits.url(in: workspace))
            if classes.isEmpty { classes = splits!.classes }
        }
        return DataSummary(source: source, classes: classes, tracksPerClass: tracksPerClass, splits: splits,
                           skippedClips: skipped, genreOf: genreOf, recordSkips: recordSkips, missingSteps: missing)
    }

    /// Tracks per genre and split, with a total row: genre | tracks | train | validation | test.
    public var splitTable: MarkdownTable? {
        guard let splits else { return nil }
        let names = DataSplits.Name.allCases
        var table = MarkdownTable(header: ["genre", "labelled tracks"] + names.map(\.rawValue) + ["in the splits"],
                                  alignments: [.left] + Array(repeating: .right, count: names.count + 2))
        for (label, genre) in splits.classes.enumerated() {
            let counts = names.map { splits[$0].perClass.indices.contains(label) ? splits[$0].perClass[label] : 0 }
            let labelled = tracksPerClass.flatMap { $0.indices.contains(label) ? String($0[label]) : nil } ?? ReportFormat.missing
            table.append([genre, labelled] + counts.map(String.init) + [String(counts.reduce(0, +))])
        }
        let totals = names.map { splits[$0].records }
        let all = totals.reduce(0, +)
        table.append(["**all**", tracksPerClass.map { String($0.reduce(0, +)) } ?? ReportFormat.missing]
                     + totals.map { "\($0) (\(String(format: "%.0f", 100 * Double($0) / Double(max(all, 1)))) %)" }
                     + [String(all)])
        return table
    }

    /// The clips that were skipped, with their reasons; at most `limit` rows, then a count.
    /// Paths in the reasons are shown relative to `root` when they lie inside it.
    public func skippedTable(limit: Int = 30, relativeTo root: URL? = nil) -> (table: MarkdownTable, more: Int)? {
        let prefix = root.map { $0.standardizedFileURL.path + "/" }
        guard !skippedClips.isEmpty else { return nil }
        var table = MarkdownTable(header: ["track", "genre", "status", "decoded", "reason"],
                                  alignments: [.right, .left, .left, .right, .left])
        for entry in skippedClips.prefix(limit) {
            table.append([String(format: "%06d", entry.trackID), genreOf[entry.trackID] ?? ReportFormat.missing,
                          entry.status.rawValue,
                          entry.status == .broken ? ReportFormat.missing : String(format: "%.2f s", entry.seconds),
                          entry.reason.isEmpty ? ReportFormat.missing
                              : prefix.map { entry.reason.replacingOccurrences(of: $0, with: "") } ?? entry.reason])
        }
        return (table, max(0, skippedClips.count - limit))
    }
}
