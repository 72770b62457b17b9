import AlertCore
import Foundation
import PostgresNIO

/// The tenant's learned rating model: one row, cached per process and re-read when another
/// replica saved a newer version, and the outcomes it learns from.
extension PostgresTenantStore {
    func ratingModel() async throws -> ActionabilityModel? {
        try await transaction { connection in try await currentModel(on: connection) }
    }

    /// The cached model when it is the saved version, else the saved one (now cached).
    func currentModel(on connection: PostgresConnection) async throws -> ActionabilityModel? {
        var version: Int64 = 0
        for try await saved in try await connection.query("SELECT version FROM rating_model WHERE id = 1", logger: logger).decode(Int64.self) {
            version = saved
        }
        if let cached = models.model(ifVersion: version) { return cached }
        let (model, loaded) = try await loadModel(on: connection, locking: false)
        models.keep(model, version: loaded)
        return models.model(ifVersion: loaded) ?? model
    }

    func learnOutcomes(endedBefore cutoff: Date, at now: Date, policy: RatingPolicy, limit: Int) async throws -> Int {
        let (learned, model, version) = try await transaction { connection -> (Int, ActionabilityModel?, Int64) in
            let (stored, version) = try await loadModel(on: connection, locking: true)
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE status = 'resolved' AND last_seen_at < \(cutoff)
                AND (learned_episode IS NULL OR learned_episode <> first_seen_at) ORDER BY last_seen_at, fingerprint LIMIT \(limit)
                FOR UPDATE
                """,
                logger: logger)
            let records = try await decodeAlerts(rows)
            guard !records.isEmpty else { return (0, stored, version) }
            var model = stored ?? ActionabilityModel()
            for record in records {
                let notifiedAt = try await firstNotification(of: record, on: connection)
                model.learn(endedEpisode: record, firstNotifiedAt: notifiedAt, policy: policy, at: now)
                try await connection.query(
                    "UPDATE alerts SET learned_episode = first_seen_at, learned_at = \(now) WHERE fingerprint = \(record.fingerprint.rawValue)",
                    logger: logger)
            }
            try await saveModel(model, version: version + 1, on: connection)
            return (records.count, model, version + 1)
        }
        if learned > 0 { models.keep(model, version: version) }
        return learned
    }

    /// When the model already learned from `before`'s episode, replaces that outcome with
    /// `after`'s; returns the saved model and its version.
    func correctLearnedOutcome(
        of before: AlertRecord, becoming after: AlertRecord, policy: RatingPolicy, at now: Date, on connection: PostgresConnection
    ) async throws -> (ActionabilityModel, Int64)? {
        guard before.status == .resolved else { return nil }
        var learnedAt: Date?
        let rows = try await connection.query(
            "SELECT learned_at FROM alerts WHERE fingerprint = \(before.fingerprint.rawValue) AND learned_episode = first_seen_at",
            logger: logger)
        for try await at in rows.decode(Date.self) { learnedAt = at }
        guard let learnedAt else { return nil }
        let (stored, version) = try await loadModel(on: connection, locking: true)
        guard var model = stored else { return nil }
        let notifiedAt = try await firstNotification(of: before, on: connection)
        model.correct(
            before.alert, from: AlertOutcome(record: before, firstNotifiedAt: notifiedAt, policy: policy), learnedAt: learnedAt,
            to: AlertOutcome(record: after, firstNotifiedAt: notifiedAt, policy: policy), policy: policy, at: now)
        try await saveModel(model, version: version + 1, on: connection)
        return (model, version + 1)
    }

    /// The saved model and its version (0 when none is saved); `locking` holds the row until
    /// the transaction ends, so two replicas do not both save over one version.
    func loadModel(on connection: PostgresConnection, locking: Bool) async throws -> (ActionabilityModel?, Int64) {
        let rows =
            locking
            ? try await connection.query("SELECT state::text, version FROM rating_model WHERE id = 1 FOR UPDATE", logger: logger)
            : try await connection.query("SELECT state::text, version FROM rating_model WHERE id = 1", logger: logger)
        for try await (state, version) in rows.decode((String, Int64).self) {
            return (try JSONDecoder().decode(ActionabilityModel.self, from: Data(state.utf8)), version)
        }
        return (nil, 0)
    }

    func saveModel(_ model: ActionabilityModel, version: Int64, on connection: PostgresConnection) async throws {
        let state = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO rating_model (id, state, version) VALUES (1, \(state)::jsonb, \(version))
            ON CONFLICT (id) DO UPDATE SET state = excluded.state, version = excluded.version
            """,
            logger: logger)
    }
}
