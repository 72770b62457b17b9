import AlertCore
import Foundation
import NIOHTTP1

/// The ServiceNow Table API calls the ServiceNow sink makes on the `incident` table, and the
/// answers it reads.
struct ServiceNowAPI {
    /// `POST /api/now/table/incident`.
    struct NewIncident: Encodable {
        var short_description: String
        var description: String
        var correlation_id: String
        var correlation_display = "alertd"
        var urgency: String
        var impact: String
        var assignment_group: String?
        var caller_id: String?
        var category: String?
    }

    /// `PATCH /api/now/table/incident/{sys_id}` while the group fires.
    struct WorkNote: Encodable {
        var work_notes: String
    }

    /// `PATCH /api/now/table/incident/{sys_id}` once the group has resolved.
    struct Resolution: Encodable {
        var state: String
        var close_code: String
        var close_notes: String
        var work_notes: String
    }

    /// Characters a query value or path segment keeps as they are (RFC 3986 unreserved).
    static var unreserved: CharacterSet { CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") }

    /// The instance, e.g. `https://acme.service-now.com`, without a trailing slash.
    let base: String
    let authorization: String

    /// Reads the instance and the Basic credentials.
    init(settings: ServiceNowSink.Settings, secrets: SecretResolver) throws(DeliveryFailure) {
        var url = try secrets.value(settings.instanceURL)
        while url.hasSuffix("/") { url.removeLast() }
        base = url
        let username = try secrets.value(settings.username)
        let password = try secrets.value(settings.password)
        authorization = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    var headers: [(String, String)] { [("Authorization", authorization), ("Accept", "application/json")] }

    var jsonHeaders: [(String, String)] { headers + [("Content-Type", "application/json")] }

    /// The active incident with `correlationID` that is not already in `resolvedState`.
    func findOpen(correlationID: String, resolvedState: String) -> SinkRequest {
        let query = "correlation_id=\(correlationID)^active=true^state!=\(resolvedState)"
        return SinkRequest(
            method: .GET,
            url: "\(base)/api/now/table/incident?sysparm_query=\(Self.escape(query))&sysparm_fields=sys_id%2Cnumber%2Cstate&sysparm_limit=1",
            headers: headers)
    }

    func create(_ incident: NewIncident) throws(DeliveryFailure) -> SinkRequest {
        SinkRequest(url: "\(base)/api/now/table/incident", headers: jsonHeaders, body: try Self.encode(incident))
    }

    func update(_ sysID: String, with fields: some Encodable) throws(DeliveryFailure) -> SinkRequest {
        SinkRequest(method: .PATCH, url: "\(base)/api/now/table/incident/\(Self.escape(sysID))", headers: jsonHeaders, body: try Self.encode(fields))
    }

    /// The `sys_id` of the first record in a query answer (`{"result": [...]}`), nil when none.
    static func firstSysID(in body: String) throws(DeliveryFailure) -> String? {
        guard let answer = try? JSONValue.parse(Data(body.utf8)), case .array(let records)? = answer["result"] else {
            throw DeliveryFailure(retryable: true, message: "ServiceNow's answer has no result list: \(body.prefix(200))")
        }
        return records.first?["sys_id"]?.stringValue
    }

    /// Urgency and impact whose product under ServiceNow's default priority matrix is the
    /// alert's priority: P1 1/1 (Critical), P2 1/2 (High), P3 2/2 (Moderate), P4 3/2 (Low),
    /// P5 3/3 (Planning).
    static func urgencyAndImpact(_ priority: Priority) -> (urgency: String, impact: String) {
        switch priority {
        case .p1: ("1", "1")
        case .p2: ("1", "2")
        case .p3: ("2", "2")
        case .p4: ("3", "2")
        case .p5: ("3", "3")
        }
    }

    /// `text` percent-encoded for a query value or a path segment.
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    static func encode(_ value: some Encodable) throws(DeliveryFailure) -> [UInt8] {
        do {
            return Array(try SinkSettings.encoder.encode(value))
        } catch {
            throw DeliveryFailure(retryable: false, message: "cannot encode the ServiceNow request: \(error)")
        }
    }
}
