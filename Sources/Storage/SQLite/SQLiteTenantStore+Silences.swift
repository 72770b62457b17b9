import AlertCore
import Foundation

extension SQLiteTenantStore {
    public func createSilence(_ silence: Silence) async throws {
        try await write { db in
            _ = try db.query(
                """
                INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(silence.id), try self.json(silence.matchers), silence.startsAt.sqlite, silence.endsAt.sqlite,
                    .text(silence.createdBy), .text(silence.comment), silence.createdAt.sqlite,
                ])
        }
    }

    public func updateSilence(_ silence: Silence) async throws -> Bool {
        try await write { db in
            try !db.query(
                """
                UPDATE silences SET matchers = ?, starts_at = ?, ends_at = ?, created_by = ?, comment = ?
                WHERE id = ? RETURNING id
                """,
                [
                    try self.json(silence.matchers), silence.startsAt.sqlite, silence.endsAt.sqlite, .text(silence.createdBy),
                    .text(silence.comment), .text(silence.id),
                ]
            ).isEmpty
        }
    }

    public func silences(endingAfter cutoff: Date?) async throws -> [Silence] {
        try await read { db in
            let rows = try db.query(
                "SELECT * FROM silences WHERE ? IS NULL OR ends_at > ? ORDER BY ends_at DESC, id",
                [cutoff?.sqlite ?? .null, cutoff?.sqlite ?? .null])
            return try rows.map(self.silence)
        }
    }

    public func expireSilence(id: String, at now: Date) async throws -> Silence? {
        try await write { db in
            _ = try db.query(
                "UPDATE silences SET starts_at = min(starts_at, ?), ends_at = ? WHERE id = ? AND ends_at > ?",
                [now.sqlite, now.sqlite, .text(id), now.sqlite])
            return try db.query("SELECT * FROM silences WHERE id = ?", [.text(id)]).first.map(self.silence)
        }
    }

    func silence(_ row: SQLiteRow) throws -> Silence {
        guard let id = row.column("id")?.string, let startsAt = row.column("starts_at")?.date, let endsAt = row.column("ends_at")?.date,
            let createdBy = row.column("created_by")?.string, let comment = row.column("comment")?.string,
            let createdAt = row.column("created_at")?.date
        else { throw StoreError(.corruptRow, "a silence of tenant \(tenant) is incomplete") }
        return Silence(
            id: id, matchers: try decode([String].self, row, "matchers"), startsAt: startsAt, endsAt: endsAt, createdBy: createdBy,
            comment: comment, createdAt: createdAt)
    }
}
