/// What went wrong drawing, writing or reading a figure.
/// Every description is a whole sentence that names the chart or the file involved.
public enum PlotError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Cairo could not create the image surface (a size of zero, or too large).
    case surfaceFailed(width: Int, height: Int, reason: String)
    /// The PNG could not be written.
    case writeFailed(path: String, reason: String)
    /// The PNG could not be read back.
    case readFailed(path: String, reason: String)
    /// The chart's data cannot be drawn (mismatched lengths, no finite values, too small a figure).
    case invalidChart(chart: String, reason: String)
    /// Cairo reported an error while drawing.
    case drawingFailed(chart: String, reason: String)

    public var description: String {
        switch self {
        case let .surfaceFailed(width, height, reason):
            "Cannot create a \(width) x \(height) pixel figure: \(reason)."
        case let .writeFailed(path, reason):
            "Cannot write the figure to \(path): \(reason)."
        case let .readFailed(path, reason):
            "Cannot read the image \(path): \(reason)."
        case let .invalidChart(chart, reason):
            "Cannot draw \(chart): \(reason)."
        case let .drawingFailed(chart, reason):
            "Cairo failed while drawing \(chart): \(reason)."
        }
    }
}

/// How a chart names itself in errors: its kind and, when it has one, its title in quotes.
func chartName(_ kind: String, title: String) -> String {
    title.isEmpty ? "the \(kind)" : "the \(kind) \"\(title)\""
}
