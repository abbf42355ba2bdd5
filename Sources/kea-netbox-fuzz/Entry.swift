import Foundation

// Built with -sanitize=fuzzer and -DFUZZING (scripts/fuzz), libFuzzer supplies `main` and calls this for each
// input; the target comes from KEA_NETBOX_FUZZ_TARGET. Built normally, the executable replays files instead:
// `kea-netbox-fuzz TARGET FILE…`, which is how the test suite keeps every input that ever crashed.
#if FUZZING
private let selected: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["KEA_NETBOX_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("KEA_NETBOX_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue)), not '\(name)'")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selected.run(bytes)
    return 0
}
#else
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: kea-netbox-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE…\n".utf8))
            exit(64)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(1)
            }
            target.run(Array(data))
        }
    }
}
#endif
