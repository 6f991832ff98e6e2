/// One of FMA small's eight top-level genres, with the musical character the demo dataset
/// gives it.
///
/// A genre is a recipe, not a clip: ranges and lists from which `DemoSynthesizer` draws each
/// clip's tempo, key, metre, mix and band. The ranges overlap between genres on purpose (Pop
/// and Rock share tempos, Folk and Instrumental share instruments) and a clip may borrow a
/// part from another genre, so that a classifier has something to learn but cannot be perfect.
public struct DemoGenre: Sendable, Hashable {
    /// FMA's spelling of the genre ("Hip-Hop"), as in `genres.csv` and `tracks.csv`.
    public let name: String
    /// The genre's `genre_id` in FMA's `genres.csv`.
    public let fmaGenreID: Int

    /// Tempo in quarter-note beats per minute. A clip's tempo is drawn uniformly from this
    /// range, and one clip in eight is allowed up to 6 % outside it.
    public let tempo: ClosedRange<Double>
    /// Metres, drawn uniformly (a metre listed twice is twice as likely).
    public let meters: [Meter]
    /// Modes, drawn uniformly; the tonic is any of the twelve pitch classes.
    public let scales: [Scale]
    /// Chord progressions as 0-based scale degrees (0 = tonic chord). One progression fills
    /// one phrase, each chord an equal share of it.
    public let progressions: [[Int]]
    /// Chance that a clip's chords are seventh chords rather than triads.
    public let seventhChance: Double
    /// Phrase lengths in bars, drawn uniformly: how often the progression repeats, and where
    /// crashes, fills and arrangement changes fall.
    public let phraseBars: [Int]
    /// Sixteenth-note swing: the fraction of a sixteenth by which off-beat sixteenths are late
    /// (0: straight; 0.33: a heavy triplet shuffle).
    public let swing: ClosedRange<Double>
    /// Largest random timing error of a played note, in seconds (0: quantised).
    public let timingJitter: ClosedRange<Double>
    /// Brightness from 0 (dark) to 1 (bright): scales every filter cutoff and the drive of
    /// distortions.
    public let brightness: ClosedRange<Double>
    /// Reverb return level, 0 (dry) to 1 (a distant hall).
    public let reverb: ClosedRange<Double>
    /// Master-bus compression and saturation, 0 (untouched dynamics) to 1 (loud and dense).
    public let density: ClosedRange<Double>
    /// Depth of the kick-triggered "sidechain" pumping of synths, pads and keys (0: none;
    /// 0.7: deep). Drawn per clip; a clip gets none with chance 1/5.
    public let sidechain: ClosedRange<Double>
    /// Range in decibels of slow random level changes over the clip (0: steady).
    public let dynamics: ClosedRange<Double>
    /// Chance that a clip has sudden silences of a fraction of a second to a second and a half.
    public let silenceChance: Double
    /// Level of the noise floor (tape hiss), in decibels below the clip's peak.
    public let noiseFloor: ClosedRange<Double>
    /// The band: each part plays in a clip with its probability, at a level drawn from its range.
    public let parts: [PartChoice]
    /// Chance that a clip also gets one part of another genre (a rock clip with a synth pad,
    /// a folk clip with a drum kit), so that genres overlap as they do in FMA.
    public let borrowChance: Double

    /// FMA small's eight genres, alphabetically: Electronic, Experimental, Folk, Hip-Hop,
    /// Instrumental, International, Pop, Rock.
    public static let all: [DemoGenre] = [electronic, experimental, folk, hipHop, instrumental, international, pop, rock]

    /// The genre with FMA name `name` ("Hip-Hop"), case-insensitively, or nil.
    public static func named(_ name: String) -> DemoGenre? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }
}

extension DemoGenre {
    /// A part a demo clip can contain: an instrument and what it plays.
    public enum Part: String, Sendable, Hashable, CaseIterable {
        /// Kick on every beat, off-beat open hats, clap on the backbeat (house, techno).
        case fourOnTheFloorDrums
        /// Heavy syncopated kick, snare on 2 and 4, swung sixteenth hats.
        case boomBapDrums
        /// Kick on 1 and 3, snare and clap on 2 and 4, eighth hats.
        case popDrums
        /// Driving eighth hats or ride, loud backbeat, crashes at phrase starts, fills.
        case rockDrums
        /// A brushed, quiet kit: soft kick, rim clicks, brushes.
        case softDrums
        /// Tabla / darbuka-like pitched hits (doum, tek, ka, ringing na) along the metre's groups.
        case handDrums
        case shaker
        case tambourine
        /// Clicks and metallic hits at irregular times: rhythm without a pulse.
        case looseClicks

        /// Detuned saw or square bass with a filter envelope.
        case synthBass
        /// 808-like sine sub-bass with glides, following the kick.
        case subBass
        /// Plucked electric bass on the roots.
        case bassGuitar
        /// Plucked upright bass: root and fifth.
        case uprightBass

        /// Sustained detuned-saw chords, wide in stereo.
        case synthPad
        /// Slow string-section chords with vibrato.
        case stringPad
        /// Short bright synth chord stabs in a syncopated rhythm.
        case synthChords
        /// Piano chords: block, broken or pulsing.
        case pianoChords
        /// A looped, lo-fi electric-piano chord "sample" with tape wow.
        case keysLoop
        /// Karplus-Strong acoustic guitar strumming open-position chords.
        case strummedGuitar
        /// Karplus-Strong acoustic guitar, Travis-style finger picking.
        case fingerpickedGuitar
        /// Distorted power chords, palm-muted eighths or ringing.
        case powerChords
        /// A tonic drone: a plucked tanpura cycle or a harmonium-like reed drone.
        case drone

        /// Sixteenth-note synth arpeggio over the chords.
        case arpeggio
        /// A saw / square lead melody with glide and vibrato.
        case synthLead
        /// A sung melody: a buzzy source through vowel formants, with vibrato.
        case vocalLead
        /// Rapped syllables: rhythmic, nearly monotone formant bursts with consonants.
        case rapVoice
        /// A bright plucked melody (mandolin, banjo).
        case pluckedLead
        /// A buzzy plucked melody with slides and grace notes (sitar, oud, saz).
        case sitarLead
        /// A breathy flute / ney melody.
        case fluteLead
        /// A piano melody in the right hand.
        case pianoMelody
        /// A distorted lead guitar with bends.
        case guitarLead

        /// Beating clusters of sustained tones at unrelated, microtonal pitches.
        case atonalDrone
        /// Filtered noise with a wandering band.
        case noiseTexture
        /// Bursts of short grains at random pitches (granular synthesis).
        case grainCloud
        /// Bell-like tones at random pitches and irregular times.
        case atonalMelody
        /// Vinyl crackle and hiss.
        case vinylCrackle
        /// Noise risers sweeping up into phrase starts.
        case riser

        /// What the part does in the band.
        public var role: Role {
            switch self {
            case .fourOnTheFloorDrums, .boomBapDrums, .popDrums, .rockDrums, .softDrums, .handDrums,
                 .shaker, .tambourine, .looseClicks:
                .percussion
            case .synthBass, .subBass, .bassGuitar, .uprightBass:
                .bass
            case .synthPad, .stringPad, .synthChords, .pianoChords, .keysLoop, .strummedGuitar,
                 .fingerpickedGuitar, .powerChords, .drone:
                .harmony
            case .arpeggio, .synthLead, .vocalLead, .rapVoice, .pluckedLead, .sitarLead, .fluteLead,
                 .pianoMelody, .guitarLead:
                .melody
            case .atonalDrone, .noiseTexture, .grainCloud, .atonalMelody, .vinylCrackle, .riser:
                .texture
            }
        }
    }

    /// The function of a part in the band.
    public enum Role: String, Sendable, Hashable {
        case percussion, bass, harmony, melody, texture
    }

    /// A part of a genre's band: how likely a clip is to have it, and how loud.
    public struct PartChoice: Sendable, Hashable {
        public let part: Part
        /// Chance that a clip of the genre contains the part.
        public let probability: Double
        /// Level in decibels relative to the loudest part (0), drawn uniformly per clip.
        public let level: ClosedRange<Double>

        public init(_ part: Part, _ probability: Double, level: ClosedRange<Double>) {
            self.part = part
            self.probability = probability
            self.level = level
        }
    }
}

extension DemoGenre {
    /// 118-135 BPM four-on-the-floor, minor keys, detuned saw bass and arpeggios, pumping
    /// sidechain, filter sweeps and risers.
    public static let electronic = DemoGenre(
        name: "Electronic", fmaGenreID: 15,
        tempo: 118...135, meters: [.fourFour],
        scales: [.minor, .minor, .dorian, .phrygian, .harmonicMinor],
        progressions: [[0, 5, 2, 6], [0, 3, 5, 4], [0, 0, 5, 6], [0], [0, 6, 5, 6], [0, 3]],
        seventhChance: 0.3, phraseBars: [4, 8, 8],
        swing: 0...0.08, timingJitter: 0...0.001, brightness: 0.55...0.95, reverb: 0.15...0.35,
        density: 0.4...0.8, sidechain: 0.3...0.7, dynamics: 0...2, silenceChance: 0,
        noiseFloor: -84...(-70),
        parts: [
            PartChoice(.fourOnTheFloorDrums, 1, level: -1...0),
            PartChoice(.synthBass, 0.95, level: -9...(-5)),
            PartChoice(.arpeggio, 0.7, level: -14...(-8)),
            PartChoice(.synthPad, 0.6, level: -16...(-10)),
            PartChoice(.synthLead, 0.35, level: -12...(-7)),
            PartChoice(.vocalLead, 0.15, level: -11...(-7)),
            PartChoice(.riser, 0.45, level: -18...(-11)),
            PartChoice(.noiseTexture, 0.1, level: -24...(-16)),
        ],
        borrowChance: 0.2)

    /// No steady pulse: drones, noise, grains, bells and clicks at unrelated pitches, wide
    /// dynamics and sudden silences.
    public static let experimental = DemoGenre(
        name: "Experimental", fmaGenreID: 38,
        tempo: 60...140, meters: [.fourFour, .threeFour, .sevenEight],
        scales: [.chromatic, .phrygian, .hirajoshi, .bayati],
        progressions: [[0], [0, 1], [0, 6, 3]],
        seventhChance: 0.5, phraseBars: [2, 4, 8],
        swing: 0...0.2, timingJitter: 0.02...0.12, brightness: 0.2...0.95, reverb: 0.3...0.8,
        density: 0...0.3, sidechain: 0...0, dynamics: 6...24, silenceChance: 0.5,
        noiseFloor: -62...(-42),
        parts: [
            PartChoice(.atonalDrone, 0.8, level: -9...(-2)),
            PartChoice(.noiseTexture, 0.65, level: -12...(-4)),
            PartChoice(.grainCloud, 0.65, level: -9...(-2)),
            PartChoice(.atonalMelody, 0.45, level: -10...(-4)),
            PartChoice(.looseClicks, 0.5, level: -12...(-4)),
            PartChoice(.pianoMelody, 0.12, level: -12...(-6)),
        ],
        borrowChance: 0.25)

    /// 80-115 BPM, major keys, strummed or finger-picked Karplus-Strong guitar, shaker and
    /// tambourine, rarely drums.
    public static let folk = DemoGenre(
        name: "Folk", fmaGenreID: 17,
        tempo: 80...115, meters: [.fourFour, .fourFour, .fourFour, .threeFour, .sixEight],
        scales: [.major, .major, .major, .mixolydian, .dorian],
        progressions: [[0, 3, 4, 0], [0, 4, 5, 3], [0, 5, 3, 4], [0, 3, 0, 4], [0, 0, 3, 4], [5, 3, 0, 4]],
        seventhChance: 0.1, phraseBars: [4, 4, 8],
        swing: 0...0.12, timingJitter: 0.004...0.012, brightness: 0.35...0.7, reverb: 0.12...0.35,
        density: 0...0.3, sidechain: 0...0, dynamics: 0...3, silenceChance: 0,
        noiseFloor: -72...(-56),
        parts: [
            PartChoice(.strummedGuitar, 0.7, level: -2...0),
            PartChoice(.fingerpickedGuitar, 0.4, level: -3...0),
            PartChoice(.uprightBass, 0.45, level: -8...(-4)),
            PartChoice(.pluckedLead, 0.35, level: -8...(-4)),
            PartChoice(.vocalLead, 0.35, level: -8...(-4)),
            PartChoice(.fluteLead, 0.15, level: -10...(-6)),
            PartChoice(.shaker, 0.45, level: -18...(-11)),
            PartChoice(.tambourine, 0.25, level: -18...(-11)),
            PartChoice(.softDrums, 0.25, level: -10...(-5)),
            PartChoice(.stringPad, 0.15, level: -18...(-12)),
        ],
        borrowChance: 0.2)

    /// 80-98 BPM boom-bap: heavy kick, snare on 2 and 4, swung hats, 808 glides, a minor
    /// lo-fi keys loop, rap and vinyl crackle.
    public static let hipHop = DemoGenre(
        name: "Hip-Hop", fmaGenreID: 21,
        tempo: 80...98, meters: [.fourFour],
        scales: [.minor, .minor, .dorian, .harmonicMinor, .phrygian],
        progressions: [[0, 5], [0, 3], [0, 5, 3, 4], [0, 0, 5, 5], [0, 6, 5, 4], [3, 4, 0, 0]],
        seventhChance: 0.6, phraseBars: [2, 4, 4],
        swing: 0.08...0.3, timingJitter: 0.002...0.008, brightness: 0.2...0.55, reverb: 0.05...0.2,
        density: 0.3...0.6, sidechain: 0...0, dynamics: 0...2, silenceChance: 0,
        noiseFloor: -70...(-56),
        parts: [
            PartChoice(.boomBapDrums, 1, level: -1...0),
            PartChoice(.subBass, 0.8, level: -6...(-2)),
            PartChoice(.keysLoop, 0.85, level: -10...(-5)),
            PartChoice(.rapVoice, 0.6, level: -7...(-3)),
            PartChoice(.vinylCrackle, 0.65, level: -22...(-14)),
            PartChoice(.stringPad, 0.15, level: -16...(-10)),
            PartChoice(.fluteLead, 0.12, level: -12...(-7)),
            PartChoice(.pianoMelody, 0.15, level: -12...(-7)),
        ],
        borrowChance: 0.2)

    /// 60-95 BPM piano and strings: seventh chords, broken chords, a right-hand melody,
    /// much reverb, little or no percussion.
    public static let instrumental = DemoGenre(
        name: "Instrumental", fmaGenreID: 1235,
        tempo: 60...95, meters: [.fourFour, .fourFour, .threeFour, .sixEight],
        scales: [.major, .major, .minor, .dorian, .harmonicMinor],
        progressions: [[0, 5, 1, 4], [0, 2, 3, 4], [5, 3, 0, 4], [1, 4, 0, 5], [0, 3, 5, 4],
                       [0, 4, 5, 2, 3, 0, 3, 4]],
        seventhChance: 0.55, phraseBars: [4, 8],
        swing: 0...0.06, timingJitter: 0.005...0.02, brightness: 0.1...0.45, reverb: 0.3...0.6,
        density: 0...0.2, sidechain: 0...0, dynamics: 2...8, silenceChance: 0,
        noiseFloor: -80...(-62),
        parts: [
            PartChoice(.pianoChords, 0.85, level: -2...0),
            PartChoice(.pianoMelody, 0.6, level: -5...(-1)),
            PartChoice(.stringPad, 0.7, level: -12...(-6)),
            PartChoice(.uprightBass, 0.3, level: -12...(-7)),
            PartChoice(.fluteLead, 0.2, level: -10...(-5)),
            PartChoice(.fingerpickedGuitar, 0.15, level: -6...(-2)),
            PartChoice(.softDrums, 0.15, level: -16...(-9)),
        ],
        borrowChance: 0.15)

    /// Modal (phrygian dominant, maqam, pentatonic) over a drone, a buzzy plucked lead with
    /// slides, and hand drums in 4/4, 6/8 or 7/8.
    public static let international = DemoGenre(
        name: "International", fmaGenreID: 2,
        tempo: 85...125, meters: [.fourFour, .sixEight, .sixEight, .sevenEight, .sevenEight],
        scales: [.phrygianDominant, .phrygianDominant, .doubleHarmonic, .bayati, .majorPentatonic,
                 .minorPentatonic, .hirajoshi, .dorian],
        progressions: [[0], [0], [0, 6], [0, 1], [0, 3]],
        seventhChance: 0, phraseBars: [2, 4, 4, 8],
        swing: 0...0.1, timingJitter: 0.004...0.015, brightness: 0.35...0.75, reverb: 0.15...0.4,
        density: 0.1...0.4, sidechain: 0...0, dynamics: 0...4, silenceChance: 0,
        noiseFloor: -72...(-56),
        parts: [
            PartChoice(.handDrums, 0.9, level: -3...0),
            PartChoice(.sitarLead, 0.85, level: -5...(-1)),
            PartChoice(.drone, 0.85, level: -12...(-6)),
            PartChoice(.tambourine, 0.35, level: -17...(-10)),
            PartChoice(.fluteLead, 0.3, level: -9...(-4)),
            PartChoice(.vocalLead, 0.25, level: -9...(-5)),
            PartChoice(.uprightBass, 0.2, level: -10...(-6)),
        ],
        borrowChance: 0.2)

    /// 96-125 BPM, I-V-vi-IV, bright piano and synth chords, a sung lead, clap and snare on
    /// 2 and 4.
    public static let pop = DemoGenre(
        name: "Pop", fmaGenreID: 10,
        tempo: 96...125, meters: [.fourFour],
        scales: [.major, .major, .major, .minor, .mixolydian],
        progressions: [[0, 4, 5, 3], [5, 3, 0, 4], [0, 5, 3, 4], [3, 0, 4, 5], [0, 3, 5, 4], [0, 2, 3, 4]],
        seventhChance: 0.15, phraseBars: [4, 4, 8],
        swing: 0...0.08, timingJitter: 0...0.006, brightness: 0.55...0.85, reverb: 0.15...0.35,
        density: 0.4...0.75, sidechain: 0...0.3, dynamics: 0...2, silenceChance: 0,
        noiseFloor: -84...(-70),
        parts: [
            PartChoice(.popDrums, 0.95, level: -2...0),
            PartChoice(.vocalLead, 0.9, level: -4...(-1)),
            PartChoice(.bassGuitar, 0.5, level: -8...(-4)),
            PartChoice(.synthBass, 0.45, level: -8...(-4)),
            PartChoice(.pianoChords, 0.5, level: -8...(-3)),
            PartChoice(.synthChords, 0.55, level: -10...(-5)),
            PartChoice(.synthPad, 0.35, level: -16...(-10)),
            PartChoice(.arpeggio, 0.2, level: -16...(-10)),
            PartChoice(.strummedGuitar, 0.2, level: -10...(-5)),
            PartChoice(.tambourine, 0.15, level: -18...(-12)),
        ],
        borrowChance: 0.2)

    /// 105-165 BPM, distorted power chords, bass on the roots, driving hats, loud backbeat,
    /// crashes at phrase starts; dense and compressed.
    public static let rock = DemoGenre(
        name: "Rock", fmaGenreID: 12,
        tempo: 105...165, meters: [.fourFour],
        scales: [.minor, .mixolydian, .major, .dorian],
        progressions: [[0, 6, 3, 0], [0, 5, 6, 0], [0, 3, 4, 3], [0, 4, 5, 3], [0, 2, 3, 5], [0, 0, 6, 3]],
        seventhChance: 0, phraseBars: [4, 8],
        swing: 0...0.04, timingJitter: 0.002...0.008, brightness: 0.7...1, reverb: 0.1...0.3,
        density: 0.7...1, sidechain: 0...0, dynamics: 0...2, silenceChance: 0,
        noiseFloor: -70...(-58),
        parts: [
            PartChoice(.rockDrums, 1, level: -1...0),
            PartChoice(.powerChords, 0.95, level: -3...0),
            PartChoice(.bassGuitar, 0.95, level: -7...(-3)),
            PartChoice(.vocalLead, 0.55, level: -6...(-2)),
            PartChoice(.guitarLead, 0.35, level: -8...(-3)),
        ],
        borrowChance: 0.2)
}

extension DemoGenre: CustomStringConvertible {
    /// The FMA name, so that test arguments and logs read "Hip-Hop".
    public var description: String { name }
}
