import Foundation
import Testing

@testable import alertd

/// The tenants directory's signature changes with any file's content, size, time, name or
/// presence, and with the checkout a symlinked root points at; it stays put otherwise.
@Suite struct TenantReloadTriggerTests {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-signature-\(UUID())").path

    func write(_ text: String, to path: String, modified: Date? = nil) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        if let modified { try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path) }
    }

    @Test func changesWithEveryKindOfEditAndOnlyThen() throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        let root = "\(base)/tenants"
        let file = "\(root)/acme/tenant.yaml"
        let noon = Date(timeIntervalSince1970: 1_800_000_000)
        try write("id: acme\n", to: file, modified: noon)
        var seen = TenantReloadTrigger.signature(of: root)
        #expect(TenantReloadTrigger.signature(of: root) == seen, "nothing changed")

        func changed() -> Bool {
            let now = TenantReloadTrigger.signature(of: root)
            defer { seen = now }
            return now != seen
        }
        try write("id: acme\n", to: file, modified: noon.addingTimeInterval(1))
        #expect(changed(), "same content, later time")
        try write("id: acme # edited\n", to: file, modified: noon.addingTimeInterval(1))
        #expect(changed(), "another size")
        try write("{}", to: "\(root)/acme/jwks.json")
        #expect(changed(), "a new file")
        try FileManager.default.createDirectory(atPath: "\(root)/globex", withIntermediateDirectories: true)
        #expect(changed(), "a new directory")
        try FileManager.default.moveItem(atPath: "\(root)/acme/jwks.json", toPath: "\(root)/acme/keys.json")
        #expect(changed(), "a renamed file")
        try FileManager.default.removeItem(atPath: "\(root)/globex")
        #expect(changed(), "a removed directory")
        #expect(!changed(), "nothing since")
    }

    @Test func followsASymlinkedRootToTheCheckoutItNamesNow() throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        let noon = Date(timeIntervalSince1970: 1_800_000_000)
        try write("id: acme\n", to: "\(base)/one/acme/tenant.yaml", modified: noon)
        try write("id: acme\nroutes: {}\n", to: "\(base)/two/acme/tenant.yaml", modified: noon)
        let root = "\(base)/current"
        try FileManager.default.createSymbolicLink(atPath: root, withDestinationPath: "\(base)/one")
        let before = TenantReloadTrigger.signature(of: root)
        #expect(before == TenantReloadTrigger.signature(of: "\(base)/one"))
        try FileManager.default.removeItem(atPath: root)
        try FileManager.default.createSymbolicLink(atPath: root, withDestinationPath: "\(base)/two")
        #expect(TenantReloadTrigger.signature(of: root) != before)
    }
}
