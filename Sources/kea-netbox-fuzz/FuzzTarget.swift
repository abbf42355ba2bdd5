import Foundation
import Kea
import KeaNetbox
import NetBox
import Templating

/// What each fuzzer feeds its input to. Any outcome but a crash is fine: errors are the expected answer to most
/// inputs. The checks that do stop the run (`fatalError`) are properties that must hold for every input.
enum FuzzTarget: String, CaseIterable {
    /// The input as a template: lexer, parser, static checker, then a render against a small NetBox, and the
    /// rendered text read back by the Kea dialect reader.
    case template
    /// The input as a snapshot file; one that decodes must encode and decode to the same snapshot.
    case snapshot
    /// The input as a Kea configuration: the dialect reader, the semantic checks and the summary.
    case kea

    func run(_ bytes: [UInt8]) {
        switch self {
        case .template: Self.template(bytes)
        case .snapshot: Self.snapshot(bytes)
        case .kea: Self.kea(bytes)
        }
    }

    private static func template(_ bytes: [UInt8]) {
        // Invalid UTF-8 is the loader's problem, which reads files as UTF-8; the language gets valid text.
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        let loader = InMemoryLoader(["t.tmpl": text, "part.tmpl": text])
        let renderer = ConfigRenderer(snapshot: FuzzData.snapshot, loader: loader)
        _ = renderer.environment.check(source: TemplateSource(path: "t.tmpl", text: text))
        guard let rendered = try? renderer.render(templateAt: "t.tmpl") else { return }
        if let document = try? ConfigDocument.parse(rendered.text, file: "rendered", includes: .reject) {
            _ = SemanticChecks.run(document)
        }
    }

    private static func snapshot(_ bytes: [UInt8]) {
        // The split decode (second half of the reservations on a second thread) must give what one thread gives:
        // the same snapshot or the same error at the same place.
        let single = Result { () throws(SnapshotError) in try Snapshot.decode(Data(bytes), threading: .single) }
        let split = Result { () throws(SnapshotError) in
            try Snapshot.decode(Data(bytes), threading: .split(minimumBytes: 0))
        }
        if single != split { fatalError("the split decode differs from the one-thread decode: \(single) \(split)") }
        guard case .success(let snapshot) = single else { return }
        let again: Snapshot
        do {
            again = try Snapshot.decode(snapshot.encoded())
        } catch {
            fatalError("a decoded snapshot did not decode after encoding: \(error)")
        }
        if again != snapshot { fatalError("a snapshot changed in an encode and decode round trip") }
    }

    private static func kea(_ bytes: [UInt8]) {
        guard let document = try? ConfigDocument.parse(bytes: bytes, file: "kea.conf", includes: .reject) else { return }
        _ = SemanticChecks.run(document)
        _ = ConfigSummary(document)
    }
}
