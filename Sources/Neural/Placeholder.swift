public enum NeuralPlaceholder {}
