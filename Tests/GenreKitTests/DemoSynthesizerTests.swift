import AudioIO
import Foundation
import GenreKit
import Testing

/// The demo dataset's music: shapes and levels, determinism, and genre characters that a
/// classifier can learn. Measures are computed here from the audio alone (spectral centroid,
/// onset autocorrelation), on short mono clips at 22.05 kHz to keep the suite fast.
@Suite struct DemoSynthesizerTests {
    /// Short mono clips: enough bars for the measures, cheap in a debug build.
    static func clip(_ genre: DemoGenre, seed: UInt64, seconds: Double = 4, sampleRate: Int = 22050) -> [Float] {
        DemoSynthesizer.render(genre: genre, seed: seed, sampleRate: sampleRate, channelCount: 1,
                               frameCount: Int(seconds * Double(sampleRate))).channels[0]
    }

    /// Clips for the genre-character tests, rendered once per genre and shared between tests.
    static let seeds: [UInt64] = [1, 2, 3, 4, 5]
    static let electronic = seeds.map { clip(.electronic, seed: $0) }
    static let hipHop = seeds.map { clip(.hipHop, seed: $0) }
    static let instrumental = seeds.map { clip(.instrumental, seed: $0) }
    static let experimental = seeds.map { clip(.experimental, seed: $0) }
    static let rock = seeds.map { clip(.rock, seed: $0) }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    @Test func genresAreFMASmallsEight() {
        #expect(DemoGenre.all.map(\.name) == ["Electronic", "Experimental", "Folk", "Hip-Hop", "Instrumental",
                                              "International", "Pop", "Rock"])
        #expect(DemoGenre.all.map(\.fmaGenreID) == [15, 38, 17, 21, 1235, 2, 10, 12])
        #expect(DemoGenre.named("hip-hop") == DemoGenre.hipHop)
        #expect(DemoGenre.named("Jazz") == nil)
        for genre in DemoGenre.all {
            #expect(genre.parts.allSatisfy { (0...1).contains($0.probability) }, "\(genre.name)")
            #expect(genre.tempo.lowerBound > 40 && genre.tempo.upperBound < 200, "\(genre.name)")
        }
    }

    @Test func renderingIsDeterministic() {
        for genre in [DemoGenre.electronic, .folk] {
            let first = DemoSynthesizer.render(genre: genre, seed: 42, sampleRate: 22050, channelCount: 2, frameCount: 22050)
            let second = DemoSynthesizer.render(genre: genre, seed: 42, sampleRate: 22050, channelCount: 2, frameCount: 22050)
            #expect(first == second, "\(genre.name): same seed, different audio")
            let other = DemoSynthesizer.render(genre: genre, seed: 43, sampleRate: 22050, channelCount: 2, frameCount: 22050)
            #expect(first != other, "\(genre.name): seeds 42 and 43 gave the same audio")
        }
    }

    /// The demo is made on all cores: a clip must come out the same whether it is rendered
    /// alone or beside others on other threads (no shared state, no reads past a buffer).
    @Test func renderingOnManyThreadsGivesTheSameBits() {
        let jobs = DemoGenre.all.map { ($0, UInt64(7)) } + DemoGenre.all.map { ($0, UInt64(8)) }
        let alone = jobs.map { DemoSynthesizer.render(genre: $0.0, seed: $0.1, sampleRate: 22050, channelCount: 2, frameCount: 11025) }
        let results = Results(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            results.store(DemoSynthesizer.render(genre: jobs[i].0, seed: jobs[i].1, sampleRate: 22050, channelCount: 2,
                                                 frameCount: 11025), at: i)
        }
        for i in jobs.indices {
            #expect(results.audio[i] == alone[i], "\(jobs[i].0.name), seed \(jobs[i].1)")
        }
    }

    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var audio: [Audio?]
        init(count: Int) { audio = Array(repeating: nil, count: count) }
        func store(_ value: Audio, at index: Int) { lock.lock(); audio[index] = value; lock.unlock() }
    }

    @Test(arguments: DemoGenre.all)
    func shapesAndLevels(genre: DemoGenre) {
        for (sampleRate, channels) in [(22050, 1), (48000, 2)] {
            let frames = sampleRate + 17
            let audio = DemoSynthesizer.render(genre: genre, seed: 3, sampleRate: sampleRate, channelCount: channels, frameCount: frames)
            #expect(audio.sampleRate == sampleRate)
            #expect(audio.channelCount == channels)
            #expect(audio.frameCount == frames)
            #expect(audio.channels.allSatisfy { $0.allSatisfy(\.isFinite) }, "\(genre.name): NaN or infinity")
            let peak = audio.channels.flatMap { $0 }.reduce(Float(0)) { max($0, abs($1)) }
            #expect(peak > 0.45 && peak <= 0.951, "\(genre.name) at \(sampleRate) Hz: peak \(peak)")
            if channels == 2 {
                // Panning and widening: the two channels are not copies.
                #expect(audio.channels[0] != audio.channels[1], "\(genre.name): stereo channels identical")
            }
        }
    }

    @Test func levelsVaryFromClipToClip() {
        let peaks = (0..<6).map { seed in Self.clip(.pop, seed: UInt64(seed), seconds: 1).reduce(Float(0)) { max($0, abs($1)) } }
        #expect(Set(peaks).count == peaks.count, "peaks \(peaks)")
        #expect(peaks.max()! - peaks.min()! > 0.1, "peaks \(peaks)")
    }

    @Test func degenerateLengths() {
        let empty = DemoSynthesizer.render(genre: .rock, seed: 1, sampleRate: 44100, channelCount: 2, frameCount: 0)
        #expect(empty.channelCount == 2 && empty.frameCount == 0)
        let one = DemoSynthesizer.render(genre: .folk, seed: 1, sampleRate: 22050, channelCount: 1, frameCount: 1)
        #expect(one.frameCount == 1 && one.channels[0][0].isFinite && abs(one.channels[0][0]) <= 1)
    }

    // MARK: Genre characters

    /// Distorted guitars, crashes and driving hats against piano and strings.
    @Test func rockIsBrighterThanInstrumental() {
        let rock = Self.mean(Self.rock.map { DemoAudioFeatures.centroid($0, sampleRate: 22050) })
        let instrumental = Self.mean(Self.instrumental.map { DemoAudioFeatures.centroid($0, sampleRate: 22050) })
        #expect(rock > 1.5 * instrumental, "centroids: rock \(rock) Hz, instrumental \(instrumental) Hz")
    }

    /// House tempos against boom-bap tempos, as heard in the onsets.
    @Test func electronicIsFasterThanHipHop() {
        let electronic = Self.electronic.map { DemoAudioFeatures.tempo($0, sampleRate: 22050).bpm }
        let hipHop = Self.hipHop.map { DemoAudioFeatures.tempo($0, sampleRate: 22050).bpm }
        #expect(Self.mean(electronic) > Self.mean(hipHop) + 10, "electronic \(electronic), hip-hop \(hipHop)")
        #expect((110...142).contains(Self.mean(electronic)), "electronic \(electronic)")
    }

    /// A kick on every beat against rubato piano, and against music without a grid.
    @Test func electronicHasTheStrongestPulse() {
        func pulse(_ clips: [[Float]]) -> Double {
            Self.mean(clips.map { DemoAudioFeatures.tempo($0, sampleRate: 22050).clarity })
        }
        let electronic = pulse(Self.electronic)
        let instrumental = pulse(Self.instrumental)
        let experimental = pulse(Self.experimental)
        #expect(electronic > 2 * instrumental, "pulse clarity: electronic \(electronic), instrumental \(instrumental)")
        #expect(electronic > 1.1 * experimental, "pulse clarity: electronic \(electronic), experimental \(experimental)")
    }

    /// The same clip at 22.05 and 44.1 kHz: the same notes at the same times, equally bright.
    @Test func sampleRateDoesNotChangeTheMusic() {
        for (genre, seed) in [(DemoGenre.pop, UInt64(11)), (.international, 12)] {
            let low = DemoSynthesizer.render(genre: genre, seed: seed, sampleRate: 22050, channelCount: 1, frameCount: 22050 * 3)
            let high = DemoSynthesizer.render(genre: genre, seed: seed, sampleRate: 44100, channelCount: 1, frameCount: 44100 * 3)
            #expect(abs(low.duration - high.duration) < 1e-9)
            let lowCentroid = DemoAudioFeatures.centroid(low.channels[0], sampleRate: 22050)
            let highCentroid = DemoAudioFeatures.centroid(high.channels[0], sampleRate: 44100)
            #expect(abs(log(highCentroid / lowCentroid)) < log(1.2), "\(genre.name): \(lowCentroid) Hz vs \(highCentroid) Hz")
            let correlation = DemoAudioFeatures.correlation(DemoAudioFeatures.envelope(low.channels[0], hop: 441),
                                                            DemoAudioFeatures.envelope(high.channels[0], hop: 882))
            #expect(correlation > 0.9, "\(genre.name): loudness envelopes correlate only \(correlation)")
        }
    }
}

/// Audio measures for the tests, written out so that they depend on nothing but the samples.
enum DemoAudioFeatures {
    /// Magnitude-weighted spectral centroid in Hz (librosa's definition) below `limit` Hz,
    /// over Hann-windowed frames of about 93 ms.
    static func centroid(_ x: [Float], sampleRate: Int, limit: Double = 8000) -> Double {
        let n = sampleRate >= 40000 ? 4096 : 2048
        let window = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
        let twiddles = (0..<n / 2).map { (cos(-2 * Double.pi * Double($0) / Double(n)), sin(-2 * Double.pi * Double($0) / Double(n))) }
        var weighted = 0.0, total = 0.0
        var start = 0
        while start + n <= x.count {
            var re = (0..<n).map { Double(x[start + $0]) * window[$0] }
            var im = [Double](repeating: 0, count: n)
            fft(&re, &im, twiddles: twiddles)
            for k in 0..<n / 2 {
                let hertz = Double(k) * Double(sampleRate) / Double(n)
                if hertz > limit { break }
                let magnitude = (re[k] * re[k] + im[k] * im[k]).squareRoot()
                weighted += hertz * magnitude
                total += magnitude
            }
            start += n
        }
        return weighted / max(total, 1e-30)
    }

    /// In-place radix-2 FFT; `twiddles[k]` = e^(-2πik/n).
    static func fft(_ re: inout [Double], _ im: inout [Double], twiddles: [(Double, Double)]) {
        let n = re.count
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 {
                j ^= bit
                bit >>= 1
            }
            j |= bit
            if i < j {
                re.swapAt(i, j)
                im.swapAt(i, j)
            }
        }
        var length = 2
        while length <= n {
            let stride = n / length
            for start in Swift.stride(from: 0, to: n, by: length) {
                for k in 0..<length / 2 {
                    let (wr, wi) = twiddles[k * stride]
                    let a = start + k, b = a + length / 2
                    let xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr
                    re[b] = re[a] - xr
                    im[b] = im[a] - xi
                    re[a] += xr
                    im[a] += xi
                }
            }
            length <<= 1
        }
    }

    /// Log energy in frames of `hop` samples.
    static func envelope(_ x: [Float], hop: Int) -> [Double] {
        stride(from: 0, to: x.count - hop + 1, by: hop).map { start in
            log(x[start..<start + hop].reduce(0) { $0 + Double($1 * $1) } + 1e-6)
        }
    }

    /// Pearson correlation of two sequences (over their common length).
    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = min(a.count, b.count)
        let ma = a.prefix(n).reduce(0, +) / Double(n), mb = b.prefix(n).reduce(0, +) / Double(n)
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in 0..<n {
            ab += (a[i] - ma) * (b[i] - mb)
            aa += (a[i] - ma) * (a[i] - ma)
            bb += (b[i] - mb) * (b[i] - mb)
        }
        return ab / max((aa * bb).squareRoot(), 1e-30)
    }

    /// Tempo from the onsets: the rise of the log-energy envelope (10 ms frames) is
    /// autocorrelated, and the tempo in 70...150 BPM whose first four beat lags together carry
    /// the most correlation wins (summing four lags keeps a six-note arpeggio's cycle of six
    /// sixteenths from posing as the beat). `clarity` is that summed correlation: near 0
    /// without a pulse, 0.3 and more with a kick on every beat.
    static func tempo(_ x: [Float], sampleRate: Int) -> (bpm: Double, clarity: Double) {
        let hop = sampleRate / 100
        let framesPerSecond = Double(sampleRate) / Double(hop)
        let energy = envelope(x, hop: hop)
        var onset = [Double](repeating: 0, count: energy.count)
        for t in 1..<energy.count { onset[t] = max(0, energy[t] - energy[t - 1]) }
        let mean = onset.reduce(0, +) / Double(onset.count)
        onset = onset.map { $0 - mean }
        let zero = max(onset.reduce(0) { $0 + $1 * $1 }, 1e-30)
        var autocorrelation = [Double](repeating: 0, count: min(onset.count, 400))
        for lag in autocorrelation.indices {
            var sum = 0.0
            for t in lag..<onset.count { sum += onset[t] * onset[t - lag] }
            autocorrelation[lag] = sum / zero
        }
        func at(_ lag: Double) -> Double {
            let whole = Int(lag), fraction = lag - Double(whole)
            guard whole + 1 < autocorrelation.count else { return 0 }
            return (1 - fraction) * autocorrelation[whole] + fraction * autocorrelation[whole + 1]
        }
        var best = (bpm: 0.0, clarity: -Double.infinity)
        for bpm in stride(from: 70.0, through: 150, by: 1) {
            let beat = 60 / bpm * framesPerSecond
            let score = (1...4).reduce(0) { $0 + at(Double($1) * beat) } / 4
            if score > best.clarity { best = (bpm, score) }
        }
        return best
    }
}
