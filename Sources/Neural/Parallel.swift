import Dispatch

/// Runs `body(i)` for `i` in `0..<count`, spread over the cores when `count > 1`.
///
/// Each call must write only its own part of the output (one batch item, say), so that the
/// result does not depend on thread timing: nothing here reduces floats across threads.
/// - Parameters:
///   - count: the number of independent items, usually the batch N.
///   - body: the work for one item.
@inline(__always)
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count > 1 {
        // concurrentPerform wants a @Sendable closure; the items' disjoint writes (above) are
        // what make sharing `body` safe, which the compiler cannot see.
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: count) { work($0) }
        }
    } else if count == 1 {
        body(0)
    }
}

/// Runs `body(part, items)` for the contiguous ranges of `0..<count` that make one part per
/// core (`Gemm.parts`), concurrently: a fixed assignment of items to parts, so that per-part
/// partial sums, added in part order afterwards, give the same floats on every run.
/// - Parameters:
///   - count: the number of items, usually the batch N.
///   - body: the work for one part: its index and its items.
func parallelParts(_ count: Int, _ body: (Int, Range<Int>) -> Void) {
    let parts = min(Gemm.parts, max(count, 1))
    parallelFor(parts) { part in
        body(part, (count * part / parts)..<(count * (part + 1) / parts))
    }
}
