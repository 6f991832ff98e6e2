import Foundation

/// Section 5: what each step cost, one row per step (per base network for step 07).
public struct StepCostRow: Sendable {
    public var name: String
    public var wallSeconds: Double?
    public var cpuSeconds: Double?
    public var peakMemoryBytes: Int?
    /// Work done and its rate, when the step recorded it.
    public var work: String?
    public var throughput: String?
    /// "has not run: ...", or where the numbers come from.
    public var note: String

    /// Steps 00 to 04 from their `cost.json` (`StepCost`), 05 to 07 from `cost.json` when present
    /// and otherwise from their `results.json` (wall time and peak memory).
    public static func collect(in workspace: Workspace, results: ModelResults, steps: ReportSteps) throws -> [StepCostRow] {
        var rows: [StepCostRow] = []
        for step in Workspace.Step.allCases where step != .report {
            let cost: StepCost?
            do { cost = try StepCost.read(step, in: workspace) } catch {
                throw ReportError.undecodable(path: StepCost.url(for: step, in: workspace).path, reason: "\(error)")
            }
            if let cost {
                rows.append(StepCostRow(
                    name: step.rawValue, wallSeconds: cost.wallSeconds, cpuSeconds: cost.cpuSeconds,
                    peakMemoryBytes: cost.peakMemoryBytes, work: "\(cost.items) \(cost.unit)",
                    throughput: cost.throughput.map { ReportFormat.rate($0, unit: cost.unit) },
                    note: "last run that did work, ended \(cost.finished)"))
                continue
            }
            let files = results.files.filter { $0.step == step }
            if !files.isEmpty {
                for file in files {
                    let models = file.results.models.count
                    rows.append(StepCostRow(
                        name: file.name, wallSeconds: file.results.wallSeconds, cpuSeconds: nil,
                        peakMemoryBytes: file.results.peakMemoryBytes,
                        work: "\(models) model\(models == 1 ? "" : "s")", throughput: nil, note: "from results.json"))
                }
            } else if ReportSteps.hasRun(step, in: workspace) {
                rows.append(StepCostRow(name: step.rawValue, note: "ran, but left no cost record"))
            } else {
                rows.append(StepCostRow(name: step.rawValue, note: steps.missing(step)))
            }
        }
        return rows
    }
}
