/// What can go wrong when fitting, predicting, saving or loading a model. Each description is
/// a whole sentence naming the model, the example or the file.
public enum LearnError: Error, CustomStringConvertible, Equatable {
    /// The labels do not pair with the examples, or lie outside `0..<classCount`.
    case badLabels(model: String, reason: String)
    /// A hyperparameter outside its range (`k` above the training examples, a negative `C`).
    case badHyperparameter(model: String, name: String, reason: String)
    /// A NaN or infinity at (row, column) of the data given to `model`.
    case nonFinite(model: String, row: Int, column: Int)
    /// Data with another number of features than the model was fitted on.
    case featureCount(model: String, expected: Int, found: Int)
    /// libsvm refused the problem or a file; `message` is its own text.
    case libsvm(message: String)
    /// A saved model that cannot be read back.
    case badModelFile(path: String, reason: String)

    public var description: String {
        switch self {
        case let .badLabels(model, reason):
            "\(model): bad labels: \(reason)."
        case let .badHyperparameter(model, name, reason):
            "\(model): \(name) \(reason)."
        case let .nonFinite(model, row, column):
            "\(model): example \(row) has a NaN or infinite value in feature \(column); clean the data before fitting."
        case let .featureCount(model, expected, found):
            "\(model) was fitted on \(expected) features but was given \(found)."
        case let .libsvm(message):
            "libsvm: \(message)"
        case let .badModelFile(path, reason):
            "\(path) is not a model this version can read: \(reason)."
        }
    }
}
