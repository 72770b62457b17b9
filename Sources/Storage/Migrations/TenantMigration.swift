/// One change to a tenant's store, written once for each dialect. `all` lists them in order; a
/// store records how many have run (SQLite in `PRAGMA user_version`, PostgreSQL in the tenant
/// schema's `schema_migrations`) and runs the rest (SQLite: all in one transaction; PostgreSQL:
/// each in one transaction). A new migration is a new `TenantMigration+Name.swift` and one line
/// at the end of `all`; a migration that ran is never edited.
struct TenantMigration: Sendable {
    let name: String
    /// The statements for a tenant's SQLite file.
    let sqlite: [String]
    /// The statements for a tenant's PostgreSQL schema, run as the tenant's role.
    let postgres: [String]

    static let all: [TenantMigration] = [
        .initial, .silences, .alertGroups, .partsDelivered, .groupVersions, .missedResponses, .ratingModel, .dropLastSeenIndex,
    ]
}
