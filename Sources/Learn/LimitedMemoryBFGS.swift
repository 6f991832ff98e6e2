/// Minimizes a smooth function with the limited-memory BFGS method: each step goes along
/// −H·g, where H approximates the inverse Hessian from the last `memory` steps and gradient
/// changes (the two-loop recursion), with a line search that meets the strong Wolfe conditions.
/// Nocedal & Wright, *Numerical Optimization* (2nd ed., 2006), algorithms 7.4 (two-loop
/// recursion), 3.5 and 3.6 (line search and zoom). scikit-learn's `lbfgs` solver calls SciPy's
/// L-BFGS-B with the same memory (10) and stopping tests, which this follows:
/// `max |g| <= gradientTolerance`, or a relative decrease of f below `functionTolerance`.
struct LimitedMemoryBFGS {
    /// Pairs (s, y) kept: SciPy's `maxcor`, 10.
    var memory = 10
    var maxIterations = 100
    /// SciPy's `gtol` (scikit-learn passes its `tol`).
    var gradientTolerance = 1e-4
    /// SciPy's `ftol`; scikit-learn passes 64 machine epsilons.
    var functionTolerance = 64 * Double.ulpOfOne
    /// Function evaluations per line search at most (SciPy's `maxls`, 20; scikit-learn: 50).
    var maxLineSearchSteps = 50

    struct Result {
        var x: [Double]
        var value: Double
        var iterations: Int
        var converged: Bool
    }

    /// - Parameter objective: writes the gradient at x into its second argument and returns f(x).
    func minimize(from start: [Double], _ objective: ([Double], inout [Double]) -> Double) -> Result {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var f = objective(x, &g)
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        var direction = [Double](repeating: 0, count: n)
        var alpha = [Double](repeating: 0, count: memory)
        for iteration in 0..<maxIterations {
            if maxNorm(g) <= gradientTolerance { return Result(x: x, value: f, iterations: iteration, converged: true) }
            // Two-loop recursion: direction = −H g.
            for i in 0..<n { direction[i] = -g[i] }
            for k in stride(from: s.count - 1, through: 0, by: -1) {
                alpha[k] = rho[k] * dot(s[k], direction)
                axpy(-alpha[k], y[k], &direction)
            }
            if let last = s.indices.last {
                let scale = dot(s[last], y[last]) / dot(y[last], y[last])
                for i in 0..<n { direction[i] *= scale }
            }
            for k in 0..<s.count {
                let beta = rho[k] * dot(y[k], direction)
                axpy(alpha[k] - beta, s[k], &direction)
            }
            var slope = dot(g, direction)
            if slope >= 0 {  // not a descent direction (rounding): restart from steepest descent
                s.removeAll(); y.removeAll(); rho.removeAll()
                for i in 0..<n { direction[i] = -g[i] }
                slope = dot(g, direction)
            }
            let firstStep = s.isEmpty ? min(1, 1 / max(dot(direction, direction).squareRoot(), 1e-300)) : 1
            guard let found = lineSearch(x: x, f: f, g: g, direction: direction, slope: slope,
                                         step: firstStep, objective) else {
                return Result(x: x, value: f, iterations: iteration, converged: false)
            }
            let step = zip(found.x, x).map { $0 - $1 }
            let change = zip(found.g, g).map { $0 - $1 }
            let curvature = dot(step, change)
            if curvature > 1e-10 * dot(change, change) {
                if s.count == memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
                s.append(step); y.append(change); rho.append(1 / curvature)
            }
            let decrease = (f - found.f) / max(abs(f), abs(found.f), 1)
            x = found.x; g = found.g
            let previous = f
            f = found.f
            if decrease <= functionTolerance && previous >= f {
                return Result(x: x, value: f, iterations: iteration + 1, converged: true)
            }
        }
        return Result(x: x, value: f, iterations: maxIterations, converged: maxNorm(g) <= gradientTolerance)
    }

    /// A step along `direction` meeting the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9), or
    /// nil when none is found within `maxLineSearchSteps` evaluations.
    private func lineSearch(x: [Double], f f0: Double, g g0: [Double], direction: [Double], slope: Double,
                            step: Double, _ objective: ([Double], inout [Double]) -> Double)
        -> (x: [Double], f: Double, g: [Double])? {
        let c1 = 1e-4, c2 = 0.9
        var evaluations = 0
        var gradient = [Double](repeating: 0, count: x.count)
        func evaluate(_ t: Double) -> (f: Double, slope: Double, x: [Double], g: [Double]) {
            evaluations += 1
            var point = x
            axpy(t, direction, &point)
            let value = objective(point, &gradient)
            return (value, dot(gradient, direction), point, gradient)
        }
        // Bracketing: grow the step until it overshoots, the function rises or the slope turns.
        var previous = (t: 0.0, f: f0, slope: slope)
        var t = step
        var low: (t: Double, f: Double, slope: Double), high: (t: Double, f: Double, slope: Double)
        while true {
            let trial = evaluate(t)
            if !trial.f.isFinite || trial.f > f0 + c1 * t * slope || (evaluations > 1 && trial.f >= previous.f) {
                low = previous; high = (t, trial.f.isFinite ? trial.f : .greatestFiniteMagnitude, trial.slope)
                break
            }
            if abs(trial.slope) <= -c2 * slope { return (trial.x, trial.f, trial.g) }
            if trial.slope >= 0 { low = (t, trial.f, trial.slope); high = previous; break }
            if evaluations >= maxLineSearchSteps { return nil }
            previous = (t, trial.f, trial.slope)
            t *= 2
        }
        // Zoom: shrink [low, high] by safeguarded cubic interpolation.
        while evaluations < maxLineSearchSteps {
            var t = cubicMinimum(low, high)
            let (a, b) = (min(low.t, high.t), max(low.t, high.t))
            let margin = 0.1 * (b - a)
            if !t.isFinite || t < a + margin || t > b - margin { t = (a + b) / 2 }
            let trial = evaluate(t)
            if !trial.f.isFinite || trial.f > f0 + c1 * t * slope || trial.f >= low.f {
                high = (t, trial.f.isFinite ? trial.f : .greatestFiniteMagnitude, trial.slope)
            } else {
                if abs(trial.slope) <= -c2 * slope { return (trial.x, trial.f, trial.g) }
                if trial.slope * (high.t - low.t) >= 0 { high = low }
                low = (t, trial.f, trial.slope)
            }
            if abs(high.t - low.t) < 1e-16 * max(1, abs(low.t)) { break }
        }
        // No Wolfe point, but a decrease is still progress.
        if low.t > 0, low.f < f0 {
            let point = evaluate(low.t)
            return (point.x, point.f, point.g)
        }
        return nil
    }

    /// The minimizer of the cubic through two points with their values and slopes.
    private func cubicMinimum(_ p: (t: Double, f: Double, slope: Double), _ q: (t: Double, f: Double, slope: Double)) -> Double {
        let d1 = p.slope + q.slope - 3 * (p.f - q.f) / (p.t - q.t)
        let radicand = d1 * d1 - p.slope * q.slope
        guard radicand >= 0 else { return .nan }
        let d2 = (q.t > p.t ? 1.0 : -1.0) * radicand.squareRoot()
        return q.t - (q.t - p.t) * (q.slope + d2 - d1) / (q.slope - p.slope + 2 * d2)
    }
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for i in 0..<a.count { sum += a[i] * b[i] }
    return sum
}

/// y += a·x.
func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
    for i in 0..<x.count { y[i] += a * x[i] }
}

func maxNorm(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
