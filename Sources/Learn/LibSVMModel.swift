import CSVM
import Foundation

/// A libsvm model (`struct svm_model`), owned: freed with `svm_free_and_destroy_model` when
/// this object goes. It is how an SVM is saved (`svm_save_model`'s text format, which libsvm's
/// own `svm-predict` and every libsvm binding read) and loaded (`svm_load_model`).
///
/// We build it ourselves from the parts `SupportVectorMachine` trains (support vectors,
/// coefficients, intercepts), laid out in memory exactly as `svm_load_model` lays out a loaded
/// model (one `malloc` block of nodes, `free_sv = 1`), so that libsvm frees it the same way.
/// Chang & Lin, "LIBSVM: a library for support vector machines" (2011), §4 and the README.
public final class LibSVMModel: @unchecked Sendable {
    // Never mutated after init; libsvm only reads it (predict, save).
    let model: UnsafeMutablePointer<svm_model>

    private init(owning model: UnsafeMutablePointer<svm_model>) {
        self.model = model
    }

    deinit {
        var pointer: UnsafeMutablePointer<svm_model>? = model
        svm_free_and_destroy_model(&pointer)
    }

    /// A C-SVC model with an RBF kernel exp(−γ‖x − s‖²).
    /// - Parameters:
    ///   - supportVectors: l x d, grouped by class in `labels` order (`supportCounts` of each).
    ///   - coefficients: (K − 1) x l, libsvm's `sv_coef`.
    ///   - intercepts: K(K − 1)/2 values, libsvm's `rho` (the decision is Σ coef·K − rho).
    init(gamma: Double, c: Double, supportVectors: FeatureMatrix, coefficients: FeatureMatrix,
         intercepts: [Double], labels: [Int], supportCounts: [Int]) {
        let k = labels.count, l = supportVectors.rows, d = supportVectors.columns
        precondition(coefficients.rows == k - 1 && coefficients.columns == l && intercepts.count == k * (k - 1) / 2
                     && supportCounts.count == k && supportCounts.reduce(0, +) == l, "inconsistent SVM parts")
        func allocate<T>(_ count: Int, _ type: T.Type) -> UnsafeMutablePointer<T> {
            malloc(max(count, 1) * MemoryLayout<T>.stride)!.bindMemory(to: T.self, capacity: max(count, 1))
        }
        let model = allocate(1, svm_model.self)
        var parameter = svm_parameter()
        parameter.svm_type = Int32(C_SVC)
        parameter.kernel_type = Int32(RBF)
        parameter.degree = 3
        parameter.gamma = gamma
        parameter.C = c
        model.pointee.param = parameter
        model.pointee.nr_class = Int32(k)
        model.pointee.l = Int32(l)
        // Every vector dense, indices 1...d, then the terminator: one block, as libsvm's loader.
        let nodes = allocate(l * (d + 1), svm_node.self)
        let rows = allocate(l, UnsafeMutablePointer<svm_node>?.self)
        for i in 0..<l {
            for j in 0..<d { nodes[i * (d + 1) + j] = svm_node(index: Int32(j + 1), value: supportVectors[i, j]) }
            nodes[i * (d + 1) + d] = svm_node(index: -1, value: 0)
            rows[i] = nodes + i * (d + 1)
        }
        model.pointee.SV = rows
        let coefficientRows = allocate(k - 1, UnsafeMutablePointer<Double>?.self)
        for r in 0..<(k - 1) {
            let row = allocate(l, Double.self)
            for i in 0..<l { row[i] = coefficients[r, i] }
            coefficientRows[r] = row
        }
        model.pointee.sv_coef = coefficientRows
        let rho = allocate(intercepts.count, Double.self)
        for (i, value) in intercepts.enumerated() { rho[i] = value }
        model.pointee.rho = rho
        let label = allocate(k, Int32.self), counts = allocate(k, Int32.self)
        for i in 0..<k {
            label[i] = Int32(labels[i])
            counts[i] = Int32(supportCounts[i])
        }
        model.pointee.label = label
        model.pointee.nSV = counts
        model.pointee.probA = nil
        model.pointee.probB = nil
        model.pointee.sv_indices = nil
        model.pointee.free_sv = 1
        self.model = model
    }

    /// Reads a model file `svm_save_model` wrote.
    /// - Throws: `LearnError.badModelFile` when libsvm cannot read it, or it is not a C-SVC with an RBF kernel.
    public convenience init(contentsOf url: URL) throws {
        guard let model = svm_load_model(url.path) else {
            throw LearnError.badModelFile(path: url.path, reason: "libsvm's svm_load_model could not read it")
        }
        self.init(owning: model)
        guard model.pointee.param.svm_type == Int32(C_SVC), model.pointee.param.kernel_type == Int32(RBF) else {
            throw LearnError.badModelFile(path: url.path, reason: "not a C-SVC model with an RBF kernel")
        }
    }

    /// Writes libsvm's text format (`svm_save_model`: coefficients with 17 significant digits,
    /// support vector values with 8).
    public func save(to url: URL) throws {
        guard svm_save_model(url.path, model) == 0 else {
            throw LearnError.libsvm(message: "svm_save_model could not write \(url.path)")
        }
    }

    public var gamma: Double { model.pointee.param.gamma }
    public var c: Double { model.pointee.param.C }
    public var labels: [Int] { (0..<Int(model.pointee.nr_class)).map { Int(model.pointee.label[$0]) } }
    public var supportCounts: [Int] { (0..<Int(model.pointee.nr_class)).map { Int(model.pointee.nSV[$0]) } }
    public var intercepts: [Double] {
        let k = Int(model.pointee.nr_class)
        return (0..<(k * (k - 1) / 2)).map { model.pointee.rho[$0] }
    }

    /// libsvm's `sv_coef`, (K − 1) x l.
    public var coefficients: FeatureMatrix {
        let k = Int(model.pointee.nr_class), l = Int(model.pointee.l)
        var out = FeatureMatrix(rows: k - 1, columns: l)
        for r in 0..<(k - 1) { for i in 0..<l { out[r, i] = model.pointee.sv_coef[r]![i] } }
        return out
    }

    /// The support vectors as a dense l x `featureCount` matrix (libsvm's files leave zeros out).
    public func supportVectors(featureCount: Int) throws -> FeatureMatrix {
        let l = Int(model.pointee.l)
        var out = FeatureMatrix(rows: l, columns: featureCount)
        for i in 0..<l {
            var node = model.pointee.SV[i]!
            while node.pointee.index != -1 {
                let j = Int(node.pointee.index) - 1
                guard (0..<featureCount).contains(j) else {
                    throw LearnError.featureCount(model: "SVM (libsvm file)", expected: featureCount, found: j + 1)
                }
                out[i, j] = node.pointee.value
                node += 1
            }
        }
        return out
    }

    /// libsvm's own prediction (`svm_predict`, one-vs-one voting) for one example: the
    /// reference `SupportVectorMachine.Fitted.predict` is checked against.
    public func predict(_ example: ArraySlice<Double>) -> Int {
        var nodes = example.enumerated().map { svm_node(index: Int32($0.offset + 1), value: $0.element) }
        nodes.append(svm_node(index: -1, value: 0))
        return Int(svm_predict(model, &nodes))
    }
}
