import Foundation
import Testing

enum KeaCheck {
    /// Runs the real `kea-dhcpN -t` on the rendered text, with the interface list emptied: CI has no eth1.
    static func expectAccepts(_ config: String, program: String) throws {
        guard let kea = Prerequisites.available(program) else { return }
        let folder = try TemporaryFolder()
        let portable = config.replacingOccurrences(
            of: #""interfaces": \[[^\]]*\]"#, with: #""interfaces": []"#, options: .regularExpression)
        let file = try folder.write("kea.conf", portable)
        let check = try CommandRunner.run(kea, ["-t", file.path])
        #expect(check.status == 0, "\(program) -t rejected the render: \(check.stderr)\n\(check.stdout.suffix(2000))")
    }
}
