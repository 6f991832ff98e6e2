/// A Schroeder-Moorer reverb in the manner of Freeverb: four parallel damped comb filters,
/// then two series all-passes per channel.
///
/// The combs are shared by both channels and only the all-passes differ, which decorrelates
/// left and right at half the cost of two full reverbs. Delays are Freeverb's, converted to
/// seconds so the room is the same size at every sample rate; damping is a low-pass in hertz
/// for the same reason.
struct Reverb {
    /// Comb delays in seconds (Freeverb's tunings at 44.1 kHz).
    static let combDelays = [1116.0, 1188, 1277, 1356].map { $0 / 44100 }
    /// All-pass delays in seconds, left and right.
    static let allpassDelays = [[556.0, 341], [579.0, 364]].map { $0.map { $0 / 44100 } }

    /// Comb feedback, 0.7 (small room) ... 0.95 (hall).
    var feedback: Float
    /// Cutoff in Hz of the low-pass in each comb: walls absorb treble.
    var damping: Double
    /// The input is high-passed here first, so that the bass does not muddy the reverb.
    var lowCut = 180.0

    /// Adds the reverberated `input` to each of `outputs`, scaled by `wet`.
    func process(_ input: UnsafeBufferPointer<Float>, into outputs: [UnsafeMutableBufferPointer<Float>],
                 wet: Float, sampleRate: Double) {
        let count = outputs.map(\.count).reduce(input.count, min)
        func samples(_ seconds: Double) -> Int { max(1, Int((seconds * sampleRate).rounded())) }
        let c0 = samples(Self.combDelays[0]), c1 = samples(Self.combDelays[1])
        let c2 = samples(Self.combDelays[2]), c3 = samples(Self.combDelays[3])
        // Every line is a power of two long and all share one write position, so a read is
        // a subtraction and a mask.
        var size = 1
        while size <= max(c3, samples(Self.allpassDelays[1][0])) { size *= 2 }
        let mask = size - 1
        let damp = PortableMath.onePoleCoefficient(hertz: damping, sampleRate: sampleRate)
        let keep = 1 - damp
        let feedback = feedback
        var memory = [Float](repeating: 0, count: 4 * size)
        var combed = [Float](repeating: 0, count: count)
        memory.withUnsafeMutableBufferPointer { memory in
            combed.withUnsafeMutableBufferPointer { combed in
                let l0 = memory.baseAddress!, l1 = l0 + size, l2 = l1 + size, l3 = l2 + size
                var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                var bass = OnePole(hertz: lowCut, sampleRate: sampleRate)
                for i in 0..<count {
                    let x = bass.highpass(input[i])
                    let w = i & mask
                    // Four independent recursions side by side, their states in registers.
                    let y0 = l0[(i - c0) & mask], y1 = l1[(i - c1) & mask]
                    let y2 = l2[(i - c2) & mask], y3 = l3[(i - c3) & mask]
                    s0 = damp * y0 + keep * s0
                    s1 = damp * y1 + keep * s1
                    s2 = damp * y2 + keep * s2
                    s3 = damp * y3 + keep * s3
                    l0[w] = x + s0 * feedback
                    l1[w] = x + s1 * feedback
                    l2[w] = x + s2 * feedback
                    l3[w] = x + s3 * feedback
                    combed[i] = (y0 + y1) + (y2 + y3)
                }
                for (channel, output) in outputs.enumerated() {
                    let delays = Self.allpassDelays[min(channel, 1)]
                    let a0 = samples(delays[0]), a1 = samples(delays[1])
                    memory.update(repeating: 0)
                    for i in 0..<count {
                        let w = i & mask
                        var x = combed[i]
                        let b0 = l0[(i - a0) & mask]
                        l0[w] = x + b0 * 0.5
                        x = b0 - x
                        let b1 = l1[(i - a1) & mask]
                        l1[w] = x + b1 * 0.5
                        output[i] += (b1 - x) * wet
                    }
                }
            }
        }
    }
}
