@testable import GenreKit
import _TestSupport
import Foundation
import Testing

@Suite struct CSVReaderTests {
    func rows(_ text: String, chunkSize: Int? = nil) throws -> [[String]] {
        var rows: [[String]] = []
        let reader: CSVReader
        if let chunkSize {
            let folder = TemporaryFolder("csv")
            let url = folder.file("t.csv")
            try Data(text.utf8).write(to: url)
            reader = CSVReader(url: url, chunkSize: chunkSize)
            try reader.forEachRecord { rows.append($0.strings()) }
        } else {
            try CSVReader(string: text).forEachRecord { rows.append($0.strings()) }
        }
        return rows
    }

    static let tricky = "id,text,n\r\n1,\"a, b\",2\n2,\"say \"\"hi\"\"\",\n3,\"line one\nline two\",7\n,,\n4,plain,\"\"\n"
    static let trickyRows = [["id", "text", "n"], ["1", "a, b", "2"], ["2", "say \"hi\"", ""],
                             ["3", "line one\nline two", "7"], ["", "", ""], ["4", "plain", ""]]

    @Test func quotesCommasNewlinesAndEmptyFields() throws {
        #expect(try rows(Self.tricky) == Self.trickyRows)
    }

    /// Chunk boundaries fall everywhere: inside quotes, between CR and LF, in a doubled quote.
    @Test(arguments: [16, 17, 19, 23, 31, 64])
    func sameRecordsWhateverTheChunkSize(chunkSize: Int) throws {
        #expect(try rows(Self.tricky, chunkSize: chunkSize) == Self.trickyRows)
    }

    /// Doubled quotes anywhere in a field: first, last, back to back, alone, beside
    /// multi-byte UTF-8, and fields that are nothing but quotes.
    @Test func doubledQuotesAreUndoubledWherever() throws {
        let fields = ["\"start", "end\"", "a\"\"b", "\"", "\"\"\"", "é\"ü\"ß", "['rock', \"pop\"]", "no quotes"]
        let line = fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
        #expect(try rows(line + "\n") == [fields])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        #expect(try rows("\u{FEFF}a,b\n1,2\n") == [["a", "b"], ["1", "2"]])
    }

    @Test func lastLineWithoutNewlineAndBlankLines() throws {
        #expect(try rows("a,b\n\n1,2") == [["a", "b"], ["1", "2"]])
        #expect(try rows("a\r\rb\r") == [["a"], ["b"]])
    }

    @Test func lineNumbersCountQuotedNewlines() throws {
        var lines: [Int] = []
        try CSVReader(string: "h\n\"x\ny\"\nz\n").forEachRecord { lines.append($0.line) }
        #expect(lines == [1, 2, 4])
    }

    @Test func unterminatedQuoteNamesTheLine() throws {
        #expect(throws: CSVError.unterminatedQuote(file: "bad.csv", line: 2)) {
            try CSVReader(string: "a,b\n1,\"open\n2,3\n", name: "bad.csv").forEachRecord { _ in }
        }
    }

    @Test func integersParseWithoutStrings() throws {
        var values: [Int?] = []
        try CSVReader(string: "12,-3,x1,,007\n").forEachRecord { r in values = (0..<r.count).map { r.int($0) } }
        #expect(values == [12, -3, nil, nil, 7])
    }

    @Test func writerQuotesWhatNeedsIt() throws {
        var writer = CSVWriter(header: ["a", "b"])
        writer.append(["x, y", "say \"hi\"\nbye"])
        #expect(try rows(writer.text) == [["a", "b"], ["x, y", "say \"hi\"\nbye"]])
        #expect(CSVWriter.escape("plain") == "plain")
    }

    @Test func missingFileIsAnError() {
        #expect(throws: CSVError.self) { try CSVReader(url: URL(fileURLWithPath: "/nonexistent/x.csv")).forEachRecord { _ in } }
    }
}
