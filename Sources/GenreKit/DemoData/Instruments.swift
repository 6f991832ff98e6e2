/// The pitched instruments of the demo band, except plucked strings, distorted guitars and
/// voices, which have files of their own.
///
/// Every instrument adds its notes onto a `Canvas`, each at a peak of roughly its velocity, so
/// that part levels in `DemoGenre` read like fader positions.

/// A note to play: when, how long, how high, how hard.
struct Note {
    /// Onset in clip seconds (negative: in the pre-roll).
    var time: Double
    /// How long the key is held, in seconds; the release rings on after it.
    var duration: Double
    /// MIDI note number; fractions are microtones.
    var pitch: Double
    /// 0...1.
    var velocity: Double
    /// If set, the note glides from this pitch to `pitch` (808 slides, sitar meends, bends).
    var slideFrom: Double? = nil
    /// Seeds the note's own noise (pluck excitation, breath, hammer) and small variations.
    var seed: UInt32 = 0
}

/// Something that can play notes.
protocol Instrument {
    /// Plays notes struck together and held together (a chord, or a single note). Chord notes
    /// share the instrument's filter and envelope, as in a paraphonic synthesizer: one filter
    /// instead of four is most of the cost of a pad.
    func play(chord: ArraySlice<Note>, on canvas: Canvas)

    /// How long a note sounds after it is released, in seconds (at most).
    var tail: Double { get }
}

extension Instrument {
    /// Plays notes in order, consecutive ones with the same onset and length as one chord.
    func play(_ notes: [Note], on canvas: Canvas) {
        var first = 0
        while first < notes.count {
            var end = first + 1
            while end < notes.count, notes[end].time == notes[first].time, notes[end].duration == notes[first].duration {
                end += 1
            }
            play(chord: notes[first..<end], on: canvas)
            first = end
        }
    }
}

/// An instrument whose notes do not interact: a chord is its notes played one by one.
protocol NoteInstrument: Instrument {
    func play(_ note: Note, on canvas: Canvas)
}

extension NoteInstrument {
    func play(chord: ArraySlice<Note>, on canvas: Canvas) {
        for note in chord { play(note, on: canvas) }
    }
}

/// Samples per control-rate update (pitch, cutoff, vibrato): 0.7 ms at 44.1 kHz, 1.5 ms at
/// 22.05 kHz, both far too fast for the steps to be heard.
let controlBlock = 32

/// A subtractive synthesizer voice: up to three detuned oscillators per note and a sub-octave
/// through a resonant low-pass with its own envelope. Basses, pads, arpeggios, leads, drones.
struct SynthVoice: Instrument {
    enum Waveform { case saw, square, sine }

    var waveform = Waveform.saw
    /// 1...3 oscillators per note, spread over ±`detuneCents`.
    var voices = 1
    var detuneCents = 0.0
    /// Level of a square wave one octave below the chord's first note.
    var subLevel: Float = 0
    /// Filter cutoff in Hz at the end of the filter envelope; nil: no filter.
    var cutoff: Double? = 2000
    /// How many octaves above `cutoff` the filter envelope starts, and its fall time.
    var filterEnvelope = 0.0
    var filterDecay = 0.3
    var resonance = 0.7
    var attack = 0.005, decay = 0.3, sustain = 0.7, release = 0.1
    /// Vibrato in semitones, fading in over `vibratoDelay` seconds.
    var vibratoDepth = 0.0, vibratoRate = 5.0, vibratoDelay = 0.2
    /// Glide time from `slideFrom`, seconds.
    var glideTime = 0.06
    /// A slow filter sweep shared by all notes, in clip time.
    var sweep = FilterSweep.none

    var tail: Double { release }

    func play(chord: ArraySlice<Note>, on canvas: Canvas) {
        guard let first = chord.first else { return }
        let sampleRate = canvas.sampleRate
        var envelope = Envelope(attack: attack, decay: decay, sustain: sustain, release: release,
                                gate: first.duration, sampleRate: sampleRate)
        guard let (start, count) = canvas.span(at: first.time, seconds: Double(envelope.length) / sampleRate) else { return }
        var bank = OscillatorBank(chord: chord, voices: voices, detuneCents: detuneCents, waveform: waveform)
        var sub = BLEPOscillator(phase: 0)
        var filter = StateVariableFilter(hertz: cutoff ?? 1000, q: resonance, sampleRate: sampleRate)
        // A short note holds a fraction of a cycle more of one sign than the other; repeated
        // from the sampler, that fraction would add up to an offset.
        var lowCut = OnePole(hertz: 20, sampleRate: sampleRate)
        // The oscillators fill a block, then the filter and envelope run over it: two small
        // loops keep their state in registers better than one large one.
        var block = [Float](repeating: 0, count: controlBlock)
        let out = canvas.samples
        // Pitch and cutoff are recomputed per block only while something moves them.
        let gliding = chord.contains { $0.slideFrom != nil }
        let filterMoves = filterEnvelope != 0 || sweep.depth != 0
        let envelopeStep = PortableMath.exp(-6.9 * Double(controlBlock) / sampleRate / filterDecay)
        var envelopeOctaves = filterEnvelope
        var subIncrement = 0.0
        block.withUnsafeMutableBufferPointer { block in
            var n = 0
            while n < count {
                let length = min(controlBlock, count - n)
                let t = Double(n) / sampleRate
                if n == 0 || vibratoDepth > 0 || (gliding && t < glideTime + 0.01) {
                    var vibrato = 0.0
                    if vibratoDepth > 0 {
                        let cycle = PortableMath.sin(PortableMath.twoPi * vibratoRate * t)
                        vibrato = vibratoDepth * min(t / vibratoDelay, 1) * cycle
                    }
                    bank.tune(at: t, vibrato: vibrato, glideTime: glideTime, sampleRate: sampleRate)
                    subIncrement = PortableMath.hertz(midi: first.pitch + vibrato) / sampleRate / 2
                }
                bank.render(into: block, count: length)
                if subLevel > 0 {
                    for i in 0..<length { block[i] += subLevel * sub.pulse(subIncrement, width: 0.5) }
                }
                if let cutoff {
                    if n == 0 || filterMoves {
                        let octaves = envelopeOctaves + sweep.octaves(at: first.time + t)
                        filter.setCutoff(cutoff * PortableMath.exp(octaves * PortableMath.ln2), q: resonance,
                                         sampleRate: sampleRate)
                        envelopeOctaves *= envelopeStep
                    }
                    for i in 0..<length {
                        out[start + n + i] += lowCut.highpass(filter.lowpass(block[i])) * envelope.next()
                    }
                } else {
                    for i in 0..<length { out[start + n + i] += lowCut.highpass(block[i]) * envelope.next() }
                }
                n += length
            }
        }
    }
}

/// The oscillators of a chord: `voices` detuned oscillators per note, stepped side by side
/// so that their recursions overlap.
private struct OscillatorBank {
    let notes: [Note]
    let perNote: Int
    let waveform: SynthVoice.Waveform
    var oscillators: [BLEPOscillator] = []
    /// Detune ratios, and the per-oscillator level (the note's velocity, shared by its voices).
    let ratios: [Double]
    let gains: [Float]
    var increments: [Double]

    init(chord: ArraySlice<Note>, voices: Int, detuneCents: Double, waveform: SynthVoice.Waveform) {
        notes = Array(chord)
        perNote = min(max(voices, 1), 3)
        self.waveform = waveform
        // One voice at pitch, the others symmetric around it.
        let spread: [Double] = perNote == 1 ? [0] : (perNote == 2 ? [-0.5, 0.5] : [-1, 0, 1])
        var random = SeededGenerator(seed: UInt64(notes.first?.seed ?? 0))
        var ratios: [Double] = []
        var gains: [Float] = []
        for note in notes {
            for offset in spread {
                oscillators.append(BLEPOscillator(phase: random.nextUnit()))
                ratios.append(PortableMath.exp(offset * detuneCents / 1200 * PortableMath.ln2))
                gains.append(Float(note.velocity / Double(perNote)))
            }
        }
        self.ratios = ratios
        self.gains = gains
        increments = [Double](repeating: 0, count: ratios.count)
    }

    /// Sets the oscillators' frequencies for the block starting `t` seconds into the note.
    mutating func tune(at t: Double, vibrato: Double, glideTime: Double, sampleRate: Double) {
        for (k, note) in notes.enumerated() {
            var pitch = note.pitch + vibrato
            if let from = note.slideFrom, t < glideTime { pitch += (from - note.pitch) * (1 - t / glideTime) }
            let increment = PortableMath.hertz(midi: pitch) / sampleRate
            for v in 0..<perNote { increments[k * perNote + v] = increment * ratios[k * perNote + v] }
        }
    }

    /// Writes the next `count` samples of the oscillators' sum into `block`.
    mutating func render(into block: UnsafeMutableBufferPointer<Float>, count: Int) {
        let waveform = waveform
        SineTable.withTable { table in
            oscillators.withUnsafeMutableBufferPointer { oscillators in
                increments.withUnsafeBufferPointer { increments in
                    gains.withUnsafeBufferPointer { gains in
                        for i in 0..<count {
                            var x: Float = 0
                            for o in 0..<oscillators.count {
                                x += oscillators[o].next(waveform, increments[o], table) * gains[o]
                            }
                            block[i] = x
                        }
                    }
                }
            }
        }
    }
}

extension BLEPOscillator {
    /// The next sample of `waveform`; a sine reads the table at the oscillator's phase.
    @inline(__always) mutating func next(_ waveform: SynthVoice.Waveform, _ increment: Double,
                                         _ table: UnsafeBufferPointer<Float>) -> Float {
        switch waveform {
        case .saw:
            return saw(increment)
        case .square:
            return pulse(increment, width: 0.5)
        case .sine:
            let value = SineTable.lookup(table, phase)
            phase += increment
            if phase >= 1 { phase -= 1 }
            return value
        }
    }
}

/// A slow triangle-wave filter sweep in clip time, in octaves around the base cutoff: the
/// "filter opening over eight bars" of electronic music.
struct FilterSweep {
    var period: Double
    var depth: Double
    var phase: Double

    static let none = FilterSweep(period: 1, depth: 0, phase: 0)

    func octaves(at time: Double) -> Double {
        guard depth != 0 else { return 0 }
        let x = wrapPhase(time / period + phase)
        return depth * (x < 0.5 ? 4 * x - 1 : 3 - 4 * x)
    }
}

/// A piano-like tone: slightly inharmonic partials (stiff strings), higher ones decaying
/// faster, a hammer thump, and dampers at key release.
struct Piano: NoteInstrument {
    /// 0 (felt, mellow) ... 1 (bright, hard hammers).
    var brightness = 0.5
    /// Release time after the key is let go (long: sustain pedal).
    var release = 0.3

    var tail: Double { release }

    func play(_ note: Note, on canvas: Canvas) {
        let sampleRate = canvas.sampleRate
        let f0 = PortableMath.hertz(midi: note.pitch)
        // Low strings ring longer: about 7 s at C2, 1.6 s at C7.
        let ring = 7 * PortableMath.exp(-(note.pitch - 36) / 40)
        let length = min(ring, note.duration + release)
        guard let (start, count) = canvas.span(at: note.time, seconds: length) else { return }
        let out = canvas.samples
        let gateSamples = Int(note.duration * sampleRate)
        let releaseFactor = PortableMath.decayFactor(seconds: release, sampleRate: sampleRate)
        let inharmonicity = 0.0002 * PortableMath.exp((note.pitch - 48) / 24)
        // Harder playing excites more upper partials.
        let rolloff = 1.9 - 1.2 * brightness * (0.4 + 0.6 * note.velocity)
        let limit = min(0.45 * sampleRate, 10_000)
        var random = SeededGenerator(seed: UInt64(note.seed))
        var partials: [(hertz: Double, amplitude: Double, decay: Double, phase: Double)] = []
        for n in 1...6 {
            let k = Double(n)
            let hertz = k * f0 * (1 + inharmonicity * k * k).squareRoot()
            if hertz >= limit { break }
            let amplitude = PortableMath.exp(-rolloff * PortableMath.log(k))
            partials.append((hertz, amplitude, ring / (1 + 0.7 * (k - 1)), random.nextUnit()))
        }
        let norm = note.velocity / partials.reduce(0) { $0 + $1.amplitude } * 1.6
        for p in partials.indices { partials[p].amplitude *= norm }
        let attackSamples = max(1, Int(0.002 * sampleRate))
        // Four partials at a time; a group stops once its longest (first) partial has fallen by
        // 50 dB, or when the note ends.
        for group in stride(from: 0, to: partials.count, by: 4) {
            var bank = DampedSineBank(partials[group..<min(group + 4, partials.count)], sampleRate: sampleRate)
            let groupCount = min(count, Int(partials[group].decay * 0.84 * sampleRate))
            var damper = 1.0
            for i in 0..<groupCount {
                var value = bank.next()
                if i < attackSamples { value *= Float(i) / Float(attackSamples) }
                if i >= gateSamples {
                    damper *= releaseFactor
                    value *= Float(damper)
                }
                out[start + i] += value
            }
        }
        // The hammer: a short low-passed thump.
        var noise = NoiseSource(seed: note.seed ^ 0x5bd1e995, sampleRate: sampleRate)
        var thump = OnePole(hertz: 800 + 2500 * brightness, sampleRate: sampleRate)
        let thumpDecay = Float(PortableMath.decayFactor(seconds: 0.025, sampleRate: sampleRate))
        var level = Float(0.15 * note.velocity)
        for i in 0..<min(count, Int(0.03 * sampleRate)) {
            out[start + i] += thump.lowpass(noise.next()) * level
            level *= thumpDecay
        }
    }
}

/// A two-operator FM electric piano (a sine modulating a sine), with a decaying modulation
/// index for the bark of the attack. With a non-integer ratio it is a bell.
struct ElectricPiano: Instrument {
    /// Modulator frequency / carrier frequency (1: Rhodes-like; 3.5: bell).
    var ratio = 1.0
    /// Peak modulation index in radians, and its fall time.
    var index = 1.5
    var indexDecay = 0.5
    /// Time for the tone to fall by 60 dB while held, and after release.
    var decay = 3.0
    var release = 0.2
    /// A low-pass for a lo-fi, sampled sound (nil: none).
    var cutoff: Double? = nil
    /// Tape wow: a slow pitch wobble in semitones, in canvas time, so that notes played together
    /// wobble together.
    var wowDepth = 0.0
    var wowRate = 0.6

    var tail: Double { release }

    func play(chord: ArraySlice<Note>, on canvas: Canvas) {
        guard let first = chord.first else { return }
        let sampleRate = canvas.sampleRate
        let length = min(decay, first.duration + release)
        guard let (start, count) = canvas.span(at: first.time, seconds: length) else { return }
        let out = canvas.samples
        let notes = Array(chord)
        let gateSamples = Int(first.duration * sampleRate)
        let decayFactor = Float(PortableMath.decayFactor(seconds: decay, sampleRate: sampleRate))
        let releaseFactor = Float(PortableMath.decayFactor(seconds: release, sampleRate: sampleRate))
        let indexFactor = PortableMath.decayFactor(seconds: indexDecay, sampleRate: sampleRate)
        var filter = OnePole(hertz: cutoff ?? 20_000, sampleRate: sampleRate)
        let attackSamples = Float(max(1, Int(0.002 * sampleRate)))
        // Keep each note's sidebands below the limit, to sound the same at every rate; the
        // index is in turns (radians / 2π), as the table reads phase in turns.
        let limit = min(0.45 * sampleRate, 10_000)
        let indices = notes.map { note in
            let f0 = PortableMath.hertz(midi: note.pitch)
            return min(index * (0.5 + note.velocity), max(0, (limit / f0 - 1) / max(ratio, 1))) / PortableMath.twoPi
        }
        let gains = notes.map { Float($0.velocity) }
        // Per note: carrier phase, modulator phase, increment, modulation index.
        var state = [Double](repeating: 0, count: 4 * notes.count)
        for k in notes.indices { state[4 * k + 3] = indices[k] }
        var amplitude: Float = 1
        SineTable.withTable { table in
            state.withUnsafeMutableBufferPointer { state in
                gains.withUnsafeBufferPointer { gains in
                    var n = 0
                    while n < count {
                        let end = min(n + controlBlock, count)
                        var wow = 0.0
                        if wowDepth > 0 {
                            let time = first.time + Double(n) / sampleRate
                            wow = wowDepth * PortableMath.sin(PortableMath.twoPi * wowRate * time)
                        }
                        if n == 0 || wowDepth > 0 {
                            for k in notes.indices {
                                state[4 * k + 2] = PortableMath.hertz(midi: notes[k].pitch + wow) / sampleRate
                            }
                        }
                        // Once the modulation has died away (the bark of the attack), the tone
                        // is a sine: skip the modulator.
                        let modulated = (0..<gains.count).contains { state[4 * $0 + 3] > 1e-5 }
                        for i in n..<end {
                            var value: Float = 0
                            for k in 0..<gains.count {
                                let carrier = state[4 * k], modulator = state[4 * k + 1], increment = state[4 * k + 2]
                                if modulated {
                                    let m = Double(SineTable.lookup(table, modulator)) * state[4 * k + 3]
                                    value += SineTable.lookup(table, wrapPhase(carrier + m)) * gains[k]
                                    let nextModulator = modulator + increment * ratio
                                    state[4 * k + 1] = nextModulator - Double(Int(nextModulator))
                                    state[4 * k + 3] *= indexFactor
                                } else {
                                    value += SineTable.lookup(table, carrier) * gains[k]
                                }
                                let nextCarrier = carrier + increment
                                state[4 * k] = nextCarrier >= 1 ? nextCarrier - 1 : nextCarrier
                            }
                            if cutoff != nil { value = filter.lowpass(value) }
                            amplitude *= i < gateSamples ? decayFactor : releaseFactor
                            let attack = Float(i) < attackSamples ? Float(i) / attackSamples : 1
                            out[start + i] += value * amplitude * attack
                        }
                        n = end
                    }
                }
            }
        }
    }
}

/// An 808-style sub-bass: a sine with a pitch glide, a long decay and some saturation, so that
/// it is heard on small speakers too.
struct SubBass: NoteInstrument {
    var decay = 1.5
    var drive: Float = 2
    var glideTime = 0.08

    var tail: Double { 0.06 }

    func play(_ note: Note, on canvas: Canvas) {
        let sampleRate = canvas.sampleRate
        let length = min(decay, note.duration + 0.06)
        guard let (start, count) = canvas.span(at: note.time, seconds: length) else { return }
        let out = canvas.samples
        let gateSamples = Int(note.duration * sampleRate)
        let decayFactor = Float(PortableMath.decayFactor(seconds: decay, sampleRate: sampleRate))
        let releaseFactor = Float(PortableMath.decayFactor(seconds: 0.06, sampleRate: sampleRate))
        let attackSamples = Float(max(1, Int(0.003 * sampleRate)))
        let norm = Float(note.velocity) / softClip(drive)
        var amplitude: Float = 1
        var phase = 0.0
        SineTable.withTable { table in
            var n = 0
            while n < count {
                let end = min(n + controlBlock, count)
                let t = Double(n) / sampleRate
                var pitch = note.pitch
                if let from = note.slideFrom {
                    pitch += (from - note.pitch) * PortableMath.exp(-5 * t / glideTime)
                }
                // A brief upward knock at the onset gives the attack its punch.
                pitch += 7 * PortableMath.exp(-t / 0.012)
                let increment = PortableMath.hertz(midi: pitch) / sampleRate
                for i in n..<end {
                    let value = SineTable.lookup(table, phase)
                    phase = wrapPhase(phase + increment)
                    amplitude *= i < gateSamples ? decayFactor : releaseFactor
                    let attack = Float(i) < attackSamples ? Float(i) / attackSamples : 1
                    out[start + i] += softClip(value * drive) * norm * amplitude * attack
                }
                n = end
            }
        }
    }
}

/// A flute or ney: a nearly pure tone with a few harmonics, breath noise and delayed vibrato.
struct Flute: NoteInstrument {
    var breath: Float = 0.12
    var vibratoDepth = 0.12
    var vibratoRate = 5.0
    /// Fall time of slides from `slideFrom` (ney ornaments).
    var glideTime = 0.08

    var tail: Double { 0.12 }

    func play(_ note: Note, on canvas: Canvas) {
        let sampleRate = canvas.sampleRate
        var envelope = Envelope(attack: 0.06, decay: 0.6, sustain: 0.85, release: 0.12,
                                gate: note.duration, sampleRate: sampleRate)
        guard let (start, count) = canvas.span(at: note.time, seconds: Double(envelope.length) / sampleRate) else { return }
        let out = canvas.samples
        var noise = NoiseSource(seed: note.seed, sampleRate: sampleRate)
        let f0 = PortableMath.hertz(midi: note.pitch)
        var breathFilter = OnePole(hertz: min(2 * f0, 4000), sampleRate: sampleRate)
        let third: Float = 3 * f0 < 0.45 * sampleRate ? 0.06 : 0
        let velocity = Float(note.velocity)
        var phase = 0.0
        SineTable.withTable { table in
            var n = 0
            while n < count {
                let end = min(n + controlBlock, count)
                let t = Double(n) / sampleRate
                var pitch = note.pitch + vibratoDepth * min(t / 0.3, 1) * PortableMath.sin(PortableMath.twoPi * vibratoRate * t)
                if let from = note.slideFrom { pitch += (from - note.pitch) * PortableMath.exp(-5 * t / glideTime) }
                let increment = PortableMath.hertz(midi: pitch) / sampleRate
                for i in n..<end {
                    var value = SineTable.lookup(table, phase)
                    value += 0.22 * SineTable.lookup(table, wrapPhase(2 * phase))
                    value += third * SineTable.lookup(table, wrapPhase(3 * phase))
                    phase = wrapPhase(phase + increment)
                    value += breath * 2 * breathFilter.lowpass(noise.next())
                    out[start + i] += value * 0.8 * envelope.next() * velocity
                }
                n = end
            }
        }
    }
}
