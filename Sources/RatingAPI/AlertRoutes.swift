import AlertCore
import Foundation
import HTTPCore
import Hummingbird
import Logging
import NIOCore
import Observability
import Tracing

/// The alert API of one process: ingest, rate, read, acknowledge / resolve / feedback,
/// silences, and the dead-letter queue of notifications.
/// Every handler works on the tenant of the caller's verified identity only.
public struct AlertRoutes: Sendable {
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let bus: any AlertBus
    let intake: any AlertIntake
    let limiter: IngestLimiter
    let activeAlerts = ActiveAlertEstimate()
    let metrics: AlertdMetrics
    let audit: AuditLog?
    /// The time alerts are received and acted on at.
    let now: @Sendable () -> Date
    /// Tells this process's delivery worker that a tenant has a notification due now.
    let deliveriesDue: @Sendable (TenantID) -> Void
    let logger = Logger(label: "alertd.api")

    /// `intake` takes ingested alerts (by default: the tenant's ledger, then `bus`); `bus`
    /// carries the events of alerts resolved through the API; `audit` records operators'
    /// feedback with what it replaced; `deliveriesDue` hears of replayed notifications.
    public init(
        catalog: TenantCatalog, stores: any TenantStoreProvider, bus: any AlertBus, intake: (any AlertIntake)? = nil,
        limiter: IngestLimiter = IngestLimiter(), metrics: AlertdMetrics = AlertdMetrics(), audit: AuditLog? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, deliveriesDue: @escaping @Sendable (TenantID) -> Void = { _ in }
    ) {
        self.catalog = catalog
        self.stores = stores
        self.bus = bus
        self.intake = intake ?? LedgerIntake(stores: stores, bus: bus)
        self.limiter = limiter
        self.metrics = metrics
        self.audit = audit
        self.now = now
        self.deliveriesDue = deliveriesDue
    }

    public func register(on group: RouterGroup<AlertdRequestContext>) {
        group.post(RouterPath(IngestEndpoint.alerts.route), use: ingest)
        group.post(RouterPath(IngestEndpoint.rate.route), use: rate)
        group.get("alerts", use: list)
        group.get("alerts/:fingerprint", use: show)
        group.post("alerts/:fingerprint/ack", use: acknowledge)
        group.post("alerts/:fingerprint/resolve", use: resolve)
        group.post("alerts/:fingerprint/feedback", use: feedback)
        group.get("tenant/usage", use: usage)
        group.get("rating/model", use: ratingModel)
        group.get("deliveries", use: listDeliveries)
        group.post("deliveries/:id/replay", use: replayDelivery)
        group.post("silences", use: createSilence)
        group.get("silences", use: listSilences)
        group.get("silences/:id", use: showSilence)
        group.delete("silences/:id", use: expireSilence)
    }

    /// Registers the ingest endpoints other tools speak: `POST /api/v2/alerts` (Prometheus) on
    /// `apiV2`, `POST /v1/ingest/alertmanager` (Alertmanager's webhook) on `v1`, and
    /// `POST /v2/enqueue` (PagerDuty's Events API v2) on `v2`.
    public func registerCompatibleIngest(
        apiV2: RouterGroup<AlertdRequestContext>, v1: RouterGroup<AlertdRequestContext>, v2: RouterGroup<AlertdRequestContext>
    ) {
        v2.post(RouterPath(IngestEndpoint.pagerDuty.route), use: enqueue)
        apiV2.post(RouterPath(IngestEndpoint.prometheus.route)) { request, context in
            try await self.ingest(request, context: context, format: .prometheus, status: .ok)
        }
        v1.post(RouterPath(IngestEndpoint.alertmanagerWebhook.route)) { request, context in
            try await self.ingest(request, context: context, format: .alertmanagerWebhook, status: .accepted)
        }
    }

    @Sendable func ingest(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        try await ingest(request, context: context, format: .native, status: .accepted)
    }

    /// The ingest path of the alert formats: decode, quota, rate, hand to the intake, answer
    /// with the ratings.
    func ingest(
        _ request: Request, context: AlertdRequestContext, format: IngestFormat, status: HTTPResponse.Status
    ) async throws -> IngestAnswer {
        let identity = try context.require(anyOf: Scope.alertsWrite)
        let config = try tenant(identity)
        let body = try await ingestBody(request, config: config)
        let alerts = try decode(body, config: config, format: format)
        let rated = try await accept(alerts, identity: identity, config: config, request: request, context: context)
        return IngestAnswer(status: status, alerts: rated)
    }

    /// An ingest request's body, once the tenant's rate admits a request at all; a body over
    /// `quotas.maxBodyBytes` is answered 413 and counted.
    func ingestBody(_ request: Request, config: TenantConfig) async throws -> Data {
        if let refusal = limiter.refuseEarly(tenant: config.id, quotas: config.quotas) {
            throw refuse(refusal, tenant: config)
        }
        var request = request
        do {
            return Data(buffer: try await collect(&request, limit: config.quotas.maxBodyBytes))
        } catch let problem as Problem where problem.status == .contentTooLarge {
            metrics.recordQuotaRejection(tenant: config.id.rawValue, quota: "maxBodyBytes")
            throw problem
        }
    }

    /// What every ingest format shares once its alerts are decoded: the active-alert and rate
    /// quotas, rating, and the hand-off to the intake, after which the alerts are durable.
    func accept(
        _ alerts: [Alert], identity: TenantIdentity, config: TenantConfig, request: Request, context: AlertdRequestContext
    ) async throws -> [RatedAlert] {
        let now = self.now()
        try await admitActive(alerts, identity: identity, tenant: config, at: now)
        if let refusal = limiter.admit(alerts.count, tenant: identity.tenant, quotas: config.quotas) {
            throw refuse(refusal, tenant: config)
        }
        let traceparent = TraceParent.current(orCarried: request.headers.first { $0.name.canonicalName == "traceparent" }?.value)
        let rated = try await rate(alerts, config: config, store: try await store(identity), at: now).map {
            var alert = $0
            alert.traceparent = traceparent
            return alert
        }
        let writeStarted = ContinuousClock.now
        defer {
            limiter.observe(writeLatency: ContinuousClock.now - writeStarted)
            metrics.recordAdmissionShare(limiter.admissionShare())
        }
        do {
            try await withSpan("alert.accept") { span in
                span.attributes["alertd.tenant"] = identity.tenant.rawValue
                span.attributes["alertd.alerts"] = rated.count
                try await intake.accept(rated, tenant: identity.tenant, at: now, policy: config.rating)
            }
        } catch {
            context.logger.error("accepting alerts failed", metadata: ["tenant": "\(identity.tenant)", "error": "\(error)"])
            throw Problem.unavailable("the alerts could not be made durable; nothing was accepted, retry later")
        }
        metrics.recordIngested(tenant: identity.tenant.rawValue, scores: rated.map(\.rating.score))
        return rated
    }

    /// The 429 for a refused ingest, counted by the quota that refused it.
    func refuse(_ refusal: IngestLimiter.Refusal, tenant config: TenantConfig) -> Problem {
        metrics.recordQuotaRejection(tenant: config.id.rawValue, quota: refusal.overloaded ? "overload" : "ingestPerSecond")
        let share = limiter.admissionShare()
        let overload =
            refusal.overloaded
            ? "; alertd is overloaded and admits \(Int((share * 100).rounded()))% of every tenant's quota until it recovers" : ""
        return Problem(
            status: .tooManyRequests, title: "Quota exceeded",
            detail: "quota ingestPerSecond: tenant \(config.id) may send \(config.quotas.ingestPerSecond.compactText) alerts per second (bursts of \(config.quotas.ingestBurst))\(overload); nothing was accepted",
            retryAfter: refusal.retryAfter)
    }

    /// Refuses a request that would leave more than `quotas.maxActiveAlerts` alerts firing. A
    /// request that does not add to the firing alerts (repeats, resolutions) always passes, so
    /// a tenant over its quota can still resolve. A tenant far below its quota is not counted
    /// again on every request (`ActiveAlertEstimate`): when its count is too old, the requests
    /// arriving meanwhile share one new count, and only a request the estimate still cannot
    /// admit reads which of its own alerts already fire.
    func admitActive(_ alerts: [Alert], identity: TenantIdentity, tenant config: TenantConfig, at now: Date) async throws {
        let limit = config.quotas.maxActiveAlerts
        if activeAlerts.admits(alerts.count, limit: limit, tenant: config.id) { return }
        try await activeAlerts.recount(config.id) {
            try await readStore(identity) { try await $0.firing(among: []).count }
        }
        if activeAlerts.admits(alerts.count, limit: limit, tenant: config.id) { return }
        let firing = try await readStore(identity) {
            try await $0.firing(among: alerts.map(\.fingerprint))
        }
        let after = firing.after(alerts, at: now)
        guard after > limit, after > firing.count else {
            activeAlerts.record(after, tenant: config.id)
            return
        }
        activeAlerts.record(firing.count, tenant: config.id)
        metrics.recordQuotaRejection(tenant: config.id.rawValue, quota: "maxActiveAlerts")
        throw Problem(
            status: .tooManyRequests, title: "Quota exceeded",
            detail: "quota maxActiveAlerts: tenant \(config.id) may have \(limit) firing alerts; \(firing.count) are firing and this request would make \(after); nothing was accepted",
            retryAfter: Self.activeAlertsRetryAfter)
    }

    /// When a producer refused by `maxActiveAlerts` may try again: alerts resolve on their own
    /// time, so this is a polite pause rather than a promise.
    static let activeAlertsRetryAfter = 60

    @Sendable func rate(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsWrite, Scope.alertsRead)
        let config = try tenant(identity)
        var request = request
        let alerts = try decode(Data(buffer: try await collect(&request, limit: config.quotas.maxBodyBytes)), config: config)
        let rated = try await rate(alerts, config: config, store: try await store(identity), at: now(), explaining: true)
        return JSONBody(value: RatingList(alerts: rated.map { RatingView($0, explain: true) }))
    }

    @Sendable func list(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsRead)
        let parameters = request.uri.queryParameters
        var query = AlertQuery()
        if let status = parameters["status"] {
            guard let parsed = AlertStatus(rawValue: String(status)) else {
                throw Problem.badRequest("status must be firing or resolved", field: "status")
            }
            query.status = parsed
        }
        if let text = parameters["min_score"] {
            guard let score = Double(String(text)), (0...1).contains(score) else {
                throw Problem.badRequest("min_score must be a number between 0 and 1", field: "min_score")
            }
            query.minScore = score
        }
        if let text = parameters["limit"] {
            guard let limit = Int(String(text)), (1...500).contains(limit) else {
                throw Problem.badRequest("limit must be a whole number between 1 and 500", field: "limit")
            }
            query.limit = limit
        }
        if let text = parameters["offset"] {
            guard let offset = Int(String(text)), offset >= 0 else {
                throw Problem.badRequest("offset must be a whole number of at least 0", field: "offset")
            }
            query.offset = offset
        }
        let page = try await readStore(identity) { try await $0.alerts(query) }
        return JSONBody(value: AlertList(alerts: page.alerts.map { AlertView($0) }, nextOffset: page.nextOffset))
    }

    @Sendable func show(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsRead)
        let fingerprint = try fingerprint(context)
        let (record, deliveries) = try await readStore(identity) { store in
            (try await store.alert(fingerprint), try await store.deliveries(fingerprint))
        }
        guard let record else { throw Problem.notFound("no alert with fingerprint \(fingerprint)") }
        return JSONBody(value: AlertView(record, deliveries: deliveries))
    }

    @Sendable func acknowledge(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsAck)
        return JSONBody(value: AlertView(try await acknowledge(try fingerprint(context), as: identity)))
    }

    @Sendable func resolve(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsAck)
        return JSONBody(value: AlertView(try await resolve(try fingerprint(context), as: identity, logger: context.logger)))
    }

    @Sendable func feedback(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsAck)
        let fingerprint = try fingerprint(context)
        var request = request
        let body = try await collect(&request, limit: 4_096)
        let kind: FeedbackKind
        switch try? JSONValue.parse(Data(buffer: body)) {
        case .object(let object)?:
            guard let text = object["kind"]?.stringValue, let parsed = FeedbackKind(rawValue: text) else {
                throw Self.invalidFeedback
            }
            kind = parsed
        default:
            throw Problem(
                status: .unprocessableContent, title: "Invalid feedback", detail: "the body must be {\"kind\": \"actionable\" | \"noise\"}")
        }
        return JSONBody(value: AlertView(try await feedback(fingerprint, kind, as: identity)))
    }

    static let invalidFeedback = Problem(
        status: .unprocessableContent, title: "Invalid feedback", detail: "kind must be actionable or noise", field: "kind")

    // MARK: - Operator actions, shared by the API and the console

    /// Acknowledges the tenant's alert as the caller; 404 when there is no such alert.
    func acknowledge(_ fingerprint: Fingerprint, as identity: TenantIdentity) async throws -> AlertRecord {
        let config = try tenant(identity)
        let record = try await readStore(identity) {
            try await $0.acknowledge(fingerprint, by: identity.subject, at: now(), policy: config.rating)
        }
        guard let record else { throw Problem.notFound("no alert with fingerprint \(fingerprint)") }
        return record
    }

    /// Resolves the tenant's alert and hands the resolution to the router; 404 when there is
    /// no such alert.
    func resolve(_ fingerprint: Fingerprint, as identity: TenantIdentity, logger: Logger) async throws -> AlertRecord {
        let config = try tenant(identity)
        let result = try await readStore(identity) { try await $0.resolve(fingerprint, at: now(), policy: config.rating) }
        guard let (record, event) = result else { throw Problem.notFound("no alert with fingerprint \(fingerprint)") }
        if let event {
            do {
                try await bus.publish([event])
            } catch {
                logger.warning("publishing failed; the ledger sweep routes the event", metadata: ["error": "\(error)"])
            }
        }
        return record
    }

    /// Records the caller's feedback on the tenant's alert and audits what it replaced; 404
    /// when there is no such alert.
    func feedback(_ fingerprint: Fingerprint, _ kind: FeedbackKind, as identity: TenantIdentity) async throws -> AlertRecord {
        let config = try tenant(identity)
        let change = try await readStore(identity) { try await $0.feedback(fingerprint, kind, at: now(), policy: config.rating) }
        guard let change else { throw Problem.notFound("no alert with fingerprint \(fingerprint)") }
        let outcome =
            switch change.previous {
            case nil: "\(kind.rawValue)"
            case kind: "\(kind.rawValue), unchanged"
            case let previous?: "\(kind.rawValue), replacing \(previous.rawValue)"
            }
        audit?.record(
            tenant: identity.tenant.rawValue, subject: identity.subject, action: "feedback on alert \(fingerprint)", outcome: outcome)
        return change.record
    }

    // MARK: - Shared steps

    func tenant(_ identity: TenantIdentity) throws -> TenantConfig {
        guard let config = catalog[identity.tenant] else { throw Problem.forbidden("tenant \(identity.tenant) is not served here") }
        return config
    }

    func store(_ identity: TenantIdentity) async throws -> any TenantStore {
        do {
            return try await stores.store(for: identity.tenant)
        } catch {
            logger.error("opening the tenant's store failed", metadata: ["tenant": "\(identity.tenant)", "error": "\(error)"])
            throw Problem.unavailable("the tenant's store is unavailable")
        }
    }

    func readStore<T>(_ identity: TenantIdentity, _ body: (any TenantStore) async throws -> T) async throws -> T {
        let store = try await store(identity)
        do {
            return try await body(store)
        } catch {
            logger.error("reading the tenant's store failed", metadata: ["tenant": "\(identity.tenant)", "error": "\(error)"])
            throw Problem.unavailable("the tenant's store is unavailable")
        }
    }

    func fingerprint(_ context: AlertdRequestContext) throws -> Fingerprint {
        guard let text = context.parameters.get("fingerprint"), let fingerprint = Fingerprint(text) else {
            throw Problem.notFound("fingerprints are 16 hexadecimal digits")
        }
        return fingerprint
    }

    func collect(_ request: inout Request, limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Problem(status: .contentTooLarge, title: "Body too large", detail: "the body exceeds \(limit) bytes")
        }
    }

    private func decode(_ body: Data, config: TenantConfig, format: IngestFormat = .native) throws -> [Alert] {
        let batch = config.quotas.maxBatchSize
        do {
            switch format {
            case .native: return try NativeAlertDecoder(maxBatchSize: batch).decode(body, receivedAt: now())
            case .prometheus: return try AlertmanagerAlertDecoder(format: .prometheus, maxBatchSize: batch).decode(body, receivedAt: now())
            case .alertmanagerWebhook:
                return try AlertmanagerAlertDecoder(format: .webhook, maxBatchSize: batch).decode(body, receivedAt: now())
            }
        } catch {
            throw Problem(
                status: .unprocessableContent, title: "Invalid alert",
                detail: error.path.isEmpty ? error.reason : "\(error.path) \(error.reason)", field: error.path)
        }
    }

    private func rate(
        _ alerts: [Alert], config: TenantConfig, store: any TenantStore, at now: Date, explaining: Bool = false
    ) async throws -> [RatedAlert] {
        try await withSpan("alert.rate") { span in
            span.attributes["alertd.tenant"] = config.id.rawValue
            span.attributes["alertd.alerts"] = alerts.count
            do {
                return try await store.rate(alerts, policy: config.rating, at: now, explaining: explaining)
            } catch {
                logger.error("reading rating history failed", metadata: ["tenant": "\(config.id)", "error": "\(error)"])
                throw Problem.unavailable("the tenant's rating history is unavailable")
            }
        }
    }
}

/// The bodies ingest understands.
enum IngestFormat {
    case native
    case prometheus
    case alertmanagerWebhook
}
