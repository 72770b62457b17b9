import AlertCore
import Testing

@Suite struct TenantDiffTests {
    func tenant(_ id: String, quotas: Quotas = Quotas(), route: Route = Route(receiver: "hook"), receivers: [ReceiverName] = ["hook"]) -> TenantConfig {
        TenantConfig(
            id: TenantID(id)!, name: id, auth: AuthConfig(issuer: "https://\(id).example", audience: "alertd", keys: .file("jwks.json")),
            quotas: quotas, route: route,
            receivers: Dictionary(uniqueKeysWithValues: receivers.map { ($0, ReceiverConfig(name: $0, kind: "webhook", settings: .object([:]), sink: nil)) }))
    }

    @Test func sameTenantsMakeNoLines() {
        #expect(TenantDiff.lines(from: [tenant("acme"), tenant("globex")], to: [tenant("globex"), tenant("acme")]).isEmpty)
    }

    @Test func namesAddedRemovedAndChangedTenantsRoutesReceiversAndQuotas() throws {
        var quotas = Quotas()
        quotas.ingestPerSecond = 200
        let route = Route(
            receiver: "hook", routes: [Route(path: "routes[0]", receiver: "pager", matchers: [try Matcher(parsing: "severity=critical")])])
        let lines = TenantDiff.lines(
            from: [tenant("acme"), tenant("globex")],
            to: [tenant("acme", quotas: quotas, route: route, receivers: ["hook", "pager"]), tenant("initech")])
        #expect(
            lines == [
                "~ tenant acme: quotas.ingestPerSecond 50.0 → 200.0",
                #"~ tenant acme: route added: routes[0] [severity="critical"] → pager"#,
                "~ tenant acme: receiver pager added (webhook)",
                "- tenant globex removed (no longer served; its data stays)",
                "+ tenant initech added (1 receiver(s), issuer https://initech.example)",
            ])
    }
}
