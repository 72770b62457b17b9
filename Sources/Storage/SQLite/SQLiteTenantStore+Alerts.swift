import AlertCore
import Foundation

extension SQLiteTenantStore {
    public func ratingInputs(sources: Set<String>, groups: Set<String>) async throws -> RatingInputs {
        let model = try await ratingModel()
        if let copied = ratingInputsCache.inputs(sources: sources, groups: groups, model: model) { return copied }
        let generation = ratingInputsCache.generation
        let inputs = try await read { db in
            var inputs = RatingInputs(model: model)
            for source in sources {
                inputs.reliability[source] = try self.reliability(source, in: db)
            }
            for group in groups {
                inputs.history[group] = try self.history(group, in: db)
            }
            return inputs
        }
        ratingInputsCache.keep(inputs, sources: sources, groups: groups, readAt: generation)
        return inputs
    }

    public func record(_ alerts: [RatedAlert], at now: Date, policy: RatingPolicy) async throws -> [AlertEvent] {
        let events = try await write { db in
            var events: [AlertEvent] = []
            for rated in alerts {
                if let event = try self.upsert(rated, at: now, policy: policy, in: db) { events.append(event) }
            }
            return events
        }
        models.observe(alerts.filter { $0.status == .firing }.map(\.alert), at: now)
        return events
    }

    /// Inserts or updates one alert; returns the ledger event when receivers must hear of it.
    /// The stored alert is read as its head (`loadHead`): its alert and rating documents are
    /// replaced or kept, never decoded.
    private func upsert(_ rated: RatedAlert, at now: Date, policy: RatingPolicy, in db: SQLiteConnection) throws -> AlertEvent? {
        let fingerprint = rated.alert.fingerprint
        let head = try self.loadHead(fingerprint, in: db)
        switch AlertRecord.arrival(of: rated, over: head, at: now) {
        case .seen(let at):
            _ = try db.query("UPDATE alerts SET last_seen_at = ? WHERE fingerprint = ?", [at.sqlite, .text(fingerprint.rawValue)])
            return nil
        case .stored(let record, let notify):
            try self.save(record, in: db)
            if let head, head.missesResponse(becoming: record) {
                try self.recordMissedResponse(record.alert.responseGroup, at: now, policy: policy, in: db)
            }
            return notify
                ? try self.appendEvent(record.alert, record.status, record.rating, traceparent: rated.traceparent, at: now, in: db) : nil
        }
    }

    /// The stored alert's head; the alert's start and the rating's priority come out of their
    /// JSON documents in SQLite, without decoding them here.
    func loadHead(_ fingerprint: Fingerprint, in db: SQLiteConnection) throws -> StoredAlertHead? {
        guard
            let row = try db.query(
                """
                SELECT status, json_extract(alert, '$.startsAt') AS starts_at, json_extract(rating, '$.priority') AS priority,
                    first_seen_at, last_seen_at, occurrences, acknowledged_at, acknowledged_by, feedback, feedback_at
                FROM alerts WHERE fingerprint = ?
                """, [.text(fingerprint.rawValue)]
            ).first
        else { return nil }
        guard let status = row.column("status")?.string.flatMap(AlertStatus.init(rawValue:)),
            let startsAt = row.column("starts_at")?.double, let priority = row.column("priority")?.string.flatMap(Priority.init(rawValue:)),
            let firstSeenAt = row.column("first_seen_at")?.date, let lastSeenAt = row.column("last_seen_at")?.date
        else { throw StoreError(.corruptRow, "the alert row \(fingerprint) of tenant \(tenant) is incomplete") }
        return StoredAlertHead(
            status: status, startsAt: Date(timeIntervalSinceReferenceDate: startsAt), priority: priority, firstSeenAt: firstSeenAt,
            lastSeenAt: lastSeenAt, occurrences: row.column("occurrences")?.integer ?? 1,
            acknowledgedAt: row.column("acknowledged_at")?.date, acknowledgedBy: row.column("acknowledged_by")?.string,
            feedback: row.column("feedback")?.string.flatMap(FeedbackKind.init(rawValue:)), feedbackAt: row.column("feedback_at")?.date)
    }

    /// Writes every column of `record`.
    func save(_ record: AlertRecord, in db: SQLiteConnection) throws {
        _ = try db.query(
            """
            INSERT INTO alerts (fingerprint, alert, status, score, rating, first_seen_at, last_seen_at, occurrences,
                acknowledged_at, acknowledged_by, feedback, feedback_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (fingerprint) DO UPDATE SET alert = excluded.alert, status = excluded.status, score = excluded.score,
                rating = excluded.rating, first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at,
                occurrences = excluded.occurrences, acknowledged_at = excluded.acknowledged_at,
                acknowledged_by = excluded.acknowledged_by, feedback = excluded.feedback, feedback_at = excluded.feedback_at
            """,
            [
                .text(record.fingerprint.rawValue), .text(try StoredJSON.alert(record.alert)), .text(record.status.rawValue), .float(record.rating.score),
                .text(try StoredJSON.rating(record.rating)), record.firstSeenAt.sqlite, record.lastSeenAt.sqlite, .integer(record.occurrences),
                record.acknowledgedAt?.sqlite ?? .null, record.acknowledgedBy.map { .text($0) } ?? .null,
                record.feedback.map { .text($0.rawValue) } ?? .null, record.feedbackAt?.sqlite ?? .null,
            ])
    }

    func appendEvent(_ alert: Alert, _ status: AlertStatus, _ rating: Rating, traceparent: String?, at now: Date, in db: SQLiteConnection) throws -> AlertEvent {
        let payload = EventPayload(alert: alert, status: status, rating: rating, traceparent: traceparent)
        let rows = try db.query(
            "INSERT INTO events (fingerprint, payload, recorded_at) VALUES (?, ?, ?) RETURNING id",
            [.text(alert.fingerprint.rawValue), .text(try StoredJSON.event(payload)), now.sqlite])
        guard let id = rows.first?.column("id")?.integer else { throw StoreError(.corruptRow, "no event id returned") }
        return AlertEvent(
            tenant: tenant, id: Int64(id), fingerprint: alert.fingerprint, alert: alert, status: status, rating: rating,
            recordedAt: now, traceparent: traceparent)
    }

    public func alert(_ fingerprint: Fingerprint) async throws -> AlertRecord? {
        try await read { db in try self.loadAlert(fingerprint, in: db) }
    }

    func loadAlert(_ fingerprint: Fingerprint, in db: SQLiteConnection) throws -> AlertRecord? {
        try db.query("SELECT * FROM alerts WHERE fingerprint = ?", [.text(fingerprint.rawValue)]).first.map(record)
    }

    public func firingAlert(labelled name: String, _ value: String) async throws -> AlertRecord? {
        try await read { db in
            try db.query(
                "SELECT * FROM alerts WHERE status = 'firing' AND json_extract(alert, ?) = ? ORDER BY last_seen_at DESC LIMIT 1",
                [.text("$.labels.\"\(name.replacingOccurrences(of: "\"", with: ""))\""), .text(value)]
            ).first.map(self.record)
        }
    }

    public func firing(among fingerprints: [Fingerprint]) async throws -> FiringAlerts {
        try await read { db in
            let count = try db.query("SELECT count(*) AS firing FROM alerts WHERE status = 'firing'").first?.column("firing")?.integer
            var among = Set<Fingerprint>()
            for chunk in stride(from: 0, to: fingerprints.count, by: 500) {
                let part = fingerprints[chunk..<min(chunk + 500, fingerprints.count)]
                let rows = try db.query(
                    """
                    SELECT fingerprint FROM alerts WHERE status = 'firing'
                    AND fingerprint IN (\(Array(repeating: "?", count: part.count).joined(separator: ", ")))
                    """,
                    part.map { .text($0.rawValue) })
                among.formUnion(rows.compactMap { $0.column("fingerprint")?.string.flatMap(Fingerprint.init) })
            }
            return FiringAlerts(count: count ?? 0, among: among)
        }
    }

    public func alerts(_ query: AlertQuery) async throws -> AlertPage {
        try await read { db in
            var conditions: [String] = []
            var binds: [SQLiteValue] = []
            if let status = query.status {
                conditions.append("status = ?")
                binds.append(.text(status.rawValue))
            }
            if let minScore = query.minScore {
                conditions.append("score >= ?")
                binds.append(.float(minScore))
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            binds += [.integer(query.limit + 1), .integer(query.offset)]
            let rows = try db.query(
                "SELECT * FROM alerts \(filter) ORDER BY score DESC, last_seen_at DESC, fingerprint LIMIT ? OFFSET ?", binds)
            let alerts = try rows.prefix(query.limit).map(self.record)
            return AlertPage(alerts: alerts, nextOffset: rows.count > query.limit ? query.offset + query.limit : nil)
        }
    }

    public func acknowledge(
        _ fingerprint: Fingerprint, by subject: String, at now: Date, policy: RatingPolicy
    ) async throws -> AlertRecord? {
        try await write { db in
            guard let current = try self.loadAlert(fingerprint, in: db) else { return nil }
            guard current.acknowledgedAt == nil else { return current }
            let notifiedAt = try self.firstNotification(of: current, in: db)
            guard let (record, latency) = current.acknowledged(by: subject, at: now, firstNotifiedAt: notifiedAt) else { return current }
            try self.save(record, in: db)
            if let latency {
                let group = record.alert.responseGroup
                let history = try self.history(group, in: db) ?? ResponseHistory(updatedAt: now)
                try self.saveHistory(group, history.recording(latency: latency, at: now, policy: policy), in: db)
            }
            return record
        }
    }

    public func resolve(_ fingerprint: Fingerprint, at now: Date, policy: RatingPolicy) async throws -> (AlertRecord, AlertEvent?)? {
        try await write { db in
            guard let current = try self.loadAlert(fingerprint, in: db) else { return nil }
            guard let resolved = current.resolved(at: now) else { return (current, nil) }
            try self.save(resolved, in: db)
            if current.missesResponse(becoming: resolved) {
                try self.recordMissedResponse(resolved.alert.responseGroup, at: now, policy: policy, in: db)
            }
            return (resolved, try self.appendEvent(resolved.alert, .resolved, resolved.rating, traceparent: nil, at: now, in: db))
        }
    }

    public func feedback(
        _ fingerprint: Fingerprint, _ kind: FeedbackKind, at now: Date, policy: RatingPolicy
    ) async throws -> FeedbackChange? {
        let (change, model) = try await write { db -> (FeedbackChange?, (ActionabilityModel, Int64)?) in
            guard let current = try self.loadAlert(fingerprint, in: db) else { return (nil, nil) }
            let change = current.withFeedback(kind, at: now)
            guard change.changesFeedback else { return (change, nil) }
            try self.save(change.record, in: db)
            let model = try self.correctLearnedOutcome(of: current, becoming: change.record, policy: policy, at: now, in: db)
            let source = current.alert.source
            let stats = try self.reliability(source, in: db) ?? SourceReliability(updatedAt: now)
            let next = change.applied(to: stats, at: now, halfLife: policy.historyHalfLife)
            _ = try db.query(
                """
                INSERT INTO source_reliability (source, actionable, noise, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (source) DO UPDATE SET actionable = excluded.actionable, noise = excluded.noise,
                updated_at = excluded.updated_at
                """,
                [.text(source), .float(next.actionable), .float(next.noise), next.updatedAt.sqlite])
            self.ratingInputsCache.invalidate()
            return (change, model)
        }
        if let (model, version) = model { models.keep(model, version: version) }
        return change
    }

    private func reliability(_ source: String, in db: SQLiteConnection) throws -> SourceReliability? {
        try db.query("SELECT actionable, noise, updated_at FROM source_reliability WHERE source = ?", [.text(source)]).first.map {
            SourceReliability(
                actionable: $0.column("actionable")?.double ?? 0, noise: $0.column("noise")?.double ?? 0,
                updatedAt: $0.column("updated_at")?.date ?? Date())
        }
    }

    func record(_ row: SQLiteRow) throws -> AlertRecord {
        try AlertRow(
            fingerprint: row.column("fingerprint")?.string, alert: row.column("alert")?.string, status: row.column("status")?.string,
            rating: row.column("rating")?.string, firstSeenAt: row.column("first_seen_at")?.date, lastSeenAt: row.column("last_seen_at")?.date,
            occurrences: row.column("occurrences")?.integer, acknowledgedAt: row.column("acknowledged_at")?.date,
            acknowledgedBy: row.column("acknowledged_by")?.string, feedback: row.column("feedback")?.string,
            feedbackAt: row.column("feedback_at")?.date
        ).record(of: tenant, decoder: decoder)
    }
}
