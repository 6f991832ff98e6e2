/// Writes the drum and percussion parts: which sound, when, how hard.
///
/// Patterns are written against the metre's beats, not fixed bar lengths, so a borrowed kit
/// also plays in 3/4, 6/8 or 7/8.
enum Rhythm {
    /// Syncopated boom-bap kick patterns in sixteenths (4/4); shared with the 808 so that the
    /// bass locks to the kick.
    static let boomBapKicks: [[Int]] = [[0, 10], [0, 7, 10], [0, 3, 10], [0, 6, 10], [0, 10, 11], [0, 7, 9, 14], [0, 3, 8, 10]]

    /// A kick pattern for a metre: a boom-bap one in 4/4; otherwise the downbeat, and perhaps
    /// a pickup after the last beat.
    static func kickPattern(_ meter: DemoGenre.Meter, _ random: inout SeededGenerator) -> [Int] {
        if meter == .fourFour { return random.choose(from: boomBapKicks) }
        var steps = [0]
        if let last = meter.beats.last, random.chance(0.6) { steps.append(last + 2) }
        return steps
    }

    /// Collects hits with humanised timing and their own noise seeds.
    private struct Hits {
        var list: [DrumHit] = []
        let plan: ClipPlan

        mutating func add(_ sound: DrumSound, bar: Int, step: Int, velocity: Double, tune: Double = 1,
                          random: inout SeededGenerator) {
            let time = plan.humanize(plan.time(bar: bar, step: step), &random)
            let v = min(max(velocity * (0.92 + 0.08 * random.nextUnit()), 0), 1)
            list.append(DrumHit(time: time, sound: sound, velocity: v, tune: tune, seed: random.noteSeed()))
        }
    }

    /// Off-beat sixteenth positions halfway through each beat.
    private static func offbeats(_ meter: DemoGenre.Meter) -> [Int] {
        meter.beats.indices.map { meter.beats[$0] + meter.beatLength($0) / 2 }
    }

    /// A fill over the last beat of a phrase: snare sixteenths or toms rolling down.
    private static func fill(_ hits: inout Hits, bar: Int, toms: Bool, random: inout SeededGenerator) {
        let meter = hits.plan.meter
        let start = meter.beats.last!
        for (k, s) in (start..<meter.stepsPerBar).enumerated() {
            let sound: DrumSound = toms ? .tom(min(k * 3 / max(meter.stepsPerBar - start, 1), 2)) : .snare
            hits.add(sound, bar: bar, step: s, velocity: 0.6 + 0.1 * Double(k), random: &random)
        }
    }

    /// House and techno: kick on every beat, clap on the backbeat, open hats on the off-beats,
    /// sixteenth closed hats; in some clips every fourth phrase is a breakdown without kick.
    static func fourOnTheFloor(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [DrumHit] {
        var hits = Hits(plan: plan)
        let meter = plan.meter
        let clap = random.chance(0.8)
        let openHats = random.chance(0.85)
        let closedHats = random.chance(0.6)
        let crash = random.chance(0.5)
        let breakdowns = random.chance(0.35)
        for bar in plan.bars {
            let (phrase, position) = plan.phrase(ofBar: bar)
            let breakdown = breakdowns && (phrase % 4 + 4) % 4 == 3
            if !breakdown {
                for beat in meter.beats { hits.add(.kick, bar: bar, step: beat, velocity: 1, random: &random) }
                if clap { for s in meter.backbeats { hits.add(.clap, bar: bar, step: s, velocity: 0.85, random: &random) } }
            }
            if openHats { for s in offbeats(meter) { hits.add(.openHat, bar: bar, step: s, velocity: 0.6, random: &random) } }
            if closedHats {
                for s in 0..<meter.stepsPerBar where !offbeats(meter).contains(s) {
                    hits.add(.closedHat, bar: bar, step: s, velocity: s % 2 == 0 ? 0.45 : 0.3, random: &random)
                }
            }
            if crash && position == 0 { hits.add(.crash, bar: bar, step: 0, velocity: 0.7, random: &random) }
        }
        return hits.list
    }

    /// Boom-bap: a heavy syncopated kick, a hard snare on 2 and 4, swung hats (the swing is in
    /// the plan's grid), a ghost note now and then.
    static func boomBap(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [DrumHit] {
        var hits = Hits(plan: plan)
        let meter = plan.meter
        let sixteenths = random.chance(0.6)
        let clapLayer = random.chance(0.3)
        let ghost = random.chance(0.5)
        let openHat = random.chance(0.35)
        for bar in plan.bars {
            let (_, position) = plan.phrase(ofBar: bar)
            for s in plan.kicks where s < meter.stepsPerBar {
                hits.add(.kick, bar: bar, step: s, velocity: s == 0 ? 1 : 0.85, random: &random)
            }
            // The second bar of a pair answers with an extra kick.
            if bar % 2 != 0 && random.chance(0.4) {
                hits.add(.kick, bar: bar, step: meter.stepsPerBar - 2, velocity: 0.7, random: &random)
            }
            for s in meter.backbeats {
                hits.add(.snare, bar: bar, step: s, velocity: 1, random: &random)
                if clapLayer { hits.add(.clap, bar: bar, step: s, velocity: 0.7, random: &random) }
            }
            if ghost && random.chance(0.5) {
                hits.add(.snare, bar: bar, step: meter.stepsPerBar - 1, velocity: 0.25, random: &random)
            }
            for s in stride(from: 0, to: meter.stepsPerBar, by: sixteenths ? 1 : 2) {
                if openHat && s == meter.stepsPerBar - 2 && position % 2 == 1 {
                    hits.add(.openHat, bar: bar, step: s, velocity: 0.5, random: &random)
                    continue
                }
                guard random.chance(0.93) else { continue }
                let velocity = s % 4 == 0 ? 0.7 : (s % 2 == 0 ? 0.55 : 0.35)
                hits.add(.closedHat, bar: bar, step: s, velocity: velocity + 0.1 * random.nextUnit(), random: &random)
            }
        }
        return hits.list
    }

    /// Pop: kick on 1 and 3 (and a pickup), snare and/or clap on 2 and 4, eighth hats, a crash
    /// and a fill at phrase boundaries.
    static func pop(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [DrumHit] {
        var hits = Hits(plan: plan)
        let meter = plan.meter
        let kicks = meter == .fourFour ? random.choose(from: [[0, 8], [0, 8, 10], [0, 6, 8], [0, 7, 8, 10]]) : [0]
        let backbeat = random.integer(in: 0...2)
        let sixteenths = random.chance(0.3)
        let crash = random.chance(0.6)
        let fills = random.chance(0.5)
        for bar in plan.bars {
            let (_, position) = plan.phrase(ofBar: bar)
            for s in kicks { hits.add(.kick, bar: bar, step: s, velocity: 0.95, random: &random) }
            let lastBar = position == plan.phraseBars - 1
            for s in meter.backbeats where !(lastBar && fills && s == meter.backbeats.last && s >= meter.beats.last!) {
                if backbeat != 1 { hits.add(.snare, bar: bar, step: s, velocity: 0.9, random: &random) }
                if backbeat != 0 { hits.add(.clap, bar: bar, step: s, velocity: 0.85, random: &random) }
            }
            for s in stride(from: 0, to: meter.stepsPerBar, by: sixteenths ? 1 : 2) {
                hits.add(.closedHat, bar: bar, step: s, velocity: s % 4 == 0 ? 0.6 : 0.42, random: &random)
            }
            if crash && position == 0 { hits.add(.crash, bar: bar, step: 0, velocity: 0.75, random: &random) }
            if fills && lastBar { fill(&hits, bar: bar, toms: false, random: &random) }
        }
        return hits.list
    }

    /// Rock: driving eighths on hats or ride, kick on 1 and 3 with variations (or straight
    /// eighths), a loud backbeat, crashes at phrase starts, tom fills.
    static func rock(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [DrumHit] {
        var hits = Hits(plan: plan)
        let meter = plan.meter
        let kicks: [Int] = if meter != .fourFour {
            [0]
        } else if random.chance(0.15) {
            Array(stride(from: 0, to: 16, by: 2))
        } else {
            random.choose(from: [[0, 8], [0, 8, 10], [0, 6, 8], [0, 2, 8, 10], [0, 7, 8]])
        }
        let cymbal = random.choose(from: [DrumSound.closedHat, .closedHat, .ride, .openHat])
        let fills = random.chance(0.75)
        for bar in plan.bars {
            let (_, position) = plan.phrase(ofBar: bar)
            let lastBar = position == plan.phraseBars - 1
            for s in kicks { hits.add(.kick, bar: bar, step: s, velocity: 1, random: &random) }
            for s in meter.backbeats where !(lastBar && fills && s >= meter.beats.last!) {
                hits.add(.snare, bar: bar, step: s, velocity: 1, random: &random)
            }
            for s in stride(from: 0, to: meter.stepsPerBar, by: 2) {
                if position == 0 && s == 0 { continue }
                let accent = meter.beats.contains(s) ? 0.8 : 0.55
                hits.add(cymbal, bar: bar, step: s, velocity: cymbal == .openHat ? accent * 0.6 : accent, random: &random)
            }
            if position == 0 { hits.add(.crash, bar: bar, step: 0, velocity: 0.9, random: &random) }
            if fills && lastBar { fill(&hits, bar: bar, toms: random.chance(0.6), random: &random) }
        }
        return hits.list
    }

    /// A quiet kit: soft kick on the downbeat, rim or brushed snare on the backbeat, brushes.
    static func soft(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [DrumHit] {
        var hits = Hits(plan: plan)
        let meter = plan.meter
        let rim = random.chance(0.6)
        for bar in plan.bars {
            hits.add(.kick, bar: bar, step: 0, velocity: 0.55, random: &random)
            if meter.beats.count >= 4 && random.chance(0.5) {
                hits.add(.kick, bar: bar, step: meter.beats[2], velocity: 0.4, random: &random)
            }
            for s in meter.backbeats {
                hits.add(rim ? .rim : .snare, bar: bar, step: s, velocity: rim ? 0.5 : 0.35, random: &random)
            }
            for s in stride(from: 0, to: meter.stepsPerBar, by: 2) {
                hits.add(.shaker, bar: bar, step: s, velocity: 0.3, random: &random)
            }
        }
        return hits.list
    }

    /// Hand drums: a doum at the start of each group of the metre (2+2+3 in 7/8), teks and
    /// kas between, sixteenth ornaments, and a roll at the end of a phrase. A tabla-like clip
    /// uses the ringing na in place of many teks.
    static func handDrums(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [DrumHit] {
        var hits = Hits(plan: plan)
        let meter = plan.meter
        let tabla = random.chance(0.4)
        // One bar's pattern, drawn once and repeated: (step, sound, velocity).
        var pattern: [(Int, DrumSound, Double)] = []
        for (index, beat) in meter.beats.enumerated() {
            let length = meter.beatLength(index)
            pattern.append((beat, index == 0 || random.chance(0.5) ? .doum : .tek, index == 0 ? 1 : 0.85))
            for offset in stride(from: 2, to: length, by: 2) {
                let roll = random.nextUnit()
                if roll < 0.55 {
                    pattern.append((beat + offset, tabla && random.chance(0.6) ? .na : .tek, 0.7))
                } else if roll < 0.8 {
                    pattern.append((beat + offset, .ka, 0.55))
                }
            }
            for offset in stride(from: 1, to: length, by: 2) where random.chance(0.2) {
                pattern.append((beat + offset, .ka, 0.35))
            }
        }
        for bar in plan.bars {
            let (_, position) = plan.phrase(ofBar: bar)
            for (s, sound, velocity) in pattern {
                hits.add(sound, bar: bar, step: s, velocity: velocity, random: &random)
            }
            if position == plan.phraseBars - 1 && random.chance(0.5) {
                let start = meter.beats.last!
                for s in start..<meter.stepsPerBar where !pattern.contains(where: { $0.0 == s }) {
                    hits.add(.tek, bar: bar, step: s, velocity: 0.5, random: &random)
                }
            }
        }
        return hits.list
    }

    /// A shaker on eighths or sixteenths, accented on the beat.
    static func shaker(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [DrumHit] {
        var hits = Hits(plan: plan)
        let rate = random.chance(0.5) ? 1 : 2
        for bar in plan.bars {
            for s in stride(from: 0, to: plan.meter.stepsPerBar, by: rate) {
                hits.add(.shaker, bar: bar, step: s, velocity: s % 4 == 0 ? 0.7 : (s % 2 == 0 ? 0.5 : 0.35), random: &random)
            }
        }
        return hits.list
    }

    /// A tambourine on the backbeat, or on eighths with the backbeat accented.
    static func tambourine(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [DrumHit] {
        var hits = Hits(plan: plan)
        let eighths = random.chance(0.4)
        for bar in plan.bars {
            if eighths {
                for s in stride(from: 0, to: plan.meter.stepsPerBar, by: 2) {
                    let accent = plan.meter.backbeats.contains(s)
                    hits.add(.tambourine, bar: bar, step: s, velocity: accent ? 0.8 : 0.4, random: &random)
                }
            } else {
                for s in plan.meter.backbeats { hits.add(.tambourine, bar: bar, step: s, velocity: 0.8, random: &random) }
            }
        }
        return hits.list
    }

    /// Clicks and struck metal at random times (a Poisson process), with bouncing-ball runs
    /// and, sometimes, a pulse that drifts in tempo: rhythm without a grid.
    static func looseClicks(_ plan: ClipPlan, _ random: inout SeededGenerator) -> [DrumHit] {
        var hits: [DrumHit] = []
        let rate = random.uniform(0.5...4)
        var t = -ClipPlan.preroll
        while t < plan.duration {
            t += -PortableMath.log(1 - random.nextUnit()) / rate
            if random.chance(0.15) {
                // A bouncing ball: ever shorter gaps, ever softer.
                var gap = random.uniform(0.15...0.35)
                var velocity = random.uniform(0.6...1)
                var bounce = t
                let tune = random.uniform(0.5...2)
                while gap > 0.02 && bounce < plan.duration {
                    hits.append(DrumHit(time: bounce, sound: .click, velocity: velocity, tune: tune, seed: random.noteSeed()))
                    bounce += gap
                    gap *= 0.75
                    velocity *= 0.85
                }
            } else {
                let metal = random.chance(0.3)
                hits.append(DrumHit(time: t, sound: metal ? .metal : .click, velocity: random.uniform(0.3...1),
                                    tune: metal ? random.uniform(0.5...4) : random.uniform(0.4...2.5), seed: random.noteSeed()))
            }
        }
        if random.chance(0.3) {
            var period = plan.beatSeconds / 2
            var time = -ClipPlan.preroll + random.uniform(0...1)
            while time < plan.duration {
                hits.append(DrumHit(time: time, sound: .click, velocity: 0.5, tune: 0.6, seed: random.noteSeed()))
                period *= random.uniform(0.92...1.09)
                period = min(max(period, 0.12), 1)
                time += period
            }
        }
        return hits
    }
}
