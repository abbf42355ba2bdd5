@testable import Templating

/// Renders `text` as the file "t.json" with the given globals; includes resolve through `files`.
func render(_ text: String, _ globals: [String: Value] = [:], files: [String: String] = [:],
            functions: [TemplateFunction] = []) throws(TemplateError) -> String {
    try renderResult(text, globals, files: files, functions: functions).output
}

func renderResult(_ text: String, _ globals: [String: Value] = [:], files: [String: String] = [:],
                  functions: [TemplateFunction] = []) throws(TemplateError) -> RenderResult {
    let environment = TemplateEnvironment(loader: InMemoryLoader(files), globals: globals, functions: functions)
    return try environment.render(source: TemplateSource(path: "t.json", text: text))
}

/// The diagnostics of a failing render; empty when it unexpectedly succeeded.
func errors(_ text: String, _ globals: [String: Value] = [:], files: [String: String] = [:],
            functions: [TemplateFunction] = []) -> [Diagnostic] {
    do {
        _ = try renderResult(text, globals, files: files, functions: functions)
        return []
    } catch {
        return error.diagnostics
    }
}

/// "file:line:col: message" of each diagnostic, the shape most tests assert on.
func located(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { diagnostic in
        guard let location = diagnostic.location else { return diagnostic.message }
        return "\(location): \(diagnostic.message)"
    }
}

/// A host object standing in for an IP address: orders numerically by its last octet, has members.
struct FakeAddress: TemplateObject {
    let text: String
    var typeName: String { "IP address" }
    var memberNames: [String] { ["family", "last_octet"] }

    init(_ text: String) { self.text = text }

    private var lastOctet: Int { Int(text.split(separator: ".").last ?? "") ?? 0 }

    func member(_ name: String) -> Value? {
        switch name {
        case "family": .int(4)
        case "last_octet": .int(lastOctet)
        default: nil
        }
    }

    func isLess(than other: any TemplateObject) -> Bool? {
        guard let other = other as? FakeAddress else { return nil }
        return lastOctet < other.lastOctet
    }

    func isEqual(to other: any TemplateObject) -> Bool { other.text == text }
}

import Diagnostics
import Foundation

enum FileFixture {
    static func write(_ files: [String: String]) throws {
        for (path, text) in files {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
