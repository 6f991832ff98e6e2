/// FMA's nested subsets, ordered as FMA orders them: small ⊂ medium ⊂ large.
/// Selecting `medium` keeps every track whose subset is `small` or `medium`
/// (pandas: `tracks['set', 'subset'] <= 'medium'` on the ordered categorical).
public enum FMASubset: String, Comparable, CaseIterable, Sendable, Codable {
    case small, medium, large

    public static func < (a: FMASubset, b: FMASubset) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The audio folder of an FMA download holding this subset's clips (`fma_small`).
    public var audioFolder: String { "fma_\(rawValue)" }
}

/// Where FMA keeps a track's audio: `NNN/NNNNNN.mp3`, the six-digit zero-padded id in a
/// folder named by its first three digits (FMA's `utils.get_audio_path`).
public func fmaAudioRelativePath(trackID: Int, extension ext: String = "mp3") -> String {
    let padded = String(repeating: "0", count: max(0, 6 - String(trackID).count)) + String(trackID)
    return "\(padded.prefix(3))/\(padded).\(ext)"
}
