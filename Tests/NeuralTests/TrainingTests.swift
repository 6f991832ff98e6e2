@testable import Neural
import Seeded
import Testing

@Suite struct TrainingTests {
    /// 16 sequences of length 12, 2 classes: class 0 a rising ramp, class 1 a falling one,
    /// each with a random offset and noise. Separable, but not by the mean alone.
    static func ramps(seed: UInt64 = 11) -> (x: Tensor, y: Tensor) {
        var generator = SplitMix64(seed: seed)
        var values: [Float] = [], labels: [Int] = []
        for example in 0..<16 {
            let label = example % 2
            let offset = 2 * generator.nextUnitFloat() - 1
            for position in 0..<12 {
                let ramp = Float(position) / 11 - 0.5
                let noise = 0.1 * (2 * generator.nextUnitFloat() - 1)
                values.append(offset + (label == 0 ? ramp : -ramp) + noise)
            }
            labels.append(label)
        }
        return (Tensor(shape: [16, 12, 1], values: values), Tensor.oneHot(labels, classes: 2))
    }

    static func smallModel(seed: UInt64) -> Sequential {
        Sequential(inputShape: [12, 1], layers: [
            Conv1D(4, 3, activation: .relu), MaxPooling1D(), Flatten(), Dense(8, activation: .relu),
            Dropout(0.1), Dense(2),
        ], seed: seed)
    }

    @Test func fitsATinySeparableSetPerfectly() {
        let (x, y) = Self.ramps()
        let model = Self.smallModel(seed: 5)
        // Keras's default Adam (lr 1e-3); 150 epochs of 2 batches are 300 steps.
        let history = model.fit(x, targets: y, batchSize: 8, epochs: 150, optimizer: Adam(), seed: 3)
        #expect(history.loss.count == 150 && history.accuracy.count == 150)
        #expect(history.loss.last! < history.loss.first! / 4, "\(history.loss.first!) → \(history.loss.last!)")
        let logits = model.forward(x, training: false)
        #expect(Sequential.correctCount(logits: logits, targets: y) == 16)
    }

    @Test func trainingIsDeterministic() {
        let (x, y) = Self.ramps()
        func run() -> (History, [Float]) {
            let model = Self.smallModel(seed: 9)
            let history = model.fit(x, targets: y, batchSize: 4, epochs: 3, optimizer: Adam(), seed: 1)
            return (history, model.parameters.flatMap(\.value.values))
        }
        let (a, weightsA) = run(), (b, weightsB) = run()
        #expect(a.loss == b.loss)
        #expect(weightsA == weightsB)
    }
}
