import Foundation

extension TenantConfig {
    /// Builds a tenant from its parsed document, reporting every problem with its field path.
    ///
    /// - Parameters:
    ///   - document: the tenant file as a tree.
    ///   - file: the file name used in problems.
    ///   - expectedID: the tenant directory's name, which `id` must equal.
    ///   - receivers: validates the settings of each receiver's sink.
    public static func parse(
        _ document: JSONValue, file: String?, expectedID: String?, receivers validator: any ReceiverValidating
    ) throws(ConfigProblems) -> TenantConfig {
        var reader = ConfigReader(file: file)
        let top = reader.object(
            document, at: "",
            allowed: ["id", "name", "auth", "quotas", "rating", "delivery", "routes", "inhibit_rules", "receivers"])
        guard let top else { throw ConfigProblems(reader.problems) }

        let idText = reader.string(top["id"], at: "id", required: true)
        var id: TenantID?
        if let idText {
            id = TenantID(idText)
            if id == nil { reader.report("id", "\"\(idText)\" must match [a-z][a-z0-9-]{1,38}") }
            if let expectedID, expectedID != idText {
                reader.report("id", "\"\(idText)\" does not match its directory name \"\(expectedID)\"")
            }
        }
        let name = reader.string(top["name"], at: "name") ?? idText ?? ""
        let auth = parseAuth(top["auth"], reader: &reader)
        let quotas = parseQuotas(top["quotas"], reader: &reader)
        let rating = parseRating(top["rating"], reader: &reader)
        let delivery = parseDelivery(top["delivery"], reader: &reader)
        let receivers = parseReceivers(top["receivers"], validator: validator, reader: &reader)
        let route: Route?
        if let routes = top["routes"] {
            route = parseRoute(routes, at: "routes", parent: nil, reader: &reader)
        } else {
            reader.report("routes", "is required")
            route = nil
        }
        if let route {
            for (path, receiver) in route.referencedReceivers where receivers[receiver] == nil {
                let field = path.isEmpty ? "routes.receiver" : "routes" + path.split(separator: ".").map { ".routes[\($0)]" }.joined() + ".receiver"
                reader.report(field, "receiver \"\(receiver)\" is not defined in receivers")
            }
        }
        let inhibitRules = parseInhibitRules(top["inhibit_rules"], reader: &reader)

        guard reader.problems.isEmpty, let id, let auth, let route else { throw ConfigProblems(reader.problems) }
        return TenantConfig(
            id: id, name: name, auth: auth, quotas: quotas, rating: rating, delivery: delivery, route: route,
            inhibitRules: inhibitRules, receivers: receivers)
    }

    private static func parseAuth(_ value: JSONValue?, reader: inout ConfigReader) -> AuthConfig? {
        guard let value else {
            reader.report("auth", "is required")
            return nil
        }
        guard
            let auth = reader.object(
                value, at: "auth", allowed: ["issuer", "audience", "tenantClaim", "algorithms", "leewaySeconds", "jwks", "integrationKeys"])
        else { return nil }
        let issuer = reader.string(auth["issuer"], at: "auth.issuer", required: true)
        if let issuer, !(issuer.hasPrefix("https://") || issuer.hasPrefix("http://")) || URL(string: issuer)?.host == nil {
            reader.report("auth.issuer", "\"\(issuer)\" must be an http(s) URL")
        }
        let audience = reader.string(auth["audience"], at: "auth.audience", required: true)
        let tenantClaim = reader.string(auth["tenantClaim"], at: "auth.tenantClaim") ?? "tenant"
        let algorithms = reader.strings(auth["algorithms"], at: "auth.algorithms") ?? AuthConfig.supportedAlgorithms
        for (index, algorithm) in algorithms.enumerated() where !AuthConfig.supportedAlgorithms.contains(algorithm) {
            reader.report("auth.algorithms[\(index)]", "\"\(algorithm)\" is not one of \(AuthConfig.supportedAlgorithms.joined(separator: ", "))")
        }
        if algorithms.isEmpty { reader.report("auth.algorithms", "must name at least one algorithm") }
        let leeway = reader.number(auth["leewaySeconds"], at: "auth.leewaySeconds", in: 0...300) ?? 30
        var keys: AuthConfig.KeySource?
        if let jwks = reader.object(auth["jwks"], at: "auth.jwks", allowed: ["inline", "file", "url", "refreshInterval"]) {
            let refresh = reader.duration(jwks["refreshInterval"], at: "auth.jwks.refreshInterval") ?? 300
            if jwks["refreshInterval"] != nil, jwks["url"] == nil {
                reader.report("auth.jwks.refreshInterval", "applies to a url only")
            }
            if !(10...86_400).contains(refresh) { reader.report("auth.jwks.refreshInterval", "must be between 10s and 1d") }
            switch (jwks["inline"], jwks["file"], jwks["url"]) {
            case (nil, nil, let url?):
                if let text = reader.string(url, at: "auth.jwks.url") {
                    if (text.hasPrefix("https://") || text.hasPrefix("http://")) && URL(string: text)?.host != nil {
                        keys = .url(text, refresh: refresh)
                    } else {
                        reader.report("auth.jwks.url", "\"\(text)\" must be an http(s) URL")
                    }
                }
            case (let inline?, nil, nil):
                if case .array(let list)? = inline["keys"], !list.isEmpty {
                    keys = .inline(inline)
                } else {
                    reader.report("auth.jwks.inline.keys", "must be a non-empty list of JWKs")
                }
            case (nil, let file?, nil):
                if let path = reader.string(file, at: "auth.jwks.file") { keys = .file(path) }
            default:
                reader.report("auth.jwks", "must have exactly one of inline, file or url")
            }
        } else if auth["jwks"] == nil {
            reader.report("auth.jwks", "is required")
        }
        let integrationKeys = parseIntegrationKeys(auth["integrationKeys"], reader: &reader)
        guard let issuer, let audience, let keys else { return nil }
        return AuthConfig(
            issuer: issuer, audience: audience, tenantClaim: tenantClaim, algorithms: algorithms, leewaySeconds: leeway,
            keys: keys, integrationKeys: integrationKeys)
    }

    private static func parseIntegrationKeys(_ value: JSONValue?, reader: inout ConfigReader) -> [IntegrationKey] {
        guard let value, let list = reader.array(value, at: "auth.integrationKeys") else { return [] }
        var keys: [IntegrationKey] = []
        for (index, item) in list.enumerated() {
            let path = "auth.integrationKeys[\(index)]"
            guard let object = reader.object(item, at: path, allowed: ["name", "sha256"]) else { continue }
            let name = reader.string(object["name"], at: "\(path).name", required: true)
            let hash = reader.string(object["sha256"], at: "\(path).sha256", required: true)
            if let hash, !IntegrationKey.isHash(hash) {
                reader.report("\(path).sha256", "must be the key's SHA-256 as 64 lowercase hexadecimal digits (printf %s \"$KEY\" | sha256sum)")
                continue
            }
            guard let name, let hash else { continue }
            if keys.contains(where: { $0.name == name }) { reader.report("\(path).name", "\"\(name)\" names another key too") }
            if keys.contains(where: { $0.sha256 == hash }) { reader.report("\(path).sha256", "is listed twice") }
            keys.append(IntegrationKey(name: name, sha256: hash))
        }
        return keys
    }

    private static func parseQuotas(_ value: JSONValue?, reader: inout ConfigReader) -> Quotas {
        var quotas = Quotas()
        guard
            let object = reader.object(
                value, at: "quotas",
                allowed: [
                    "ingestPerSecond", "ingestBurst", "maxBodyBytes", "maxBatchSize", "maxActiveAlerts",
                    "notificationsPerMinute", "retentionDays",
                ])
        else { return quotas }
        if let rate = reader.number(object["ingestPerSecond"], at: "quotas.ingestPerSecond", in: 0.001...1_000_000) {
            quotas.ingestPerSecond = rate
        }
        func integer(_ key: String, _ minimum: Int, _ apply: (Int) -> Void) {
            if let value = reader.integer(object[key], at: "quotas.\(key)", atLeast: minimum) { apply(value) }
        }
        integer("ingestBurst", 1) { quotas.ingestBurst = $0 }
        integer("maxBodyBytes", 1_024) { quotas.maxBodyBytes = $0 }
        integer("maxBatchSize", 1) { quotas.maxBatchSize = $0 }
        integer("maxActiveAlerts", 1) { quotas.maxActiveAlerts = $0 }
        integer("notificationsPerMinute", 1) { quotas.notificationsPerMinute = $0 }
        integer("retentionDays", 1) { quotas.retentionDays = $0 }
        return quotas
    }

    private static func parseRating(_ value: JSONValue?, reader: inout ConfigReader) -> RatingPolicy {
        var policy = RatingPolicy()
        guard
            let object = reader.object(
                value, at: "rating",
                allowed: [
                    "mode", "informativeLabels", "weights", "severityMap", "unknownSeverity", "threshold", "historyHalfLife",
                    "responseTarget",
                ])
        else { return policy }
        if let text = reader.string(object["mode"], at: "rating.mode") {
            if let mode = RatingMode(rawValue: text) {
                policy.mode = mode
            } else {
                reader.report("rating.mode", "must be \(RatingMode.allCases.map(\.rawValue).joined(separator: " or "))")
            }
        }
        if let labels = reader.strings(object["informativeLabels"], at: "rating.informativeLabels") {
            policy.informativeLabels = labels
        }
        if let weights = reader.object(object["weights"], at: "rating.weights", allowed: ["severity", "reliability", "history"]) {
            if let weight = reader.number(weights["severity"], at: "rating.weights.severity", in: 0...1_000) {
                policy.severityWeight = weight
            }
            if let weight = reader.number(weights["reliability"], at: "rating.weights.reliability", in: 0...1_000) {
                policy.reliabilityWeight = weight
            }
            if let weight = reader.number(weights["history"], at: "rating.weights.history", in: 0...1_000) {
                policy.historyWeight = weight
            }
            if policy.severityWeight + policy.reliabilityWeight + policy.historyWeight <= 0 {
                reader.report("rating.weights", "at least one weight must be positive")
            }
        }
        if let severityMap = object["severityMap"], case .object(let map) = severityMap {
            var severityMap = RatingPolicy.defaultSeverityMap
            for (key, entry) in map.sorted(by: { $0.key < $1.key }) {
                if let factor = reader.number(entry, at: "rating.severityMap.\(key)", in: 0...1) {
                    severityMap[key.lowercased()] = factor
                }
            }
            policy.severityMap = severityMap
        } else if let other = object["severityMap"] {
            reader.report("rating.severityMap", "must be an object of severity to factor, not \(other.typeName)")
        }
        if let unknown = reader.number(object["unknownSeverity"], at: "rating.unknownSeverity", in: 0...1) {
            policy.unknownSeverity = unknown
        }
        if let threshold = reader.number(object["threshold"], at: "rating.threshold", in: 0.01...1) {
            policy.threshold = threshold
        }
        if let halfLife = reader.duration(object["historyHalfLife"], at: "rating.historyHalfLife") {
            if halfLife > 0 { policy.historyHalfLife = halfLife } else { reader.report("rating.historyHalfLife", "must be longer than 0s") }
        }
        if let target = reader.duration(object["responseTarget"], at: "rating.responseTarget") {
            if target > 0 { policy.responseTarget = target } else { reader.report("rating.responseTarget", "must be longer than 0s") }
        }
        return policy
    }

    private static func parseDelivery(_ value: JSONValue?, reader: inout ConfigReader) -> DeliveryPolicy {
        var policy = DeliveryPolicy()
        guard let object = reader.object(value, at: "delivery", allowed: ["initialBackoff", "maxBackoff", "giveUpAfter"]) else {
            return policy
        }
        if let backoff = reader.duration(object["initialBackoff"], at: "delivery.initialBackoff") { policy.initialBackoff = backoff }
        if let backoff = reader.duration(object["maxBackoff"], at: "delivery.maxBackoff") { policy.maxBackoff = backoff }
        if let giveUp = reader.duration(object["giveUpAfter"], at: "delivery.giveUpAfter") { policy.giveUpAfter = giveUp }
        if policy.initialBackoff <= 0 { reader.report("delivery.initialBackoff", "must be longer than 0s") }
        if policy.maxBackoff < policy.initialBackoff { reader.report("delivery.maxBackoff", "must not be shorter than initialBackoff") }
        return policy
    }

    private static func parseReceivers(
        _ value: JSONValue?, validator: any ReceiverValidating, reader: inout ConfigReader
    ) -> [ReceiverName: ReceiverConfig] {
        guard let value else {
            reader.report("receivers", "is required")
            return [:]
        }
        guard let items = reader.array(value, at: "receivers") else { return [:] }
        var receivers: [ReceiverName: ReceiverConfig] = [:]
        for (index, item) in items.enumerated() {
            let path = "receivers[\(index)]"
            guard let object = reader.object(item, at: path, allowed: Set(["name"] + validator.kinds)) else { continue }
            guard let name = reader.string(object["name"], at: "\(path).name", required: true).map(ReceiverName.init(rawValue:)) else { continue }
            if receivers[name] != nil { reader.report("\(path).name", "receiver \"\(name)\" is defined twice") }
            let kinds = validator.kinds.filter { object[$0] != nil }
            guard kinds.count <= 1 else {
                reader.report(path, "must configure at most one of \(validator.kinds.joined(separator: ", "))")
                continue
            }
            guard let kind = kinds.first, let settings = object[kind] else {
                receivers[name] = .discarding(name: name)
                continue
            }
            switch validator.read(kind: kind, settings: settings, at: "\(path).\(kind)") {
            case .success(let sink):
                receivers[name] = ReceiverConfig(name: name, kind: kind, settings: settings, sink: sink)
            case .failure(let problems):
                // Kept so routes naming it are not reported too; the problems fail the tenant.
                for problem in problems.problems { reader.report(problem.path, problem.reason) }
                receivers[name] = ReceiverConfig(name: name, kind: kind, settings: settings, sink: nil)
            }
        }
        return receivers
    }

    private static func parseRoute(_ value: JSONValue, at path: String, parent: Route?, reader: inout ConfigReader) -> Route? {
        guard
            let object = reader.object(
                value, at: path,
                allowed: ["receiver", "group_by", "group_wait", "group_interval", "repeat_interval", "matchers", "continue", "routes"])
        else { return nil }
        let receiver = reader.string(object["receiver"], at: "\(path).receiver", required: parent == nil).map(ReceiverName.init(rawValue:)) ?? parent?.receiver
        var matchers: [Matcher] = []
        if let texts = reader.strings(object["matchers"], at: "\(path).matchers") {
            for (index, text) in texts.enumerated() {
                do throws(ConfigProblem) {
                    matchers.append(try Matcher(parsing: text))
                } catch {
                    reader.report("\(path).matchers[\(index)]", error.reason)
                }
            }
        }
        var groupBy = parent?.groupBy ?? .labels([])
        if let labels = reader.strings(object["group_by"], at: "\(path).group_by") {
            groupBy = labels == ["..."] ? .all : .labels(labels)
        }
        var route = Route(
            path: "", receiver: receiver ?? "", matchers: matchers,
            continueMatching: reader.bool(object["continue"], at: "\(path).continue") ?? false,
            groupBy: groupBy,
            groupWait: reader.duration(object["group_wait"], at: "\(path).group_wait") ?? parent?.groupWait ?? 30,
            groupInterval: reader.duration(object["group_interval"], at: "\(path).group_interval") ?? parent?.groupInterval ?? 300,
            repeatInterval: reader.duration(object["repeat_interval"], at: "\(path).repeat_interval") ?? parent?.repeatInterval
                ?? 14_400)
        if parent == nil, route.continueMatching { reader.report("\(path).continue", "cannot be set on the root route") }
        if let children = reader.array(object["routes"], at: "\(path).routes") {
            for (index, child) in children.enumerated() {
                if var parsed = parseRoute(child, at: "\(path).routes[\(index)]", parent: route, reader: &reader) {
                    parsed.path = route.path.isEmpty ? "\(index)" : "\(route.path).\(index)"
                    parsed.renumberChildren()
                    route.routes.append(parsed)
                }
            }
        }
        guard receiver != nil else { return nil }
        return route
    }

    private static func parseInhibitRules(_ value: JSONValue?, reader: inout ConfigReader) -> [InhibitRule] {
        guard let items = reader.array(value, at: "inhibit_rules") else { return [] }
        return items.enumerated().compactMap { index, item in
            let path = "inhibit_rules[\(index)]"
            guard let object = reader.object(item, at: path, allowed: ["source_matchers", "target_matchers", "equal"]) else {
                return nil
            }
            func matchers(_ key: String) -> [Matcher] {
                guard let texts = reader.strings(object[key], at: "\(path).\(key)") else {
                    reader.report("\(path).\(key)", "is required")
                    return []
                }
                return texts.enumerated().compactMap { matcherIndex, text in
                    do throws(ConfigProblem) {
                        return try Matcher(parsing: text)
                    } catch {
                        reader.report("\(path).\(key)[\(matcherIndex)]", error.reason)
                        return nil
                    }
                }
            }
            return InhibitRule(
                sourceMatchers: matchers("source_matchers"), targetMatchers: matchers("target_matchers"),
                equal: reader.strings(object["equal"], at: "\(path).equal") ?? [])
        }
    }
}

extension Route {
    /// Rewrites the children's paths below this node's path.
    mutating func renumberChildren() {
        for index in routes.indices {
            routes[index].path = path.isEmpty ? "\(index)" : "\(path).\(index)"
            routes[index].renumberChildren()
        }
    }
}
