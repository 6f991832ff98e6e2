import Foundation
@testable import Learn
import Testing

/// The optimizer on functions whose minimum is known.
@Suite struct LimitedMemoryBFGSTests {
    @Test func findsRosenbrocksMinimum() {
        // f = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1): a curved valley that defeats
        // steepest descent.
        let solver = LimitedMemoryBFGS(maxIterations: 500, gradientTolerance: 1e-10)
        let result = solver.minimize(from: [-1.2, 1]) { p, g in
            let (x, y) = (p[0], p[1])
            g[0] = -2 * (1 - x) - 400 * x * (y - x * x)
            g[1] = 200 * (y - x * x)
            return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
        }
        #expect(result.converged)
        #expect(abs(result.x[0] - 1) < 1e-6 && abs(result.x[1] - 1) < 1e-6, "\(result.x) after \(result.iterations)")
    }

    @Test func solvesAnIllConditionedQuadratic() {
        // f = ½ Σ cᵢ (xᵢ − i)², condition number 1e4: minimum at xᵢ = i.
        let scales = (0..<50).map { pow(10, 4 * Double($0) / 49) }
        let result = LimitedMemoryBFGS(maxIterations: 1000, gradientTolerance: 1e-8).minimize(from: [Double](repeating: 0, count: 50)) { x, g in
            var f = 0.0
            for i in 0..<50 {
                g[i] = scales[i] * (x[i] - Double(i))
                f += 0.5 * scales[i] * (x[i] - Double(i)) * (x[i] - Double(i))
            }
            return f
        }
        #expect(result.converged)
        #expect((0..<50).allSatisfy { abs(result.x[$0] - Double($0)) < 1e-6 })
    }
}
