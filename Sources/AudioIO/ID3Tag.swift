/// An ID3v2.4 tag of text frames, the metadata block at the start of most MP3 files.
///
/// Frame ids are the standard four letters (`TIT2` title, `TPE1` artist, `TALB` album,
/// `TCON` genre, `TLEN` length in milliseconds). Text is UTF-8 (encoding byte 3). Sizes are
/// "syncsafe": 7 bits per byte, so that no size byte looks like an MPEG frame sync.
/// Reference: id3.org, "ID3 tag version 2.4.0 - Main Structure".
public struct ID3Tag: Sendable {
    public var frames: [(id: String, text: String)]

    public init(frames: [(id: String, text: String)]) {
        precondition(frames.allSatisfy { $0.id.utf8.count == 4 }, "ID3 frame ids have four letters")
        self.frames = frames
    }

    /// The tag's bytes, header included.
    public var bytes: [UInt8] {
        var body: [UInt8] = []
        for frame in frames {
            let content = [3] + Array(frame.text.utf8)  // encoding 3 = UTF-8
            body += Array(frame.id.utf8) + Self.syncsafe(content.count) + [0, 0] + content
        }
        return Array("ID3".utf8) + [4, 0, 0] + Self.syncsafe(body.count) + body
    }

    private static func syncsafe(_ value: Int) -> [UInt8] {
        precondition(value < 1 << 28, "ID3 sizes are limited to 256 MB")
        return [UInt8(value >> 21 & 0x7F), UInt8(value >> 14 & 0x7F), UInt8(value >> 7 & 0x7F), UInt8(value & 0x7F)]
    }
}
