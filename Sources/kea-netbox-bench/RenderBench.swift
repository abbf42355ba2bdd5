import Foundation
import Kea
import KeaNetbox
import NetBox
import Templating

/// Render, Kea-side checks and the install pipeline (without Kea) over a generated snapshot.
struct RenderBench {
    let options: Options
    let layout: Layout

    func run(_ report: inout Report) throws {
        let (snapshot, generateSeconds) = Measure.time { layout.snapshot() }
        report.add("generate snapshot", generateSeconds,
                   "\(snapshot.reservations.count) reservations, \(snapshot.prefixes.count) prefixes, \(snapshot.ipRanges.count) ranges")

        // 1. Index build + render, the two templates one after the other, as two `kea-netbox render` runs would.
        let loader = InMemoryLoader(BenchTemplates.all)
        let renderer = ConfigRenderer(snapshot: snapshot, loader: loader)
        let paths = [BenchTemplates.dhcp4Path, BenchTemplates.dhcp6Path]
        Measure.resetPeak()
        let baseRSS = Measure.currentRSS()
        let (outputs, renderSeconds) = try Measure.best(of: options.runs) {
            try paths.map { path -> String in
                do {
                    return try renderer.render(templateAt: path).text
                } catch {
                    throw BenchFailure("rendering \(path) failed: \(error)")
                }
            }
        }
        let renderPeak = Measure.peakRSS()
        let outputBytes = outputs.reduce(0) { $0 + $1.utf8.count }

        // Splits: the index is built by `environment`; `render(path:)` then parses and renders.
        let (environment, indexSeconds) = Measure.best(of: options.runs) { renderer.environment }
        let (_, templateSeconds) = try Measure.best(of: options.runs) {
            for path in paths {
                do {
                    _ = try environment.render(path: path)
                } catch {
                    throw BenchFailure("rendering \(path) failed: \(error)")
                }
            }
        }
        report.add("render (index + render)", renderSeconds,
                   "\(layout.count) reservations, 2 templates, output \(Format.size(outputBytes)), peak RSS \(Format.megabytes(renderPeak)) (snapshot alone \(Format.megabytes(baseRSS)))")
        report.add("  index build (once)", indexSeconds, "NetBoxIndex over the snapshot")
        report.add("  template render", templateSeconds, "parse + render, both templates")

        // 2. What install does with the text before it writes a file: parse, semantic checks, summary.
        Measure.resetPeak()
        let (checked, checkSeconds) = try Measure.best(of: options.runs) { () throws -> (Int, Int) in
            var reservations = 0, findings = 0
            for (path, text) in zip(paths, outputs) {
                let document = try parse(text, path: path)
                let found = SemanticChecks.run(document)
                if let error = found.first(where: { $0.severity == .error }) {
                    throw BenchFailure("semantic checks reject the rendered \(path): \(error)")
                }
                findings += found.count
                reservations += ConfigSummary(document).reservationCount
            }
            return (reservations, findings)
        }
        let checkPeak = Measure.peakRSS()
        report.add("parse + checks + summary", checkSeconds,
                   "\(checked.0) reservations, \(checked.1) findings, peak RSS \(Format.megabytes(checkPeak))")
        guard checked.0 == layout.count else {
            throw BenchFailure("the rendered configs hold \(checked.0) reservations, expected \(layout.count)")
        }
        let (documents, parseSeconds) = try Measure.best(of: options.runs) {
            try zip(paths, outputs).map { try parse($1, path: $0) }
        }
        report.add("  ConfigDocument.parse", parseSeconds, "")
        let (_, semanticSeconds) = Measure.best(of: options.runs) { documents.map(SemanticChecks.run) }
        report.add("  SemanticChecks.run", semanticSeconds, "")
        let (_, summarySeconds) = Measure.best(of: options.runs) { documents.map { ConfigSummary($0) } }
        report.add("  ConfigSummary", summarySeconds, "")

        // 3. The whole install pipeline without Kea, from a snapshot file.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let snapshotPath = folder.path + "/snapshot.json"
        let (encoded, encodeSeconds) = Measure.time { snapshot.encoded() }
        try encoded.write(to: URL(fileURLWithPath: snapshotPath))
        report.add("snapshot encode", encodeSeconds, "\(Format.size(encoded.count)) JSON")
        Measure.resetPeak()
        let (_, decodeSeconds) = try Measure.best(of: options.runs) { try DataSource.snapshotFile(snapshotPath).load() }
        report.add("snapshot load (decode)", decodeSeconds, "peak RSS \(Format.megabytes(Measure.peakRSS()))")
        let pipeline = try PipelineBench(runs: options.runs).run(source: .snapshotFile(snapshotPath))
        report.add("install --data, new file", pipeline.newFile,
                   "2 templates, check none, reload none: \(pipeline.summary), peak RSS \(Format.megabytes(pipeline.peakRSS))")
        report.add("install --data, unchanged", pipeline.unchanged, "also parses the installed file")

        if options.keaCheck {
            try keaCheck(outputs: outputs, folder: folder, report: &report)
        }

        let timeTarget = options.renderTargetSeconds * options.scale
        let memoryTarget = options.renderTargetMB * options.scale
        let peakMB = renderPeak.map { Double($0) / 1_048_576 }
        report.target("render time", met: renderSeconds <= timeTarget,
                      "\(Format.seconds(renderSeconds)) for \(layout.count) reservations (target <= \(Format.seconds(timeTarget)))")
        report.target("render peak RSS", met: (peakMB ?? 0) <= memoryTarget,
                      "\(Format.megabytes(renderPeak)) (target <= \(String(format: "%.0f", memoryTarget)) MB)")
        report.summary.append(String(format: "render %d reservations: %.2f s, peak RSS %@; install --data %.2f s",
                                     layout.count, renderSeconds, Format.megabytes(renderPeak), pipeline.newFile))
    }

    private func parse(_ text: String, path: String) throws -> ConfigDocument {
        do {
            return try ConfigDocument.parse(text, file: path)
        } catch {
            throw BenchFailure("the rendered \(path) is not valid Kea JSON: \(error)")
        }
    }

    /// `kea-dhcpN -t` on the rendered files: not kea-netbox's own time, but what an install waits for.
    private func keaCheck(outputs: [String], folder: TemporaryFolder, report: inout Report) throws {
        for (index, text) in outputs.enumerated() {
            let family = index == 0 ? 4 : 6
            let file = folder.path + "/check-dhcp\(family).conf"
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            let (verdict, seconds) = try Measure.time {
                try CheckCommand.kea.run(on: file, family: family == 4 ? .v4 : .v6, timeout: .seconds(600))
            }
            report.add("kea-dhcp\(family) -t", seconds, verdict.accepted ? "accepted" : "REJECTED: \(verdict.message.prefix(200))")
        }
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A private folder under the system's temporary directory, removed with its contents.
struct TemporaryFolder {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/kea-netbox-bench.XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap(mkdtemp).map { String(cString: $0) }
        }
        guard let created else {
            throw BenchFailure("cannot create a temporary folder: \(String(describing: POSIXErrorCode(rawValue: errno).map { "\($0)" } ?? "errno \(errno)"))")
        }
        path = created
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
