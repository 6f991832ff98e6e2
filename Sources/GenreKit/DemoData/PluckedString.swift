/// A plucked string by the Karplus-Strong method: a burst of noise circulating in a delay line
/// one period long, losing a little energy and a little treble on each pass.
///
/// The loop filter's cutoff is set in hertz and the loss per pass from a decay time, so a
/// string sounds the same at every sample rate (the textbook two-point average does not).
/// Acoustic guitar, mandolin, upright and electric bass, and, with `buzz`, sitar and oud.
struct PluckedString: NoteInstrument {
    /// Time for the fundamental to fall by 60 dB while the string rings.
    var sustain = 3.0
    /// Cutoff of the loop low-pass: lower is darker, and overtones die sooner.
    var damping = 5000.0
    /// Cutoff of the noise burst: a pick (high) or a thumb (low).
    var pluckBrightness = 6000.0
    /// Time to fall by 60 dB once the note is released (a finger mutes the string).
    var muteTime = 0.08
    /// A sitar's jawari bridge: the bright buzz of a string grazing a curved bridge, 0...1.
    var buzz: Float = 0
    /// Slide time from `slideFrom` (meend, oud slides), seconds.
    var glideTime = 0.1

    var tail: Double { muteTime }

    func play(_ note: Note, on canvas: Canvas) {
        let sampleRate = canvas.sampleRate
        let f0 = PortableMath.hertz(midi: note.pitch)
        let length = min(sustain, note.duration + muteTime)
        guard let (start, count) = canvas.span(at: note.time, seconds: length) else { return }
        let out = canvas.samples
        var loopFilter = OnePole(hertz: max(damping, 4 * f0), sampleRate: sampleRate)
        let a = Double(loopFilter.coefficient)
        // The one-pole's delay at low frequencies, taken off the line to keep the pitch true.
        let filterDelay = (1 - a) / a
        let lowest = min(f0, PortableMath.hertz(midi: note.slideFrom ?? note.pitch))
        let size = Int(sampleRate / lowest) + 4
        var line = [Float](repeating: 0, count: size)
        let gateSamples = Int(note.duration * sampleRate)
        let ringLoss = Float(PortableMath.exp(-6.907_755 / (sustain * f0)))
        let muteLoss = Float(PortableMath.exp(-6.907_755 / (muteTime * f0)))
        var noise = NoiseSource(seed: note.seed, sampleRate: sampleRate)
        var excitationFilter = OnePole(hertz: pluckBrightness * (0.4 + 0.6 * note.velocity), sampleRate: sampleRate)
        // One period of low-passed noise, without its mean: a burst with DC would leave the
        // string offset for as long as it rings.
        var excitation = (0..<Int(sampleRate / f0)).map { _ in excitationFilter.lowpass(noise.next()) }
        let mean = excitation.reduce(0, +) / Float(max(excitation.count, 1))
        // The low-passed burst is quieter than the raw noise; this brings the string back to ~velocity.
        let excitationGain = Float(note.velocity) * 1.8
        for i in excitation.indices { excitation[i] = (excitation[i] - mean) * excitationGain }
        let excitationSamples = excitation.count
        var buzzFilter = OnePole(hertz: 1500, sampleRate: sampleRate)
        line.withUnsafeMutableBufferPointer { line in
            excitation.withUnsafeBufferPointer { excitation in
                var write = 0
                var n = 0
                while n < count {
                    let end = min(n + controlBlock, count)
                    var pitch = note.pitch
                    if let from = note.slideFrom {
                        pitch += (from - note.pitch) * PortableMath.exp(-5 * Double(n) / sampleRate / glideTime)
                    }
                    let delay = max(sampleRate / PortableMath.hertz(midi: pitch) - filterDelay, 2)
                    let whole = Int(delay)
                    let fraction = Float(delay - Double(whole))
                    for i in n..<end {
                        var r0 = write - whole
                        if r0 < 0 { r0 += size }
                        var r1 = r0 - 1
                        if r1 < 0 { r1 += size }
                        let delayed = line[r0] + fraction * (line[r1] - line[r0])
                        var value = loopFilter.lowpass(delayed) * (i < gateSamples ? ringLoss : muteLoss)
                        if i < excitationSamples { value += excitation[i] }
                        line[write] = value
                        write += 1
                        if write == size { write = 0 }
                        var output = value
                        if buzz > 0 { output += buzz * 0.5 * buzzFilter.highpass(softClip(8 * value)) }
                        out[start + i] += output
                    }
                    n = end
                }
            }
        }
    }
}
