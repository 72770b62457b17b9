import AlertCore

/// A tenant's namespace in PostgreSQL: schema `tenant_<id>` owned by role `alertd_t_<id>`
/// (`-` becomes `_`). Both names derive from a validated tenant id only, so they are safe
/// as identifiers.
struct PostgresNamespace: Sendable {
    let schema: String
    let role: String

    init(tenant: TenantID) {
        let base = tenant.rawValue.replacingOccurrences(of: "-", with: "_")
        schema = "tenant_\(base)"
        role = "alertd_t_\(base)"
    }
}
