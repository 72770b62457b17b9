/// What changing one set of tenants into another does, as lines a reviewer reads:
/// `+` added, `-` removed, `~` changed. Secrets never appear: receivers hold only references.
public enum TenantDiff {
    public static func lines(from old: [TenantConfig], to new: [TenantConfig]) -> [String] {
        let before = Dictionary(old.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var lines: [String] = []
        for id in Set(before.keys).union(after.keys).sorted() {
            switch (before[id], after[id]) {
            case (nil, let added?): lines.append("+ tenant \(added.id) added (\(added.receivers.count) receiver(s), issuer \(added.auth.issuer))")
            case (let removed?, nil): lines.append("- tenant \(removed.id) removed (no longer served; its data stays)")
            case (let was?, let now?): lines += changes(was, now).map { "~ tenant \(id): \($0)" }
            default: break
            }
        }
        return lines
    }

    static func changes(_ old: TenantConfig, _ new: TenantConfig) -> [String] {
        var changes: [String] = []
        if old.name != new.name { changes.append("name \(old.name) → \(new.name)") }
        changes += fields("auth", old.auth, new.auth)
        changes += fields("quotas", old.quotas, new.quotas)
        changes += fields("rating", old.rating, new.rating)
        changes += fields("delivery", old.delivery, new.delivery)
        let oldRoutes = routeLines(old.route)
        let newRoutes = routeLines(new.route)
        changes += oldRoutes.filter { !newRoutes.contains($0) }.map { "route removed: \($0)" }
        changes += newRoutes.filter { !oldRoutes.contains($0) }.map { "route added: \($0)" }
        for name in Set(old.receivers.keys).union(new.receivers.keys).sorted() {
            switch (old.receivers[name], new.receivers[name]) {
            case (nil, let added?): changes.append("receiver \(name) added (\(added.kind))")
            case (let removed?, nil): changes.append("receiver \(name) removed (\(removed.kind))")
            case (let was?, let now?) where was != now: changes.append("receiver \(name) changed (\(was.kind) → \(now.kind))")
            default: break
            }
        }
        if old.inhibitRules.count != new.inhibitRules.count {
            changes.append("inhibit_rules \(old.inhibitRules.count) → \(new.inhibitRules.count)")
        }
        return changes
    }

    /// `section.field old → new` for every stored property whose value differs (`changed`
    /// alone when the values are long, such as key sets).
    static func fields<T>(_ section: String, _ old: T, _ new: T) -> [String] {
        let newValues = Dictionary(Mirror(reflecting: new).children.compactMap { child in child.label.map { ($0, child.value) } }) { a, _ in a }
        return Mirror(reflecting: old).children.compactMap { child in
            guard let label = child.label, let now = newValues[label], !same(child.value, now) else { return nil }
            let (was, is_) = (render(child.value), render(now))
            return was.count + is_.count > 80 ? "\(section).\(label) changed" : "\(section).\(label) \(was) → \(is_)"
        }
    }

    static func same(_ lhs: Any, _ rhs: Any) -> Bool {
        guard let lhs = lhs as? any Equatable else { return render(lhs) == render(rhs) }
        return lhs.isEqual(to: rhs)
    }

    static func render(_ value: Any) -> String {
        if let map = value as? [String: Double] {
            return "{" + map.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
        return "\(value)"
    }

    /// One line per route: its path, matchers, receiver and `continue`.
    static func routeLines(_ route: Route) -> [String] {
        let matchers = route.matchers.map(\.description).joined(separator: ", ")
        let line = "\(route.path) [\(matchers.isEmpty ? "*" : matchers)] → \(route.receiver)\(route.continueMatching ? " (continue)" : "")"
        return [line] + route.routes.flatMap(routeLines)
    }
}

extension Equatable {
    fileprivate func isEqual(to other: Any) -> Bool {
        (other as? Self) == self
    }
}
