/// Drums and percussion, synthesised the way analogue drum machines do: sines with falling
/// pitch for drum heads, filtered noise for snares and cymbals, sums of decaying modes
/// (modal synthesis) for hand drums and bells.

/// A percussion sound.
enum DrumSound: Hashable {
    case kick, snare, clap, rim, closedHat, openHat, crash, ride, shaker, tambourine
    /// Toms from high (0) to low (2).
    case tom(Int)
    /// Hand drums: doum (low, open centre), tek (high rim), ka (slap), na (a tabla's ringing stroke).
    case doum, tek, ka, na
    /// A dry click, and a struck metal bar (experimental percussion).
    case click, metal
}

/// One stroke.
struct DrumHit {
    var time: Double
    var sound: DrumSound
    var velocity: Double
    /// Multiplies the kit's tuning for this stroke (metal and click pitches, tom rolls).
    var tune = 1.0
    var seed: UInt32 = 0
}

/// A drum kit's sound: tuning, decays and brightness, drawn per clip.
struct DrumKit {
    /// Kick: final pitch, starting pitch as a multiple of it, decay, click, saturation.
    var kickPitch = 50.0
    var kickSweep = 3.0
    var kickDecay = 0.45
    var kickClick: Float = 0.3
    var kickDrive: Float = 1.2
    var snarePitch = 190.0
    var snareDecay = 0.25
    /// Noise (the wires) relative to the shell.
    var snareWires: Float = 0.8
    /// Cymbal high-pass cutoff in Hz: higher is thinner and brighter.
    var cymbalCutoff = 7000.0
    var hatDecay = 0.06
    var openHatDecay = 0.35
    var crashDecay = 2.0
    var tomPitch = 110.0
    /// Hand drums: the doum's pitch and the na's (tuned to the key's tonic).
    var doumPitch = 100.0
    var naPitch = 330.0

    /// Seeds the noise of the kit's strokes: no two clips' hi-hats are the same noise.
    var seed: UInt32 = 1

    /// Rendered strokes at full velocity, by sound, tuning and variant: like a drum machine,
    /// a kit plays samples, so a hi-hat pattern costs an addition per sample, not a filter.
    private var strokes: [Stroke: [Float]] = [:]

    private struct Stroke: Hashable {
        var sound: DrumSound
        var tune: Double
        var variant: UInt32
    }

    /// Plays a stroke, rendering it on first use. Noisy sounds have three variants, chosen by
    /// the hit's seed, so that repeated hits are not identical.
    mutating func play(_ hit: DrumHit, on canvas: Canvas) {
        let sampleRate = canvas.sampleRate
        switch hit.sound {
        case .click, .metal:
            // Retuned on every hit: nothing to reuse.
            synthesize(hit, on: canvas)
            return
        default:
            break
        }
        let key = Stroke(sound: hit.sound, tune: hit.tune, variant: hit.seed % 3)
        if strokes[key] == nil {
            var samples = [Float](repeating: 0, count: Int((length(of: hit.sound) * sampleRate).rounded(.up)))
            samples.withUnsafeMutableBufferPointer { buffer in
                let stroke = DrumHit(time: 0, sound: hit.sound, velocity: 1, tune: hit.tune,
                                     seed: seed &+ key.variant &* 0x9E37_79B9)
                synthesize(stroke, on: Canvas(samples: buffer, sampleRate: sampleRate, origin: 0))
                // A drum head's first swing is its largest: without a low cut, a kick on every
                // beat adds up to an offset.
                var lowCut = OnePole(hertz: 20, sampleRate: sampleRate)
                for i in buffer.indices { buffer[i] = lowCut.highpass(buffer[i]) }
            }
            strokes[key] = samples
        }
        guard let samples = strokes[key],
              let (start, count) = canvas.span(at: hit.time, length: samples.count) else { return }
        let out = canvas.samples
        let velocity = Float(hit.velocity)
        samples.withUnsafeBufferPointer { samples in
            for i in 0..<count { out[start + i] += samples[i] * velocity }
        }
    }

    /// How long a sound rings, in seconds.
    private func length(of sound: DrumSound) -> Double {
        switch sound {
        case .kick: kickDecay
        case .tom: 0.5
        case .doum: 0.6
        case .snare: max(0.12, snareDecay + 0.001)
        case .clap: 0.25
        case .rim, .ka: 0.05
        case .closedHat: hatDecay + 0.001
        case .openHat: openHatDecay + 0.001
        case .crash: crashDecay + 0.004
        case .ride, .na: 0.9
        case .shaker: 0.105
        case .tambourine: 0.202
        case .tek: 0.07
        case .click: 0.02
        case .metal: 2.5
        }
    }

    /// Synthesises one stroke onto the canvas.
    private func synthesize(_ hit: DrumHit, on canvas: Canvas) {
        let v = Float(hit.velocity)
        let tune = hit.tune
        switch hit.sound {
        case .kick:
            pitchedHead(hit, canvas, hertz: kickPitch * tune, sweep: kickSweep, sweepTime: 0.06, decay: kickDecay,
                        drive: kickDrive, noise: kickClick, noiseDecay: 0.012, noiseHertz: 3000, level: v)
        case .tom(let size):
            let hertz = tomPitch * [1.45, 1.15, 0.85][min(max(size, 0), 2)] * tune
            pitchedHead(hit, canvas, hertz: hertz, sweep: 1.4, sweepTime: 0.1, decay: 0.5,
                        drive: 1, noise: 0.25, noiseDecay: 0.04, noiseHertz: 2500, level: 0.9 * v)
        case .doum:
            pitchedHead(hit, canvas, hertz: doumPitch * tune, sweep: 1.25, sweepTime: 0.08, decay: 0.6,
                        drive: 1, noise: 0.2, noiseDecay: 0.03, noiseHertz: 1500, level: v)
            modes(hit, canvas, hertz: doumPitch * tune, ratios: [1.59, 2.14], amplitudes: [0.25, 0.15],
                  decays: [0.2, 0.12], level: v)
        case .snare:
            modes(hit, canvas, hertz: snarePitch * tune, ratios: [1, 1.62], amplitudes: [0.55, 0.3],
                  decays: [0.12, 0.08], level: v)
            noiseBurst(hit, canvas, highpass: 1200, lowpass: 9000, attack: 0.0005, decay: snareDecay,
                       level: snareWires * v)
        case .clap:
            clap(hit, canvas, level: v)
        case .rim:
            modes(hit, canvas, hertz: 1700 * tune, ratios: [1, 0.31], amplitudes: [0.5, 0.4], decays: [0.03, 0.05], level: v)
            noiseBurst(hit, canvas, highpass: 2000, lowpass: 8000, attack: 0.0005, decay: 0.02, level: 0.4 * v)
        case .closedHat:
            noiseBurst(hit, canvas, highpass: cymbalCutoff, lowpass: nil, attack: 0.0005, decay: hatDecay, level: 0.9 * v)
        case .openHat:
            noiseBurst(hit, canvas, highpass: cymbalCutoff * 0.9, lowpass: nil, attack: 0.001, decay: openHatDecay,
                       level: 0.8 * v)
        case .crash:
            noiseBurst(hit, canvas, highpass: cymbalCutoff * 0.5, lowpass: 9000, attack: 0.004, decay: crashDecay, level: 0.8 * v)
        case .ride:
            noiseBurst(hit, canvas, highpass: cymbalCutoff * 0.8, lowpass: nil, attack: 0.001, decay: 0.7, level: 0.35 * v)
            modes(hit, canvas, hertz: 3100 * tune, ratios: [1, 1.47], amplitudes: [0.2, 0.12], decays: [0.9, 0.6], level: v)
        case .shaker:
            noiseBurst(hit, canvas, highpass: 4000, lowpass: 9000, attack: 0.015, decay: 0.09, level: 0.7 * v)
        case .tambourine:
            noiseBurst(hit, canvas, highpass: 5000, lowpass: nil, attack: 0.002, decay: 0.2, level: 0.6 * v)
            modes(hit, canvas, hertz: 5400 * tune, ratios: [1, 1.31, 1.63], amplitudes: [0.15, 0.12, 0.1],
                  decays: [0.18, 0.15, 0.12], level: v)
        case .tek:
            modes(hit, canvas, hertz: 6.2 * doumPitch * tune, ratios: [1, 1.52, 2.17], amplitudes: [0.5, 0.3, 0.2],
                  decays: [0.07, 0.05, 0.04], level: v)
            noiseBurst(hit, canvas, highpass: 2500, lowpass: 9000, attack: 0.0003, decay: 0.025, level: 0.5 * v)
        case .ka:
            noiseBurst(hit, canvas, highpass: 800, lowpass: 3500, attack: 0.0005, decay: 0.05, level: 0.8 * v)
        case .na:
            modes(hit, canvas, hertz: naPitch * tune, ratios: [1, 2, 3, 4, 5], amplitudes: [0.5, 0.35, 0.25, 0.15, 0.1],
                  decays: [0.9, 0.6, 0.4, 0.3, 0.2], level: v)
            noiseBurst(hit, canvas, highpass: 3000, lowpass: nil, attack: 0.0003, decay: 0.015, level: 0.3 * v)
        case .click:
            modes(hit, canvas, hertz: 2500 * tune, ratios: [1, 1.7], amplitudes: [0.4, 0.3], decays: [0.015, 0.01], level: v)
            noiseBurst(hit, canvas, highpass: 1000, lowpass: nil, attack: 0.0002, decay: 0.006, level: 0.6 * v)
        case .metal:
            // A free bar's modes are far from harmonic: 1, 2.76, 5.40, 8.93.
            modes(hit, canvas, hertz: 400 * tune, ratios: [1, 2.76, 5.40, 8.93], amplitudes: [0.45, 0.3, 0.2, 0.12],
                  decays: [2.5, 1.6, 1.0, 0.6], level: v)
        }
    }

    /// A drum head: a sine falling from `sweep` × `hertz` to `hertz`, a noise click, saturation.
    private func pitchedHead(_ hit: DrumHit, _ canvas: Canvas, hertz: Double, sweep: Double, sweepTime: Double,
                             decay: Double, drive: Float, noise noiseLevel: Float, noiseDecay: Double,
                             noiseHertz: Double, level: Float) {
        let sampleRate = canvas.sampleRate
        guard let (start, count) = canvas.span(at: hit.time, seconds: decay) else { return }
        let out = canvas.samples
        let baseIncrement = hertz / sampleRate
        let sweepFactor = PortableMath.decayFactor(seconds: sweepTime, sampleRate: sampleRate)
        let decayFactor = Float(PortableMath.decayFactor(seconds: decay, sampleRate: sampleRate))
        let noiseFactor = Float(PortableMath.decayFactor(seconds: noiseDecay, sampleRate: sampleRate))
        var noise = NoiseSource(seed: hit.seed, sampleRate: sampleRate)
        var click = StateVariableFilter(hertz: noiseHertz, q: 0.7, sampleRate: sampleRate)
        let attackSamples = Float(max(1, Int(0.001 * sampleRate)))
        let norm = level / softClip(drive)
        var bend = sweep - 1
        var amplitude: Float = 1
        var noiseAmplitude = noiseLevel
        var phase = 0.0
        SineTable.withTable { table in
            for i in 0..<count {
                var value = SineTable.lookup(table, phase)
                phase = wrapPhase(phase + baseIncrement * (1 + bend))
                bend *= sweepFactor
                value = softClip(value * drive * amplitude) * norm
                value += click.highpass(noise.next()) * noiseAmplitude * level
                amplitude *= decayFactor
                noiseAmplitude *= noiseFactor
                let attack = Float(i) < attackSamples ? Float(i) / attackSamples : 1
                out[start + i] += value * attack
            }
        }
    }

    /// A sum of exponentially decaying modes at `ratios` × `hertz` (those below the limit).
    private func modes(_ hit: DrumHit, _ canvas: Canvas, hertz: Double, ratios: [Double], amplitudes: [Double],
                       decays: [Double], level: Float) {
        let sampleRate = canvas.sampleRate
        let limit = min(0.45 * sampleRate, 10_000)
        var random = SeededGenerator(seed: UInt64(hit.seed) &+ 17)
        let modes = ratios.indices.filter { ratios[$0] * hertz < limit }.map {
            (hertz: ratios[$0] * hertz, amplitude: amplitudes[$0] * Double(level), decay: decays[$0], phase: random.nextUnit())
        }
        let attackSamples = Float(max(1, Int(0.0005 * sampleRate)))
        for group in stride(from: 0, to: modes.count, by: 4) {
            let slice = modes[group..<min(group + 4, modes.count)]
            guard let (start, count) = canvas.span(at: hit.time, seconds: slice.map(\.decay).max()!) else { return }
            let out = canvas.samples
            var bank = DampedSineBank(slice, sampleRate: sampleRate)
            for i in 0..<count {
                let attack = Float(i) < attackSamples ? Float(i) / attackSamples : 1
                out[start + i] += bank.next() * attack
            }
        }
    }

    /// Filtered white noise with a linear attack and an exponential decay.
    private func noiseBurst(_ hit: DrumHit, _ canvas: Canvas, highpass: Double, lowpass: Double?, attack: Double,
                            decay: Double, level: Float) {
        let sampleRate = canvas.sampleRate
        guard let (start, count) = canvas.span(at: hit.time, seconds: attack + decay) else { return }
        let out = canvas.samples
        var noise = NoiseSource(seed: hit.seed ^ 0x2545_F491, sampleRate: sampleRate)
        var high = StateVariableFilter(hertz: highpass, q: 0.7, sampleRate: sampleRate)
        var low = OnePole(hertz: lowpass ?? 20_000, sampleRate: sampleRate)
        let attackSamples = max(1, Int(attack * sampleRate))
        let decayFactor = Float(PortableMath.decayFactor(seconds: decay, sampleRate: sampleRate))
        var amplitude = level
        for i in 0..<count {
            var x = high.highpass(noise.next())
            if lowpass != nil { x = low.lowpass(x) }
            if i < attackSamples {
                x *= Float(i) / Float(attackSamples)
            } else {
                amplitude *= decayFactor
            }
            out[start + i] += x * amplitude
        }
    }

    /// A hand clap: three quick bursts of band-passed noise, then a short room tail.
    private func clap(_ hit: DrumHit, _ canvas: Canvas, level: Float) {
        let sampleRate = canvas.sampleRate
        guard let (start, count) = canvas.span(at: hit.time, seconds: 0.25) else { return }
        let out = canvas.samples
        var noise = NoiseSource(seed: hit.seed ^ 0x68E3_1DA4, sampleRate: sampleRate)
        var band = StateVariableFilter(hertz: 1300, q: 1.3, sampleRate: sampleRate)
        let bursts = [0, 0.011, 0.023, 0.034].map { Int($0 * sampleRate) }
        let burstFactor = Float(PortableMath.decayFactor(seconds: 0.03, sampleRate: sampleRate))
        let tailFactor = Float(PortableMath.decayFactor(seconds: 0.2, sampleRate: sampleRate))
        var amplitude: Float = 0
        var next = 0
        for i in 0..<count {
            if next < bursts.count && i == bursts[next] {
                amplitude = 1
                next += 1
            } else {
                amplitude *= next < bursts.count ? burstFactor : tailFactor
            }
            out[start + i] += 1.6 * band.bandpass(noise.next()) * amplitude * level
        }
    }
}
