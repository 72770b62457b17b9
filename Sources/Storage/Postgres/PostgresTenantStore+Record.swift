import AlertCore
import Foundation
import PostgresNIO

/// One call of `record`: its alerts, with the time and policy they arrived under.
struct AlertArrivals: Sendable {
    let alerts: [RatedAlert]
    let now: Date
    let policy: RatingPolicy
}

extension PostgresTenantStore {
    /// Records the alerts of several `record` calls in one transaction of a fixed number of
    /// round trips, whatever their number: the stored heads of every fingerprint at once (rows
    /// locked in fingerprint order), then the calls in their order as if each ran alone, then
    /// one statement for the upserts, one for the alerts only seen again, one for the ledger
    /// events, sent together with the commit; returns each call's events.
    func record(_ calls: [AlertArrivals]) async throws -> [[AlertEvent]] {
        try await transaction(sending: { connection in
            var heads = try await loadHeads(Set(calls.flatMap { $0.alerts.map(\.alert.fingerprint) }), on: connection)
            var stored: [Fingerprint: AlertRecord] = [:]
            var seen: [Fingerprint: Date] = [:]
            var missed: [(group: String, at: Date, policy: RatingPolicy)] = []
            var notices: [(call: Int, record: AlertRecord, traceparent: String?, at: Date)] = []
            for (index, call) in calls.enumerated() {
                for rated in call.alerts {
                    let fingerprint = rated.alert.fingerprint
                    let head = heads[fingerprint]
                    switch AlertRecord.arrival(of: rated, over: head, at: call.now) {
                    case .seen(let at):
                        heads[fingerprint]?.lastSeenAt = at
                        if stored[fingerprint] != nil {
                            stored[fingerprint]?.lastSeenAt = at
                        } else {
                            seen[fingerprint] = at
                        }
                    case .stored(let record, let notify):
                        heads[fingerprint] = record.head
                        stored[fingerprint] = record
                        seen[fingerprint] = nil
                        if let head, head.missesResponse(becoming: record) {
                            missed.append((record.alert.responseGroup, call.now, call.policy))
                        }
                        if notify { notices.append((index, record, rated.traceparent, call.now)) }
                    }
                }
            }
            // In group order, so that batches of replicas running at once lock the groups' rows in one order.
            for miss in missed.enumerated().sorted(by: { ($0.element.group, $0.offset) < ($1.element.group, $1.offset) }).map(\.element) {
                try await recordMissedResponse(miss.group, at: miss.at, policy: miss.policy, on: connection)
            }
            let saved = try saving(stored.values.sorted { $0.fingerprint.rawValue < $1.fingerprint.rawValue }, on: connection)
            let touched = touching(seen, on: connection)
            let appended = try appendingEvents(notices.map { ($0.record, $0.traceparent, $0.at) }, on: connection)
            let callOfNotice = notices.map(\.call)
            return {
                _ = try await saved?.get()
                _ = try await touched?.get()
                let events = try await appended()
                var answers = [[AlertEvent]](repeating: [], count: calls.count)
                for (call, event) in zip(callOfNotice, events) { answers[call].append(event) }
                return answers
            }
        })
    }

    /// The stored heads of `fingerprints`, their rows locked for the transaction in
    /// fingerprint order (so concurrent batches of replicas cannot deadlock on them).
    func loadHeads(_ fingerprints: Set<Fingerprint>, on connection: PostgresConnection) async throws -> [Fingerprint: StoredAlertHead] {
        let rows = try await connection.query(
            """
            SELECT fingerprint, status, (alert->>'startsAt')::double precision, rating->>'priority', first_seen_at, last_seen_at,
                occurrences, acknowledged_at, acknowledged_by, feedback, feedback_at
            FROM alerts WHERE fingerprint = ANY(\(fingerprints.map(\.rawValue).sorted())) ORDER BY fingerprint FOR UPDATE
            """,
            logger: logger)
        var heads: [Fingerprint: StoredAlertHead] = [:]
        for try await (
            text, status, startsAt, priority, firstSeen, lastSeen, occurrences, acknowledgedAt, acknowledgedBy, feedback, feedbackAt
        ) in rows.decode((String, String, Double?, String?, Date, Date, Int, Date?, String?, String?, Date?).self) {
            guard let fingerprint = Fingerprint(text), let status = AlertStatus(rawValue: status), let startsAt,
                let priority = priority.flatMap(Priority.init(rawValue:))
            else {
                throw StoreError(.corruptRow, "the alert row \(text) of tenant \(tenant) is incomplete")
            }
            heads[fingerprint] = StoredAlertHead(
                status: status, startsAt: Date(timeIntervalSinceReferenceDate: startsAt), priority: priority, firstSeenAt: firstSeen,
                lastSeenAt: lastSeen, occurrences: occurrences, acknowledgedAt: acknowledgedAt, acknowledgedBy: acknowledgedBy,
                feedback: feedback.flatMap(FeedbackKind.init(rawValue:)), feedbackAt: feedbackAt)
        }
        return heads
    }

    /// Inserts or replaces `records` in one statement.
    func save(_ records: [AlertRecord], on connection: PostgresConnection) async throws {
        _ = try await saving(records, on: connection)?.get()
    }

    /// Sends the statement of `save` without waiting for its answer; nil when there is
    /// nothing to save.
    func saving(_ records: [AlertRecord], on connection: PostgresConnection) throws -> EventLoopFuture<PostgresQueryResult>? {
        guard !records.isEmpty else { return nil }
        var binds = PostgresBindings(capacity: records.count * 12)
        var rows: [String] = []
        rows.reserveCapacity(records.count)
        for record in records {
            let first = binds.count + 1
            binds.append(record.fingerprint.rawValue)
            binds.append(try StoredJSON.alert(record.alert))
            binds.append(record.status.rawValue)
            binds.append(record.rating.score)
            binds.append(try StoredJSON.rating(record.rating))
            binds.append(record.firstSeenAt)
            binds.append(record.lastSeenAt)
            binds.append(record.occurrences)
            binds.append(record.acknowledgedAt)
            binds.append(record.acknowledgedBy)
            binds.append(record.feedback?.rawValue)
            binds.append(record.feedbackAt)
            let places = (first..<first + 12).map { "$\($0)" }
            rows.append("(\(places[0]), \(places[1])::jsonb, \(places[2...3].joined(separator: ", ")), \(places[4])::jsonb, "
                + "\(places[5...].joined(separator: ", ")))")
        }
        return connection.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO alerts (fingerprint, alert, status, score, rating, first_seen_at, last_seen_at, occurrences,
                        acknowledged_at, acknowledged_by, feedback, feedback_at)
                    VALUES \(rows.joined(separator: ", "))
                    ON CONFLICT (fingerprint) DO UPDATE SET alert = excluded.alert, status = excluded.status, score = excluded.score,
                        rating = excluded.rating, first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at,
                        occurrences = excluded.occurrences, acknowledged_at = excluded.acknowledged_at,
                        acknowledged_by = excluded.acknowledged_by, feedback = excluded.feedback, feedback_at = excluded.feedback_at
                    """,
                binds: binds),
            logger: logger)
    }

    /// Sends the statement that moves `last_seen_at` of the alerts only seen again, without
    /// waiting for its answer; nil when there are none.
    func touching(_ seen: [Fingerprint: Date], on connection: PostgresConnection) -> EventLoopFuture<PostgresQueryResult>? {
        guard !seen.isEmpty else { return nil }
        let ordered = seen.sorted { $0.key.rawValue < $1.key.rawValue }
        return connection.query(
            """
            UPDATE alerts SET last_seen_at = seen.at
            FROM unnest(\(ordered.map(\.key.rawValue))::text[], \(ordered.map(\.value))::timestamptz[]) AS seen(fingerprint, at)
            WHERE alerts.fingerprint = seen.fingerprint
            """,
            logger: logger)
    }

    /// Appends a ledger event for each of `notices`, in their order, in one statement.
    func appendEvents(_ notices: [(record: AlertRecord, traceparent: String?, at: Date)], on connection: PostgresConnection)
        async throws -> [AlertEvent]
    {
        try await appendingEvents(notices, on: connection)()
    }

    /// Sends the statement of `appendEvents` without waiting for its answer; returns how to
    /// read the events from it.
    func appendingEvents(_ notices: [(record: AlertRecord, traceparent: String?, at: Date)], on connection: PostgresConnection)
        throws -> @Sendable () async throws -> [AlertEvent]
    {
        guard !notices.isEmpty else { return { [] } }
        var binds = PostgresBindings(capacity: notices.count * 3)
        var rows: [String] = []
        for notice in notices {
            let event = EventPayload(
                alert: notice.record.alert, status: notice.record.status, rating: notice.record.rating, traceparent: notice.traceparent)
            let first = binds.count + 1
            binds.append(notice.record.fingerprint.rawValue)
            binds.append(try StoredJSON.event(event))
            binds.append(notice.at)
            rows.append("($\(first), $\(first + 1)::jsonb, $\(first + 2))")
        }
        let inserted = connection.query(
            PostgresQuery(
                unsafeSQL: "INSERT INTO events (fingerprint, payload, recorded_at) VALUES \(rows.joined(separator: ", ")) RETURNING id",
                binds: binds),
            logger: logger)
        let tenant = tenant
        return {
            // The ids come from the events' sequence, drawn in the order of the rows.
            let ids = try await inserted.get().map { try $0.decode(Int64.self) }
            guard ids.count == notices.count else {
                throw StoreError(.corruptRow, "\(ids.count) event ids returned for \(notices.count) events")
            }
            return zip(notices, ids.sorted()).map { notice, id in
                AlertEvent(
                    tenant: tenant, id: id, fingerprint: notice.record.fingerprint, alert: notice.record.alert, status: notice.record.status,
                    rating: notice.record.rating, recordedAt: notice.at, traceparent: notice.traceparent)
            }
        }
    }
}
