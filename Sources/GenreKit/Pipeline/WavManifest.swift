import Foundation

/// What step 02 did with each track, one row per track in `artifacts/02-wav/manifest.csv`
/// (or `manifest-I-of-N.csv` for worker I of N). Later steps use only `ok` tracks.
public struct ManifestEntry: Equatable, Sendable {
    public enum Status: String, Sendable, CaseIterable {
        /// Converted, at least `audio.min_seconds` long.
        case ok
        /// Converted, but shorter than `audio.min_seconds` (FMA small has three such clips).
        case short
        /// Not converted: empty, not audio, or no decodable frame. `reason` says which.
        case broken
    }

    public var trackID: Int
    public var source: String
    public var status: Status
    /// Duration of the decoded audio, 0 when broken.
    public var seconds: Double
    /// The source file's own rate and channel count, 0 when broken.
    public var sourceSampleRate: Int
    public var sourceChannels: Int
    /// Why a track is short or broken; empty when ok.
    public var reason: String

    public init(trackID: Int, source: String, status: Status, seconds: Double,
                sourceSampleRate: Int, sourceChannels: Int, reason: String) {
        self.trackID = trackID
        self.source = source
        self.status = status
        self.seconds = seconds
        self.sourceSampleRate = sourceSampleRate
        self.sourceChannels = sourceChannels
        self.reason = reason
    }
}

public enum WavManifest {
    public static let header = ["track_id", "source", "status", "seconds", "source_sample_rate",
                                "source_channels", "reason"]

    /// `manifest.csv` for a single worker, `manifest-I-of-N.csv` for worker I (0-based) of N.
    public static func url(in folder: URL, worker: Int, workers: Int) -> URL {
        folder.appendingPathComponent(workers == 1 ? "manifest.csv" : "manifest-\(worker)-of-\(workers).csv")
    }

    /// The WAV of a track: `NNN/NNNNNN.wav` under the step's folder.
    public static func wavURL(in folder: URL, trackID: Int) -> URL {
        folder.appendingPathComponent(fmaAudioRelativePath(trackID: trackID, extension: "wav"))
    }

    public static func write(_ entries: [ManifestEntry], to url: URL) throws {
        var csv = CSVWriter(header: header)
        for e in entries.sorted(by: { $0.trackID < $1.trackID }) {
            csv.append([String(e.trackID), e.source, e.status.rawValue, String(format: "%.3f", e.seconds),
                        String(e.sourceSampleRate), String(e.sourceChannels), e.reason])
        }
        try AtomicFile.write(csv.text, to: url)
    }

    public static func read(_ url: URL) throws -> [ManifestEntry] {
        var entries: [ManifestEntry] = []
        var first = true
        try CSVReader(url: url).forEachRecord { record in
            if first { first = false; return }
            guard let id = record.int(0), let status = ManifestEntry.Status(rawValue: record[2]) else {
                throw FMAError.badValue(file: url.path, line: record.line, column: "track_id or status", value: record[0])
            }
            entries.append(ManifestEntry(
                trackID: id, source: record[1], status: status, seconds: Double(record[3]) ?? 0,
                sourceSampleRate: record.int(4) ?? 0, sourceChannels: record.int(5) ?? 0, reason: record[6]))
        }
        return entries
    }

    /// Every manifest in the folder (all workers' parts), by track id.
    public static func readAll(in folder: URL) throws -> [Int: ManifestEntry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var byID: [Int: ManifestEntry] = [:]
        for name in names.sorted() where name.hasPrefix("manifest") && name.hasSuffix(".csv") {
            for entry in try read(folder.appendingPathComponent(name)) { byID[entry.trackID] = entry }
        }
        return byID
    }
}
