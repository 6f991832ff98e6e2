import Foundation
@testable import Neural
import Testing

/// Keras's numbers for a small model, made by `Fixtures/make_fixtures.py`.
struct KerasFixture: Decodable {
    struct Small: Decodable {
        var weight_shapes: [[Int]]
        var weights: [[Float]]
        var input_shape: [Int]
        var input: [Float]
        var labels: [Float]
        var logits: [Float]
        var loss: Float
        var gradients: [[Float]]
        var input_gradient: [Float]
        var weights_after_adam: [[Float]]
    }
    struct Row: Decodable { var name: String; var type: String; var output_shape: [Int]; var params: Int }
    struct Article: Decodable { var layers: [Row]; var total_params: Int; var summary: String }
    var keras: String
    var small: Small
    var article: Article

    static let shared: KerasFixture = {
        let url = Bundle.module.url(forResource: "keras_small_model", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(KerasFixture.self, from: Data(contentsOf: url))
    }()
}

/// The fixture's model: input (32, 2) → Conv1D(4, 3, relu) → MaxPooling1D → Conv1D(3, 3, relu)
/// → MaxPooling1D → Flatten → Dense(5, relu) → Dense(4), with Keras's weights loaded.
func fixtureModel(_ fixture: KerasFixture.Small) -> Sequential {
    let model = Sequential(inputShape: Array(fixture.input_shape.dropFirst()), layers: [
        Conv1D(4, 3, activation: .relu), MaxPooling1D(), Conv1D(3, 3, activation: .relu), MaxPooling1D(),
        Flatten(), Dense(5, activation: .relu), Dense(4),
    ])
    let parameters = model.parameters
    precondition(parameters.count == fixture.weights.count, "the fixture's model has other parameters")
    for (parameter, (shape, values)) in zip(parameters, zip(fixture.weight_shapes, fixture.weights)) {
        precondition(parameter.value.shape == shape, "\(parameter.name): \(parameter.value.shape) vs Keras \(shape)")
        parameter.value = Tensor(shape: shape, values: values)
    }
    return model
}

@Suite struct KerasFixtureTests {
    let fixture = KerasFixture.shared.small

    /// The forward pass, loss, and every gradient of one batch of 3.
    @Test func logitsLossAndGradientsMatchKeras() {
        let model = fixtureModel(fixture)
        let x = Tensor(shape: fixture.input_shape, values: fixture.input)
        let logits = model.forward(x, training: true)
        #expect(logits.shape == [3, 4])
        #expect(maxAbsoluteError(logits.values, fixture.logits) < 1e-4)
        let targets = Tensor(shape: [3, 4], values: fixture.labels)
        let (loss, dLogits) = SoftmaxCrossEntropy.lossAndGradient(logits: logits, targets: targets)
        #expect(abs(loss - fixture.loss) < 1e-5)
        let dx = model.backward(dLogits)
        // Relative to each gradient's largest entry: float32 sums in a different order
        // (OpenBLAS vs Eigen) differ by ~1e-7 relative per operation, far inside 1e-4.
        #expect(relativeError(dx.values, fixture.input_gradient) < 1e-4)
        for (index, (parameter, expected)) in zip(model.parameters, fixture.gradients).enumerated() {
            #expect(relativeError(parameter.gradient.values, expected) < 1e-4, "gradient \(index) (\(parameter.name))")
            #expect(parameter.gradient.values.contains { $0 != 0 }, "gradient \(index) is all zeros: a dead test")
        }
    }

    /// One Adam step (learning rate 1e-3) from those gradients.
    @Test func oneAdamStepMatchesKeras() {
        let model = fixtureModel(fixture)
        let x = Tensor(shape: fixture.input_shape, values: fixture.input)
        let targets = Tensor(shape: [3, 4], values: fixture.labels)
        model.trainStep(x, targets: targets, optimizer: Adam(learningRate: 1e-3))
        for (index, (parameter, expected)) in zip(model.parameters, fixture.weights_after_adam).enumerated() {
            #expect(maxAbsoluteError(parameter.value.values, expected) < 1e-6, "weights \(index) (\(parameter.name))")
            #expect(maxAbsoluteError(parameter.value.values, fixture.weights[index]) > 5e-4, "weights \(index) did not move")
        }
    }
}

@Suite struct ArticleModelTests {
    /// The article's model: (10000, 1) → Conv1D(128, 3, relu) → MaxPooling1D → Conv1D(64, 3, relu)
    /// → MaxPooling1D → Flatten → Dense(100, relu) → Dropout(0.5) → Dense(20, relu) → Dropout(0.5)
    /// → Dense(8).
    static func articleModel() -> Sequential {
        Sequential(inputShape: [10000, 1], layers: [
            Conv1D(128, 3, activation: .relu), MaxPooling1D(), Conv1D(64, 3, activation: .relu), MaxPooling1D(),
            Flatten(), Dense(100, activation: .relu), Dropout(0.5), Dense(20, activation: .relu), Dropout(0.5),
            Dense(8),
        ], seed: 42)
    }

    @Test func namesShapesAndCountsMatchKeras() {
        let keras = KerasFixture.shared.article
        let model = Self.articleModel()
        #expect(model.layers.count == keras.layers.count)
        for (index, row) in keras.layers.enumerated() where index < model.layers.count {
            #expect(model.layers[index].name == row.name)
            #expect(model.layers[index].typeName == row.type)
            #expect(model.outputShapes[index] == row.output_shape, "\(row.name)")
            #expect(model.layers[index].parameterCount == row.params, "\(row.name)")
        }
        #expect(model.parameterCount == keras.total_params)
        // 4997 is odd, so the second pooling keeps 2498 positions: 2498 · 64 = 159 872 inputs
        // to the first Dense, not 2499 · 64.
        #expect(model.parameterCount == 16_014_640)

        #expect(model.summary() == keras.summary)
    }

    @Test func runsForwardAndBackwardOnOneClip() {
        let model = Self.articleModel()
        let x = randomTensor([1, 10000, 1], seed: 1)
        let logits = model.forward(x, training: true)
        #expect(logits.shape == [1, 8])
        #expect(logits.values.allSatisfy { $0.isFinite })
        let (_, gradient) = SoftmaxCrossEntropy.lossAndGradient(logits: logits, targets: Tensor.oneHot([3], classes: 8))
        let dx = model.backward(gradient)
        #expect(dx.shape == [1, 10000, 1])
        #expect(model.parameters.allSatisfy { $0.gradient.values.allSatisfy { $0.isFinite } })
    }
}
