/// Sounds without notes: noise bands, grains, crackle and risers. Experimental music is made
/// mostly of these; other genres use them as ear candy.

/// Filtered noise whose band wanders through breakpoints: wind, surf, radio static.
struct NoiseTexture {
    /// Breakpoints in clip time: band centre in Hz and level; values glide between them
    /// (the centre exponentially, the level linearly).
    var points: [(time: Double, hertz: Double, level: Double)]
    /// Band-pass Q: 0.7 is a broad hiss, 8 a whistling tone.
    var q = 1.5

    func render(on canvas: Canvas, seed: UInt32) {
        guard let first = points.first, let last = points.last,
              let (start, count) = canvas.span(at: first.time, seconds: last.time - first.time) else { return }
        let sampleRate = canvas.sampleRate
        let out = canvas.samples
        let logs = points.map { PortableMath.log($0.hertz) }
        var noise = NoiseSource(seed: seed, sampleRate: sampleRate)
        var band = StateVariableFilter(hertz: first.hertz, q: q, sampleRate: sampleRate)
        var segment = 0
        var n = 0
        while n < count {
            let end = min(n + controlBlock, count)
            let t = first.time + Double(n) / sampleRate
            while segment + 2 < points.count && points[segment + 1].time <= t { segment += 1 }
            let a = points[segment], b = points[min(segment + 1, points.count - 1)]
            let x = b.time > a.time ? min(max((t - a.time) / (b.time - a.time), 0), 1) : 0
            band.setCutoff(PortableMath.exp(logs[segment] + x * (logs[min(segment + 1, points.count - 1)] - logs[segment])),
                           q: q, sampleRate: sampleRate)
            let level = Float(a.level + x * (b.level - a.level))
            // Narrow bands pass little of the noise's power; compensate so Q does not set the level.
            let gain = level * Float(q.squareRoot()) * 1.2
            for i in n..<end {
                out[start + i] += band.bandpass(noise.next()) * gain
            }
            n = end
        }
    }
}

/// One grain of granular synthesis: a few tens of milliseconds of sine (or, with an odd seed,
/// band-passed noise) under a smooth bell-shaped window.
struct Grain: NoteInstrument {
    var tail: Double { 0 }

    func play(_ note: Note, on canvas: Canvas) {
        let sampleRate = canvas.sampleRate
        guard let (start, count) = canvas.span(at: note.time, seconds: note.duration) else { return }
        let out = canvas.samples
        let hertz = min(PortableMath.hertz(midi: note.pitch), 0.4 * sampleRate)
        let increment = hertz / sampleRate
        let isNoise = note.seed & 1 == 1
        var noise = NoiseSource(seed: note.seed, sampleRate: sampleRate)
        var band = StateVariableFilter(hertz: hertz, q: 5, sampleRate: sampleRate)
        let total = Float(max(Int((note.duration * sampleRate).rounded(.up)), 1))
        let velocity = Float(note.velocity)
        var phase = 0.0
        SineTable.withTable { table in
            for i in 0..<count {
                let x = Float(i) / total
                let window = 16 * x * x * (1 - x) * (1 - x)
                let value: Float
                if isNoise {
                    value = 2.5 * band.bandpass(noise.next())
                } else {
                    value = SineTable.lookup(table, phase)
                    phase = wrapPhase(phase + increment)
                }
                out[start + i] += value * window * velocity
            }
        }
    }
}

/// Vinyl: sparse clicks of random size, a little hiss and a low rumble, repeating with the
/// record's turn (1.8 s at 33 1/3 rpm), as a scratch on a record does.
struct VinylCrackle {
    /// Clicks per second.
    var rate = 20.0
    /// Hiss level relative to the loudest clicks.
    var hiss: Float = 0.08

    func render(on canvas: Canvas, seed: UInt32) {
        let sampleRate = canvas.sampleRate
        let out = canvas.samples
        var noise = NoiseSource(seed: seed, sampleRate: sampleRate)
        var chance = NoiseSource(seed: seed ^ 0x1234_5678)
        // A click is due when a uniform draw falls below rate / sampleRate (Poisson arrivals).
        let threshold = Float(2 * rate / sampleRate - 1)
        let clickFactor = Float(PortableMath.decayFactor(seconds: 0.002, sampleRate: sampleRate))
        var clickTone = OnePole(hertz: 3000, sampleRate: sampleRate)
        var hissTone = OnePole(hertz: 5000, sampleRate: sampleRate)
        var rumble = OnePole(hertz: 30, sampleRate: sampleRate)
        var click: Float = 0
        let revolution = (0..<Int(1.8 * sampleRate)).map { _ -> Float in
            if chance.next() < threshold {
                // Mostly small ticks, now and then a loud pop.
                let size = chance.next() * 0.5 + 0.5
                click = size * size * size * size * (chance.next() < 0 ? -1 : 1)
            }
            let value = clickTone.lowpass(click * (1 + noise.next())) + hiss * hissTone.lowpass(noise.next())
                + 4 * hiss * rumble.lowpass(noise.next())
            click *= clickFactor
            return value
        }
        revolution.withUnsafeBufferPointer { revolution in
            var read = 0
            for i in 0..<out.count {
                out[i] += revolution[read]
                read += 1
                if read == revolution.count { read = 0 }
            }
        }
    }
}

/// A noise riser: a band sweeping up over the note's duration and swelling into the next
/// phrase, where it stops dead.
struct Riser: NoteInstrument {
    var tail: Double { 0 }

    func play(_ note: Note, on canvas: Canvas) {
        let sampleRate = canvas.sampleRate
        guard let (start, count) = canvas.span(at: note.time, seconds: note.duration) else { return }
        let out = canvas.samples
        var noise = NoiseSource(seed: note.seed, sampleRate: sampleRate)
        var band = StateVariableFilter(hertz: 300, q: 2, sampleRate: sampleRate)
        let velocity = Float(note.velocity)
        var n = 0
        while n < count {
            let end = min(n + controlBlock, count)
            let x = Double(n) / (note.duration * sampleRate)
            band.setCutoff(300 * PortableMath.exp(x * PortableMath.log(8000 / 300.0)), q: 2, sampleRate: sampleRate)
            let level = Float(x * x) * velocity * 1.6
            for i in n..<end {
                out[start + i] += band.bandpass(noise.next()) * level
            }
            n = end
        }
    }
}
