/// Scales, metres and chords: the vocabulary the demo genres are written in.

extension DemoGenre {
    /// A mode, as semitone offsets from its tonic within one octave. Offsets may be fractional
    /// (a maqam's neutral second and third).
    public struct Scale: Sendable, Hashable {
        public let name: String
        /// Ascending offsets in [0, 12), starting at 0.
        public let steps: [Double]

        public init(name: String, steps: [Double]) {
            precondition(steps.first == 0 && zip(steps, steps.dropFirst()).allSatisfy { $0 < $1 } && steps.last! < 12,
                         "scale steps must rise from 0 within one octave")
            self.name = name
            self.steps = steps
        }

        /// Semitones above the tonic of scale degree `degree` (0-based; any integer, wrapping
        /// into higher and lower octaves).
        public func semitones(degree: Int) -> Double {
            let count = steps.count
            let octave = degree >= 0 ? degree / count : -((-degree + count - 1) / count)
            return Double(octave) * 12 + steps[degree - octave * count]
        }

        public static let major = Scale(name: "major", steps: [0, 2, 4, 5, 7, 9, 11])
        public static let minor = Scale(name: "natural minor", steps: [0, 2, 3, 5, 7, 8, 10])
        public static let dorian = Scale(name: "dorian", steps: [0, 2, 3, 5, 7, 9, 10])
        public static let mixolydian = Scale(name: "mixolydian", steps: [0, 2, 4, 5, 7, 9, 10])
        public static let harmonicMinor = Scale(name: "harmonic minor", steps: [0, 2, 3, 5, 7, 8, 11])
        public static let phrygian = Scale(name: "phrygian", steps: [0, 1, 3, 5, 7, 8, 10])
        /// Hijaz / Freygish: the augmented second between degrees 2 and 3.
        public static let phrygianDominant = Scale(name: "phrygian dominant", steps: [0, 1, 4, 5, 7, 8, 10])
        public static let doubleHarmonic = Scale(name: "double harmonic", steps: [0, 1, 4, 5, 7, 8, 11])
        /// Maqam bayati, with its neutral second (a quarter tone flat).
        public static let bayati = Scale(name: "bayati", steps: [0, 1.5, 3, 5, 7, 8, 10])
        public static let majorPentatonic = Scale(name: "major pentatonic", steps: [0, 2, 4, 7, 9])
        public static let minorPentatonic = Scale(name: "minor pentatonic", steps: [0, 3, 5, 7, 10])
        /// A Japanese pentatonic (hirajōshi).
        public static let hirajoshi = Scale(name: "hirajoshi", steps: [0, 2, 3, 7, 8])
        public static let chromatic = Scale(name: "chromatic", steps: (0..<12).map(Double.init))
    }

    /// A time signature, counted on a grid of sixteenth notes.
    public enum Meter: String, Sendable, Hashable, CaseIterable {
        case fourFour = "4/4"
        case threeFour = "3/4"
        case sixEight = "6/8"
        /// Counted 2 + 2 + 3 eighths, as in Balkan and Turkish music.
        case sevenEight = "7/8"

        /// Sixteenth notes per bar.
        public var stepsPerBar: Int {
            switch self {
            case .fourFour: 16
            case .threeFour, .sixEight: 12
            case .sevenEight: 14
            }
        }

        /// The felt beats, as sixteenth-note positions within the bar: where a kick or a
        /// doum falls. The first is the downbeat.
        public var beats: [Int] {
            switch self {
            case .fourFour: [0, 4, 8, 12]
            case .threeFour: [0, 4, 8]
            case .sixEight: [0, 6]
            case .sevenEight: [0, 4, 8]
            }
        }

        /// Sixteenths from each beat to the next.
        func beatLength(_ index: Int) -> Int {
            let b = beats
            return (index + 1 < b.count ? b[index + 1] : stepsPerBar) - b[index]
        }

        /// Beats where a backbeat (snare, clap) falls: 2 and 4 in 4/4.
        var backbeats: [Int] {
            switch self {
            case .fourFour: [4, 12]
            case .threeFour: [4, 8]
            case .sixEight: [6]
            case .sevenEight: [8]
            }
        }
    }
}

/// A chord of the clip's key: a scale degree and the pitch classes stacked on it.
struct Chord: Equatable {
    /// The scale degree the chord is built on (0-based).
    let degree: Int
    /// Root, in semitones above C (may exceed 12; only its pitch class matters).
    let root: Double
    /// Chord tones as semitones above C, root first.
    let tones: [Double]

    /// The triad (or seventh chord) on `degree`, built from every other scale step.
    init(degree: Int, tonic: Double, scale: DemoGenre.Scale, seventh: Bool) {
        let stack = seventh ? [0, 2, 4, 6] : [0, 2, 4]
        self.degree = degree
        tones = stack.map { tonic + scale.semitones(degree: degree + $0) }
        root = tones[0]
    }

    /// All chord tones between `low` and `high` (MIDI numbers), ascending.
    func pitches(from low: Double, to high: Double) -> [Double] {
        var result: [Double] = []
        for tone in tones {
            var p = tone + 12 * ((low - tone) / 12).rounded(.up)
            while p <= high {
                result.append(p)
                p += 12
            }
        }
        return result.sorted()
    }

    /// The root placed in the octave starting at `low`.
    func root(from low: Double) -> Double { root + 12 * ((low - root) / 12).rounded(.up) }
}
