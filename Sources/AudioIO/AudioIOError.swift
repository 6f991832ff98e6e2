import Foundation

/// What went wrong reading, decoding, resampling or writing audio.
/// Every case names the file, so that a skipped track can be found and inspected.
public enum AudioIOError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read at all (missing, unreadable).
    case unreadable(path: String, reason: String)
    /// The file is empty.
    case empty(path: String)
    /// The bytes are not audio in any format we decode.
    case unrecognized(path: String, firstBytes: String)
    /// A decoder accepted the format but failed on the content.
    case decodeFailed(path: String, decoder: String, reason: String)
    /// The stream decoded to no samples at all.
    case noAudio(path: String, decoder: String)
    /// libsoxr refused a conversion.
    case resampleFailed(from: Int, to: Int, reason: String)
    /// Writing or encoding a file failed.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "Cannot read \(path): \(reason)."
        case let .empty(path):
            "\(path) is empty (0 bytes)."
        case let .unrecognized(path, firstBytes):
            "\(path) is not audio in any format we decode (first bytes: \(firstBytes))."
        case let .decodeFailed(path, decoder, reason):
            "\(decoder) could not decode \(path): \(reason)."
        case let .noAudio(path, decoder):
            "\(path) holds no decodable audio (\(decoder) found no complete frame)."
        case let .resampleFailed(from, to, reason):
            "Resampling from \(from) Hz to \(to) Hz failed: \(reason)."
        case let .writeFailed(path, reason):
            "Cannot write \(path): \(reason)."
        }
    }

    /// A short machine-friendly label for manifests (`empty`, `unrecognized`, ...).
    public var kind: String {
        switch self {
        case .unreadable: "unreadable"
        case .empty: "empty"
        case .unrecognized: "unrecognized"
        case .decodeFailed: "decode-failed"
        case .noAudio: "no-audio"
        case .resampleFailed: "resample-failed"
        case .writeFailed: "write-failed"
        }
    }
}

/// A file's bytes, or `AudioIOError.unreadable` naming it.
func readBytes(of url: URL) throws -> [UInt8] {
    do {
        return try [UInt8](Data(contentsOf: url))
    } catch {
        throw AudioIOError.unreadable(path: url.path, reason: (error as NSError).localizedDescription)
    }
}
