/// One track of the demo dataset: its metadata row, and for clips of the audio subset how
/// its MP3 is made, including the faults FMA's real files have.
public struct DemoTrack: Sendable, Equatable {
    public var id: Int
    /// The root genre, or nil for a track with several roots (empty `genre_top`, as in FMA).
    public var genreTop: String?
    public var genreIDs: [Int]
    public var subset: FMASubset
    public var split: String
    public var artistID: Int
    public var albumID: Int
    /// How the MP3 is encoded; nil for tracks outside the audio subset (no file, as in FMA).
    public var clip: Clip?

    public struct Clip: Sendable, Equatable {
        public var sampleRate: Int
        public var channelCount: Int
        public var frameCount: Int
        public var variableBitrate: Bool
        /// libsndfile's compression level: 0 gives 320 kbit/s CBR, higher levels smaller files.
        public var compressionLevel: Double
        public var fault: Fault
        /// Seed of the synthesizer for this clip.
        public var seed: UInt64
    }

    /// The warts of FMA's files that the demo reproduces (`fma-dataset.md`, sections 2.5 and 2.6).
    public enum Fault: String, Sendable, Equatable {
        /// A whole clip, nothing wrong.
        case clean
        /// An ID3 tag and no audio frame: the 30 s cut fell past the track's end (099134).
        case tagOnly
        /// An ID3 tag, then a few kilobytes of bytes that are no MPEG (133297's 1,752 bytes).
        case junkOnly
        /// A tag and a single truncated frame: nothing decodes (108925).
        case truncatedFrame
        /// Far shorter than 30 s (098565, 098567, 098569).
        case short
        /// An ID3 `TLEN` that implies a bitrate over 100 Mbit/s (FMA issue #27).
        case absurdTagLength
        /// A cut frame and garbage after the last whole frame.
        case trailingJunk
    }
}
