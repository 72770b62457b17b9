import AlertCore
import Foundation
import HTTPCore
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

extension ConsoleRoutes {
    @Sendable func alertsPage(_ request: Request, context: AlertdRequestContext) async throws -> ConsolePage<AlertsContent> {
        let identity = try context.require(anyOf: Scope.alertsRead)
        let config = try alerts.tenant(identity)
        let filter: ConsoleAlertFilter
        do {
            filter = try ConsoleAlertFilter(request.consoleQueryForm)
        } catch {
            let fallback = ConsoleAlertFilter()
            return try page(
                "alerts", title: "Alerts", section: .alerts, context: context,
                content: AlertsContent(filter: fallback, listing: ConsoleAlertListing(rows: [], total: 0, sources: []), formText: filterTextFields(request)),
                error: error.detail, status: error.status)
        }
        let listing = try await listing(filter, identity: identity, config: config)
        return try page("alerts", title: "Alerts", section: .alerts, context: context, content: AlertsContent(filter: filter, listing: listing))
    }

    /// `GET /ui/alerts/events?<the list's query>`: server-sent events. Whenever the rows of the
    /// list change, a `rows` event carries them, rendered; `signed-out` when the session ends.
    /// An unchanged tenant costs one small query per check (the listing cache).
    /// A stream ends after five minutes (the browser reconnects) or when alertd shuts down.
    @Sendable func alertEvents(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        let session = try session(context)
        let identity = try context.require(anyOf: Scope.alertsRead)
        let config = try alerts.tenant(identity)
        let filter = try ConsoleAlertFilter(request.consoleQueryForm)
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-store"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                var last = ""
                let end = ContinuousClock.now + .seconds(300)
                while ContinuousClock.now < end {
                    guard sessions.session(session.id, at: alerts.now()) != nil else {
                        try await writer.write(ByteBuffer(string: "event: signed-out\ndata: {}\n\n"))
                        break
                    }
                    if let payload = try? await rowsEvent(filter, identity: identity, config: config), payload != last {
                        try await writer.write(ByteBuffer(string: "event: rows\ndata: \(payload)\n\n"))
                        last = payload
                    }
                    do {
                        try await cancelWhenGracefulShutdown { try await Task.sleep(for: liveInterval) }
                    } catch {
                        break
                    }
                }
                try await writer.finish(nil)
            })
    }

    /// The `rows` event's data: the rendered rows and the count, as one line of JSON.
    func rowsEvent(_ filter: ConsoleAlertFilter, identity: TenantIdentity, config: TenantConfig) async throws -> String {
        let listing = try await listing(filter, identity: identity, config: config)
        let rows = renderer.render(AlertsContent(filter: filter, listing: listing), template: "alert-rows")
        let data = try JSONEncoder().encode(["rows": rows, "count": listing.countText])
        return String(decoding: data, as: UTF8.self)
    }

    /// The alerts `filter` admits, highest score first, on its page.
    func listing(_ filter: ConsoleAlertFilter, identity: TenantIdentity, config: TenantConfig) async throws -> ConsoleAlertListing {
        let now = alerts.now()
        let (records, mutes) = try await alertsAndMutes(filter.status, identity: identity, config: config)
        var matching: [(AlertRecord, MuteStatus)] = []
        for record in records {
            let status = mutes?.status(of: record) ?? MuteStatus()
            if filter.admits(record, mutes: status) { matching.append((record, status)) }
        }
        let start = (filter.page - 1) * ConsoleAlertFilter.pageSize
        let rows = matching.dropFirst(start).prefix(ConsoleAlertFilter.pageSize).map { ConsoleAlertRow($0.0, mutes: $0.1, now: now) }
        return ConsoleAlertListing(rows: Array(rows), total: matching.count, sources: Array(Set(records.map(\.alert.source))).sorted())
    }

    /// The tenant's alerts with `status`, highest score first, and what mutes the firing ones:
    /// read from the store, or from the listing cache when the store's change mark has not
    /// moved since.
    func alertsAndMutes(_ status: AlertStatus, identity: TenantIdentity, config: TenantConfig) async throws -> ([AlertRecord], MuteRules?) {
        let mark = try await alerts.readStore(identity) { try await $0.changeMark(of: status, at: alerts.now()) }
        // A reloaded tenant with other inhibit rules mutes differently: its listing is another.
        let key = "\(identity.tenant.rawValue)/\(status.rawValue)/\(String(describing: config.inhibitRules).hashValue)"
        if let listing = listings.listing(key, mark: mark) { return (listing.records, listing.mutes) }
        let listing: ConsoleListingCache.Listing
        if status == .firing {
            let view = try await alerts.firingAlerts(identity, config: config)
            listing = ConsoleListingCache.Listing(mark: mark, records: view.alerts, mutes: view.mutes)
        } else {
            let records = try await alerts.readStore(identity) {
                try await AlertRoutes.allAlerts(in: $0, status: .resolved, limit: ConsoleAlertFilter.resolvedScanLimit)
            }
            listing = ConsoleListingCache.Listing(mark: mark, records: records, mutes: nil)
        }
        listings.keep(listing, as: key)
        return (listing.records, listing.mutes)
    }

    /// The filter's fields as typed, for a form whose query did not parse.
    func filterTextFields(_ request: Request) -> String {
        request.consoleQuery("filter") ?? ""
    }
}

/// One page of the alert list.
struct ConsoleAlertListing {
    var rows: [ConsoleAlertRow]
    var total: Int
    var sources: [String]

    var countText: String {
        total == 1 ? "1 alert" : "\(total) alerts"
    }
}

/// One row of the alert list.
struct ConsoleAlertRow {
    var fingerprint: String
    var name: String
    var labelText: String
    var score: String
    var priority: String
    var source: String
    var status: String
    var silenced: Bool
    var inhibited: Bool
    var acknowledged: Bool
    var lastSeen: ConsoleTime

    init(_ record: AlertRecord, mutes: MuteStatus, now: Date) {
        fingerprint = record.fingerprint.rawValue
        name = record.alert.name.isEmpty ? "(no alertname)" : record.alert.name
        labelText = record.alert.consoleLabelText
        score = record.rating.score.consoleText
        priority = record.rating.priority.rawValue
        source = record.alert.source
        status = record.status.rawValue
        silenced = !mutes.silencedBy.isEmpty
        inhibited = !mutes.inhibitedBy.isEmpty
        acknowledged = record.acknowledgedAt != nil
        lastSeen = ConsoleTime(record.lastSeenAt, now: now)
    }
}

/// The alerts page.
struct AlertsContent {
    var filter: String
    var source: String
    var statusOptions: [ConsoleOption]
    var priorityOptions: [ConsoleOption]
    var mutedOptions: [ConsoleOption]
    var sources: [String]
    var rows: [ConsoleAlertRow]
    var countText: String
    var eventsURL: String
    var pageText: String
    var previousURL: String?
    var nextURL: String?

    init(filter query: ConsoleAlertFilter, listing: ConsoleAlertListing, formText: String? = nil) {
        filter = formText ?? query.filterText
        source = query.source
        statusOptions = AlertStatus.allCases.map { ConsoleOption(value: $0.rawValue, label: $0.rawValue, selected: $0 == query.status) }
        priorityOptions =
            [ConsoleOption(value: "", label: "any", selected: query.priority == nil)]
            + Priority.allCases.map { ConsoleOption(value: $0.rawValue, label: $0.rawValue, selected: $0 == query.priority) }
        mutedOptions = ConsoleAlertFilter.Muted.allCases.map {
            ConsoleOption(value: $0.rawValue, label: $0 == .active ? "not muted" : $0.rawValue, selected: $0 == query.muted)
        }
        sources = listing.sources
        rows = listing.rows
        countText = listing.countText
        eventsURL = "/ui/alerts/events?\(query.query())"
        let pages = max(1, (listing.total + ConsoleAlertFilter.pageSize - 1) / ConsoleAlertFilter.pageSize)
        pageText = "page \(query.page) of \(pages)"
        previousURL = query.page > 1 ? "/ui/alerts?\(query.query(page: query.page - 1))" : nil
        nextURL = query.page < pages ? "/ui/alerts?\(query.query(page: query.page + 1))" : nil
    }
}
