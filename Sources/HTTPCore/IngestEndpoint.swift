/// The endpoints producers post alerts to (and ask for ratings at). The routes that serve them
/// are registered from these values, and authentication reads them: a call to one is not an
/// operator action (an allowed one is not audited), and a PagerDuty event may prove its tenant
/// by its `routing_key` instead of a token. The raw value is the path a `POST` reaches.
public enum IngestEndpoint: String, CaseIterable, Sendable {
    case alerts = "/v1/alerts"
    case rate = "/v1/rate"
    case prometheus = "/api/v2/alerts"
    case alertmanagerWebhook = "/v1/ingest/alertmanager"
    case pagerDuty = "/v2/enqueue"

    /// The first path segment: the route group the endpoint is registered in (`v1`, `api/v2`, `v2`).
    public var group: String {
        switch self {
        case .alerts, .rate, .alertmanagerWebhook: "v1"
        case .prometheus: "api/v2"
        case .pagerDuty: "v2"
        }
    }

    /// The path inside `group`.
    public var route: String {
        String(rawValue.dropFirst(group.count + 2))
    }

    /// Whether a request may prove its tenant by an integration key in its body (PagerDuty's
    /// `routing_key`) instead of a bearer token.
    public var acceptsIntegrationKey: Bool { self == .pagerDuty }
}
