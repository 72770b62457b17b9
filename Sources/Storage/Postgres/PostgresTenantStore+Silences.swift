import AlertCore
import Foundation
import PostgresNIO

extension PostgresTenantStore {
    static let silenceColumns = "id, matchers::text, starts_at, ends_at, created_by, comment, created_at"

    func createSilence(_ silence: Silence) async throws {
        let matchers = String(decoding: try JSONEncoder().encode(silence.matchers), as: UTF8.self)
        _ = try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment, created_at)
                VALUES (\(silence.id), \(matchers)::jsonb, \(silence.startsAt), \(silence.endsAt), \(silence.createdBy),
                    \(silence.comment), \(silence.createdAt))
                """,
                logger: logger)
        }
    }

    func updateSilence(_ silence: Silence) async throws -> Bool {
        let matchers = String(decoding: try JSONEncoder().encode(silence.matchers), as: UTF8.self)
        return try await transaction { connection in
            let rows = try await connection.query(
                """
                UPDATE silences SET matchers = \(matchers)::jsonb, starts_at = \(silence.startsAt), ends_at = \(silence.endsAt),
                    created_by = \(silence.createdBy), comment = \(silence.comment)
                WHERE id = \(silence.id) RETURNING id
                """,
                logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }

    func silences(endingAfter cutoff: Date?) async throws -> [Silence] {
        try await transaction { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.silenceColumns) FROM silences
                WHERE \(cutoff)::timestamptz IS NULL OR ends_at > \(cutoff) ORDER BY ends_at DESC, id
                """,
                logger: logger)
            return try await decodeSilences(rows)
        }
    }

    func expireSilence(id: String, at now: Date) async throws -> Silence? {
        try await transaction { connection in
            try await connection.query(
                """
                UPDATE silences SET starts_at = least(starts_at, \(now)), ends_at = \(now) WHERE id = \(id) AND ends_at > \(now)
                """,
                logger: logger)
            let rows = try await connection.query("SELECT \(unescaped: Self.silenceColumns) FROM silences WHERE id = \(id)", logger: logger)
            return try await decodeSilences(rows).first
        }
    }

    private func decodeSilences(_ rows: PostgresRowSequence) async throws -> [Silence] {
        var silences: [Silence] = []
        for try await (id, matchers, startsAt, endsAt, createdBy, comment, createdAt) in rows.decode(
            (String, String, Date, Date, String, String, Date).self)
        {
            silences.append(
                Silence(
                    id: id, matchers: try JSONDecoder().decode([String].self, from: Data(matchers.utf8)), startsAt: startsAt,
                    endsAt: endsAt, createdBy: createdBy, comment: comment, createdAt: createdAt))
        }
        return silences
    }
}
