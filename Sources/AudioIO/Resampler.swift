import CSoxr

/// Sample-rate conversion with libsoxr at its "high quality" setting, the converter
/// librosa uses by default (`res_type='soxr_hq'`): passband to 91 % of Nyquist with
/// 20-bit precision, linear phase.
public enum Resampler {
    /// Resamples every channel of `audio` to `targetRate`. Returns `audio` unchanged
    /// when the rates already agree.
    public static func resample(_ audio: Audio, to targetRate: Int) throws -> Audio {
        guard audio.sampleRate != targetRate else { return audio }
        let channels = try audio.channels.map {
            try resample($0, from: audio.sampleRate, to: targetRate)
        }
        return Audio(channels: channels, sampleRate: targetRate)
    }

    /// Resamples one channel. The output has `round(count * to / from)` samples, as librosa's.
    public static func resample(_ samples: [Float], from sourceRate: Int, to targetRate: Int) throws -> [Float] {
        precondition(sourceRate > 0 && targetRate > 0, "sample rates must be positive: \(sourceRate) -> \(targetRate)")
        let outputCount = Int((Double(samples.count) * Double(targetRate) / Double(sourceRate)).rounded())
        var output = [Float](repeating: 0, count: outputCount)
        guard !samples.isEmpty, outputCount > 0 else { return output }
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
        var produced = 0
        let error = samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                soxr_oneshot(Double(sourceRate), Double(targetRate), 1,
                             input.baseAddress, input.count, nil,
                             out.baseAddress, out.count, &produced,
                             &io, &quality, nil)
            }
        }
        if let error {
            throw AudioIOError.resampleFailed(from: sourceRate, to: targetRate, reason: String(cString: error))
        }
        return output
    }
}
