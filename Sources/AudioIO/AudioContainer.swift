/// The container an audio file really is, told from its first bytes, never from its name:
/// FMA users meet WAVs named `.mp3` and MP3s with junk in front.
public enum AudioContainer: String, Sendable, CaseIterable {
    case mp3, wav, flac, ogg, aiff, au
    /// Nothing recognizable at the start; MPEG decoding with resync is still tried.
    case unknown

    /// Recognizes a container from the file's leading bytes.
    ///
    /// MPEG audio has no magic number: it starts with an ID3v2 tag (`ID3`) or with a
    /// frame header whose first 11 bits are set (the frame sync, `0xFFE`).
    public init(sniffing bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(12))
        func starts(with ascii: String, at offset: Int = 0) -> Bool {
            let magic = Array(ascii.utf8)
            return head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if starts(with: "RIFF") || starts(with: "RIFX") || starts(with: "RF64") { self = .wav }
        else if starts(with: "fLaC") { self = .flac }
        else if starts(with: "OggS") { self = .ogg }
        else if starts(with: "FORM") && (starts(with: "AIFF", at: 8) || starts(with: "AIFC", at: 8)) { self = .aiff }
        else if starts(with: ".snd") { self = .au }
        else if starts(with: "ID3") { self = .mp3 }
        else if head.count >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0 { self = .mp3 }
        else { self = .unknown }
    }
}
