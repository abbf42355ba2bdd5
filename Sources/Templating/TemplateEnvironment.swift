import Diagnostics
/// The entry point for hosts: which loader, which global values and which functions a template sees.
/// Rendering is in memory and all-or-nothing: either the whole text or a TemplateError, never half a config.
public struct TemplateEnvironment: Sendable {
    public let loader: any TemplateLoader
    public let globals: [String: Value]
    let functions: [String: TemplateFunction]

    public init(loader: any TemplateLoader = FileSystemLoader(), globals: [String: Value] = [:],
                functions: [TemplateFunction] = []) {
        self.loader = loader
        self.globals = globals
        var table: [String: TemplateFunction] = [:]
        for function in functions { table[function.name] = function }
        self.functions = table
    }

    /// Parses (with includes) and renders. Throws TemplateError with every parse diagnostic found, or the
    /// first render error.
    /// With `sourceMap`, the result maps rendered positions back to the template (for lint; costs memory).
    public func render(path: String, sourceMap: Bool = false) throws(TemplateError) -> RenderResult {
        try render(source: try load(path), sourceMap: sourceMap)
    }

    /// `expectedSize` is what the text is likely to weigh, in bytes (the size of the file it replaces): its
    /// buffer is then made that large at once instead of grown by doubling, which copies and faults in about
    /// twice the memory (a hint only; any size works).
    public func render(source: TemplateSource, sourceMap: Bool = false,
                       expectedSize: Int = 0) throws(TemplateError) -> RenderResult {
        let (template, session) = parse(source)
        let errors = TemplateEnvironment.unique(session.diagnostics.filter { $0.severity == .error })
        guard errors.isEmpty else { throw TemplateError(diagnostics: errors) }
        var renderer = Renderer(source: template.source, globals: globals, functions: functions,
                                memberSites: session.memberSites, recordingSourceMap: sourceMap,
                                expectedSize: expectedSize)
        do {
            try renderer.render(template.nodes)
        } catch {
            throw TemplateError(diagnostics: [error.diagnostic])
        }
        var map = renderer.sourceMap
        map?.finish(output: renderer.output)
        return RenderResult(bytes: renderer.output,
                            warnings: TemplateEnvironment.unique(session.warnings) + renderer.warnings, sourceMap: map)
    }

    /// Parse-only check for lint: every parse error (includes too) and a warning for each `| raw` use.
    /// Does not render, so it needs no data.
    public func check(path: String) -> [Diagnostic] {
        do {
            return check(source: try load(path))
        } catch {
            return error.diagnostics
        }
    }

    public func check(source: TemplateSource) -> [Diagnostic] {
        analyze(source: source).diagnostics
    }

    /// Parse errors, then the static checks of every branch (names, functions and their arguments, members of
    /// host objects), and what the template reads of the globals.
    public func analyze(path: String) -> TemplateAnalysis {
        do {
            return analyze(source: try load(path))
        } catch {
            return TemplateAnalysis(diagnostics: error.diagnostics, usedGlobals: [], undefinedNames: [], literalCalls: [], loopsOverCalls: [])
        }
    }

    public func analyze(source: TemplateSource) -> TemplateAnalysis {
        let (template, session) = parse(source)
        let parsed = TemplateEnvironment.unique(session.diagnostics + session.warnings)
        guard !parsed.contains(where: { $0.severity == .error }) else {
            return TemplateAnalysis(diagnostics: parsed, usedGlobals: [], undefinedNames: [], literalCalls: [], loopsOverCalls: [])
        }
        var checker = StaticChecker(source: template.source, globals: globals.mapValues(ValueShape.init(of:)),
                                    functions: functions.mapValues(\.signature))
        let found = checker.check(template)
        return TemplateAnalysis(diagnostics: TemplateEnvironment.unique(parsed + found),
                                usedGlobals: checker.usedGlobals, undefinedNames: checker.undefinedNames,
                                literalCalls: checker.literalCalls, loopsOverCalls: checker.loopsOverCalls)
    }

    /// Whether the template, or a template it includes, can read the variable `name` in any branch: for a caller
    /// that computes a global only when some template reads it. A template that does not parse says true (its
    /// render reports the error).
    public func mayRead(_ name: String, source: TemplateSource) -> Bool {
        let (template, session) = parse(source)
        guard !session.diagnostics.contains(where: { $0.severity == .error }) else { return true }
        return Node.read(name, in: template.nodes)
    }

    /// A file included in two JSON contexts is parsed twice; its mistakes are reported once.
    private static func unique(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return diagnostics.filter { seen.insert($0).inserted }
    }

    private func load(_ path: String) throws(TemplateError) -> TemplateSource {
        do {
            return try loader.load(path)
        } catch {
            throw TemplateError(diagnostics: [Diagnostic(severity: .error, message: "\(error)")])
        }
    }

    private func parse(_ source: TemplateSource) -> (Template, ParseSession) {
        var session = ParseSession(loader: loader)
        let template = Parser.parseRoot(SourceText(path: source.path, text: source.text), session: &session)
        return (template, session)
    }
}

/// What `lint` learns from a template without data.
public struct TemplateAnalysis: Sendable {
    public let diagnostics: [Diagnostic]
    /// Globals (such as `--set` variables) the template reads somewhere.
    public let usedGlobals: Set<String>
    /// Names read that nothing defines.
    public let undefinedNames: Set<String>
    /// Calls with a literal first argument, in template order.
    public let literalCalls: [LiteralCall]
    /// Loops over function results, with where they write.
    public let loopsOverCalls: [LoopPlace]
}

/// A rendered template and what the operator should see besides it (`{% warn %}` messages, `| raw` uses).
public struct RenderResult: Sendable {
    /// The rendered text in UTF-8, as the renderer wrote it. Always valid UTF-8: every byte comes from the
    /// template's text, a `String` value or a number. Kept as bytes because that is what a file gets: at
    /// 100,000 reservations the text is 11 MB, and a `String` made of it (validated, copied) and turned back
    /// into bytes for the write cost two more copies of it (issue 11).
    public let bytes: [UInt8]
    public let warnings: [Diagnostic]
    /// Present when the render was asked for one.
    public let sourceMap: SourceMap?

    /// The rendered text as a String, made on each use.
    public var output: String { String(decoding: bytes, as: UTF8.self) }

    public init(bytes: [UInt8], warnings: [Diagnostic], sourceMap: SourceMap? = nil) {
        self.bytes = bytes
        self.warnings = warnings
        self.sourceMap = sourceMap
    }
}
