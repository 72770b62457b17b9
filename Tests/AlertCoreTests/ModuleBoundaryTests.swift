import Foundation
import Testing

@Suite struct ModuleBoundaryTests {
    @Test func alertCoreImportsOnlyFoundation() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources/AlertCore")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        #expect(files.count > 10)
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                guard let index = words.firstIndex(of: "import"), words[..<index].allSatisfy({ ["@testable", "public", "internal", "@_exported"].contains($0) })
                else { continue }
                #expect(words.dropFirst(index + 1).first == "Foundation", "\(file): \(line)")
            }
        }
    }
}
