import Foundation

/// What stops step 08: an input that exists but cannot be read, or a report that would link to
/// a file that is not there. A step that has not run is not an error: the report lists it.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    /// A `results.json` (or another record) that does not decode.
    case undecodable(path: String, reason: String)
    /// Links in the written Markdown whose target does not exist, relative to the report.
    case brokenLinks(report: String, targets: [String])

    public var description: String {
        switch self {
        case let .undecodable(path, reason):
            "\(path) cannot be read as a step's results: \(reason). Run the step that wrote it again."
        case let .brokenLinks(report, targets):
            "\(report) links to \(targets.count) missing file(s): \(targets.prefix(5).joined(separator: ", "))."
        }
    }
}
