/// The band: for each part of a clip, who plays it (instrument), what they play (composer),
/// and where it sits in the mix.
struct Band {
    let plan: ClipPlan

    /// Renders `member` into `scratch` and hands each stem to the mixer.
    func perform(_ member: ClipPlan.Member, scratch: Canvas, mixer: inout Mixer) {
        var random = SeededGenerator(seed: plan.seed, stream: UInt64(plan.genre.fmaGenreID), member.stream)
        let level = member.level
        let pan = random.uniform(-1...1)
        func mix(_ settings: MixSettings) { mixer.add(scratch.samples, settings) }
        func play<I: Instrument>(_ notes: [Note], on instrument: I) {
            instrument.play(arranged(notes, random: &random, part: member.part), on: scratch)
        }
        // Synth parts under a filter sweep change with clip time, so they cannot be sampled.
        func play(_ notes: [Note], on voice: SynthVoice, cached: Bool) {
            if cached { play(notes, on: Sampler(voice)) } else { play(notes, on: voice) }
        }

        switch member.part {
        case .fourOnTheFloorDrums, .boomBapDrums, .popDrums, .rockDrums, .softDrums:
            var kit = drumKit(for: member.part, &random)
            let hits: [DrumHit] = switch member.part {
            case .fourOnTheFloorDrums: Rhythm.fourOnTheFloor(plan, &random)
            case .boomBapDrums: Rhythm.boomBap(plan, &random)
            case .popDrums: Rhythm.pop(plan, &random)
            case .rockDrums: Rhythm.rock(plan, &random)
            default: Rhythm.soft(plan, &random)
            }
            for hit in hits { kit.play(hit, on: scratch) }
            mix(MixSettings(level: level, send: member.part == .rockDrums ? 0.15 : 0.1))
        case .handDrums, .shaker, .tambourine, .looseClicks:
            var kit = drumKit(for: member.part, &random)
            let hits: [DrumHit] = switch member.part {
            case .handDrums: Rhythm.handDrums(plan, &random)
            case .shaker: Rhythm.shaker(plan, &random)
            case .tambourine: Rhythm.tambourine(plan, &random)
            default: Rhythm.looseClicks(plan, &random)
            }
            for hit in hits { kit.play(hit, on: scratch) }
            let loose = member.part == .looseClicks
            mix(MixSettings(level: level, pan: (loose ? 0.7 : 0.4) * pan, width: loose ? 0.01 : 0, send: loose ? 0.5 : 0.2))

        case .synthBass:
            let style = random.choose(from: [Composer.BassStyle.offbeatEighths, .rolling, .sustained, .syncopated])
            let voice = SynthVoice(waveform: random.chance(0.6) ? .saw : .square, voices: 2, detuneCents: random.uniform(6...18),
                                   subLevel: 0.4, cutoff: plan.bright(random.uniform(250...600)),
                                   filterEnvelope: random.uniform(1...3), filterDecay: random.uniform(0.08...0.3),
                                   resonance: random.uniform(0.8...2.5), attack: 0.003, decay: 0.3, sustain: 0.7, release: 0.05,
                                   sweep: sweep(&random))
            play(Composer.bassLine(plan, &random, style: style, low: 33), on: voice, cached: voice.sweep.depth == 0)
            mix(MixSettings(level: level, send: 0.03, pumped: true))
        case .subBass:
            play(Composer.bassLine(plan, &random, style: .kickLocked(plan.kicks), low: 29),
                 on: Sampler(SubBass(decay: random.uniform(0.8...2), drive: Float(random.uniform(1...3)))))
            mix(MixSettings(level: level, send: 0))
        case .bassGuitar:
            let styles: [Composer.BassStyle] = plan.genre == .rock
                ? [.drivingEighths]
                : [.syncopated, .drivingEighths, .rootFifth]
            let style = random.choose(from: styles)
            let bass = PluckedString(sustain: 2.5, damping: plan.bright(random.uniform(900...2000)),
                                     pluckBrightness: plan.bright(2500), muteTime: 0.05)
            play(Composer.bassLine(plan, &random, style: style, low: 28), on: Sampler(bass, variants: 3))
            mix(MixSettings(level: level, send: 0.03))
        case .uprightBass:
            let bass = PluckedString(sustain: 1.8, damping: plan.bright(random.uniform(600...1200)),
                                     pluckBrightness: 1200, muteTime: 0.12)
            play(Composer.bassLine(plan, &random, style: .rootFifth, low: 28), on: Sampler(bass, variants: 3))
            mix(MixSettings(level: level, send: 0.15))

        case .synthPad:
            let voice = SynthVoice(waveform: .saw, voices: 2, detuneCents: random.uniform(8...25),
                                   cutoff: plan.bright(random.uniform(900...2500)), resonance: 0.8,
                                   attack: random.uniform(0.05...0.6), decay: 1, sustain: 0.9, release: random.uniform(0.3...1.2),
                                   sweep: sweep(&random))
            play(Composer.pad(plan, &random, center: random.uniform(58...66), velocity: 0.8), on: voice,
                 cached: voice.sweep.depth == 0)
            mix(MixSettings(level: level, width: random.uniform(0.012...0.025), send: 0.5, pumped: true))
        case .stringPad:
            let voice = SynthVoice(waveform: .saw, voices: 2, detuneCents: random.uniform(5...12),
                                   cutoff: plan.bright(random.uniform(700...1600)), resonance: 0.6,
                                   attack: random.uniform(0.3...1), decay: 1, sustain: 0.9, release: random.uniform(0.6...1.5),
                                   vibratoDepth: 0.08, vibratoRate: 5.5, vibratoDelay: 0.4)
            play(Composer.pad(plan, &random, center: random.uniform(55...64), velocity: 0.8), on: Sampler(voice))
            mix(MixSettings(level: level, width: random.uniform(0.012...0.02), send: 0.6, pumped: true))
        case .synthChords:
            let rhythm = random.choose(from: [[0, 3, 6, 10, 12], [0, 6, 8, 14], [2, 6, 10, 14], [0, 4, 8, 12],
                                              [0, 3, 6, 8, 11, 14]])
            let voice = SynthVoice(waveform: random.chance(0.5) ? .saw : .square, voices: 1,
                                   cutoff: plan.bright(random.uniform(1200...3000)), filterEnvelope: random.uniform(0.5...2),
                                   filterDecay: 0.15, resonance: 1, attack: 0.004, decay: 0.35, sustain: 0.3, release: 0.1)
            play(Composer.chordRhythm(plan, &random, steps: rhythm, length: random.uniform(1...2.5),
                                      center: random.uniform(60...68), velocity: 0.9), on: Sampler(voice))
            mix(MixSettings(level: level, width: 0.01, send: 0.3, pumped: true))
        case .pianoChords:
            let style = random.choose(from: plan.genre == .pop ? [Composer.PianoStyle.pulse, .block] : [.block, .broken, .broken])
            let piano = Piano(brightness: plan.genre == .pop ? 0.8 : plan.brightness, release: random.uniform(0.2...1.2))
            play(Composer.piano(plan, &random, style: style), on: Sampler(piano))
            mix(MixSettings(level: level, pan: 0.15 * pan, width: 0.005, send: 0.4, pumped: true))
        case .keysLoop:
            let rhythm = random.choose(from: [[0, 6, 10], [0, 3, 8, 14], [0, 10], [0, 7, 12], [0, 4, 8, 12]])
            let keys = ElectricPiano(ratio: 1, index: random.uniform(0.8...2), indexDecay: 0.4, decay: 2.5, release: 0.15,
                                     cutoff: plan.bright(random.uniform(1500...3500)), wowDepth: random.uniform(0.03...0.15),
                                     wowRate: random.uniform(0.3...0.9))
            play(Composer.chordRhythm(plan, &random, steps: rhythm, length: random.uniform(2...6),
                                      center: random.uniform(57...64), velocity: 0.9), on: Sampler(keys))
            mix(MixSettings(level: level, pan: 0.2 * pan, send: 0.25))
        case .strummedGuitar:
            let guitar = PluckedString(sustain: 3, damping: plan.bright(random.uniform(3000...6000)),
                                       pluckBrightness: plan.bright(5000), muteTime: 0.06)
            play(Composer.strum(plan, &random), on: Sampler(guitar, variants: 2))
            mix(MixSettings(level: level, pan: 0.35 * pan, width: 0.012, send: 0.3))
        case .fingerpickedGuitar:
            let guitar = PluckedString(sustain: 3.5, damping: plan.bright(random.uniform(2500...5000)),
                                       pluckBrightness: plan.bright(3500), muteTime: 0.2)
            play(Composer.fingerpick(plan, &random), on: Sampler(guitar, variants: 3))
            mix(MixSettings(level: level, pan: 0.25 * pan, width: 0.008, send: 0.35))
        case .powerChords:
            let drive = Float(random.uniform(6...14) * (0.5 + plan.brightness))
            let tone = plan.bright(random.uniform(2500...4500))
            let open = Sampler(DistortedGuitar(drive: drive, tone: tone), variants: 2)
            let muted = Sampler(DistortedGuitar(drive: drive, tone: tone, palmMuted: true), variants: 2)
            for (note, isMuted) in arranged(Composer.powerChords(plan, &random), random: &random, part: member.part) {
                (isMuted ? muted : open).play([note], on: scratch)
            }
            mix(MixSettings(level: level, width: random.uniform(0.012...0.022), send: 0.12))
        case .drone:
            let root = plan.tonic + 12 * ((48 - plan.tonic) / 12).rounded()
            if random.chance(0.5) {
                // A tanpura: the fifth below, the tonic twice, the low tonic, plucked in turn.
                let cycle = [root - 5, root, root, root - 12]
                let gap = random.uniform(0.5...0.9)
                var notes: [Note] = []
                var t = -ClipPlan.preroll
                var k = 0
                while t < plan.duration {
                    // Each string rings until it is plucked again, one cycle later.
                    notes.append(Note(time: t, duration: 4.4 * gap, pitch: cycle[k % 4], velocity: 0.6, seed: random.noteSeed()))
                    t += gap * (k % 4 == 3 ? 1.6 : 1)
                    k += 1
                }
                Sampler(PluckedString(sustain: 4, damping: 3500, pluckBrightness: 2500, muteTime: 0.3, buzz: 0.9), variants: 2)
                    .play(notes, on: scratch)
            } else {
                let reed = SynthVoice(waveform: .saw, voices: 2, detuneCents: 4, cutoff: plan.bright(1200), resonance: 0.7,
                                      attack: 1.5, decay: 1, sustain: 1, release: 1)
                let notes = [root, root + 7, root - 12].map {
                    Note(time: -ClipPlan.preroll, duration: plan.duration + ClipPlan.preroll, pitch: $0, velocity: 0.45,
                         seed: random.noteSeed())
                }
                reed.play(notes, on: scratch)
            }
            mix(MixSettings(level: level, width: 0.015, send: 0.5))

        case .arpeggio:
            let voice = SynthVoice(waveform: random.chance(0.5) ? .square : .saw, voices: 1,
                                   cutoff: plan.bright(random.uniform(800...2500)), filterEnvelope: random.uniform(1...3),
                                   filterDecay: random.uniform(0.05...0.2), resonance: random.uniform(1...4),
                                   attack: 0.002, decay: 0.25, sustain: 0.2, release: 0.08, sweep: sweep(&random))
            play(Composer.arpeggio(plan, &random, low: random.uniform(60...70)), on: voice, cached: voice.sweep.depth == 0)
            mix(MixSettings(level: level, pan: 0.3 * pan, send: 0.4, pumped: true))
        case .synthLead:
            let style = Composer.MelodyStyle(register: 67...86, onBeat: 0.8, onEighth: 0.5, onSixteenth: 0.15, restChance: 0.25,
                                             legato: 0.9, slideChance: 0.2)
            let voice = SynthVoice(waveform: random.chance(0.5) ? .saw : .square, voices: 2, detuneCents: 8,
                                   cutoff: plan.bright(random.uniform(1500...4000)), filterEnvelope: 1, filterDecay: 0.2,
                                   resonance: 1.2, attack: 0.005, decay: 0.4, sustain: 0.7, release: 0.1,
                                   vibratoDepth: 0.15, vibratoRate: 5.5, vibratoDelay: 0.25)
            play(Composer.melody(plan, &random, style: style), on: Sampler(voice, variants: 2))
            mix(MixSettings(level: level, pan: 0.15 * pan, send: 0.35, pumped: true))
        case .vocalLead:
            let high = random.chance(0.5)
            let low: Double = high ? 60 : 52
            let style = Composer.MelodyStyle(register: low...(low + 17), onBeat: 0.75, onEighth: 0.45, onSixteenth: 0.08,
                                             restChance: 0.3, legato: 0.92, leapChance: 0.2, slideChance: 0.25)
            let voice = FormantVoice(formantScale: high ? 1.17 : 1, vibratoDepth: random.uniform(0.15...0.4),
                                     vibratoRate: random.uniform(4.8...6.2), breath: Float(random.uniform(0.05...0.2)))
            play(Composer.melody(plan, &random, style: style), on: Sampler(voice, variants: 2))
            mix(MixSettings(level: level, send: 0.35))
        case .rapVoice:
            let voice = FormantVoice(formantScale: random.uniform(0.95...1.1), breath: 0.15, rapped: true)
            play(Composer.rap(plan, &random), on: voice)
            mix(MixSettings(level: level, send: 0.1))
        case .pluckedLead:
            let style = Composer.MelodyStyle(register: 67...88, onBeat: 0.9, onEighth: 0.7, onSixteenth: 0.3, restChance: 0.2,
                                             legato: 1)
            let mandolin = PluckedString(sustain: 1.2, damping: plan.bright(6000), pluckBrightness: plan.bright(8000),
                                         muteTime: 0.1)
            play(Composer.melody(plan, &random, style: style), on: Sampler(mandolin, variants: 3))
            mix(MixSettings(level: level, pan: 0.4 * pan, send: 0.3))
        case .sitarLead:
            let style = Composer.MelodyStyle(register: 55...79, onBeat: 0.9, onEighth: 0.7, onSixteenth: 0.35, restChance: 0.15,
                                             legato: 1, leapChance: 0.15, slideChance: 0.3, graceChance: 0.2)
            let buzz = Float(random.chance(0.6) ? random.uniform(0.5...1) : random.uniform(0.1...0.3))
            let string = PluckedString(sustain: random.uniform(1.5...3), damping: plan.bright(random.uniform(3000...6000)),
                                       pluckBrightness: plan.bright(6000), muteTime: 0.15, buzz: buzz, glideTime: 0.12)
            play(Composer.melody(plan, &random, style: style), on: Sampler(string, variants: 3))
            mix(MixSettings(level: level, pan: 0.2 * pan, send: 0.35))
        case .fluteLead:
            let style = Composer.MelodyStyle(register: 67...86, onBeat: 0.7, onEighth: 0.4, onSixteenth: 0.1, restChance: 0.3,
                                             legato: 0.95, slideChance: plan.genre == .international ? 0.3 : 0.05,
                                             graceChance: plan.genre == .international ? 0.2 : 0)
            let flute = Flute(breath: Float(random.uniform(0.06...0.2)))
            play(Composer.melody(plan, &random, style: style), on: Sampler(flute, variants: 2))
            mix(MixSettings(level: level, pan: 0.25 * pan, send: 0.45))
        case .pianoMelody:
            let style = Composer.MelodyStyle(register: 67...88, onBeat: 0.85, onEighth: 0.55, onSixteenth: 0.1, restChance: 0.2,
                                             legato: 1.2)
            play(Composer.melody(plan, &random, style: style), on: Sampler(Piano(brightness: plan.brightness, release: 0.4)))
            mix(MixSettings(level: level, pan: 0.2 * pan, send: 0.4))
        case .guitarLead:
            let style = Composer.MelodyStyle(register: 62...84, onBeat: 0.8, onEighth: 0.6, onSixteenth: 0.25, restChance: 0.3,
                                             legato: 0.95, slideChance: 0.25, scale: .minorPentatonic)
            let guitar = DistortedGuitar(intervals: [0], drive: Float(10 * (0.5 + plan.brightness)), tone: plan.bright(4000),
                                         vibratoDepth: 0.3)
            play(Composer.melody(plan, &random, style: style), on: Sampler(guitar, variants: 2))
            mix(MixSettings(level: level, pan: 0.3 * pan, send: 0.3))

        case .atonalDrone:
            performAtonalDrone(&random, on: scratch)
            mix(MixSettings(level: level, pan: 0.3 * pan, width: 0.02, send: 0.6))
        case .noiseTexture:
            var points: [(time: Double, hertz: Double, level: Double)] = []
            var t = -ClipPlan.preroll
            while t < plan.duration + 4 {
                points.append((t, plan.bright(150 * PortableMath.exp(random.uniform(0...3.7))), random.uniform(0.15...1)))
                t += random.uniform(1...4)
            }
            NoiseTexture(points: points, q: random.uniform(0.7...6)).render(on: scratch, seed: random.noteSeed())
            mix(MixSettings(level: level - 4, pan: 0.5 * pan, width: 0.02, send: 0.5))
        case .grainCloud:
            play(grains(&random), on: Grain())
            mix(MixSettings(level: level, pan: 0.5 * pan, width: 0.015, send: 0.6))
        case .atonalMelody:
            let bell = ElectricPiano(ratio: random.choose(from: [1.41, 2.76, 3.5, 1.0]), index: random.uniform(1...4),
                                     indexDecay: random.uniform(0.2...1.5), decay: random.uniform(0.8...2.5), release: 0.5)
            var notes: [Note] = []
            let rate = random.uniform(0.3...1.2)
            var t = -ClipPlan.preroll
            while t < plan.duration {
                notes.append(Note(time: t, duration: random.uniform(0.1...2), pitch: random.uniform(50...96),
                                  velocity: random.uniform(0.3...1), seed: random.noteSeed()))
                t += -PortableMath.log(1 - random.nextUnit()) / rate
            }
            bell.play(notes, on: scratch)
            mix(MixSettings(level: level, pan: 0.6 * pan, send: 0.6))
        case .vinylCrackle:
            VinylCrackle(rate: random.uniform(5...40), hiss: Float(random.uniform(0.03...0.12)))
                .render(on: scratch, seed: random.noteSeed())
            mix(MixSettings(level: level, width: 0.01, send: 0))
        case .riser:
            var notes: [Note] = []
            let bars = random.choose(from: [1, 2])
            for bar in plan.bars where plan.phrase(ofBar: bar).bar == 0 && plan.phrase(ofBar: bar).index % 2 == 0 {
                let end = plan.time(bar: bar, step: 0)
                let length = Double(min(bars, plan.phraseBars)) * plan.barSeconds
                notes.append(Note(time: end - length, duration: length, pitch: 60, velocity: 0.8, seed: random.noteSeed()))
            }
            Riser().play(notes, on: scratch)
            mix(MixSettings(level: level, width: 0.02, send: 0.5))
        }
    }

    /// Arrangement: a pitched part sits out some phrases, as instruments come and go in a song,
    /// unless it is the band's only pitched part.
    private func arranged<T>(_ items: [T], random: inout SeededGenerator, part: DemoGenre.Part,
                             time: (T) -> Double) -> [T] {
        let pitched: (DemoGenre.Part) -> Bool = { $0.role != .percussion && $0.role != .texture }
        guard pitched(part), plan.band.filter({ pitched($0.part) }).count >= 2 else { return items }
        let phrases = plan.phrase(ofBar: plan.bars.lowerBound).index...plan.phrase(ofBar: plan.bars.upperBound).index
        let resting = Set(phrases.filter { _ in random.chance(0.12) })
        guard !resting.isEmpty else { return items }
        return items.filter { item in
            let bar = Int(((time(item) - plan.origin) / plan.barSeconds + 0.01).rounded(.down))
            return !resting.contains(plan.phrase(ofBar: bar).index)
        }
    }

    private func arranged(_ notes: [Note], random: inout SeededGenerator, part: DemoGenre.Part) -> [Note] {
        arranged(notes, random: &random, part: part) { $0.time }
    }

    private func arranged(_ chords: [(note: Note, muted: Bool)], random: inout SeededGenerator,
                          part: DemoGenre.Part) -> [(note: Note, muted: Bool)] {
        arranged(chords, random: &random, part: part) { $0.note.time }
    }

    /// A slow filter sweep for electronic parts, in one clip in two.
    private func sweep(_ random: inout SeededGenerator) -> FilterSweep {
        guard random.chance(0.5) else { return .none }
        return FilterSweep(period: plan.barSeconds * Double(random.choose(from: [4, 8, 16])),
                           depth: random.uniform(0.5...1.5), phase: random.nextUnit())
    }

    /// The kit's sound for a genre's drums: tight and clicky for rock, long and round for
    /// hip-hop, punchy for electronic.
    private func drumKit(for part: DemoGenre.Part, _ random: inout SeededGenerator) -> DrumKit {
        var kit = DrumKit()
        kit.seed = random.noteSeed()
        kit.cymbalCutoff = plan.bright(random.uniform(5000...8000))
        kit.snarePitch = random.uniform(170...240)
        kit.tomPitch = random.uniform(90...130)
        kit.doumPitch = random.uniform(85...120)
        kit.naPitch = PortableMath.hertz(midi: plan.tonic + 60 + (plan.tonic > 6 ? -12 : 0))
        switch part {
        case .fourOnTheFloorDrums:
            kit.kickPitch = random.uniform(45...55)
            kit.kickDecay = random.uniform(0.3...0.6)
            kit.kickDrive = Float(random.uniform(1.5...3))
            kit.kickClick = 0.2
        case .boomBapDrums:
            kit.kickPitch = random.uniform(42...52)
            kit.kickDecay = random.uniform(0.4...0.8)
            kit.kickDrive = Float(random.uniform(1.2...2.5))
            kit.snareDecay = random.uniform(0.2...0.35)
            kit.hatDecay = random.uniform(0.04...0.08)
        case .rockDrums:
            kit.kickPitch = random.uniform(55...70)
            kit.kickSweep = 2.5
            kit.kickDecay = random.uniform(0.25...0.4)
            kit.kickClick = 0.6
            kit.snareDecay = random.uniform(0.25...0.4)
            kit.snareWires = 1
            kit.crashDecay = random.uniform(1.5...2.5)
        case .softDrums:
            kit.kickPitch = random.uniform(55...65)
            kit.kickDecay = 0.3
            kit.kickClick = 0.05
            kit.kickDrive = 1
            kit.snareWires = 0.5
        default:
            break
        }
        return kit
    }

    /// Atonal drones: a chain of clusters, each two or three long tones at unrelated
    /// microtonal pitches within a few semitones, so that they beat and rub, fading into the next.
    private func performAtonalDrone(_ random: inout SeededGenerator, on canvas: Canvas) {
        let center = random.uniform(40...66)
        let sine = random.chance(0.5)
        // Sines need no filter; saws are darkened and made to whistle a little.
        let voice = SynthVoice(waveform: sine ? .sine : .saw, voices: 1,
                               cutoff: sine ? nil : plan.bright(random.uniform(500...1500)), resonance: random.uniform(0.7...3),
                               attack: random.uniform(0.8...3), decay: 1, sustain: 1, release: random.uniform(1.5...3),
                               vibratoDepth: 0.1, vibratoRate: random.uniform(0.1...0.4), vibratoDelay: 2)
        let size = random.integer(in: 2...3)
        var t = -ClipPlan.preroll - random.uniform(0...3)
        var notes: [Note] = []
        while t < plan.duration {
            let length = random.uniform(4...12)
            let time = max(t, -ClipPlan.preroll)
            for _ in 0..<size {
                notes.append(Note(time: time, duration: length, pitch: center + random.uniform(-7...7),
                                  velocity: random.uniform(0.3...0.7), seed: random.noteSeed()))
            }
            t += length * random.uniform(0.7...1.1)
        }
        voice.play(notes, on: canvas)
    }

    /// Bursts of grains at Poisson times, each burst around one random pitch.
    private func grains(_ random: inout SeededGenerator) -> [Note] {
        var notes: [Note] = []
        let burstRate = random.uniform(0.2...0.8)
        var t = -ClipPlan.preroll
        while t < plan.duration {
            let length = random.uniform(0.2...2)
            let density = random.uniform(20...120)
            let center = random.uniform(48...100)
            let spread = random.uniform(0...12)
            let loudness = random.uniform(0.3...1)
            var g = t
            while g < t + length {
                notes.append(Note(time: g, duration: random.uniform(0.01...0.08),
                                  pitch: center + spread * (2 * random.nextUnit() - 1),
                                  velocity: loudness * random.uniform(0.4...1), seed: random.noteSeed()))
                g += -PortableMath.log(1 - random.nextUnit()) / density
            }
            t += length - PortableMath.log(1 - random.nextUnit()) / burstRate
        }
        return notes
    }
}
