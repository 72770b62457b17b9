import AlertCore
import Foundation

/// The tenant's learned rating model: one row, read through the store's cache, and the
/// outcomes it learns from.
extension SQLiteTenantStore {
    public func ratingModel() async throws -> ActionabilityModel? {
        if let cached = models.model() { return cached }
        let (model, version) = try await read { db in try self.loadModel(in: db) }
        models.keep(model, version: version)
        return models.model() ?? model
    }

    public func learnOutcomes(endedBefore cutoff: Date, at now: Date, policy: RatingPolicy, limit: Int) async throws -> Int {
        let (learned, model, version) = try await write { db -> (Int, ActionabilityModel?, Int64) in
            let rows = try db.query(
                """
                SELECT * FROM alerts WHERE status = 'resolved' AND last_seen_at < ?
                AND (learned_episode IS NULL OR learned_episode <> first_seen_at) ORDER BY last_seen_at, fingerprint LIMIT ?
                """,
                [cutoff.sqlite, .integer(limit)])
            let (stored, version) = try self.loadModel(in: db)
            guard !rows.isEmpty else { return (0, stored, version) }
            var model = stored ?? ActionabilityModel()
            for row in rows {
                let record = try self.record(row)
                model.learn(endedEpisode: record, firstNotifiedAt: try self.firstNotification(of: record, in: db), policy: policy, at: now)
                _ = try db.query(
                    "UPDATE alerts SET learned_episode = first_seen_at, learned_at = ? WHERE fingerprint = ?",
                    [now.sqlite, .text(record.fingerprint.rawValue)])
            }
            try self.saveModel(model, version: version + 1, in: db)
            return (rows.count, model, version + 1)
        }
        if learned > 0 { models.keep(model, version: version) }
        return learned
    }

    /// When the model already learned from `before`'s episode, replaces that outcome with
    /// `after`'s; returns the saved model and its version.
    func correctLearnedOutcome(
        of before: AlertRecord, becoming after: AlertRecord, policy: RatingPolicy, at now: Date, in db: SQLiteConnection
    ) throws -> (ActionabilityModel, Int64)? {
        guard before.status == .resolved,
            let row = try db.query(
                "SELECT learned_at FROM alerts WHERE fingerprint = ? AND learned_episode = first_seen_at",
                [.text(before.fingerprint.rawValue)]
            ).first, let learnedAt = row.column("learned_at")?.date
        else { return nil }
        let (stored, version) = try loadModel(in: db)
        guard var model = stored else { return nil }
        let notifiedAt = try firstNotification(of: before, in: db)
        model.correct(
            before.alert, from: AlertOutcome(record: before, firstNotifiedAt: notifiedAt, policy: policy), learnedAt: learnedAt,
            to: AlertOutcome(record: after, firstNotifiedAt: notifiedAt, policy: policy), policy: policy, at: now)
        try saveModel(model, version: version + 1, in: db)
        return (model, version + 1)
    }

    /// The saved model and its version (0 when none is saved).
    func loadModel(in db: SQLiteConnection) throws -> (ActionabilityModel?, Int64) {
        guard let row = try db.query("SELECT state, version FROM rating_model WHERE id = 1").first else { return (nil, 0) }
        return (try decode(ActionabilityModel.self, row, "state"), Int64(row.column("version")?.integer ?? 0))
    }

    func saveModel(_ model: ActionabilityModel, version: Int64, in db: SQLiteConnection) throws {
        _ = try db.query(
            """
            INSERT INTO rating_model (id, state, version) VALUES (1, ?, ?)
            ON CONFLICT (id) DO UPDATE SET state = excluded.state, version = excluded.version
            """,
            [try json(model), .integer(Int(version))])
    }
}
