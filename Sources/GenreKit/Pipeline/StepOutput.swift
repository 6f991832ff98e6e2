#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Steps print their narrative to standard output and progress to standard error. Piped into
/// a log, standard output is block-buffered and the two would interleave out of order, so each
/// step makes it line-buffered first.
public func lineBufferStandardOutput() {
    setvbuf(stdout, nil, _IOLBF, 0)
}
