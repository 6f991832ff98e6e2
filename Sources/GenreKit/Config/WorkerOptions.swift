import ArgumentParser

/// `--worker I --workers N`: a deterministic share of a step's work, so that N machines over
/// one shared folder (a Slurm job array, a Kubernetes indexed job) split it with no
/// coordination. Worker I takes items I, I + N, I + 2N, ...
public struct WorkerOptions: ParsableArguments {
    @Option(help: "This worker's index, 0-based.")
    public var worker = 0

    @Option(help: "Number of workers sharing the work over one folder.")
    public var workers = 1

    public init() {}

    public func validate() throws {
        guard workers >= 1, (0..<workers).contains(worker) else {
            throw ValidationError("--worker must be in 0..<--workers (got \(worker) of \(workers)).")
        }
    }

    /// Whether item `index` (a position in a list every worker sorts alike) is this worker's.
    public func owns(_ index: Int) -> Bool { index % workers == worker }
}
