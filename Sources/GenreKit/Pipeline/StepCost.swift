import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one run of a step cost: wall time, CPU time, peak memory and the work it did.
///
/// Each step ends with one call, `try StepCost.record(.wav, in: workspace, items: n, unit: "clips")`,
/// which writes `artifacts/NN-name/cost.json`; step 08 reads these into the report's table of
/// costs. Wall time is measured from the process's start (the kernel's record of it), so the
/// call needs no clock started at the top of the step. A run that did no work (`items == 0`:
/// everything was already done) keeps the record of the last run that did.
public struct StepCost: Codable, Equatable, Sendable {
    /// The step's artifact folder name, `02-wav`.
    public var step: String
    /// Seconds from the process's start to the call, and CPU seconds (user + system) of all
    /// its threads: CPU / wall above 1 means the cores were shared out.
    public var wallSeconds: Double
    public var cpuSeconds: Double
    /// The most resident memory the process held (`getrusage`'s `ru_maxrss`), in bytes.
    public var peakMemoryBytes: Int
    /// Work done in this run, in `unit`s: `400 clips`.
    public var items: Int
    public var unit: String
    /// When the run ended, ISO 8601 in UTC.
    public var finished: String

    public init(step: String, wallSeconds: Double, cpuSeconds: Double, peakMemoryBytes: Int, items: Int, unit: String,
                finished: String) {
        self.step = step
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.peakMemoryBytes = peakMemoryBytes
        self.items = items
        self.unit = unit
        self.finished = finished
    }

    /// Items per wall-clock second, `nil` when the run did none.
    public var throughput: Double? {
        items > 0 && wallSeconds > 0 ? Double(items) / wallSeconds : nil
    }

    /// `artifacts/NN-name/cost.json`.
    public static func url(for step: Workspace.Step, in workspace: Workspace) -> URL {
        workspace.folder(step).appendingPathComponent("cost.json")
    }

    /// Measures this process so far and writes the record, unless the run did no work and an
    /// earlier record exists.
    /// - Parameters:
    ///   - step: the step whose folder receives `cost.json`.
    ///   - items: the work done in this run (clips converted, records written, models trained).
    ///   - unit: what an item is, plural: `"clips"`.
    /// - Returns: the record written, or the earlier one that was kept.
    @discardableResult
    public static func record(_ step: Workspace.Step, in workspace: Workspace, items: Int, unit: String) throws -> StepCost {
        let url = url(for: step, in: workspace)
        if items == 0, let previous = try? read(url) { return previous }
        let cost = StepCost(step: step.rawValue, wallSeconds: processWallSeconds(), cpuSeconds: processCPUSeconds(),
                            peakMemoryBytes: peakResidentMemory(), items: items, unit: unit,
                            finished: ISO8601DateFormatter().string(from: Date()))
        try AtomicFile.writeJSON(cost, to: url)
        return cost
    }

    /// Reads a record; a file that does not decode is an error naming it.
    public static func read(_ url: URL) throws -> StepCost {
        do {
            return try JSONDecoder().decode(StepCost.self, from: Data(contentsOf: url))
        } catch {
            throw ResultsError.malformed(path: url.path, line: 1, reason: "not a step cost record (\(error))")
        }
    }

    /// The record of a step, `nil` when it has none (the step has not run, or predates records).
    public static func read(_ step: Workspace.Step, in workspace: Workspace) throws -> StepCost? {
        let url = url(for: step, in: workspace)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try read(url)
    }
}

/// Seconds since this process started, from the kernel's process table (`/proc/self/stat`'s
/// `starttime` in clock ticks after boot, against `/proc/uptime`; on Darwin `p_starttime`).
/// Resolution: one clock tick, 10 ms on Linux.
public func processWallSeconds() -> Double {
    #if os(Linux)
    guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")"),
          let uptimeText = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
          let uptime = uptimeText.split(separator: " ").first.flatMap({ Double($0) }) else { return 0 }
    // Fields after the command name's closing parenthesis start at field 3 (state); starttime is field 22.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 19, let ticks = Double(fields[19]) else { return 0 }
    let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    return max(0, uptime - ticks / ticksPerSecond)
    #elseif canImport(Darwin)
    var info = kinfo_proc()
    var size = MemoryLayout<kinfo_proc>.stride
    var name: [Int32] = [CTL_KERN, KERN_PROC, KERN_PROC_PID, getpid()]
    guard sysctl(&name, 4, &info, &size, nil, 0) == 0 else { return 0 }
    let start = info.kp_proc.p_un.__p_starttime
    return Date().timeIntervalSince1970 - (Double(start.tv_sec) + Double(start.tv_usec) / 1e6)
    #else
    return 0
    #endif
}

/// CPU seconds (user + system) this process has used so far, all threads (`getrusage`).
public func processCPUSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
    #else
    guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
