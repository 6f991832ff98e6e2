/// Builds RFC 4180 CSV text: fields holding a comma, a quote or a line break are quoted,
/// with quotes doubled, so that `CSVReader` (and pandas) read back exactly what was written.
public struct CSVWriter {
    public private(set) var text = ""

    public init(header: [String]? = nil) {
        if let header { append(header) }
    }

    public mutating func append(_ fields: [String]) {
        text += fields.map(Self.escape).joined(separator: ",")
        text += "\n"
    }

    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
