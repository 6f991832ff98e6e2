import Foundation

/// The local files a Markdown document links to: `[text](target)`, `![alt](target)` and
/// `<img src="target">`, skipping web addresses and in-page anchors. Used to check that every
/// link of the report resolves before it is written.
public enum ReportLinks {
    public static func localTargets(in markdown: String) -> [String] {
        var targets: [String] = []
        let characters = Array(markdown)
        var index = 0
        while index < characters.count - 1 {
            if characters[index] == "]", characters[index + 1] == "(" {
                var end = index + 2
                while end < characters.count, characters[end] != ")", characters[end] != "\n" { end += 1 }
                if end < characters.count, characters[end] == ")" {
                    // A title after the address ("figures/a.png \"title\"") is not part of it.
                    let inside = String(characters[(index + 2)..<end])
                    targets.append(String(inside.split(separator: " ").first ?? ""))
                }
                index = end
            } else {
                index += 1
            }
        }
        for piece in markdown.components(separatedBy: "src=\"").dropFirst() {
            if let close = piece.firstIndex(of: "\"") { targets.append(String(piece[..<close])) }
        }
        return targets.filter { target in
            !target.isEmpty && !target.hasPrefix("#") && !target.contains("://") && !target.hasPrefix("mailto:")
        }
    }

    /// Targets that do not exist relative to `folder`.
    public static func broken(in markdown: String, relativeTo folder: URL) -> [String] {
        localTargets(in: markdown).filter { target in
            let path = target.split(separator: "#").first.map(String.init) ?? target
            let decoded = path.removingPercentEncoding ?? path
            return !FileManager.default.fileExists(atPath: folder.appendingPathComponent(decoded).path)
        }
    }
}
