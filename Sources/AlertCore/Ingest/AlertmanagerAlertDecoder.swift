import Foundation

/// Decodes the two Alertmanager formats producers already speak, into native alerts:
///
/// - `prometheus`: the body Prometheus posts to Alertmanager's `POST /api/v2/alerts`, a list
///   of `{labels, annotations, startsAt, endsAt, generatorURL}`. A missing or future `endsAt`
///   means firing; Prometheus re-sends firing alerts, which alertd records as repeats.
///   A `generatorURL` must be an absolute URI (an empty one counts as none), as
///   Alertmanager's spec says.
/// - `webhook`: the body an Alertmanager webhook receiver gets (version 4): `{"alerts": [...],
///   ...}` whose alerts also carry `status` and `fingerprint`, and `endsAt`
///   `0001-01-01T00:00:00Z` while firing. The group fields around the alerts are ignored.
///
/// Labels naming a tenant are kept as labels: the tenant is always the caller's.
public struct AlertmanagerAlertDecoder: Sendable {
    public enum Format: Sendable {
        case prometheus
        case webhook
    }

    public var format: Format
    public var maxBatchSize: Int

    public init(format: Format, maxBatchSize: Int) {
        self.format = format
        self.maxBatchSize = maxBatchSize
    }

    public func decode(_ body: Data, receivedAt now: Date) throws(AlertPayloadError) -> [Alert] {
        let document = try NativeAlertDecoder.document(body)
        let items: [JSONValue]
        let prefix: String
        switch (format, document) {
        case (.prometheus, .array(let list)):
            (items, prefix) = (list, "")
        case (.webhook, .object(let object)):
            guard case .array(let list)? = object["alerts"] else {
                throw AlertPayloadError(path: "alerts", reason: "must be the list of alerts of an Alertmanager webhook (version 4)")
            }
            if let version = object["version"], version != .string("4") {
                throw AlertPayloadError(path: "version", reason: "webhook version \(version.stringValue ?? version.typeName) is not supported; version 4 is")
            }
            (items, prefix) = (list, "alerts")
        case (.prometheus, _):
            throw AlertPayloadError(path: "", reason: "must be a list of alerts, not \(document.typeName)")
        case (.webhook, _):
            throw AlertPayloadError(path: "", reason: "must be an Alertmanager webhook object, not \(document.typeName)")
        }
        guard !items.isEmpty else { throw AlertPayloadError(path: prefix, reason: "must hold at least one alert") }
        guard items.count <= maxBatchSize else {
            throw AlertPayloadError(path: prefix, reason: "holds \(items.count) alerts; at most \(maxBatchSize) are accepted")
        }
        let native = NativeAlertDecoder(maxBatchSize: maxBatchSize)
        let known = NativeAlertDecoder.alertFields.union(format == .webhook ? ["status", "fingerprint"] : []).subtracting(["source"])
        var alerts: [Alert] = []
        for (index, item) in items.enumerated() {
            let path = "\(prefix)[\(index)]"
            var alert = try native.decodeAlert(item, at: path, now: now, known: known)
            if let url = alert.generatorURL {
                if url.isEmpty {
                    alert.generatorURL = nil
                } else if !Alert.isGeneratorURL(url) {
                    throw AlertPayloadError(
                        path: "\(path).generatorURL", reason: "must be an absolute URI (scheme:…, no spaces), as Alertmanager's API requires")
                }
            }
            if format == .webhook, case .object(let object) = item {
                if let fingerprint = object["fingerprint"], fingerprint != .null, fingerprint.stringValue == nil {
                    throw AlertPayloadError(path: "\(path).fingerprint", reason: "must be a string, not \(fingerprint.typeName)")
                }
                if let status = object["status"] {
                    switch status.stringValue {
                    case "firing": break
                    case "resolved": if alert.endsAt == nil { alert.endsAt = now }
                    default: throw AlertPayloadError(path: "\(path).status", reason: "must be firing or resolved")
                    }
                }
            }
            alerts.append(alert)
        }
        return alerts
    }
}
