import AudioIO

/// Synthesises the demo dataset's music: 30-second clips in the character of FMA small's
/// eight genres, so that the whole pipeline runs without downloading anything.
///
/// A clip is made in four stages: a `ClipPlan` draws tempo, metre, key, chords, band and mix
/// from the genre's ranges; `Band` has each part composed (`Composer`, `Rhythm`) and played
/// by its instrument (most through a `Sampler`, as music repeats itself) into a scratch
/// track; the `Mixer` pans, widens, ducks and sums the tracks and sends them to a reverb;
/// mastering compresses, normalises the peak and adds the noise floor.
///
/// Everything is computed in seconds and hertz, so a clip is the same music at any sample
/// rate; and only with IEEE arithmetic seeded from `seed` (see `PortableMath`), so it is the
/// same bits on any machine.
public enum DemoSynthesizer {
    /// Renders one clip. Deterministic: the same arguments give bit-identical output on any machine.
    ///
    /// - Parameters:
    ///   - genre: one of `DemoGenre.all`.
    ///   - seed: the clip's seed; the same seed in another genre gives an unrelated clip.
    ///   - sampleRate: in Hz (22050, 44100, 48000, ...).
    ///   - channelCount: 1 (mono) or 2 (stereo, with instruments panned and widened).
    ///   - frameCount: samples per channel; the clip lasts `frameCount / sampleRate` seconds.
    /// - Returns: audio peaking between 0.5 and 0.95, different for each clip.
    public static func render(genre: DemoGenre, seed: UInt64, sampleRate: Int, channelCount: Int, frameCount: Int) -> Audio {
        precondition(sampleRate >= 8000, "sample rate \(sampleRate) Hz is too low for the demo synthesizer")
        precondition(channelCount == 1 || channelCount == 2, "the demo synthesizer renders 1 or 2 channels, not \(channelCount)")
        precondition(frameCount >= 0, "negative frame count \(frameCount)")
        let rate = Double(sampleRate)
        let plan = ClipPlan(genre: genre, seed: seed, duration: Double(frameCount) / rate)
        let preroll = Int((ClipPlan.preroll * rate).rounded())
        let origin = -Double(preroll) / rate
        let count = preroll + frameCount
        var mixer = Mixer(channelCount: channelCount, count: count, sampleRate: rate, origin: origin,
                          pumpDepth: plan.pumpDepth, beatSeconds: plan.beatSeconds, beatOrigin: plan.origin)
        var scratch = [Float](repeating: 0, count: count)
        scratch.withUnsafeMutableBufferPointer { buffer in
            let canvas = Canvas(samples: buffer, sampleRate: rate, origin: origin)
            let band = Band(plan: plan)
            for member in plan.band {
                band.perform(member, scratch: canvas, mixer: &mixer)
            }
        }
        var reverbRandom = SeededGenerator(seed: seed, stream: UInt64(genre.fmaGenreID), 0)
        let reverb = Reverb(feedback: Float(0.72 + 0.24 * plan.reverb + 0.02 * reverbRandom.nextUnit()),
                            damping: plan.bright(reverbRandom.uniform(2500...6000)))
        let channels = mixer.master(reverb: reverb, reverbLevel: plan.reverb, noiseFloor: plan.noiseFloor,
                                    density: plan.density, automation: plan.automation, peak: plan.peak,
                                    preroll: preroll, seed: reverbRandom.noteSeed())
        return Audio(channels: channels, sampleRate: sampleRate)
    }
}
