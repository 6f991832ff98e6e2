// genre-ckpt: look inside a TensorFlow checkpoint (a tensor bundle) without TensorFlow.
//
//   genre-ckpt list PREFIX      every tensor: name, dtype, shape, shard, offset, size
//   genre-ckpt verify PREFIX    checks every block and tensor CRC32C; exit 1 on damage
//   genre-ckpt show PREFIX NAME a tensor's first values and its min, max and mean
//
// PREFIX is the checkpoint path without `.index` (`models/musicnn/MSD_musicnn/` for
// musicnn, whose files are the dotfiles `.index` and `.data-00000-of-00001`).

import ArgumentParser
import TensorBundle

@main
struct GenreCkpt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genre-ckpt",
        abstract: "Lists, verifies and shows the tensors of a TensorFlow checkpoint.",
        subcommands: [List.self, Verify.self, Show.self],
        defaultSubcommand: List.self)
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Prints every tensor's name, dtype and shape.")

    @Argument(help: "The checkpoint prefix (the path without .index).")
    var prefix: String

    func run() throws {
        let reader = try TensorBundleReader(prefix: prefix)
        let width = reader.names.map(\.count).max() ?? 0
        var total = 0
        for name in reader.names {
            let entry = reader.entries[name]!
            total += entry.size
            let padded = name + String(repeating: " ", count: width - name.count)
            print("\(padded)  \(entry.dtype)  \(entry.shape)  shard \(entry.shardID)  offset \(entry.offset)  \(entry.size) bytes")
        }
        print("\(reader.names.count) tensors, \(total) bytes in \(reader.header.shardCount) shard(s): \(reader.indexPath)")
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Checks the index's block CRCs and every tensor's CRC32C; fails naming the first damaged tensor.")

    @Argument(help: "The checkpoint prefix (the path without .index).")
    var prefix: String

    func run() throws {
        let reader = try TensorBundleReader(prefix: prefix)
        let count = try reader.verifyAll()
        print("\(reader.indexPath): \(count) tensors, every CRC32C valid.")
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Prints a tensor's shape, first values and summary.")

    @Argument(help: "The checkpoint prefix (the path without .index).")
    var prefix: String
    @Argument(help: "The tensor's name, as `list` prints it.")
    var name: String
    @Option(help: "How many leading values to print.")
    var count = 8

    func run() throws {
        let reader = try TensorBundleReader(prefix: prefix)
        let values = try reader.floats(name)
        print("\(name)  \(reader.entries[name]!.dtype)  \(reader.shape(name)!)  \(values.count) values")
        print("first: \(values.prefix(count).map { String($0) }.joined(separator: " "))")
        if let low = values.min(), let high = values.max() {
            let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
            print("min \(low)  max \(high)  mean \(mean)")
        }
    }
}
