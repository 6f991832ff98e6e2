import CBLAS
import CCairo
import CFFTW
import CMPG123
import CSndfile
import CSoxr
import CSVM
import Foundation
import Testing

/// Each system-library target must compile, link and compute: a wrong header path or a
/// missing `-l` flag in a module map shows up here, not in a later issue's module.
@Suite struct SystemLibraryTests {
    @Test func openBLASMultipliesMatrices() {
        let a: [Float] = [1, 2, 3, 4]  // row-major 2 x 2
        let b: [Float] = [5, 6, 7, 8]
        var c = [Float](repeating: 0, count: 4)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
        #expect(c == [19, 22, 43, 50])
    }

    @Test func fftwSinglePrecisionFindsACosine() {
        let n = 64
        let input = fftwf_alloc_real(n)!
        let output = fftwf_alloc_complex(n / 2 + 1)!
        defer { fftwf_free(input); fftwf_free(output) }
        let plan = fftwf_plan_dft_r2c_1d(Int32(n), input, output, UInt32(FFTW_ESTIMATE))
        defer { fftwf_destroy_plan(plan) }
        for i in 0..<n { input[i] = cos(2 * Float.pi * 5 * Float(i) / Float(n)) }
        fftwf_execute(plan)
        let magnitudes = (0...n / 2).map { k in hypot(output[k].0, output[k].1) }
        #expect(magnitudes.firstIndex(of: magnitudes.max()!) == 5)
        #expect(abs(magnitudes[5] - Float(n) / 2) < 1e-3)
    }

    @Test func audioLibrariesReportVersions() {
        #expect(String(cString: sf_version_string()).hasPrefix("libsndfile"))
        #expect(soxr_version() != nil)
        #expect(String(cString: mpg123_plain_strerror(MPG123_OK.rawValue)).isEmpty == false)
        #expect(cairo_version() >= 11600)
    }

    @Test func libsvmValidatesParameters() {
        var label: [Double] = [0, 1]
        var nodes = [svm_node(index: 1, value: 0), svm_node(index: -1, value: 0),
                     svm_node(index: 1, value: 1), svm_node(index: -1, value: 0)]
        nodes.withUnsafeMutableBufferPointer { all in
            var rows: [UnsafeMutablePointer<svm_node>?] = [all.baseAddress, all.baseAddress! + 2]
            rows.withUnsafeMutableBufferPointer { rowPointers in
                label.withUnsafeMutableBufferPointer { labels in
                    var problem = svm_problem(l: 2, y: labels.baseAddress, x: rowPointers.baseAddress)
                    var parameter = svm_parameter()
                    parameter.svm_type = Int32(C_SVC)
                    parameter.kernel_type = Int32(RBF)
                    parameter.gamma = 1
                    parameter.C = 1
                    parameter.cache_size = 1
                    parameter.eps = 1e-3
                    #expect(svm_check_parameter(&problem, &parameter) == nil)
                    parameter.C = -1
                    #expect(svm_check_parameter(&problem, &parameter) != nil)
                }
            }
        }
    }
}
