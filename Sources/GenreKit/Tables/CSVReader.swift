import Foundation

/// A streaming reader of RFC 4180 CSV: quoted fields, doubled quotes inside them, commas
/// and newlines inside quotes, CRLF or LF line ends, a UTF-8 byte-order mark.
///
/// The file is read in chunks, so memory stays flat however large it is (FMA's `tracks.csv`
/// is 260 MB). Fields are handed out as byte ranges and become `String`s only when asked
/// for, which keeps a pass that needs six columns out of fifty-three fast.
///
///     try CSVReader(url: tracks).forEachRecord { record in
///         print(record.line, record[0], record.count)
///     }
public final class CSVReader {
    private let source: Source
    private let name: String
    private let chunkSize: Int

    fileprivate enum Source {
        case file(URL)
        case bytes([UInt8])
    }

    /// Reads a file in chunks of `chunkSize` bytes.
    public init(url: URL, chunkSize: Int = 1 << 22) {
        source = .file(url)
        name = url.path
        self.chunkSize = max(chunkSize, 16)
    }

    /// Reads CSV text held in memory; `name` identifies it in errors.
    public init(bytes: [UInt8], name: String = "<memory>") {
        source = .bytes(bytes)
        self.name = name
        chunkSize = max(bytes.count, 16)
    }

    public convenience init(string: String, name: String = "<memory>") {
        self.init(bytes: Array(string.utf8), name: name)
    }

    /// Calls `body` with each record in order. The record is a view into the reader's buffer:
    /// copy what you keep (`record[i]` and `record.strings()` return copies).
    /// - Throws: `CSVError` for an unreadable file or a quote left open at the end.
    public func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
        var input = try Input(source: source, name: name, chunkSize: chunkSize)
        defer { input.close() }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var filled = try input.read(into: &buffer, at: 0)
        var recordStart = 0
        var line = 1
        // Skip a UTF-8 byte-order mark.
        if filled >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { recordStart = 3 }

        var fieldStarts: [Int] = []
        var fieldEnds: [Int] = []
        var fieldQuoted: [Bool] = []
        var atEnd = filled < buffer.count

        while recordStart < filled || !atEnd {
            let outcome = buffer.withUnsafeBufferPointer { bytes in
                Self.scanRecord(bytes, from: recordStart, to: filled, atEnd: atEnd,
                                starts: &fieldStarts, ends: &fieldEnds, quoted: &fieldQuoted)
            }
            switch outcome {
            case let .record(next, newlines):
                // A blank line is no record (pandas: skip_blank_lines).
                let blank = fieldStarts.count == 1 && fieldStarts[0] == recordStart && fieldEnds[0] == recordStart
                if !blank { try buffer.withUnsafeBufferPointer { bytes in
                    try body(CSVRecord(bytes: bytes, starts: fieldStarts, ends: fieldEnds,
                                       quoted: fieldQuoted, line: line))
                } }
                line += newlines
                recordStart = next
            case .needMore:
                if atEnd {
                    throw CSVError.unterminatedQuote(file: name, line: line)
                }
                // Move the partial record to the front (growing the buffer when one record
                // fills it) and read more behind it.
                let partial = filled - recordStart
                if recordStart == 0 { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
                else if partial > 0 { buffer.withUnsafeMutableBufferPointer { b in
                    b.baseAddress!.update(from: b.baseAddress! + recordStart, count: partial) } }
                recordStart = 0
                let read = try input.read(into: &buffer, at: partial)
                filled = partial + read
                atEnd = filled < buffer.count
            case .empty:
                return
            }
        }
    }

    private enum ScanOutcome {
        /// A whole record ends before `next`; it spanned `newlines` line ends.
        case record(next: Int, newlines: Int)
        /// The record runs past the bytes read so far.
        case needMore
        /// Nothing left.
        case empty
    }

    /// Finds the fields of one record starting at `start`.
    private static func scanRecord(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, atEnd: Bool,
                                   starts: inout [Int], ends: inout [Int], quoted: inout [Bool]) -> ScanOutcome {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        quoted.removeAll(keepingCapacity: true)
        guard start < end else { return atEnd ? .empty : .needMore }
        var i = start
        var newlines = 0
        while true {
            // One field begins at i.
            if i < end, bytes[i] == quote {
                var j = i + 1
                var hasEscapes = false
                while true {
                    guard j < end else { return .needMore }
                    let byte = bytes[j]
                    if byte == quote {
                        guard j + 1 < end || atEnd else { return .needMore }
                        if j + 1 < end, bytes[j + 1] == quote { hasEscapes = true; j += 2; continue }
                        break
                    }
                    if byte == lf { newlines += 1 }
                    j += 1
                }
                starts.append(i + 1)
                ends.append(j)
                quoted.append(hasEscapes)
                i = j + 1
                // Anything between the closing quote and the separator is kept out, as pandas does.
                while i < end, bytes[i] != comma, bytes[i] != lf, bytes[i] != cr { i += 1 }
            } else {
                var j = i
                while j < end {
                    let byte = bytes[j]
                    if byte == comma || byte == lf || byte == cr { break }
                    j += 1
                }
                starts.append(i)
                ends.append(j)
                quoted.append(false)
                i = j
            }
            guard i < end else {
                // The record ends with the data; only final if nothing more can come.
                return atEnd ? .record(next: end, newlines: newlines + 1) : .needMore
            }
            let separator = bytes[i]
            if separator == comma { i += 1; continue }
            // A line end: LF, CRLF or a lone CR.
            if separator == cr {
                guard i + 1 < end || atEnd else { return .needMore }
                if i + 1 < end, bytes[i + 1] == lf { i += 1 }
            }
            return .record(next: i + 1, newlines: newlines + 1)
        }
    }
}

/// One CSV record, valid only inside `CSVReader.forEachRecord`'s closure.
public struct CSVRecord {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let starts: [Int]
    private let ends: [Int]
    private let hasEscapedQuotes: [Bool]
    /// The 1-based line on which the record starts (a record with quoted newlines spans several).
    public let line: Int

    fileprivate init(bytes: UnsafeBufferPointer<UInt8>, starts: [Int], ends: [Int], quoted: [Bool], line: Int) {
        self.bytes = bytes
        self.starts = starts
        self.ends = ends
        self.hasEscapedQuotes = quoted
        self.line = line
    }

    /// Number of fields.
    public var count: Int { starts.count }

    /// Field `index` as a string, quotes removed and doubled quotes undoubled; "" past the end.
    public subscript(index: Int) -> String {
        guard index < starts.count else { return "" }
        let field = UnsafeBufferPointer(rebasing: bytes[starts[index]..<ends[index]])
        guard hasEscapedQuotes[index] else { return String(decoding: field, as: UTF8.self) }
        // Undouble the quotes straight into the string's storage: a quote inside a quoted
        // field is always doubled, so the runs between quotes are copied whole and each
        // quote pair becomes one.
        return String(unsafeUninitializedCapacity: field.count) { out in
            var written = 0, start = 0
            while start < field.count {
                let quote = field[start...].firstIndex(of: UInt8(ascii: "\"")) ?? field.count
                let end = Swift.min(quote + 1, field.count)
                (out.baseAddress! + written).update(from: field.baseAddress! + start, count: end - start)
                written += end - start
                start = quote + 2
            }
            return written
        }
    }

    /// Whether field `index` is empty (no bytes), without making a string.
    public func isEmpty(_ index: Int) -> Bool { index >= starts.count || starts[index] == ends[index] }

    /// Field `index` parsed as an integer without making a string; nil when not a plain integer.
    public func int(_ index: Int) -> Int? {
        guard index < starts.count, starts[index] < ends[index] else { return nil }
        var value = 0
        var i = starts[index]
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < ends[index] else { return nil }
        while i < ends[index] {
            let digit = Int(bytes[i]) - 48
            guard (0...9).contains(digit) else { return nil }
            value = value &* 10 &+ digit
            i += 1
        }
        return negative ? -value : value
    }

    /// All fields as strings.
    public func strings() -> [String] { (0..<count).map { self[$0] } }
}

/// A CSV file that cannot be read as CSV.
public enum CSVError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case unterminatedQuote(file: String, line: Int)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "Cannot read \(file): \(reason)."
        case let .unterminatedQuote(file, line):
            "\(file):\(line): a quoted field opened on this line is never closed before the end of the file."
        }
    }
}

/// Where the reader's bytes come from: a file descriptor, or an array.
private struct Input {
    private var descriptor: Int32 = -1
    private var bytes: [UInt8] = []
    private var offset = 0
    private let name: String

    init(source: CSVReader.Source, name: String, chunkSize: Int) throws {
        self.name = name
        switch source {
        case let .file(url):
            descriptor = open(url.path, O_RDONLY)
            guard descriptor >= 0 else {
                throw CSVError.unreadable(file: name, reason: String(cString: strerror(errno)))
            }
        case let .bytes(array):
            bytes = array
        }
    }

    /// Fills `buffer` from `position` to its end, or until the input ends; returns the count read.
    mutating func read(into buffer: inout [UInt8], at position: Int) throws -> Int {
        var total = 0
        let wanted = buffer.count - position
        if descriptor < 0 {
            let n = min(wanted, bytes.count - offset)
            buffer.replaceSubrange(position..<position + n, with: bytes[offset..<offset + n])
            offset += n
            return n
        }
        while total < wanted {
            let n = buffer.withUnsafeMutableBytes { raw in
                Foundation.read(descriptor, raw.baseAddress! + position + total, wanted - total)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVError.unreadable(file: name, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            total += n
        }
        return total
    }

    func close() {
        if descriptor >= 0 { Foundation.close(descriptor) }
    }
}
