import Foundation
import Kea
import KeaNetbox

/// `kea-netbox install` without Kea (check none, reload none) for both bench templates: lock, load the data
/// source, render, parse, semantic checks, summary, atomic write; then again with nothing changed.
struct PipelineBench {
    let runs: Int

    struct Result {
        let newFile: Double
        let unchanged: Double
        let peakRSS: Int?
        let summary: String
    }

    func run(source: DataSource) throws -> Result {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var templates: [String] = []
        for path in [BenchTemplates.dhcp4Path, BenchTemplates.dhcp6Path] {
            let file = folder.path + "/" + (path as NSString).lastPathComponent
            try Data((BenchTemplates.all[path] ?? "").utf8).write(to: URL(fileURLWithPath: file))
            templates.append(file)
        }
        Measure.resetPeak()
        var installNew = Double.infinity, installSame = Double.infinity
        var summaries: [String] = []
        for _ in 0..<runs {
            var newTotal = 0.0, sameTotal = 0.0
            summaries = []
            for (index, template) in templates.enumerated() {
                let output = folder.path + "/kea-dhcp\(index == 0 ? 4 : 6).conf"
                unlink(output)
                var installer = Installer.Options(output: output)
                installer.check = .none
                installer.reload = .none
                installer.backupDirectory = folder.path + "/backups"
                let pipeline = InstallPipeline(template: template, source: source, options: installer)
                let (first, newSeconds) = try Measure.time { try run(pipeline) }
                // --full: the unchanged render is compared, not skipped by the change probe's inputs check.
                let again = InstallPipeline(template: template, source: source, options: installer, full: true)
                let (second, sameSeconds) = try Measure.time { try run(again) }
                guard first.report.action == .installed, second.report.action == .unchanged else {
                    throw BenchFailure("install pipeline: expected installed then unchanged, got \(first.report.action) then \(second.report.action)")
                }
                newTotal += newSeconds
                sameTotal += sameSeconds
                summaries.append("\(first.report.reservations) reservations in \(first.report.subnets) subnets")
            }
            installNew = min(installNew, newTotal)
            installSame = min(installSame, sameTotal)
        }
        return Result(newFile: installNew, unchanged: installSame, peakRSS: Measure.peakRSS(),
                      summary: summaries.joined(separator: " + "))
    }

    private func run(_ pipeline: InstallPipeline) throws -> InstallPipeline.Outcome {
        do {
            return try pipeline.run()
        } catch {
            throw BenchFailure("install pipeline failed: \(error)")
        }
    }
}
