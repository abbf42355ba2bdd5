import Foundation

/// Where templates come from. A protocol because there are two real sources: files (production) and an
/// in-memory table (tests, and hosts that keep templates elsewhere).
public protocol TemplateLoader: Sendable {
    /// Loads the template at `path` (as written on the command line, or resolved from an include).
    func load(_ path: String) throws -> TemplateSource
}

public struct TemplateSource: Sendable {
    public let path: String
    public let text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// Why a template could not be loaded; the message is shown to the operator as is.
public struct TemplateLoadError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Reads templates from the file system (UTF-8).
public struct FileSystemLoader: TemplateLoader {
    public init() {}

    public func load(_ path: String) throws -> TemplateSource {
        // Foundation reports reading a folder as "NSCocoaErrorDomain error 256"; say what is wrong instead.
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw TemplateLoadError("'\(path)' is a folder, not a template file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TemplateLoadError("cannot read '\(path)': \(FileSystemLoader.reason(error))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TemplateLoadError("'\(path)' is not valid UTF-8")
        }
        return TemplateSource(path: path, text: text)
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError {
            return "No such file or directory"
        }
        return nsError.localizedDescription
    }
}

/// Templates held in memory, keyed by path: for tests and for hosts that embed templates.
public struct InMemoryLoader: TemplateLoader {
    public let templates: [String: String]

    public init(_ templates: [String: String]) {
        self.templates = templates
    }

    public func load(_ path: String) throws -> TemplateSource {
        guard let text = templates[path] else {
            throw TemplateLoadError("no template named '\(path)'")
        }
        return TemplateSource(path: path, text: text)
    }
}

/// Include paths are relative to the including template's folder, like C's `#include "…"`.
enum IncludePath {
    static func resolve(_ path: String, relativeTo includer: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        guard let slash = includer.lastIndex(of: "/") else { return normalize(path) }
        return normalize(String(includer[...slash]) + path)
    }

    /// Removes "." and "name/.." segments so the same file reached two ways is one entry in the include chain.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            if part == "..", absolute { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }
}
