import Foundation

/// Section 6: what a run needs to be repeated: the toolchain, the C libraries and Swift packages
/// with their versions, the commit, and the machine.
public struct RunEnvironment: Sendable {
    /// `swift --version`'s first line.
    public var swift: String
    /// C library to version (`pkg-config --modversion`; libsvm from its header's `LIBSVM_VERSION`).
    public var libraries: [(name: String, version: String)]
    /// Swift packages pinned in `Package.resolved`.
    public var packages: [(name: String, version: String)]
    /// `git rev-parse HEAD`, and whether tracked files had uncommitted changes.
    public var commit: String?
    public var uncommittedChanges: Bool
    /// `uname -srm`, and the cores the process could use.
    public var system: String
    public var cores: Int

    /// The pkg-config names of the libraries the package links (Package.swift's system targets).
    public static let pkgConfigNames = ["libmpg123", "sndfile", "soxr", "fftw3f", "openblas", "cairo", "zlib"]

    /// Asks the tools; anything unavailable reads "unknown", never an error.
    /// - Parameter root: the package's folder (for git and `Package.resolved`); the working
    ///   directory when the steps run from the package, as `make report` does.
    public static func current(root: URL) -> RunEnvironment {
        let swift = run(["swift", "--version"]).flatMap { $0.split(separator: "\n").first.map(String.init) } ?? compiledWith
        var libraries: [(String, String)] = pkgConfigNames.map { name in
            (name, run(["pkg-config", "--modversion", name])?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown")
        }
        libraries.append(("libsvm", libsvmVersion() ?? "unknown"))
        let commit = run(["git", "-C", root.path, "rev-parse", "HEAD"])?.trimmingCharacters(in: .whitespacesAndNewlines)
        let status = commit == nil ? nil : run(["git", "-C", root.path, "status", "--porcelain", "--untracked-files=no"])
        let system = run(["uname", "-srm"])?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
        return RunEnvironment(swift: swift, libraries: libraries, packages: resolvedPackages(root: root),
                              commit: commit.flatMap { $0.isEmpty ? nil : $0 },
                              uncommittedChanges: !(status ?? "").isEmpty, system: system,
                              cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The compiler this program was built with, when `swift` is not on the PATH.
    static var compiledWith: String {
        #if compiler(>=6.3)
        "Swift 6.3 or later (compiled with)"
        #elseif compiler(>=6.0)
        "Swift 6.0 to 6.2 (compiled with)"
        #else
        "Swift before 6.0 (compiled with)"
        #endif
    }

    /// `LIBSVM_VERSION` from `svm.h` (324 → 3.24), where Debian and Homebrew install it.
    static func libsvmVersion() -> String? {
        for path in ["/usr/include/libsvm/svm.h", "/usr/local/include/svm.h", "/usr/local/include/libsvm/svm.h",
                     "/opt/homebrew/include/svm.h", "/usr/include/svm.h"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") where line.hasPrefix("#define LIBSVM_VERSION") {
                guard let number = line.split(separator: " ").last.flatMap({ Int($0) }) else { continue }
                return "\(number / 100).\(String(format: "%02d", number % 100))"
            }
        }
        return nil
    }

    /// Package name and version (or revision) of every pin in `Package.resolved`.
    static func resolvedPackages(root: URL) -> [(name: String, version: String)] {
        struct Resolved: Decodable {
            struct Pin: Decodable {
                struct State: Decodable { var version: String?; var revision: String? }
                var identity: String
                var state: State
            }
            var pins: [Pin]
        }
        guard let data = try? Data(contentsOf: root.appendingPathComponent("Package.resolved")),
              let resolved = try? JSONDecoder().decode(Resolved.self, from: data) else { return [] }
        return resolved.pins.map { ($0.identity, $0.state.version ?? String(($0.state.revision ?? "unknown").prefix(12))) }
    }

    /// Runs a command found on the PATH; its standard output, or `nil` when it fails.
    static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
