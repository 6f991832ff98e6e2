import Foundation

/// The effective configuration as a TOML file: every key of every section with the value the
/// steps used, so that a reader can save it and run `make report CONFIG=that.toml` to repeat the
/// run. Sections and keys come in declaration order, with the file's own spelling
/// (`sample_rate` for `sampleRate`: every `CodingKeys` of `GenreConfig` is the snake case of its
/// property, which a test checks by reading the listing back with `ConfigLoader`).
public enum ConfigListing {
    public static func toml(_ config: GenreConfig) -> String {
        var lines: [String] = []
        for section in Mirror(reflecting: config).children {
            guard let name = section.label else { continue }
            if !lines.isEmpty { lines.append("") }
            lines.append("[\(snakeCase(name))]")
            for key in Mirror(reflecting: section.value).children {
                guard let label = key.label else { continue }
                lines.append("\(snakeCase(label)) = \(value(key.value))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `demoClipsPerGenre` → `demo_clips_per_genre`.
    static func snakeCase(_ name: String) -> String {
        var text = ""
        for character in name {
            if character.isUppercase {
                text += "_" + character.lowercased()
            } else {
                text.append(character)
            }
        }
        return text
    }

    /// A value as TOML: strings quoted and escaped, floats always with a decimal point (TOML
    /// tells integers from floats by it).
    static func value(_ any: Any) -> String {
        switch any {
        case let string as String:
            "\"" + string.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case let bool as Bool: bool ? "true" : "false"
        case let int as Int: String(int)
        case let double as Double:
            double == double.rounded() && abs(double) < 1e15 ? String(format: "%.1f", double) : "\(double)"
        default: "\"\(any)\""
        }
    }
}
