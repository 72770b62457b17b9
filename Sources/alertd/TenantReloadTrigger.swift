import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the tenants on SIGHUP and whenever a file under the tenants directory changes
/// (checked every `interval`; a checkout swapped in through a symlink counts as a change).
struct TenantReloadTrigger: Service {
    let reloader: TenantReloader
    let directory: String
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
                    await reloader.reload(reason: "SIGHUP")
                }
            }
            group.addTask {
                var seen = Self.signature(of: directory)
                while !Task.isShuttingDownGracefully {
                    guard (try? await cancelWhenGracefulShutdown({ try await Task.sleep(for: interval) })) != nil else { break }
                    let current = Self.signature(of: directory)
                    if current != seen {
                        seen = current
                        await reloader.reload(reason: "files changed")
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Every file's path, size and modification time under `directory`, following a symlinked root.
    static func signature(of directory: String) -> [String] {
        let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        let files = FileManager.default
        var entries = [root]
        for path in (files.enumerator(atPath: root)?.allObjects as? [String]) ?? [] {
            guard let attributes = try? files.attributesOfItem(atPath: "\(root)/\(path)") else { continue }
            let size = attributes[.size] as? NSNumber
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970
            entries.append("\(path) \(size?.int64Value ?? -1) \(modified ?? 0)")
        }
        return entries.sorted()
    }
}
