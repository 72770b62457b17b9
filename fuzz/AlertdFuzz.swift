import Foundation

/// libFuzzer's entry point, compiled together with AlertCore's sources by `scripts/fuzz.sh`:
/// runs the target named by `ALERTD_FUZZ_TARGET` on each input. A target must never crash
/// and its invariants must hold for any bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func alertdFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzTarget.selected.run(Data(bytes: data, count: size))
    return 0
}

enum FuzzTarget: String, CaseIterable {
    /// `POST /v1/alerts` bodies.
    case nativeAlerts = "native-alerts"
    /// `POST /api/v2/alerts` bodies (Prometheus → Alertmanager API).
    case prometheusAlerts = "prometheus-alerts"
    /// `POST /v1/ingest/alertmanager` bodies (Alertmanager webhook v4).
    case alertmanagerWebhook = "alertmanager-webhook"
    /// `POST /v2/enqueue` bodies (PagerDuty Events API v2).
    case pagerDutyEvent = "pagerduty-event"
    /// Bearer tokens: the compact JWT header and claims read before verification.
    case compactToken = "compact-token"
    /// Tenant documents, with their inline JWKS, routes, matchers and durations.
    case tenantConfig = "tenant-config"
    /// Route and silence matchers.
    case matcher
    /// The `alertd-rating` header of a Kafka record, which any producer may set.
    case ratingHeader = "rating-header"

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["ALERTD_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("ALERTD_FUZZ_TARGET must be one of \(allCases.map(\.rawValue))")
        }
        return target
    }()

    static let receivedAt = Date(timeIntervalSince1970: 1_800_000_000)

    func run(_ data: Data) {
        switch self {
        case .nativeAlerts:
            check(try? NativeAlertDecoder(maxBatchSize: 50).decode(data, receivedAt: Self.receivedAt), again: {
                try? NativeAlertDecoder(maxBatchSize: 50).decode(data, receivedAt: Self.receivedAt)
            })
        case .prometheusAlerts:
            let decoder = AlertmanagerAlertDecoder(format: .prometheus, maxBatchSize: 50)
            check(try? decoder.decode(data, receivedAt: Self.receivedAt), again: { try? decoder.decode(data, receivedAt: Self.receivedAt) })
        case .alertmanagerWebhook:
            let decoder = AlertmanagerAlertDecoder(format: .webhook, maxBatchSize: 50)
            check(try? decoder.decode(data, receivedAt: Self.receivedAt), again: { try? decoder.decode(data, receivedAt: Self.receivedAt) })
        case .pagerDutyEvent:
            guard let event = try? PagerDutyEvent.decode(data) else { return }
            precondition(event == (try? PagerDutyEvent.decode(data)), "decoding is deterministic")
            precondition((event.action == .trigger) == (event.payload != nil), "a trigger, and only a trigger, has a payload")
            precondition(event.action == .trigger || event.dedupKey != nil, "acknowledge and resolve name their alert")
            if let alert = event.alert(dedupKey: event.dedupKey ?? "generated", source: "pagerduty", receivedAt: Self.receivedAt) {
                check([alert], again: { event.alert(dedupKey: event.dedupKey ?? "generated", source: "pagerduty", receivedAt: Self.receivedAt).map { [$0] } })
                precondition(alert.startsAt <= Self.receivedAt && alert.status(at: Self.receivedAt) == .firing, "a trigger fires, never from the future")
            }
        case .compactToken:
            let text = String(decoding: data, as: UTF8.self)
            if let token = CompactToken(text) {
                precondition(text.split(separator: ".", omittingEmptySubsequences: false).count == 3, "a token has three segments")
                _ = token.header["alg"]?.stringValue
                _ = token.claims["iss"]?.stringValue
            }
        case .tenantConfig:
            guard let document = try? JSONValue.parse(data) else { return }
            if let config = try? TenantConfig.parse(document, file: "fuzz.yaml", expectedID: nil, receivers: AnyReceiver()) {
                precondition(!config.id.rawValue.isEmpty, "a parsed tenant has an id")
                precondition(config.route.referencedReceivers.allSatisfy { config.receivers[$0.1] != nil }, "routes name defined receivers")
            }
        case .matcher:
            let text = String(decoding: data, as: UTF8.self)
            if let matcher = try? Matcher(parsing: text) {
                _ = matcher.matches(labels: ["alertname": "Fuzz", "severity": text], rating: nil)
            }
        case .ratingHeader:
            guard let document = try? JSONValue.parse(data), let rating = Rating(document: document) else { return }
            var writer = JSONWriter()
            // A number JSON cannot hold is refused when written, not read back.
            guard (try? writer.rating(rating)) != nil else { return }
            precondition(
                (try? JSONValue.parse(Data(writer.bytes))).flatMap(Rating.init(document:)) == rating, "a rating reads back as it was written")
        }
    }

    /// Decoded alerts have an alert name, decoding is deterministic, and each alert survives
    /// the Kafka record the intake writes of it.
    func check(_ alerts: [Alert]?, again: () -> [Alert]?) {
        guard let alerts else { return }
        precondition(alerts.allSatisfy { !($0.labels["alertname"] ?? "").isEmpty }, "every alert has an alertname")
        precondition(alerts.map(\.fingerprint) == again()?.map(\.fingerprint), "decoding is deterministic")
        for alert in alerts { checkRecord(of: alert) }
    }

    /// The native document of `alert` (the value of its Kafka record) decodes as the same
    /// alert, its times cut to the millisecond.
    func checkRecord(of alert: Alert) {
        var writer = JSONWriter()
        guard (try? writer.alert(alert, dates: .rfc3339)) != nil else { preconditionFailure("an alert's record is written") }
        let read: [Alert]
        do {
            read = try NativeAlertDecoder(maxBatchSize: 1).decode(Data(writer.bytes), receivedAt: Self.receivedAt)
        } catch {
            preconditionFailure("the record \(writer.text) does not decode: \(error.path) \(error.reason)")
        }
        func close(_ one: Date?, _ other: Date?) -> Bool {
            guard let one, let other else { return one == nil && other == nil }
            return abs(one.timeIntervalSince(other)) < 0.001 + 4 * one.timeIntervalSince1970.ulp
        }
        precondition(read.count == 1, "one alert read back")
        let back = read[0]
        precondition(
            back.labels == alert.labels && back.annotations == alert.annotations && back.source == alert.source
                && back.generatorURL == alert.generatorURL && close(back.startsAt, alert.startsAt) && close(back.endsAt, alert.endsAt),
            "the record \(writer.text) reads back as \(back), not \(alert)")
    }
}

/// Accepts every sink kind with any settings, so fuzzing reaches the rest of the document.
struct AnyReceiver: ReceiverValidating {
    var kinds: [String] { ["webhook", "slack", "pagerduty"] }
    struct Settings: ReceiverSettings {
        let sendResolved = true
    }

    func read(kind: String, settings: JSONValue, at path: String) -> Result<any ReceiverSettings, ConfigProblems> {
        .success(Settings())
    }
}
