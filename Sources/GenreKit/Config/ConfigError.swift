/// A configuration file or command-line override that cannot be used.
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case syntax(file: String, line: Int, column: Int, message: String)
    case unknownKey(key: String, source: String, known: [String])
    case wrongType(key: String, source: String, expected: String, found: String)
    case malformedOverride(String)
    case invalidValue(key: String, source: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "Cannot read the configuration file \(file): \(reason)."
        case let .syntax(file, line, column, message):
            "\(file):\(line):\(column): not valid TOML: \(message)."
        case let .unknownKey(key, source, known):
            "Unknown configuration key '\(key)' in \(source). Known keys: \(known.joined(separator: ", "))."
        case let .wrongType(key, source, expected, found):
            "Configuration key '\(key)' in \(source) must be \(expected), not \(found)."
        case let .malformedOverride(text):
            "Cannot read the override '\(text)': write it as section.key=value, e.g. tfrecords.shards=8."
        case let .invalidValue(key, source, reason):
            "Configuration key '\(key)' in \(source): \(reason)."
        }
    }
}
