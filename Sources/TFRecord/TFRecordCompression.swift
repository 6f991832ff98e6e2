/// How a whole TFRecord file is compressed, as `tf.io.TFRecordOptions(compression_type=...)`.
///
/// Compression wraps the entire stream of framed records, not each record: a GZIP file is
/// an ordinary `.gz` file whose content is an uncompressed TFRecord file. TensorFlow does not
/// detect the compression from the file; the reader must be told, and so must ours.
public enum TFRecordCompression: String, Sendable, CaseIterable {
    /// No compression (`compression_type=""` or `None`).
    case uncompressed = ""
    /// RFC 1952 gzip wrapper around deflate (`compression_type="GZIP"`).
    case gzip = "GZIP"
    /// RFC 1950 zlib wrapper around deflate (`compression_type="ZLIB"`).
    case zlib = "ZLIB"

    /// zlib's `windowBits` for this wrapper: 15 (a 32 KiB window) plus 16 for gzip, as in
    /// TensorFlow's `ZlibCompressionOptions::DEFAULT()` and `::GZIP()`
    /// (`tsl/lib/io/zlib_compression_options.h`).
    var windowBits: Int32 {
        switch self {
        case .uncompressed, .zlib: 15
        case .gzip: 15 + 16
        }
    }
}
