/// A mel spectrogram rendered as an image for a network pretrained on photographs
/// (MobileNetV2 and its kin): `height` mel bands by `width` frames by `channels`, values in
/// [-1, 1], row-major height x width x channels.
///
/// The article states only that 50176 (= 224 x 224) samples make one 224 x 224 x 3 image;
/// its notebook is lost. Our choice, documented so it can be changed:
/// - `height` mel bands (Slaney scale and normalization, 0 Hz to Nyquist), a 2048-point Hann
///   STFT, centred with zero padding, hop `samples / width`, keeping the first `width` frames;
/// - power in dB relative to the image's loudest cell (librosa: `power_to_db(S, ref=np.max)`),
///   with an 80 dB floor, so the image shows the clip's spectral shape whatever its level;
/// - 0 dB maps to +1 and -80 dB to -1, MobileNetV2's input range
///   (`keras.applications.mobilenet_v2.preprocess_input` maps 0..255 to -1..1);
/// - row 0 is the highest band, as a picture of a spectrogram has low pitches at the bottom;
/// - the one channel repeated `channels` times.
/// A silent input gives -1 everywhere.
public struct MelImage: Sendable {
    public let height: Int
    public let width: Int
    public let channels: Int
    /// Samples that one image covers (the article: `length_size_2d = 50176`).
    public let samples: Int
    public let mel: MelSpectrogram
    /// The dB range kept below the loudest cell.
    public let dynamicRange: Float = 80

    public init(height: Int = 224, width: Int = 224, channels: Int = 3, samples: Int = 50176,
                sampleRate: Int, fftSize: Int = 2048) {
        precondition(height > 0 && width > 0 && channels > 0, "an image needs a size")
        precondition(samples >= width, "\(samples) samples cannot make \(width) frames")
        self.height = height
        self.width = width
        self.channels = channels
        self.samples = samples
        mel = MelSpectrogram(sampleRate: sampleRate, fftSize: fftSize, hopLength: samples / width, bandCount: height)
    }

    /// The image of `signal`'s first `samples` samples (zero-padded if shorter).
    /// - Returns: height x width x channels floats in [-1, 1].
    public func render(_ signal: [Float]) -> [Float] {
        var input = Array(signal.prefix(samples))
        if input.count < samples { input += [Float](repeating: 0, count: samples - input.count) }
        let power = mel.compute(input)  // frames x bands, at least `width` frames
        let peak = power.values.max() ?? 0
        var image = [Float](repeating: -1, count: height * width * channels)
        guard peak > 1e-10 else { return image }
        let db = Decibels.fromPower(power.values, reference: peak, dynamicRange: dynamicRange)
        for frame in 0..<width {
            for band in 0..<height {
                let value = 1 + 2 * db[frame * height + band] / dynamicRange
                let base = ((height - 1 - band) * width + frame) * channels
                for c in 0..<channels { image[base + c] = value }
            }
        }
        return image
    }
}
