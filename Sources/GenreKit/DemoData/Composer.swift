/// Writes the pitched parts: bass lines, chords, melodies, arpeggios, strums, rap.
///
/// Each function turns a `ClipPlan` (tempo, metre, key, chords) and a random stream into notes.
/// Repetition is what makes these sound like music rather than noise: melodies are built from
/// one-bar motifs repeated over the chords, rhythms are drawn once per clip and kept.
enum Composer {
    // MARK: Bass

    enum BassStyle {
        /// Off-beat eighths (house, trance).
        case offbeatEighths
        /// Every sixteenth that is not on the beat, octaves now and then (electro, techno).
        case rolling
        /// One long note per chord.
        case sustained
        /// Straight eighths on the root (rock).
        case drivingEighths
        /// A syncopated pop line: root, octave and fifth.
        case syncopated
        /// Root on the downbeat, fifth on the middle beat, an approach note before a change.
        case rootFifth
        /// Locked to the kick pattern, with slides between notes (808).
        case kickLocked([Int])
    }

    static func bassLine(_ plan: ClipPlan, _ random: inout SeededGenerator, style: BassStyle, low: Double) -> [Note] {
        var notes: [Note] = []
        let step = plan.stepSeconds
        let meter = plan.meter
        func add(_ bar: Int, _ s: Int, _ pitch: Double, steps: Double, velocity: Double, slide: Double? = nil) {
            notes.append(Note(time: plan.humanize(plan.time(bar: bar, step: s), &random), duration: steps * step,
                              pitch: pitch, velocity: velocity, slideFrom: slide, seed: random.noteSeed()))
        }
        if case .sustained = style {
            for change in plan.chordChanges() {
                notes.append(Note(time: change.time, duration: change.seconds * 0.95, pitch: change.chord.root(from: low),
                                  velocity: 0.8, seed: random.noteSeed()))
            }
            return notes
        }
        for bar in plan.bars {
            switch style {
            case .offbeatEighths:
                for (index, beat) in meter.beats.enumerated() {
                    let s = beat + meter.beatLength(index) / 2
                    let root = plan.chord(bar: bar, step: s).root(from: low)
                    add(bar, s, root + (random.chance(0.12) ? 12 : 0), steps: 1.6, velocity: 0.9)
                }
            case .rolling:
                for s in 0..<meter.stepsPerBar where !meter.beats.contains(s) {
                    let root = plan.chord(bar: bar, step: s).root(from: low)
                    let octave = s % 4 == 3 && random.chance(0.3) ? 12.0 : 0
                    add(bar, s, root + octave, steps: 0.8, velocity: 0.75 + 0.2 * random.nextUnit())
                }
            case .drivingEighths:
                for s in stride(from: 0, to: meter.stepsPerBar, by: 2) {
                    let chord = plan.chord(bar: bar, step: s)
                    var pitch = chord.root(from: low)
                    // A passing fifth or octave at the end of the bar.
                    if s == meter.stepsPerBar - 2 && random.chance(0.3) { pitch += random.chance(0.5) ? 7 : 12 }
                    add(bar, s, pitch, steps: 1.7, velocity: s % 4 == 0 ? 0.95 : 0.8)
                }
            case .syncopated:
                for s in [0, 3, 6, 8, 11, 14] where s < meter.stepsPerBar {
                    let chord = plan.chord(bar: bar, step: s)
                    let pitch = chord.root(from: low) + (random.chance(0.2) ? random.choose(from: [7.0, 12]) : 0)
                    add(bar, s, pitch, steps: s == 6 || s == 14 ? 2 : 2.6, velocity: 0.85)
                }
            case .rootFifth:
                let beats = meter.beats
                let chord = plan.chord(bar: bar)
                let middle = beats.count > 1 ? beats[beats.count / 2] : meter.stepsPerBar / 2
                add(bar, 0, chord.root(from: low), steps: Double(middle) * 0.9, velocity: 0.9)
                let next = plan.chord(bar: bar + 1)
                if next != chord && random.chance(0.35) && beats.count >= 3 {
                    // The fifth, then an approach into the next root from a tone below or a
                    // semitone above.
                    let target = next.root(from: low)
                    add(bar, middle, chord.root(from: low) + 7, steps: Double(beats.last! - middle) * 0.9, velocity: 0.75)
                    add(bar, beats.last!, target + (random.chance(0.5) ? -2 : 1), steps: 3.5, velocity: 0.7)
                } else {
                    let fifth = chord.root(from: low) + 7
                    add(bar, middle, fifth > low + 14 ? fifth - 12 : fifth, steps: Double(meter.stepsPerBar - middle) * 0.9,
                        velocity: 0.8)
                }
            case .kickLocked(let steps):
                var previous: Double?
                for (index, s) in steps.enumerated() where s < meter.stepsPerBar {
                    let chord = plan.chord(bar: bar, step: s)
                    var pitch = chord.root(from: low)
                    if index > 0 && random.chance(0.25) { pitch += 12 }
                    let next = index + 1 < steps.count ? steps[index + 1] : meter.stepsPerBar
                    let slide = previous != nil && previous != pitch && random.chance(0.35) ? previous : nil
                    add(bar, s, pitch, steps: Double(next - s) * 0.95, velocity: index == 0 ? 1 : 0.85, slide: slide)
                    previous = pitch
                }
            case .sustained:
                break
            }
        }
        return notes
    }

    // MARK: Chords

    /// The chord tones of `chord` in a window around `center` (a closed voicing).
    static func voicing(_ chord: Chord, center: Double) -> [Double] {
        chord.pitches(from: center - 5, to: center + 7)
    }

    /// A guitar's open-position voicing: the root low, then up to five chord tones above it.
    static func guitarVoicing(_ chord: Chord) -> [Double] {
        let root = chord.root(from: 40)
        return [root] + chord.pitches(from: root + 5, to: root + 27).prefix(5)
    }

    /// Sustained chords, one per change, overlapping slightly (pads, strings, drones).
    static func pad(_ plan: ClipPlan, _ random: inout SeededGenerator, center: Double, velocity: Double) -> [Note] {
        var notes: [Note] = []
        for change in plan.chordChanges() {
            let pitches = voicing(change.chord, center: center)
            for pitch in pitches {
                notes.append(Note(time: change.time, duration: change.seconds + 0.05, pitch: pitch,
                                  velocity: velocity / Double(pitches.count).squareRoot(), seed: random.noteSeed()))
            }
        }
        return notes
    }

    /// Chords struck on a rhythm of sixteenth positions, each held `length` sixteenths.
    static func chordRhythm(_ plan: ClipPlan, _ random: inout SeededGenerator, steps: [Int], length: Double,
                            center: Double, velocity: Double) -> [Note] {
        var notes: [Note] = []
        for bar in plan.bars {
            for s in steps where s < plan.meter.stepsPerBar {
                let pitches = voicing(plan.chord(bar: bar, step: s), center: center)
                let time = plan.humanize(plan.time(bar: bar, step: s), &random)
                let accent = s == 0 ? 1 : 0.85
                for pitch in pitches {
                    notes.append(Note(time: time, duration: length * plan.stepSeconds, pitch: pitch,
                                      velocity: velocity * accent / Double(pitches.count).squareRoot(),
                                      seed: random.noteSeed()))
                }
            }
        }
        return notes
    }

    /// Piano accompaniment: a bass note in the left hand and the chord (block, broken into
    /// eighths, or pulsing eighths) in the right.
    enum PianoStyle { case block, broken, pulse }

    static func piano(_ plan: ClipPlan, _ random: inout SeededGenerator, style: PianoStyle) -> [Note] {
        var notes: [Note] = []
        let step = plan.stepSeconds
        let barSteps = plan.meter.stepsPerBar
        for bar in plan.bars {
            let chord = plan.chord(bar: bar)
            let bass = chord.root(from: 36)
            let upper = voicing(chord, center: 62)
            switch style {
            case .block:
                let halves = plan.meter.beats.count >= 4 ? [0, barSteps / 2] : [0]
                for s in halves {
                    let time = plan.humanize(plan.time(bar: bar, step: s), &random)
                    let chordHere = plan.chord(bar: bar, step: s)
                    let length = Double(barSteps / halves.count) * step
                    notes.append(Note(time: time, duration: length, pitch: chordHere.root(from: 36), velocity: 0.55,
                                      seed: random.noteSeed()))
                    for pitch in voicing(chordHere, center: 62) {
                        notes.append(Note(time: time + 0.004 * random.nextUnit(), duration: length, pitch: pitch,
                                          velocity: 0.32 + 0.08 * random.nextUnit(), seed: random.noteSeed()))
                    }
                }
            case .broken:
                // Root, fifth, tenth... up and back: the left-hand pattern of countless ballads.
                let tones = [bass, bass + 7] + upper
                let order = [0, 1, 2, 3, 4, 3, 2, 1]
                for (index, s) in stride(from: 0, to: barSteps, by: 2).enumerated() {
                    let pitch = tones[min(order[index % order.count], tones.count - 1)]
                    let time = plan.humanize(plan.time(bar: bar, step: s), &random)
                    notes.append(Note(time: time, duration: Double(barSteps - s) * step, pitch: pitch,
                                      velocity: (index == 0 ? 0.55 : 0.38) + 0.08 * random.nextUnit(), seed: random.noteSeed()))
                }
            case .pulse:
                let start = plan.humanize(plan.time(bar: bar, step: 0), &random)
                notes.append(Note(time: start, duration: Double(barSteps) * step * 0.9, pitch: bass, velocity: 0.5,
                                  seed: random.noteSeed()))
                for s in stride(from: 0, to: barSteps, by: 2) {
                    let time = plan.humanize(plan.time(bar: bar, step: s), &random)
                    for pitch in voicing(plan.chord(bar: bar, step: s), center: 64) {
                        let velocity = (s % 4 == 0 ? 0.34 : 0.26) + 0.05 * random.nextUnit()
                        notes.append(Note(time: time, duration: 1.6 * step, pitch: pitch, velocity: velocity,
                                          seed: random.noteSeed()))
                    }
                }
            }
        }
        return notes
    }

    // MARK: Guitar

    /// Strummed chords: down strums low to high, lighter up strums high to low, the strings
    /// a few milliseconds apart, each ringing until the next strum.
    static func strum(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [Note] {
        let meter = plan.meter
        let patterns: [[(step: Int, down: Bool)]]
        if meter == .fourFour {
            patterns = [
                [(0, true), (4, true), (6, false), (10, false), (12, true), (14, false)],
                [(0, true), (4, true), (8, true), (12, true)],
                [(0, true), (2, false), (4, true), (6, false), (8, true), (10, false), (12, true), (14, false)],
                [(0, true), (6, true), (10, false), (12, true), (14, false)],
            ]
        } else {
            // Down on the beats, up on the eighths between.
            patterns = [stride(from: 0, to: meter.stepsPerBar, by: 2).map { ($0, meter.beats.contains($0)) }]
        }
        let pattern = random.choose(from: patterns)
        let spread = random.uniform(0.008...0.016)
        var notes: [Note] = []
        for bar in plan.bars {
            for (index, stroke) in pattern.enumerated() {
                let chord = plan.chord(bar: bar, step: stroke.step)
                let strings = guitarVoicing(chord)
                let next = index + 1 < pattern.count ? pattern[index + 1].step : meter.stepsPerBar + pattern[0].step
                let time = plan.humanize(plan.time(bar: bar, step: stroke.step), &random)
                let ringing = Double(next - stroke.step) * plan.stepSeconds + 0.02
                let order = stroke.down ? Array(strings) : Array(strings.reversed().prefix(4))
                // Two strengths per direction, so that the sampler finds repeats.
                let force = (stroke.down ? 0.75 : 0.5) + (random.chance(0.5) ? 0.12 : 0)
                // Six strings sound together: each gets a share of the strum's force.
                for (k, pitch) in order.enumerated() {
                    notes.append(Note(time: time + Double(k) * spread * (stroke.down ? 1 : 0.7), duration: ringing,
                                      pitch: pitch, velocity: 0.45 * force * (1 - 0.05 * Double(k)), seed: random.noteSeed()))
                }
            }
        }
        return notes
    }

    /// Travis picking: the thumb alternates bass strings on the beats, fingers pick the top
    /// strings in between.
    static func fingerpick(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [Note] {
        let meter = plan.meter
        let trebleOrder = random.choose(from: [[3, 4, 5, 4], [4, 3, 5, 3], [5, 4, 3, 4]])
        var notes: [Note] = []
        for bar in plan.bars {
            var treble = 0
            for s in stride(from: 0, to: meter.stepsPerBar, by: 2) {
                let strings = guitarVoicing(plan.chord(bar: bar, step: s))
                let time = plan.humanize(plan.time(bar: bar, step: s), &random)
                if let beatIndex = meter.beats.firstIndex(of: s) {
                    let bass = strings[beatIndex % 2 == 0 ? 0 : min(2, strings.count - 1)]
                    notes.append(Note(time: time, duration: Double(meter.beatLength(beatIndex)) * plan.stepSeconds * 1.5,
                                      pitch: bass, velocity: 0.7 + 0.1 * random.nextUnit(), seed: random.noteSeed()))
                    if s == 0 && random.chance(0.5) {
                        notes.append(Note(time: time + 0.01, duration: 4 * plan.stepSeconds, pitch: strings[strings.count - 1],
                                          velocity: 0.5, seed: random.noteSeed()))
                    }
                } else {
                    let index = min(trebleOrder[treble % trebleOrder.count], strings.count - 1)
                    treble += 1
                    notes.append(Note(time: time, duration: 3 * plan.stepSeconds, pitch: strings[index],
                                      velocity: 0.45 + 0.1 * random.nextUnit(), seed: random.noteSeed()))
                }
            }
        }
        return notes
    }

    /// Power-chord rhythm guitar: palm-muted eighths with open accents, ringing chords, or a
    /// syncopated riff. Returns (notes, palm-muted flags).
    static func powerChords(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [(note: Note, muted: Bool)] {
        let style = random.integer(in: 0...2)
        let riff = random.choose(from: [[0, 3, 6, 8, 11, 14], [0, 2, 6, 8, 10, 14], [0, 4, 7, 10, 12]])
        var result: [(Note, Bool)] = []
        for bar in plan.bars {
            let barSteps = plan.meter.stepsPerBar
            let steps: [Int] = switch style {
            case 0: Array(stride(from: 0, to: barSteps, by: 2))
            case 1: [0, barSteps / 2]
            default: riff.filter { $0 < barSteps }
            }
            for (index, s) in steps.enumerated() {
                let chord = plan.chord(bar: bar, step: s)
                let next = index + 1 < steps.count ? steps[index + 1] : barSteps
                let time = plan.humanize(plan.time(bar: bar, step: s), &random)
                let changes = s == 0 || plan.chord(bar: bar, step: max(s - 1, 0)) != chord
                let muted = style == 0 && !changes && random.chance(0.85)
                let note = Note(time: time, duration: Double(next - s) * plan.stepSeconds * (muted ? 0.6 : 0.95),
                                pitch: chord.root(from: 40), velocity: muted ? 0.75 : 0.95, seed: random.noteSeed())
                result.append((note, muted))
            }
        }
        return result
    }

    // MARK: Melody

    /// How a melody moves: its range, how busy its rhythm is, how it phrases.
    struct MelodyStyle {
        var register: ClosedRange<Double>
        /// Chances of an onset on a beat, on an off-beat eighth, on a sixteenth.
        var onBeat = 0.8, onEighth = 0.5, onSixteenth = 0.1
        /// Chance that a bar position of the phrase is a rest (the singer breathes).
        var restChance = 0.2
        /// Note length as a fraction of the time to the next note.
        var legato = 0.9
        /// Chance of a leap (a third or more) rather than a step.
        var leapChance = 0.25
        /// Chance that a note slides in from the previous one.
        var slideChance = 0.0
        /// Chance of a grace note a step above, just before the beat (sitar, oud, ney).
        var graceChance = 0.0
        /// Scale to use instead of the clip's (a rock lead's pentatonic).
        var scale: DemoGenre.Scale? = nil
    }

    /// A melody from two one-bar motifs, A and B, laid over the phrase as A B A B...; each
    /// motif is a rhythm and a contour in scale steps, anchored on a chord tone, so it follows
    /// the harmony. The phrase's last bar ends on a long note.
    static func melody(_ plan: ClipPlan, _ random: inout SeededGenerator, style: MelodyStyle) -> [Note] {
        let meter = plan.meter
        let scale = style.scale ?? plan.scale
        let degreesPerOctave = scale.steps.count
        let center = (style.register.lowerBound + style.register.upperBound) / 2
        let tonicBase = plan.tonic + 12 * ((center - plan.tonic) / 12).rounded()
        func pitch(_ degree: Int) -> Double { tonicBase + scale.semitones(degree: degree) }

        struct Motif { var steps: [Int]; var moves: [Int] }
        func makeMotif() -> Motif {
            var steps: [Int] = []
            for s in 0..<meter.stepsPerBar {
                let chance = meter.beats.contains(s) ? style.onBeat : (s % 2 == 0 ? style.onEighth : style.onSixteenth)
                if random.chance(chance) { steps.append(s) }
            }
            if steps.isEmpty { steps = [0] }
            let moves = steps.map { _ in
                random.chance(style.leapChance)
                    ? random.choose(from: [-4, -3, -2, 2, 3, 4])
                    : random.choose(from: [-1, -1, 0, 1, 1])
            }
            return Motif(steps: steps, moves: moves)
        }
        let motifs = [makeMotif(), makeMotif()]
        let rests = (0..<plan.phraseBars).map { $0 > 0 && random.chance(style.restChance) }

        var notes: [Note] = []
        var degree = 0
        for bar in plan.bars {
            let (_, position) = plan.phrase(ofBar: bar)
            if rests[position] { continue }
            let isLast = position == plan.phraseBars - 1
            var motif = motifs[position % 2]
            if isLast {
                // Cadence: the motif's first half, then a long note.
                motif.steps = motif.steps.filter { $0 < meter.stepsPerBar / 2 } + [meter.stepsPerBar / 2]
                motif.moves = Array(motif.moves.prefix(motif.steps.count - 1)) + [0]
            }
            // Anchor on the chord tone nearest the current pitch, in scale degrees.
            let chordDegree = plan.chord(bar: bar).degree
            degree = nearestChordDegree(degree, chordDegree: chordDegree, count: degreesPerOctave)
            for (index, s) in motif.steps.enumerated() {
                if index > 0 { degree += motif.moves[index] }
                while pitch(degree) > style.register.upperBound { degree -= degreesPerOctave }
                while pitch(degree) < style.register.lowerBound { degree += degreesPerOctave }
                let next = index + 1 < motif.steps.count ? motif.steps[index + 1] : meter.stepsPerBar
                let steps = isLast && index == motif.steps.count - 1
                    ? Double(meter.stepsPerBar - s) * 0.9
                    : Double(next - s) * style.legato
                let time = plan.humanize(plan.time(bar: bar, step: s), &random)
                let p = pitch(degree)
                let velocity = (meter.beats.contains(s) ? 0.85 : 0.7) + 0.15 * random.nextUnit()
                if style.graceChance > 0 && random.chance(style.graceChance) {
                    notes.append(Note(time: time - 0.05, duration: 0.05, pitch: pitch(degree + 1), velocity: velocity * 0.7,
                                      seed: random.noteSeed()))
                }
                let slide = notes.last.flatMap { random.chance(style.slideChance) ? $0.pitch : nil }
                notes.append(Note(time: time, duration: steps * plan.stepSeconds, pitch: p, velocity: velocity,
                                  slideFrom: slide, seed: random.noteSeed()))
            }
        }
        return notes
    }

    /// The degree nearest to `degree` that is a chord tone (root, third or fifth) of the chord
    /// on `chordDegree`.
    private static func nearestChordDegree(_ degree: Int, chordDegree: Int, count: Int) -> Int {
        for distance in 0...count {
            for candidate in [degree - distance, degree + distance] {
                let relative = ((candidate - chordDegree) % count + count) % count
                if relative == 0 || relative == 2 || relative == 4 { return candidate }
            }
        }
        return degree
    }

    /// A synth arpeggio: the chord's tones over two octaves in a fixed order, every sixteenth
    /// (or eighth).
    static func arpeggio(_ plan: ClipPlan, _ random: inout SeededGenerator, low: Double) -> [Note] {
        let rate = random.chance(0.7) ? 1 : 2
        let order: [Int] = switch random.integer(in: 0...3) {
        case 0: [0, 1, 2, 3, 4, 5]
        case 1: [5, 4, 3, 2, 1, 0]
        case 2: [0, 1, 2, 3, 4, 5, 4, 3, 2, 1]
        default: (0..<8).map { _ in random.integer(in: 0...5) }
        }
        let gate = random.uniform(0.4...0.9)
        var notes: [Note] = []
        var k = 0
        for bar in plan.bars {
            for s in stride(from: 0, to: plan.meter.stepsPerBar, by: rate) {
                let tones = plan.chord(bar: bar, step: s).pitches(from: low, to: low + 24)
                guard !tones.isEmpty else { continue }
                let pitch = tones[order[k % order.count] % tones.count]
                k += 1
                notes.append(Note(time: plan.time(bar: bar, step: s), duration: Double(rate) * gate * plan.stepSeconds,
                                  pitch: pitch, velocity: s % 4 == 0 ? 0.9 : 0.7, seed: random.noteSeed()))
            }
        }
        return notes
    }

    /// Rapped syllables on the sixteenth grid: dense runs, a breath at the end of each
    /// two-bar line, nearly monotone around the voice's speaking pitch.
    static func rap(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [Note] {
        let speaking = random.uniform(45...55)
        let density = random.uniform(0.5...0.8)
        var notes: [Note] = []
        for bar in plan.bars {
            // Every second bar ends a line: the rapper breathes for its last few sixteenths.
            let breath = bar % 2 != 0 ? random.integer(in: 2...5) : 0
            for s in 0..<(plan.meter.stepsPerBar - breath) {
                let onBeat = s % 4 == 0
                guard random.chance(onBeat ? 0.9 : density) else { continue }
                let time = plan.humanize(plan.time(bar: bar, step: s), &random)
                notes.append(Note(time: time, duration: plan.stepSeconds * random.uniform(0.6...1.3),
                                  pitch: speaking + random.uniform(-1...1.5) + (onBeat ? 1 : 0),
                                  velocity: onBeat ? 0.95 : 0.7 + 0.2 * random.nextUnit(), seed: random.noteSeed()))
            }
        }
        return notes
    }
}
