import Foundation
@testable import Neural
import TensorBundle
import Testing

/// Keras's MobileNetV2 with formula weights on formula images, made by
/// `Fixtures/make_mobilenet_fixtures.py`.
struct MobileNetFixture: Decodable {
    struct Stage: Decodable {
        var shape: [Int]
        var channel_means: [Float]
        var points: [[Int]]
        var point_values: [Float]
    }
    struct Case: Decodable {
        var height: Int
        var width: Int
        var images: [Int]
        var embedding: [Float]
        var stages: [String: Stage]
        var variables: Int
        var parameters: Int
    }
    var keras: String
    var cases: [Case]
    var check_values: [String: [Float]]
    var check_image: [Float]

    static let shared: MobileNetFixture = {
        let url = Bundle.module.url(forResource: "mobilenet_v2_fixture", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(MobileNetFixture.self, from: Data(contentsOf: url))
    }()
}

/// The fixture script's weight formula, in the same integer arithmetic (`formula_values`):
/// a 32-bit mix of the variable's FNV-1a name hash and the flat index, scaled by the kind of
/// variable.
enum FormulaWeights {
    static func fnv1a(_ text: String) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for byte in text.utf8 { h = (h ^ UInt32(byte)) &* 0x0100_0193 }
        return h
    }

    static func unit(_ nameHash: UInt32, _ index: Int) -> Double {
        var h = UInt32(truncatingIfNeeded: index) &* 0x9E37_79B1 &+ nameHash
        h ^= h >> 15
        h = h &* 0x2C1B_3C6D
        h ^= h >> 12
        h = h &* 0x297A_2D39
        h ^= h >> 15
        return Double(h >> 8) / 16_777_216
    }

    static func values(_ name: String, shape: [Int]) -> [Float] {
        let hash = fnv1a(name)
        let leaf = name.split(separator: "/").last!
        let count = shape.reduce(1, *)
        return (0..<count).map { i in
            let u = unit(hash, i)
            switch leaf {
            case "weights", "depthwise_weights":
                let fanIn = shape[0] * shape[1] * (leaf == "weights" ? shape[2] : 1)
                return Float((2 * u - 1) * (3.0 / Double(fanIn)).squareRoot())
            case "gamma", "moving_variance": return Float(0.75 + 0.5 * u)
            case "beta": return Float(0.2 * (2 * u - 1))
            case "moving_mean": return Float(0.1 * (2 * u - 1))
            default: fatalError("no formula for \(name)")
            }
        }
    }

    /// A lookup for `MobileNetV2(source:weights:)`: every architecture variable by its formula.
    static func lookup(_ name: String) -> Tensor? {
        guard let shape = shapes[name] else { return nil }
        return Tensor(shape: shape, values: values(name, shape: shape))
    }

    static let shapes = Dictionary(uniqueKeysWithValues: MobileNetV2.variables.map { ($0.name, $0.shape) })

    /// The fixture's image `index`, [1, H, W, 3] in [-1, 1] (`fixture_image`).
    static func image(_ index: Int, height: Int, width: Int) -> Tensor {
        var values: [Float] = []
        values.reserveCapacity(height * width * 3)
        for r in 0..<height {
            for c in 0..<width {
                for ch in 0..<3 {
                    let stripes = (r * (3 + index) + c * (5 + 2 * index) + ch * 40) % 256
                    let noise = (r * 7919 + c * 104_729 + ch * 1_299_709 + index * 15_485_863) % 65 - 32
                    let level = min(max(stripes + noise, 0), 255)
                    values.append(Float(Double(level) / 127.5 - 1))
                }
            }
        }
        return Tensor(shape: [1, height, width, 3], values: values)
    }
}

@Suite struct MobileNetFixtureTests {
    let fixture = MobileNetFixture.shared
    static let model = try! MobileNetV2(source: "formula", weights: FormulaWeights.lookup)

    /// The formulas agree with the script's (a few values printed by it), so that a mismatch
    /// below is the network's and not the inputs'.
    @Test func formulasMatchTheScript() {
        for (name, expected) in fixture.check_values {
            let shape = FormulaWeights.shapes[name]!
            #expect(Array(FormulaWeights.values(name, shape: shape).prefix(5)) == expected, "\(name)")
        }
        let image = FormulaWeights.image(1, height: 224, width: 224)
        let pixel = Array(image.values[((5 * 224 + 7) * 3)..<((5 * 224 + 7) * 3 + 3)])
        #expect(pixel == fixture.check_image)
    }

    /// The architecture reads the 260 variables Keras has, 2,257,984 values (Keras's summary
    /// for `include_top=False`).
    @Test func variablesAndParameterCountMatchKeras() {
        let variables = MobileNetV2.variables
        #expect(variables.count == fixture.cases[0].variables)
        #expect(variables.reduce(0) { $0 + $1.shape.reduce(1, *) } == fixture.cases[0].parameters)
        #expect(Self.model.variableCount == 260)
        #expect(Self.model.movingAverageCount == 0)
    }

    /// The 1280-d embedding of each fixture image, through `embed` in a batch, against Keras.
    /// The values lie in [0, 1.01]; 1e-3 is far above float32 rounding over 53 layers (about
    /// 1e-5 here) and far below any wrong padding, fold or residual (0.01 and more).
    @Test(arguments: [0, 1]) func embeddingsMatchKeras(caseIndex: Int) throws {
        let testCase = fixture.cases[caseIndex]
        let images = testCase.images.map { FormulaWeights.image($0, height: testCase.height, width: testCase.width) }
        let batch = Tensor(shape: [images.count, testCase.height, testCase.width, 3], values: images.flatMap(\.values))
        let embedding = try Self.model.embed(batch)
        #expect(embedding.shape == [images.count, 1280])
        let error = maxAbsoluteError(embedding.values, testCase.embedding)
        #expect(error < 1e-3, "\(testCase.height) x \(testCase.width): max |ours - Keras| = \(error)")
        #expect(testCase.embedding.contains { $0 > 0.5 }, "the fixture should not be all zeros")
    }

    /// Each stage's per-channel means and a few single values against Keras: a mismatch names
    /// the first stage that goes wrong.
    @Test func intermediateActivationsMatchKeras() throws {
        let testCase = fixture.cases[1]
        let stages = try Self.model.stages(FormulaWeights.image(testCase.images[0], height: testCase.height, width: testCase.width))
        let byScope = Dictionary(uniqueKeysWithValues: stages.map { ($0.scope, $0.output) })
        for (scope, expected) in testCase.stages.sorted(by: { $0.key < $1.key }) {
            let ours = try #require(byScope[scope], "no stage \(scope)")
            #expect(ours.shape == expected.shape, "\(scope)")
            let (h, w, c) = (ours.shape[1], ours.shape[2], ours.shape[3])
            let means = (0..<c).map { ch in (0..<(h * w)).reduce(0.0) { $0 + Double(ours.values[$1 * c + ch]) } / Double(h * w) }.map(Float.init)
            let points = expected.points.map { p in ours.values[(p[1] * w + p[2]) * c + p[3]] }
            let scale = max(1, expected.point_values.map(abs).max() ?? 1)
            let meanError = maxAbsoluteError(means, expected.channel_means)
            let pointError = maxAbsoluteError(points, expected.point_values)
            #expect(meanError < 1e-3 * scale, "\(scope): channel means differ by \(meanError)")
            #expect(pointError < 1e-3 * scale, "\(scope): values differ by \(pointError)")
        }
    }

    /// The moving average of a variable is preferred when present; a missing or misshapen
    /// tensor is an error naming it.
    @Test func loaderPrefersMovingAveragesAndNamesBadTensors() throws {
        let gammaName = "MobilenetV2/Conv_1/BatchNorm/gamma"
        let averaged = try MobileNetV2(source: "formula+ema") { name in
            if name == gammaName + "/ExponentialMovingAverage" { return Tensor(shape: [1280], repeating: 0) }
            return FormulaWeights.lookup(name)
        }
        #expect(averaged.movingAverageCount == 1)
        // gamma 0 makes the head's output its shift alone: ReLU6(β - μ · 0) = ReLU6(β).
        let embedding = try averaged.embed(FormulaWeights.image(0, height: 64, width: 64))
        let beta = FormulaWeights.values("MobilenetV2/Conv_1/BatchNorm/beta", shape: [1280]).map { min(max($0, 0), 6) }
        #expect(maxAbsoluteError(embedding.values, beta) < 1e-6)

        let missing = "MobilenetV2/expanded_conv_7/depthwise/depthwise_weights"
        #expect(throws: MobileNetV2Error.missing(name: missing, source: "ckpt")) {
            try MobileNetV2(source: "ckpt") { $0 == missing ? nil : FormulaWeights.lookup($0) }
        }
        let wrong = "MobilenetV2/expanded_conv_3/project/weights"
        do {
            _ = try MobileNetV2(source: "ckpt") { name in
                name == wrong ? Tensor(shape: [1, 1, 144, 24], repeating: 0) : FormulaWeights.lookup(name)
            }
            Issue.record("a misshapen tensor was accepted")
        } catch let error as MobileNetV2Error {
            #expect(error == .shape(name: wrong, expected: [1, 1, 144, 32], found: [1, 1, 144, 24], source: "ckpt"))
            #expect(error.description.contains(wrong))
        }
        #expect(throws: MobileNetV2Error.self) { try Self.model.embed(Tensor(shape: [1, 224, 224, 1])) }
    }

    /// Through a real tensor bundle laid out as TF-slim's checkpoint: trained variables have an
    /// `ExponentialMovingAverage` shadow (the formula) beside a raw copy (zeros, which would
    /// ruin the output), batch norms' moving statistics have none, and the classifier and the
    /// step counter are there too. The loader takes the shadows and matches Keras.
    @Test func checkpointLoaderPrefersShadowsAndMatchesKeras() throws {
        var writer = TensorBundleWriter()
        for (name, shape) in MobileNetV2.variables {
            let values = FormulaWeights.values(name, shape: shape)
            if name.hasSuffix("moving_mean") || name.hasSuffix("moving_variance") {
                writer.add(name, shape: shape, values: values)
            } else {
                writer.add(name + "/ExponentialMovingAverage", shape: shape, values: values)
                writer.add(name, shape: shape, values: [Float](repeating: 0, count: values.count))
            }
        }
        writer.add("MobilenetV2/Logits/Conv2d_1c_1x1/weights", shape: [1, 1, 1280, 3], values: [Float](repeating: 1, count: 3840))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mobilenet-ckpt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefix = folder.appendingPathComponent("mobilenet_v2_1.0_224.ckpt").path
        try writer.write(prefix: prefix)

        let model = try MobileNetV2(checkpoint: try TensorBundleReader(prefix: prefix))
        #expect(model.variableCount == 260)
        #expect(model.movingAverageCount == 260 - 2 * 52)
        let testCase = fixture.cases[1]
        let embedding = try model.embed(FormulaWeights.image(testCase.images[0], height: testCase.height, width: testCase.width))
        #expect(maxAbsoluteError(embedding.values, testCase.embedding) < 1e-3)
    }
}
