import Foundation

/// Writes files so that readers see either nothing or the whole file: the content goes to a
/// temporary name in the same folder and is renamed over the target when complete. An
/// interrupted step therefore leaves no half-written artifact, and its next run starts clean.
public enum AtomicFile {
    /// A temporary name beside `url`, unique to this process and call.
    public static func temporaryURL(for url: URL) -> URL {
        let unique = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(unique).tmp")
    }

    /// Writes `data` to `url` atomically, creating the folder if needed.
    public static func write(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try write(to: url) { temporary in try data.write(to: temporary) }
    }

    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Lets `body` write the temporary file its own way (a C library, say), then renames it.
    /// The temporary file is removed if `body` throws.
    public static func write(to url: URL, _ body: (URL) throws -> Void) throws {
        let temporary = temporaryURL(for: url)
        do {
            try body(temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [
                    NSFilePathErrorKey: url.path,
                    NSLocalizedDescriptionKey: "cannot rename \(temporary.lastPathComponent) to \(url.path): \(String(cString: strerror(errno)))",
                ])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Writes a value as pretty, key-sorted JSON (stable diffs between runs).
    public static func writeJSON(_ value: some Encodable, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try write(encoder.encode(value), to: url)
    }
}
