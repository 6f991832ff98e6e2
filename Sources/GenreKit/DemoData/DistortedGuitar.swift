/// An overdriven electric guitar: detuned sawtooth "strings" (power chords by default) driven
/// into a soft clipper, then a cabinet-like band-pass.
///
/// Real distortion tames dynamics and fills the spectrum with harmonics; that density is
/// what makes rock measurably brighter and louder than the other genres.
struct DistortedGuitar: NoteInstrument {
    /// Intervals above the note played together: [0, 7, 12] is a power chord, [0] a lead.
    var intervals: [Double] = [0, 7, 12]
    /// Gain into the clipper.
    var drive: Float = 8
    /// Cabinet low-pass cutoff in Hz.
    var tone = 3500.0
    /// Palm muting: a short thud instead of a ringing chord.
    var palmMuted = false
    /// Lead playing: vibrato depth in semitones, and bend time from `slideFrom`.
    var vibratoDepth = 0.0
    var bendTime = 0.12

    var tail: Double { 0.05 }

    func play(_ note: Note, on canvas: Canvas) {
        let sampleRate = canvas.sampleRate
        var envelope = Envelope(attack: 0.003, decay: palmMuted ? 0.18 : 2.5, sustain: palmMuted ? 0 : 0.6,
                                release: 0.05, gate: note.duration, sampleRate: sampleRate)
        guard let (start, count) = canvas.span(at: note.time, seconds: Double(envelope.length) / sampleRate) else { return }
        let out = canvas.samples
        var random = SeededGenerator(seed: UInt64(note.seed))
        // Each interval is two slightly detuned strings (or a double-tracked part): at most 6.
        let strings = intervals.prefix(3).flatMap { interval in
            [(interval, -0.06 - 0.04 * random.nextUnit()), (interval, 0.06 + 0.04 * random.nextUnit())]
        }
        var oscillators = strings.map { _ in BLEPOscillator(phase: random.nextUnit()) }
        var ratios = strings.map { PortableMath.exp(($0.0 + $0.1) / 12 * PortableMath.ln2) }
        let gain = Float(1 / Double(strings.count))
        var cabinet1 = OnePole(hertz: palmMuted ? tone * 0.5 : tone, sampleRate: sampleRate)
        var cabinet2 = OnePole(hertz: palmMuted ? tone * 0.6 : tone * 1.3, sampleRate: sampleRate)
        var lowCut = OnePole(hertz: 90, sampleRate: sampleRate)
        // Clipping a lopsided wave (a high-passed saw) leaves an offset; the cabinet cannot pass it.
        var offset = OnePole(hertz: 30, sampleRate: sampleRate)
        let level = Float(0.85 * note.velocity)
        let preDrive = drive * Float(0.6 + 0.4 * note.velocity)
        oscillators.withUnsafeMutableBufferPointer { oscillators in
            ratios.withUnsafeMutableBufferPointer { ratios in
                var n = 0
                while n < count {
                    let end = min(n + controlBlock, count)
                    let t = Double(n) / sampleRate
                    var pitch = note.pitch
                    if let from = note.slideFrom { pitch += (from - note.pitch) * PortableMath.exp(-5 * t / bendTime) }
                    if vibratoDepth > 0 {
                        pitch += vibratoDepth * min(t / 0.25, 1) * PortableMath.sin(PortableMath.twoPi * 5.5 * t)
                    }
                    let increment = PortableMath.hertz(midi: pitch) / sampleRate
                    for i in n..<end {
                        var x: Float = 0
                        for s in 0..<oscillators.count { x += oscillators[s].saw(increment * ratios[s]) }
                        let clipped = softClip(lowCut.highpass(x * gain) * preDrive)
                        let y = cabinet2.lowpass(cabinet1.lowpass(offset.highpass(clipped)))
                        out[start + i] += y * level * envelope.next()
                    }
                    n = end
                }
            }
        }
    }
}
