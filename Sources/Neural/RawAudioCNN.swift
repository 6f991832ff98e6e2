/// The article's network on raw audio (Hermez et al., 2020): Conv1D(128, 3, relu) -
/// MaxPooling1D - Conv1D(64, 3, relu) - MaxPooling1D - Flatten - Dense(100, relu) -
/// Dropout(0.5) - Dense(20, relu) - Dropout(0.5) - Dense(classes), on input (window, 1);
/// logits out, softmax in the loss. 16,014,640 parameters for a window of 10000 and 8 classes.
///
/// One definition for the step that trains it and the tool that loads its checkpoint.
public func rawAudioCNN(window: Int, classes: Int, seed: UInt64) -> Sequential {
    Sequential(inputShape: [window, 1], layers: [
        Conv1D(128, 3, activation: .relu), MaxPooling1D(),
        Conv1D(64, 3, activation: .relu), MaxPooling1D(),
        Flatten(),
        Dense(100, activation: .relu), Dropout(0.5),
        Dense(20, activation: .relu), Dropout(0.5),
        Dense(classes),
    ], seed: seed)
}
