import CSVM
import Foundation

/// A support vector machine with an RBF kernel K(x, s) = exp(−γ‖x − s‖²), trained by libsvm's
/// C-SVC solver (SMO with shrinking) one-vs-one, as scikit-learn's `SVC(C=…, gamma=…)` does
/// with its copy of libsvm: K(K − 1)/2 binary machines, each example labelled by their vote,
/// a tied vote going to the lowest label. Boser, Guyon & Vapnik (1992); Cortes & Vapnik (1995);
/// Chang & Lin, "LIBSVM" (2011).
///
/// The solver is libsvm's; the kernel is ours. libsvm computes kernel values one pair of
/// sparse vectors at a time, which on dense features is most of its time. We hand each binary
/// problem to libsvm with a precomputed kernel (`kernel_type = PRECOMPUTED`) whose matrix comes
/// from one BLAS product, train the binary problems on every core, and assemble the multiclass
/// model exactly as libsvm's `svm_train` does (support vectors grouped by class, `sv_coef`,
/// `rho`). Prediction is again a matrix product. The result is the same machine libsvm trains
/// on its own, and is saved in libsvm's file format with an RBF kernel.
public struct SupportVectorMachine: Classifier, Equatable {
    public static let name = "SVM (RBF kernel)"

    /// The kernel width γ.
    public enum Gamma: Equatable, Sendable, Codable {
        /// `factor` / (d · Var(X)), the variance over every value of the training matrix;
        /// factor 1 is scikit-learn's default `gamma='scale'`.
        case scale(times: Double)
        /// A fixed γ.
        case value(Double)

        public static let scale = Gamma.scale(times: 1)

        /// γ for training data `features`.
        public func resolved(for features: FeatureMatrix) -> Double {
            switch self {
            case let .scale(factor):
                let variance = features.overallVariance
                return factor / (Double(features.columns) * (variance > 0 ? variance : 1))
            case let .value(gamma): return gamma
            }
        }

        var text: String {
            switch self {
            case let .scale(factor): factor == 1 ? "scale" : "\(formatParameter(factor)) x scale"
            case let .value(gamma): formatParameter(gamma)
            }
        }
    }

    /// The penalty on margin violations. scikit-learn: `C`, default 1.
    public var c: Double
    public var gamma: Gamma
    /// libsvm's stopping tolerance `eps`. scikit-learn: `tol`, 1e-3.
    public var tolerance: Double
    /// libsvm's kernel cache per binary problem, in MB. scikit-learn: `cache_size`, 200.
    public var cacheMegabytes: Double
    /// libsvm's shrinking heuristic. scikit-learn: `shrinking`, true.
    public var shrinking: Bool

    public init(c: Double = 1, gamma: Gamma = .scale, tolerance: Double = 1e-3, cacheMegabytes: Double = 200,
                shrinking: Bool = true) {
        self.c = c
        self.gamma = gamma
        self.tolerance = tolerance
        self.cacheMegabytes = cacheMegabytes
        self.shrinking = shrinking
    }

    public var parameters: [String: String] { ["C": formatParameter(c), "gamma": gamma.text] }

    /// The trained machine: its support vectors and coefficients, and the libsvm model that
    /// holds the same numbers for saving.
    public struct Fitted: FittedClassifier {
        public let classCount: Int
        /// γ as trained (for `.scale`, computed from the training data).
        public let gamma: Double
        /// l x d, grouped by class in `labels` order.
        public let supportVectors: FeatureMatrix
        /// (K' − 1) x l, libsvm's `sv_coef` (K' = classes present in training).
        public let coefficients: FeatureMatrix
        /// K'(K' − 1)/2 values: libsvm's `rho`, pair (0,1), (0,2), …
        public let intercepts: [Double]
        /// The classes present in training, ascending (libsvm's `label`).
        public let labels: [Int]
        /// Support vectors per class (libsvm's `nSV`).
        public let supportCounts: [Int]
        /// Rows of the training matrix that became support vectors, in `supportVectors` order
        /// (scikit-learn's `support_`); empty for a loaded model.
        public let supportIndices: [Int]
        /// The same machine as a libsvm model, for `svm_save_model`.
        public let libsvm: LibSVMModel

        public var featureCount: Int { supportVectors.columns }

        init(classCount: Int, gamma: Double, c: Double, supportVectors: FeatureMatrix, coefficients: FeatureMatrix,
             intercepts: [Double], labels: [Int], supportCounts: [Int], supportIndices: [Int]) {
            self.classCount = classCount
            self.gamma = gamma
            self.supportVectors = supportVectors
            self.coefficients = coefficients
            self.intercepts = intercepts
            self.labels = labels
            self.supportCounts = supportCounts
            self.supportIndices = supportIndices
            libsvm = LibSVMModel(gamma: gamma, c: c, supportVectors: supportVectors, coefficients: coefficients,
                                 intercepts: intercepts, labels: labels, supportCounts: supportCounts)
        }

        /// A machine read from a libsvm model file.
        /// - Parameters:
        ///   - featureCount: d (libsvm's files leave zero values out, so d is not in the file).
        ///   - classCount: labels run over `0..<classCount`.
        public init(libsvm model: LibSVMModel, featureCount: Int, classCount: Int) throws {
            self.classCount = classCount
            gamma = model.gamma
            supportVectors = try model.supportVectors(featureCount: featureCount)
            coefficients = model.coefficients
            intercepts = model.intercepts
            labels = model.labels
            supportCounts = model.supportCounts
            supportIndices = []
            libsvm = model
            guard labels.allSatisfy({ (0..<classCount).contains($0) }) else {
                throw LearnError.badLabels(model: SupportVectorMachine.name, reason: "the file's labels \(labels) exceed \(classCount) classes")
            }
        }

        /// The K'(K' − 1)/2 pairwise decision values per example, m x pairs; positive votes for
        /// the pair's first class (libsvm's `svm_predict_values`).
        public func decisionValues(_ features: FeatureMatrix) -> FeatureMatrix {
            precondition(features.columns == featureCount, "fitted on \(featureCount) features, given \(features.columns)")
            let m = features.rows, l = supportVectors.rows, d = featureCount, k = labels.count
            var kernel = rbfKernel(features, supportVectors, gamma: gamma)
            var starts = [0]
            for count in supportCounts { starts.append(starts.last! + count) }
            var out = FeatureMatrix(rows: m, columns: k * (k - 1) / 2)
            _ = d
            kernel.values.withUnsafeMutableBufferPointer { kv in
                for row in 0..<m {
                    let kr = kv.baseAddress! + row * l
                    var p = 0
                    for i in 0..<k {
                        for j in (i + 1)..<k {
                            var sum = 0.0
                            for s in starts[i]..<starts[i + 1] { sum += coefficients[j - 1, s] * kr[s] }
                            for s in starts[j]..<starts[j + 1] { sum += coefficients[i, s] * kr[s] }
                            out[row, p] = sum - intercepts[p]
                            p += 1
                        }
                    }
                }
            }
            return out
        }

        public func predict(_ features: FeatureMatrix) -> [Int] {
            let k = labels.count
            guard k > 1 else { return [Int](repeating: labels.first ?? 0, count: features.rows) }
            let decisions = decisionValues(features)
            return (0..<features.rows).map { row in
                var votes = [Int](repeating: 0, count: k)
                var p = 0
                for i in 0..<k {
                    for j in (i + 1)..<k {
                        votes[decisions[row, p] > 0 ? i : j] += 1
                        p += 1
                    }
                }
                var winner = 0
                for i in 1..<k where votes[i] > votes[winner] { winner = i }
                return labels[winner]
            }
        }
    }

    public func fit(_ features: FeatureMatrix, labels: [Int], classCount: Int) throws -> Fitted {
        try validate(features, labels: labels, classCount: classCount)
        guard c > 0 else { throw LearnError.badHyperparameter(model: Self.name, name: "C", reason: "must be positive, not \(c)") }
        let gammaValue = gamma.resolved(for: features)
        guard gammaValue > 0, gammaValue.isFinite else {
            throw LearnError.badHyperparameter(model: Self.name, name: "gamma", reason: "must be positive, not \(gammaValue)")
        }
        // Group the examples by class, keeping their order (libsvm's svm_group_classes; with the
        // classes ascending, as scikit-learn's copy orders them).
        var members = [[Int]](repeating: [], count: classCount)
        for (i, label) in labels.enumerated() { members[label].append(i) }
        let present = (0..<classCount).filter { !members[$0].isEmpty }
        guard present.count >= 2 else {
            throw LearnError.badLabels(model: Self.name, reason: "training examples of one class only; an SVM needs two")
        }
        let k = present.count
        let pairs = (0..<k).flatMap { i in ((i + 1)..<k).map { (i, $0) } }
        // The kernel of every pair of training examples, once, with the examples grouped by
        // class: each binary problem's kernel is then four contiguous blocks of it.
        let order = present.flatMap { members[$0] }
        var blockStarts = [0]
        for label in present { blockStarts.append(blockStarts.last! + members[label].count) }
        let kernel = SymmetricKernel(features.selecting(rows: order), gamma: gammaValue)
        // Each binary machine: coefficients y·α for class i's examples, then class j's, and rho.
        // Workers take the next pair from a shared counter and reuse one node buffer each.
        let results = Slots<Result<(first: [Double], second: [Double], rho: Double), any Error>>(count: pairs.count)
        let next = Slots<Int>(count: 1)
        let parameters = self
        parallelFor(min(MatrixProduct.parts, pairs.count)) { _ in
            var buffer = NodeBuffer()
            while let p = next.claim(below: pairs.count) {
                let (i, j) = pairs[p]
                results.store(p, Result {
                    try parameters.trainPair(kernel, first: blockStarts[i]..<blockStarts[i + 1],
                                             second: blockStarts[j]..<blockStarts[j + 1], gamma: gammaValue, buffer: &buffer)
                })
            }
        }
        let trained = try results.values.map { try $0!.get() }
        // Assemble as libsvm's svm_train: an example is a support vector if any machine gives
        // it a nonzero coefficient; vectors grouped by class; sv_coef[j − 1] holds class i's
        // coefficients of machine (i, j), sv_coef[i] class j's.
        var nonzero = present.map { [Bool](repeating: false, count: members[$0].count) }
        for (p, (i, j)) in pairs.enumerated() {
            for (a, alpha) in trained[p].first.enumerated() where alpha != 0 { nonzero[i][a] = true }
            for (b, alpha) in trained[p].second.enumerated() where alpha != 0 { nonzero[j][b] = true }
        }
        let supportCounts = nonzero.map { $0.filter { $0 }.count }
        var starts = [0]
        for count in supportCounts { starts.append(starts.last! + count) }
        let l = starts.last!
        var supportIndices: [Int] = []
        for i in 0..<k { for (a, flag) in nonzero[i].enumerated() where flag { supportIndices.append(members[present[i]][a]) } }
        var coefficients = FeatureMatrix(rows: k - 1, columns: l)
        for (p, (i, j)) in pairs.enumerated() {
            var q = starts[i]
            for (a, flag) in nonzero[i].enumerated() where flag { coefficients[j - 1, q] = trained[p].first[a]; q += 1 }
            q = starts[j]
            for (b, flag) in nonzero[j].enumerated() where flag { coefficients[i, q] = trained[p].second[b]; q += 1 }
        }
        return Fitted(classCount: classCount, gamma: gammaValue, c: c,
                      supportVectors: features.selecting(rows: supportIndices), coefficients: coefficients,
                      intercepts: trained.map(\.rho), labels: present, supportCounts: supportCounts,
                      supportIndices: supportIndices)
    }

    /// One binary machine, the examples `first` (+1) against `second` (−1) (ranges of the
    /// kernel's rows), by libsvm on their precomputed RBF kernel.
    private func trainPair(_ kernel: SymmetricKernel, first: Range<Int>, second: Range<Int>, gamma: Double,
                           buffer: inout NodeBuffer) throws -> (first: [Double], second: [Double], rho: Double) {
        silenceLibSVM
        let l = first.count + second.count
        // libsvm's precomputed layout: row a is (0: serial a + 1), (b + 1: K(a, b)) for every b, (−1).
        let width = l + 2
        buffer.reserve(nodes: l * width, rows: l)
        let (nodes, x, y) = (buffer.nodes!, buffer.rows!, buffer.labels!)
        for a in 0..<l {
            let source = a < first.count ? first.lowerBound + a : second.lowerBound + a - first.count
            let row = nodes + a * width
            row[0] = svm_node(index: 0, value: Double(a + 1))
            kernel.withRow(source) { values in
                for (b, column) in first.enumerated() { row[b + 1] = svm_node(index: Int32(b + 1), value: Double(values[column])) }
                for (b, column) in second.enumerated() {
                    row[first.count + b + 1] = svm_node(index: Int32(first.count + b + 1), value: Double(values[column]))
                }
            }
            row[l + 1] = svm_node(index: -1, value: 0)
            x[a] = row
            // Labels 0 then 1: libsvm orders classes by first appearance, so `first` is +1.
            y[a] = a < first.count ? 0 : 1
        }
        var problem = svm_problem(l: Int32(l), y: y, x: x)
        var parameter = svm_parameter(
            svm_type: Int32(C_SVC), kernel_type: Int32(PRECOMPUTED), degree: 3, gamma: gamma, coef0: 0,
            cache_size: cacheMegabytes, eps: tolerance, C: c, nr_weight: 0, weight_label: nil, weight: nil,
            nu: 0.5, p: 0.1, shrinking: shrinking ? 1 : 0, probability: 0)
        if let message = svm_check_parameter(&problem, &parameter) {
            throw LearnError.libsvm(message: String(cString: message))
        }
        guard var model = Optional(svm_train(&problem, &parameter)), let trained = model else {
            throw LearnError.libsvm(message: "svm_train returned no model")
        }
        defer { svm_free_and_destroy_model(&model) }
        var alphas = [Double](repeating: 0, count: l)
        for s in 0..<Int(trained.pointee.l) {
            alphas[Int(trained.pointee.sv_indices[s]) - 1] = trained.pointee.sv_coef[0]![s]
        }
        precondition(trained.pointee.label[0] == 0, "libsvm ordered the pair's classes unexpectedly")
        return (Array(alphas[0..<first.count]), Array(alphas[first.count...]), trained.pointee.rho[0])
    }
}

/// The RBF kernel of a set of examples with itself, n x n, stored as `Float`: libsvm caches
/// kernel values as `float` (its `Qfloat`), so single precision loses nothing it would keep.
/// Computed by blocks of rows against the rows from the block on (the upper triangle, half the
/// products), mirrored, on every core.
final class SymmetricKernel: @unchecked Sendable {
    let count: Int
    // Written once in init, read-only after.
    private var values: [Float]

    init(_ examples: FeatureMatrix, gamma: Double) {
        let n = examples.rows, d = examples.columns
        count = n
        values = [Float](repeating: 0, count: n * n)
        let norms = MatrixProduct.squaredNorms(examples)
        let blockRows = 256
        let blocks = (n + blockRows - 1) / blockRows
        values.withUnsafeMutableBufferPointer { out in
            examples.values.withUnsafeBufferPointer { x in
                nonisolated(unsafe) let (out, x) = (out, x)
                parallelFor(blocks) { block in
                    let first = block * blockRows, rows = min(blockRows, n - first), width = n - first
                    var products = [Double](repeating: 0, count: rows * width)
                    products.withUnsafeMutableBufferPointer { g in
                        MatrixProduct.multiply(m: rows, n: width, k: d, alpha: -2, x.baseAddress! + first * d,
                                               x.baseAddress! + first * d, transposeB: true, g.baseAddress!, threaded: false)
                        for r in 0..<rows {
                            let i = first + r
                            for c in r..<width {
                                let j = first + c
                                let value = Float(exp(-gamma * max(0, g[r * width + c] + norms[i] + norms[j])))
                                out[i * n + j] = value
                                out[j * n + i] = value
                            }
                        }
                    }
                }
            }
        }
    }

    /// Row i: K(xᵢ, xⱼ) for every j, indexed from 0.
    func withRow<Result>(_ i: Int, _ body: (UnsafeBufferPointer<Float>) -> Result) -> Result {
        values.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[(i * count)..<((i + 1) * count)])) }
    }
}

/// One worker's libsvm problem memory, grown as needed and reused from pair to pair (fresh
/// pages for every pair cost as much as filling them).
struct NodeBuffer: ~Copyable {
    private(set) var nodes: UnsafeMutablePointer<svm_node>?
    private(set) var rows: UnsafeMutablePointer<UnsafeMutablePointer<svm_node>?>?
    private(set) var labels: UnsafeMutablePointer<Double>?
    private var nodeCapacity = 0, rowCapacity = 0

    init() {}

    mutating func reserve(nodes count: Int, rows rowCount: Int) {
        if count > nodeCapacity {
            nodes?.deallocate()
            nodes = .allocate(capacity: count)
            nodeCapacity = count
        }
        if rowCount > rowCapacity {
            rows?.deallocate()
            labels?.deallocate()
            rows = .allocate(capacity: rowCount)
            labels = .allocate(capacity: rowCount)
            rowCapacity = rowCount
        }
    }

    deinit {
        nodes?.deallocate()
        rows?.deallocate()
        labels?.deallocate()
    }
}

/// exp(−γ‖aᵢ − bⱼ‖²) for every row i of `a` and j of `b`: |a| x |b|, through one matrix product.
func rbfKernel(_ a: FeatureMatrix, _ b: FeatureMatrix, gamma: Double, threaded: Bool = true) -> FeatureMatrix {
    let m = a.rows, n = b.rows
    var out = FeatureMatrix(rows: m, columns: n)
    let normsA = MatrixProduct.squaredNorms(a), normsB = MatrixProduct.squaredNorms(b)
    a.values.withUnsafeBufferPointer { pa in
        b.values.withUnsafeBufferPointer { pb in
            out.values.withUnsafeMutableBufferPointer { po in
                MatrixProduct.multiply(m: m, n: n, k: a.columns, alpha: -2, pa.baseAddress!, pb.baseAddress!,
                                       transposeB: true, po.baseAddress!, threaded: threaded)
                nonisolated(unsafe) let po = po
                parallelFor(threaded ? min(m, MatrixProduct.parts) : 1) { part in
                    let parts = threaded ? min(m, MatrixProduct.parts) : 1
                    for i in (m * part / parts)..<(m * (part + 1) / parts) {
                        for j in 0..<n { po[i * n + j] = exp(-gamma * max(0, po[i * n + j] + normsA[i] + normsB[j])) }
                    }
                }
            }
        }
    }
    return out
}

/// libsvm prints its progress to stdout unless given a function to print with: none.
private let silenceLibSVM: Void = svm_set_print_string_function { _ in }
