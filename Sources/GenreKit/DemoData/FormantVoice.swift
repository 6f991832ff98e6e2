/// A voice: a buzzy glottal source (sawtooth plus breath) through three vowel formants.
///
/// Sung notes hold a vowel with vibrato; rapped syllables are short, nearly monotone, fall in
/// pitch, and start with a consonant hiss. No words, but the formant bands are where a
/// classifier meets real voices.
struct FormantVoice: NoteInstrument {
    /// Formant frequencies scale with the vocal tract: 1 is a low voice, 1.2 a high one.
    var formantScale = 1.0
    var vibratoDepth = 0.25
    var vibratoRate = 5.5
    var breath: Float = 0.08
    var rapped = false

    /// F1, F2, F3 in Hz of the vowels /a/, /e/, /i/, /o/, /u/ (an adult's averages).
    static let vowels: [(Double, Double, Double)] = [
        (750, 1200, 2600), (450, 1900, 2600), (300, 2250, 3000), (480, 850, 2600), (330, 800, 2400),
    ]

    var tail: Double { rapped ? 0.05 : 0.1 }

    func play(_ note: Note, on canvas: Canvas) {
        let sampleRate = canvas.sampleRate
        var envelope = Envelope(attack: rapped ? 0.01 : 0.035, decay: 0.5, sustain: rapped ? 0.6 : 0.9,
                                release: rapped ? 0.05 : 0.1, gate: note.duration, sampleRate: sampleRate)
        guard let (start, count) = canvas.span(at: note.time, seconds: Double(envelope.length) / sampleRate) else { return }
        let out = canvas.samples
        let vowel = Self.vowels[Int(note.seed % 5)]
        var f1 = StateVariableFilter(hertz: vowel.0 * formantScale, q: 6, sampleRate: sampleRate)
        var f2 = StateVariableFilter(hertz: vowel.1 * formantScale, q: 10, sampleRate: sampleRate)
        var f3 = StateVariableFilter(hertz: vowel.2 * formantScale, q: 14, sampleRate: sampleRate)
        var source = BLEPOscillator(phase: 0)
        var noise = NoiseSource(seed: note.seed, sampleRate: sampleRate)
        var hiss = StateVariableFilter(hertz: 5000, q: 0.8, sampleRate: sampleRate)
        let consonantSamples = rapped && note.seed & 8 != 0 ? Int(0.03 * sampleRate) : 0
        let velocity = Float(note.velocity)
        var n = 0
        while n < count {
            let end = min(n + controlBlock, count)
            let t = Double(n) / sampleRate
            var pitch = note.pitch
            if rapped {
                // Speech falls in pitch through a syllable.
                pitch += 1.5 - 3 * min(t / max(note.duration, 0.05), 1)
            } else {
                pitch += vibratoDepth * min(t / 0.2, 1) * PortableMath.sin(PortableMath.twoPi * vibratoRate * t)
                if let from = note.slideFrom { pitch += (from - note.pitch) * PortableMath.exp(-t / 0.03) }
            }
            let increment = PortableMath.hertz(midi: pitch) / sampleRate
            for i in n..<end {
                let excitation = source.saw(increment) + breath * noise.next()
                var voiced = f1.bandpass(excitation) + 0.7 * f2.bandpass(excitation) + 0.35 * f3.bandpass(excitation)
                voiced *= 2.2 * envelope.next()
                if i < consonantSamples {
                    let fade = 1 - Float(i) / Float(consonantSamples)
                    voiced += 0.6 * hiss.highpass(noise.next()) * fade
                }
                out[start + i] += voiced * velocity
            }
            n = end
        }
    }
}
