import AlertCore
import Foundation
import Sinks

extension TenantConfig {
    /// A tenant whose alerts all go to one webhook receiver, `hook`, at `url` (signed with the
    /// secret of the environment variable `SECRET`).
    static func webhookTenant(_ id: String, url: String, groupWait: TimeInterval) throws -> TenantConfig {
        TenantConfig(
            id: TenantID(id)!, name: id,
            auth: AuthConfig(issuer: "https://idp.\(id).example", audience: "alertd", keys: .inline(.object([:]))),
            route: Route(receiver: "hook", groupBy: .all, groupWait: groupWait, groupInterval: 60),
            receivers: [
                "hook": try SinkRegistry.standard.receiver(
                    named: "hook", kind: "webhook", settings: .object(["url": .string(url), "secret": .string("env:SECRET")]))
            ])
    }
}
