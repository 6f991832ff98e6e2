import TensorBundle

extension MobileNetV2 {
    /// MobileNetV2 from TF-slim's `mobilenet_v2_1.0_224.ckpt` (a tensor bundle), preferring
    /// the `ExponentialMovingAverage` copy of each variable. The classifier
    /// (`MobilenetV2/Logits/...`) and the optimizer's state are ignored.
    /// - Throws: `MobileNetV2Error` naming a missing or misshapen tensor and the checkpoint;
    ///   `TensorBundleError` for a damaged file.
    public convenience init(checkpoint: TensorBundleReader) throws {
        try self.init(source: checkpoint.prefix) { name in
            guard let shape = checkpoint.shape(name) else { return nil }
            return Tensor(shape: shape, values: try checkpoint.floats(name))
        }
    }
}
