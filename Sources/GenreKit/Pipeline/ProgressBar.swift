import Foundation

/// A progress line for long loops, safe to advance from many threads:
///
///     converting  [##########----------]  412/800  51.3/s  0:08 left
///
/// On a terminal it redraws one line at most five times a second; in a log (not a terminal)
/// it prints a line at every tenth of the work, so CI output stays short.
public final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let lock = NSLock()
    private var done = 0
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastTenth = -1
    private let interactive = isatty(STDERR_FILENO) != 0

    public init(_ label: String, total: Int) {
        self.label = label
        self.total = max(total, 0)
    }

    /// Marks `count` more items done.
    public func advance(by count: Int = 1) {
        lock.lock()
        defer { lock.unlock() }
        done += count
        let now = Date()
        if interactive {
            if now.timeIntervalSince(lastDraw) >= 0.2 || done == total {
                lastDraw = now
                FileHandle.standardError.write(Data(("\r" + line(now: now)).utf8))
            }
        } else if total > 0 {
            let tenth = done * 10 / total
            if tenth > lastTenth {
                lastTenth = tenth
                FileHandle.standardError.write(Data((line(now: now) + "\n").utf8))
            }
        }
    }

    /// Ends the line and returns the elapsed seconds.
    @discardableResult
    public func finish() -> Double {
        lock.lock()
        defer { lock.unlock() }
        if interactive { FileHandle.standardError.write(Data(("\r" + line(now: Date()) + "\n").utf8)) }
        return Date().timeIntervalSince(start)
    }

    private func line(now: Date) -> String {
        let elapsed = max(now.timeIntervalSince(start), 1e-6)
        let rate = Double(done) / elapsed
        let width = 24
        let filled = total > 0 ? min(width, done * width / total) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let left = rate > 0 ? Double(total - done) / rate : 0
        return "\(label)  [\(bar)]  \(done)/\(total)  \(String(format: "%.1f", rate))/s  \(Self.clock(left)) left"
    }

    /// Seconds as `m:ss` or `h:mm:ss`.
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                         : String(format: "%d:%02d", s / 60, s % 60)
    }
}
