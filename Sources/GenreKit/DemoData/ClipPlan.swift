/// Everything about one clip that is decided before a note is played: tempo, metre, key,
/// chords, band, mix and mastering, all drawn from the genre's ranges with the clip's seed.
struct ClipPlan {
    /// A part in this clip's band, with its fader level and its own random stream.
    struct Member {
        let part: DemoGenre.Part
        let level: Double
        let stream: UInt64
    }

    /// Seconds of music rendered before the clip starts, so that it starts mid-song.
    static let preroll = 1.5

    let genre: DemoGenre
    let seed: UInt64
    let duration: Double
    let tempo: Double
    let meter: DemoGenre.Meter
    /// Seconds per sixteenth note.
    let stepSeconds: Double
    /// Clip time of bar 0's downbeat (≤ 0: clips start anywhere in a phrase).
    let origin: Double
    let phraseBars: Int
    let swing: Double
    let jitter: Double
    /// Tonic as a pitch class, 0 (C) ..< 12.
    let tonic: Double
    let scale: DemoGenre.Scale
    let progression: [Int]
    let sevenths: Bool
    let brightness: Double
    let reverb: Double
    let density: Double
    let pumpDepth: Double
    let noiseFloor: Double
    let peak: Double
    let automation: LevelAutomation
    /// The groove's kick pattern, in sixteenths of a bar: boom-bap drums play it and the 808
    /// locks to it.
    let kicks: [Int]
    let band: [Member]

    init(genre: DemoGenre, seed: UInt64, duration: Double) {
        var random = SeededGenerator(seed: seed, stream: UInt64(genre.fmaGenreID))
        self.genre = genre
        self.seed = seed
        self.duration = duration
        // One clip in eight strays a little outside the genre's tempo range.
        let stray = random.chance(0.125) ? 0.06 : 0
        tempo = random.uniform(genre.tempo.lowerBound * (1 - stray)...genre.tempo.upperBound * (1 + stray))
        meter = genre.meters[Int(random.next() % UInt64(genre.meters.count))]
        stepSeconds = 15 / tempo
        phraseBars = genre.phraseBars[Int(random.next() % UInt64(genre.phraseBars.count))]
        let barSeconds = stepSeconds * Double(meter.stepsPerBar)
        origin = -(Double(Int(random.next() % UInt64(phraseBars))) + random.nextUnit()) * barSeconds
        swing = random.uniform(genre.swing)
        jitter = random.uniform(genre.timingJitter)
        tonic = Double(random.next() % 12)
        scale = genre.scales[Int(random.next() % UInt64(genre.scales.count))]
        progression = genre.progressions[Int(random.next() % UInt64(genre.progressions.count))]
        sevenths = random.chance(genre.seventhChance)
        brightness = random.uniform(genre.brightness)
        reverb = random.uniform(genre.reverb)
        density = random.uniform(genre.density)
        pumpDepth = genre.sidechain.upperBound > 0 && random.chance(0.8) ? random.uniform(genre.sidechain) : 0
        noiseFloor = random.uniform(genre.noiseFloor)
        // The hiss added after normalising can take a little off the peak: start above 0.5.
        peak = random.uniform(0.52...0.95)
        automation = Self.drawAutomation(genre: genre, duration: duration, random: &random)
        kicks = Rhythm.kickPattern(meter, &random)
        band = Self.drawBand(genre: genre, random: &random)
    }

    /// Level breakpoints every 2-6 s within the genre's dynamic range, and perhaps silences.
    private static func drawAutomation(genre: DemoGenre, duration: Double, random: inout SeededGenerator) -> LevelAutomation {
        var automation = LevelAutomation()
        let range = random.uniform(genre.dynamics)
        if range > 0.5 {
            var t = -preroll
            while t < duration + 6 {
                automation.points.append((t, -range * random.nextUnit()))
                t += random.uniform(2...6)
            }
        }
        if random.chance(genre.silenceChance) {
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let start = random.uniform(0...max(duration - 1, 0))
                automation.silences.append(start...(start + random.uniform(0.3...1.5)))
            }
        }
        return automation
    }

    /// Each part by its probability; at least one harmony part (or, in a genre without
    /// chords, one pitched or textural part); perhaps one part borrowed from another genre.
    private static func drawBand(genre: DemoGenre, random: inout SeededGenerator) -> [Member] {
        var choices = genre.parts.filter { random.chance($0.probability) }
        let harmony: (DemoGenre.PartChoice) -> Bool = { $0.part.role == .harmony }
        let tonal: (DemoGenre.PartChoice) -> Bool = { $0.part.role != .percussion }
        let needed = genre.parts.contains(where: harmony) ? harmony : tonal
        if !choices.contains(where: needed),
           let fallback = genre.parts.filter(needed).max(by: { $0.probability < $1.probability }) {
            choices.append(fallback)
        }
        if random.chance(genre.borrowChance) {
            let others = DemoGenre.all.filter { $0 != genre }
            let donor = others[Int(random.next() % UInt64(others.count))]
            let hasKit = choices.contains { $0.part.isDrumKit }
            let candidates = donor.parts.filter { candidate in
                !choices.contains { $0.part == candidate.part } && !(hasKit && candidate.part.isDrumKit)
            }
            // Likely parts of the donor are likely to be borrowed: its kit, its signature sound.
            let total = candidates.reduce(0) { $0 + $1.probability }
            var pick = random.nextUnit() * total
            for candidate in candidates {
                pick -= candidate.probability
                if pick < 0 {
                    let level = (candidate.level.lowerBound - 3)...(candidate.level.upperBound - 3)
                    choices.append(DemoGenre.PartChoice(candidate.part, 1, level: level))
                    break
                }
            }
        }
        return choices.enumerated().map { index, choice in
            Member(part: choice.part, level: random.uniform(choice.level), stream: UInt64(index) + 1)
        }
    }

    // MARK: Time

    var barSeconds: Double { stepSeconds * Double(meter.stepsPerBar) }
    var beatSeconds: Double { stepSeconds * 4 }

    /// Bars that overlap the rendered time, pre-roll included.
    var bars: ClosedRange<Int> {
        let first = Int(((-Self.preroll - origin) / barSeconds).rounded(.down))
        let last = Int(((duration - origin) / barSeconds).rounded(.down))
        return first...max(first, last)
    }

    /// Clip time of sixteenth `step` of `bar` (steps past the bar's end run on), with swing:
    /// every other sixteenth comes late.
    func time(bar: Int, step: Int) -> Double {
        let swung = step % 2 != 0 ? swing : 0
        return origin + Double(bar) * barSeconds + (Double(step) + swung) * stepSeconds
    }

    /// A human's timing: `time` off by up to the clip's jitter.
    func humanize(_ time: Double, _ random: inout SeededGenerator) -> Double {
        jitter > 0 ? time + jitter * (2 * random.nextUnit() - 1) : time
    }

    /// Which phrase a bar belongs to, and where in it.
    func phrase(ofBar bar: Int) -> (index: Int, bar: Int) {
        let index = bar >= 0 ? bar / phraseBars : -((-bar + phraseBars - 1) / phraseBars)
        return (index, bar - index * phraseBars)
    }

    // MARK: Harmony

    /// The chord sounding at sixteenth `step` of `bar`.
    func chord(bar: Int, step: Int = 0) -> Chord {
        let position = Double(phrase(ofBar: bar).bar * meter.stepsPerBar + step)
        let index = min(Int(position * Double(progression.count) / Double(phraseBars * meter.stepsPerBar)), progression.count - 1)
        return Chord(degree: progression[index], tonic: tonic, scale: scale, seventh: sevenths)
    }

    /// The chord changes of the whole clip: (start time, length in seconds, chord).
    func chordChanges() -> [(time: Double, seconds: Double, chord: Chord)] {
        var changes: [(time: Double, seconds: Double, chord: Chord)] = []
        let stepsPerChord = Double(phraseBars * meter.stepsPerBar) / Double(progression.count)
        let phrases = phrase(ofBar: bars.lowerBound).index...phrase(ofBar: bars.upperBound).index
        for phrase in phrases {
            for index in progression.indices {
                let steps = Double(index) * stepsPerChord
                let bar = phrase * phraseBars + Int(steps) / meter.stepsPerBar
                let step = steps - Double(Int(steps) / meter.stepsPerBar * meter.stepsPerBar)
                let time = origin + Double(bar) * barSeconds + step * stepSeconds
                let chord = Chord(degree: progression[index], tonic: tonic, scale: scale, seventh: sevenths)
                if let last = changes.last, last.chord == chord {
                    changes[changes.count - 1].seconds += stepsPerChord * stepSeconds
                } else {
                    changes.append((time, stepsPerChord * stepSeconds, chord))
                }
            }
        }
        return changes
    }

    /// A filter cutoff scaled by the clip's brightness, from half to twice `hertz`, and kept
    /// below 9 kHz: above that, a 22.05 kHz clip would have to clip it at its Nyquist limit
    /// while a 44.1 kHz clip would not, and the two would differ in tone.
    func bright(_ hertz: Double) -> Double { min(hertz * PortableMath.exp((2 * brightness - 1) * PortableMath.ln2), 9000) }
}

extension DemoGenre.Part {
    /// A full kit; a clip has at most one.
    var isDrumKit: Bool {
        switch self {
        case .fourOnTheFloorDrums, .boomBapDrums, .popDrums, .rockDrums, .softDrums: true
        default: false
        }
    }
}
