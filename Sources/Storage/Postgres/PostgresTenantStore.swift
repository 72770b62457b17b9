import AlertCore
import Foundation
import PostgresNIO

/// The sources and response groups one rating needs the inputs of.
struct RatingKeys: Sendable {
    let sources: Set<String>
    let groups: Set<String>
}

/// One tenant's store in its PostgreSQL schema. Every method runs in one transaction as
/// the tenant's role, with the tenant's schema as the only search path.
struct PostgresTenantStore: TenantStore {
    let tenant: TenantID
    let namespace: PostgresNamespace
    let provider: PostgresStoreProvider
    let models = RatingModelCache()
    /// The group commit of `record`.
    let recordings = GroupCommit<AlertArrivals, [AlertEvent]>()
    /// The batched reads of `ratingInputs`.
    let ratingReads = GroupCommit<RatingKeys, RatingInputs>()
    /// What `ratingInputs` read, for a second at most: other replicas change the same rows.
    let ratingInputsCache = RatingInputsCache(maxAge: Self.ratingInputsMaxAge)
    static let ratingInputsMaxAge = Duration.seconds(1)

    static let alertColumns = """
        fingerprint, alert::text, status, rating::text, first_seen_at, last_seen_at, occurrences,
        acknowledged_at, acknowledged_by, feedback, feedback_at
        """

    /// Runs `body` in one transaction (`RatingInputsCache.write`).
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await ratingInputsCache.write { try await provider.transaction(namespace, body) }
    }

    /// Runs `body` in one transaction whose last statements go out with the commit
    /// (`PostgresStoreProvider.transaction(_:sending:)`, `RatingInputsCache.write`).
    func transaction<T: Sendable>(
        sending body: @escaping @Sendable (PostgresConnection) async throws -> @Sendable () async throws -> T
    ) async throws -> T {
        try await ratingInputsCache.write { try await provider.transaction(namespace, sending: body) }
    }

    var logger: Logger { provider.logger }

    func ping() async throws {
        _ = try await transaction { connection in
            try await connection.query("SELECT 1 FROM schema_migrations LIMIT 1", logger: logger)
        }
    }

    /// The copies of `ratingInputsCache` with the model this replica holds, when they are
    /// younger than a second (each read that copied them checked the model's version too);
    /// otherwise reads them in the tenant's next batch of reads (`ratingReads`): calls that
    /// arrive together share one transaction, which reads the union of their sources and groups.
    func ratingInputs(sources: Set<String>, groups: Set<String>) async throws -> RatingInputs {
        if case .some(let model) = models.model(), let copied = ratingInputsCache.inputs(sources: sources, groups: groups, model: model) {
            return copied
        }
        let generation = ratingInputsCache.generation
        let store = self
        let inputs = try await ratingReads.submit(RatingKeys(sources: sources, groups: groups)) { calls in
            let inputs = try await store.readRatingInputs(
                sources: calls.reduce(into: Set()) { $0.formUnion($1.sources) }, groups: calls.reduce(into: Set()) { $0.formUnion($1.groups) })
            return Array(repeating: inputs, count: calls.count)
        }
        ratingInputsCache.keep(inputs, sources: sources, groups: groups, readAt: generation)
        return inputs
    }

    /// The rating inputs of `sources` and `groups`, in one transaction.
    func readRatingInputs(sources: Set<String>, groups: Set<String>) async throws -> RatingInputs {
        try await transaction { connection in
            var inputs = RatingInputs(model: try await currentModel(on: connection))
            let sourceRows = try await connection.query(
                "SELECT source, actionable, noise, updated_at FROM source_reliability WHERE source = ANY(\(Array(sources)))",
                logger: logger)
            for try await (source, actionable, noise, updatedAt) in sourceRows.decode((String, Double, Double, Date).self) {
                inputs.reliability[source] = SourceReliability(actionable: actionable, noise: noise, updatedAt: updatedAt)
            }
            let groupRows = try await connection.query(
                """
                SELECT response_group, weight, total, latency_seconds, missed, updated_at FROM response_history
                WHERE response_group = ANY(\(Array(groups)))
                """,
                logger: logger)
            for try await (group, weight, total, latency, missed, updatedAt) in groupRows.decode(
                (String, Double, Double, Double, Double, Date).self)
            {
                inputs.history[group] = ResponseHistory(
                    weight: weight, total: total, latencySeconds: latency, missed: missed, updatedAt: updatedAt)
            }
            return inputs
        }
    }

    /// Records `alerts` in the tenant's next group commit (`recordings`) with every call
    /// waiting for it; returns once that transaction committed.
    func record(_ alerts: [RatedAlert], at now: Date, policy: RatingPolicy) async throws -> [AlertEvent] {
        let store = self
        let events = try await recordings.submit(AlertArrivals(alerts: alerts, now: now, policy: policy)) { calls in
            try await store.record(calls)
        }
        models.observe(alerts.filter { $0.status == .firing }.map(\.alert), at: now)
        return events
    }

    func alert(_ fingerprint: Fingerprint) async throws -> AlertRecord? {
        try await transaction { connection in try await loadAlert(fingerprint, on: connection, locking: false) }
    }

    func alerts(_ query: AlertQuery) async throws -> AlertPage {
        try await transaction { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.alertColumns) FROM alerts
                WHERE (\(query.status?.rawValue)::text IS NULL OR status = \(query.status?.rawValue))
                  AND (\(query.minScore)::double precision IS NULL OR score >= \(query.minScore))
                ORDER BY score DESC, last_seen_at DESC, fingerprint
                LIMIT \(query.limit + 1) OFFSET \(query.offset)
                """,
                logger: logger)
            let records = try await decodeAlerts(rows)
            return AlertPage(
                alerts: Array(records.prefix(query.limit)), nextOffset: records.count > query.limit ? query.offset + query.limit : nil)
        }
    }

    func firingAlert(labelled name: String, _ value: String) async throws -> AlertRecord? {
        try await transaction { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.alertColumns) FROM alerts
                WHERE status = 'firing' AND alert->'labels'->>\(name) = \(value)
                ORDER BY last_seen_at DESC LIMIT 1
                """,
                logger: logger)
            return try await decodeAlerts(rows).first
        }
    }

    func firing(among fingerprints: [Fingerprint]) async throws -> FiringAlerts {
        try await transaction { connection in
            var count = 0
            for try await total in try await connection.query("SELECT count(*) FROM alerts WHERE status = 'firing'", logger: logger)
                .decode(Int.self)
            {
                count = total
            }
            var among = Set<Fingerprint>()
            let rows = try await connection.query(
                "SELECT fingerprint FROM alerts WHERE status = 'firing' AND fingerprint = ANY(\(fingerprints.map(\.rawValue)))",
                logger: logger)
            for try await text in rows.decode(String.self) {
                if let fingerprint = Fingerprint(text) { among.insert(fingerprint) }
            }
            return FiringAlerts(count: count, among: among)
        }
    }

    func acknowledge(_ fingerprint: Fingerprint, by subject: String, at now: Date, policy: RatingPolicy) async throws -> AlertRecord? {
        try await transaction { connection in
            guard let current = try await loadAlert(fingerprint, on: connection, locking: true) else { return nil }
            guard current.acknowledgedAt == nil else { return current }
            let notifiedAt = try await firstNotification(of: current, on: connection)
            guard let (record, latency) = current.acknowledged(by: subject, at: now, firstNotifiedAt: notifiedAt) else { return current }
            try await save([record], on: connection)
            if let latency {
                let group = record.alert.responseGroup
                let history = try await lockHistory(group, at: now, on: connection)
                try await saveHistory(group, history.recording(latency: latency, at: now, policy: policy), on: connection)
            }
            return record
        }
    }

    func resolve(_ fingerprint: Fingerprint, at now: Date, policy: RatingPolicy) async throws -> (AlertRecord, AlertEvent?)? {
        try await transaction { connection in
            guard let current = try await loadAlert(fingerprint, on: connection, locking: true) else { return nil }
            guard let resolved = current.resolved(at: now) else { return (current, nil) }
            try await save([resolved], on: connection)
            if current.missesResponse(becoming: resolved) {
                try await recordMissedResponse(resolved.alert.responseGroup, at: now, policy: policy, on: connection)
            }
            return (resolved, try await appendEvent(resolved, traceparent: nil, at: now, on: connection))
        }
    }

    func feedback(_ fingerprint: Fingerprint, _ kind: FeedbackKind, at now: Date, policy: RatingPolicy) async throws -> FeedbackChange? {
        let (change, model) = try await transaction { connection -> (FeedbackChange?, (ActionabilityModel, Int64)?) in
            guard let current = try await loadAlert(fingerprint, on: connection, locking: true) else { return (nil, nil) }
            let change = current.withFeedback(kind, at: now)
            guard change.changesFeedback else { return (change, nil) }
            try await save([change.record], on: connection)
            let model = try await correctLearnedOutcome(of: current, becoming: change.record, policy: policy, at: now, on: connection)
            let source = current.alert.source
            var stats = SourceReliability(updatedAt: now)
            let rows = try await connection.query(
                "SELECT actionable, noise, updated_at FROM source_reliability WHERE source = \(source) FOR UPDATE", logger: logger)
            for try await (actionable, noise, updatedAt) in rows.decode((Double, Double, Date).self) {
                stats = SourceReliability(actionable: actionable, noise: noise, updatedAt: updatedAt)
            }
            let next = change.applied(to: stats, at: now, halfLife: policy.historyHalfLife)
            try await connection.query(
                """
                INSERT INTO source_reliability (source, actionable, noise, updated_at)
                VALUES (\(source), \(next.actionable), \(next.noise), \(next.updatedAt))
                ON CONFLICT (source) DO UPDATE SET actionable = excluded.actionable, noise = excluded.noise,
                    updated_at = excluded.updated_at
                """,
                logger: logger)
            ratingInputsCache.invalidate()
            return (change, model)
        }
        if let (model, version) = model { models.keep(model, version: version) }
        return change
    }

    // MARK: - Rows

    func loadAlert(_ fingerprint: Fingerprint, on connection: PostgresConnection, locking: Bool) async throws -> AlertRecord? {
        let rows =
            locking
            ? try await connection.query(
                "SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE fingerprint = \(fingerprint.rawValue) FOR UPDATE", logger: logger)
            : try await connection.query(
                "SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE fingerprint = \(fingerprint.rawValue)", logger: logger)
        return try await decodeAlerts(rows).first
    }

    func decodeAlerts(_ rows: PostgresRowSequence) async throws -> [AlertRecord] {
        var records: [AlertRecord] = []
        let decoder = JSONDecoder()
        for try await (
            fingerprint, alert, status, rating, firstSeen, lastSeen, occurrences, acknowledgedAt, acknowledgedBy, feedback, feedbackAt
        ) in rows.decode((String, String, String, String, Date, Date, Int, Date?, String?, String?, Date?).self) {
            records.append(
                try AlertRow(
                    fingerprint: fingerprint, alert: alert, status: status, rating: rating, firstSeenAt: firstSeen, lastSeenAt: lastSeen,
                    occurrences: occurrences, acknowledgedAt: acknowledgedAt, acknowledgedBy: acknowledgedBy, feedback: feedback,
                    feedbackAt: feedbackAt
                ).record(of: tenant, decoder: decoder))
        }
        return records
    }

    func appendEvent(_ record: AlertRecord, traceparent: String?, at now: Date, on connection: PostgresConnection) async throws -> AlertEvent {
        guard let event = try await appendEvents([(record, traceparent, now)], on: connection).first else {
            throw StoreError(.corruptRow, "no event id returned")
        }
        return event
    }
}
