import Foundation

/// Results of work spread over threads, one slot per task, and the first error any task
/// met; the other tasks look at `hasFailed` to stop early.
final class LockedResults<Value: Sendable>: @unchecked Sendable {
    // Every stored property is read and written only under `lock`.
    private let lock = NSLock()
    private var values: [Value?]
    private var firstError: Error?

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }

    var hasFailed: Bool {
        lock.withLock { firstError != nil }
    }

    func store(_ value: Value, at position: Int) {
        lock.withLock { values[position] = value }
    }

    /// Keeps the first real error; a `CancellationError` only ever follows another failure.
    func fail(_ error: Error) {
        lock.withLock {
            if firstError == nil, !(error is CancellationError) { firstError = error }
        }
    }

    /// Every value in slot order, or the first error.
    func collect() throws -> [Value] {
        try lock.withLock {
            if let firstError { throw firstError }
            return values.map { $0! }
        }
    }
}
