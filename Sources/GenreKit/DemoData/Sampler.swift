/// Plays an instrument through a cache of rendered takes, as a sampler plays back recordings:
/// a chord or note heard before (same pitches and length, velocities equal to within 1/16) is
/// copied rather than synthesised again.
///
/// Music repeats itself, so most notes of a clip are repeats: the keys loop of a hip-hop
/// beat, a riff's palm-muted chugs, a pad's progression in every phrase. Copying a take costs
/// an addition per sample; synthesising it costs a filter and several oscillators.
struct Sampler<Base: Instrument>: Instrument {
    let base: Base
    /// Takes per distinct chord, chosen by the first note's seed (1: every repeat identical,
    /// as from a drum machine; 3: a little life, as from a player).
    var variants: UInt32 = 1
    private let store = Store()

    private final class Store {
        var takes: [Key: [Float]] = [:]
    }

    private struct Key: Hashable {
        var pitches: [Double]
        var slides: [Double?]
        var velocities: [Int]
        var duration: Double
        var variant: UInt32
    }

    init(_ base: Base, variants: UInt32 = 1) {
        self.base = base
        self.variants = variants
    }

    var tail: Double { base.tail }

    func play(chord: ArraySlice<Note>, on canvas: Canvas) {
        guard let first = chord.first else { return }
        let sampleRate = canvas.sampleRate
        let levels = chord.map { max(1, Int(($0.velocity * 16).rounded())) }
        let key = Key(pitches: chord.map(\.pitch), slides: chord.map(\.slideFrom), velocities: levels,
                      duration: first.duration, variant: first.seed % max(variants, 1))
        if store.takes[key] == nil {
            let notes = chord.enumerated().map { index, note in
                Note(time: 0, duration: note.duration, pitch: note.pitch, velocity: Double(levels[index]) / 16,
                     slideFrom: note.slideFrom, seed: note.seed)
            }
            var take = [Float](repeating: 0, count: Int(((first.duration + base.tail) * sampleRate).rounded(.up)) + 1)
            take.withUnsafeMutableBufferPointer { buffer in
                base.play(chord: notes[...], on: Canvas(samples: buffer, sampleRate: sampleRate, origin: 0))
            }
            store.takes[key] = take
        }
        guard let take = store.takes[key],
              let (start, count) = canvas.span(at: first.time, length: take.count) else { return }
        // The take was played at the rounded velocities; scale to the ones asked for.
        let gain = Float(chord.reduce(0) { $0 + $1.velocity } / (Double(levels.reduce(0, +)) / 16))
        let out = canvas.samples
        take.withUnsafeBufferPointer { take in
            for i in 0..<count { out[start + i] += take[i] * gain }
        }
    }
}
