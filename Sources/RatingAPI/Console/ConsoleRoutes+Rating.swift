import AlertCore
import Foundation
import HTTPCore
import Hummingbird

extension ConsoleRoutes {
    /// How many of the tenant's alerts the rating page reads its trends from.
    static let ratingSampleSize = 5_000

    @Sendable func ratingPage(_ request: Request, context: AlertdRequestContext) async throws -> ConsolePage<RatingContent> {
        let identity = try context.require(anyOf: Scope.alertsRead)
        let config = try alerts.tenant(identity)
        let now = alerts.now()
        let (sample, current) = try await alerts.readStore(identity) { store in
            let sample = try await AlertRoutes.allAlerts(in: store, status: nil, limit: Self.ratingSampleSize).sorted { $0.lastSeenAt < $1.lastSeenAt }
            // The latest alert of each source and group, rated now, shows the factor as it stands.
            var latest: [String: Alert] = [:]
            for record in sample {
                latest["source \(record.alert.source)"] = record.alert
                latest["group \(record.alert.responseGroup)"] = record.alert
            }
            let rated = try await store.rate(Array(latest.values), policy: config.rating, at: now)
            return (sample, rated)
        }
        let content = RatingContent(sample: sample, current: current, mode: config.rating.mode.rawValue)
        return try page("rating", title: "Rating", section: .rating, context: context, content: content)
    }
}

/// The rating page: each source's reliability and each group's response history, now and as
/// the tenant's alerts were rated over time, and how the firing alerts' scores spread.
struct RatingContent {
    var mode: String
    var sampleSize: Int
    var sources: [Trend]
    var groups: [Trend]
    var histogram: [Bar]
    var histogramText: String

    /// One factor of one source or group.
    struct Trend {
        var name: String
        var value: String
        var detail: String
        var points: String
        var trendText: String
    }

    struct Bar {
        var x: Int
        var y: String
        var height: String
        var label: String
        var count: Int
    }

    static let maxRows = 50

    init(sample: [AlertRecord], current: [RatedAlert], mode: String) {
        self.mode = mode
        sampleSize = sample.count
        sources = Self.trends(sample, current: current, factor: "reliability", key: \.source)
        groups = Self.trends(sample, current: current, factor: "history", key: \.responseGroup)
        var counts = Array(repeating: 0, count: 10)
        for record in sample where record.status == .firing {
            counts[min(9, max(0, Int(record.rating.score * 10)))] += 1
        }
        let highest = max(1, counts.max() ?? 1)
        histogram = counts.enumerated().map { index, count in
            let height = Double(count) / Double(highest) * 55
            return Bar(
                x: index * 20 + 1, y: String(format: "%.1f", 60 - height), height: String(format: "%.1f", height),
                label: String(format: "%.1f–%.1f", Double(index) / 10, Double(index + 1) / 10), count: count)
        }
        let firing = counts.reduce(0, +)
        histogramText =
            firing == 0
            ? "No alert is firing."
            : "\(firing) firing alerts by score, 0 to 1 in steps of 0.1: " + counts.map(String.init).joined(separator: ", ")
    }

    /// The factor's value now and over time for each key, the keys with the most alerts first.
    static func trends(_ sample: [AlertRecord], current: [RatedAlert], factor: String, key: KeyPath<Alert, String>) -> [Trend] {
        var series: [String: [Double]] = [:]
        for record in sample {
            if let value = record.rating.factors.first(where: { $0.name == factor })?.value { series[record.alert[keyPath: key], default: []].append(value) }
        }
        var now: [String: RatingFactor] = [:]
        for rated in current {
            if let value = rated.rating.factors.first(where: { $0.name == factor }) { now[rated.alert[keyPath: key]] = value }
        }
        return series.sorted { $0.value.count == $1.value.count ? $0.key < $1.key : $0.value.count > $1.value.count }.prefix(maxRows).map { name, values in
            let latest = now[name]
            return Trend(
                name: name, value: (latest?.value ?? values.last ?? 0).consoleText, detail: latest?.detail ?? "",
                points: sparkline(values),
                trendText: "\(factor) of \(name) over its last \(values.count) alerts: from \((values.first ?? 0).consoleText) to \((values.last ?? 0).consoleText)")
        }
    }

    /// SVG polyline points of `values` in [0, 1], in a 100 × 20 box.
    static func sparkline(_ values: [Double]) -> String {
        let shown = values.suffix(100)
        guard shown.count > 1 else { return "0,\(y(values.first ?? 0)) 100,\(y(values.first ?? 0))" }
        return shown.enumerated().map { index, value in
            String(format: "%.1f,%@", Double(index) / Double(shown.count - 1) * 100, y(value))
        }.joined(separator: " ")
    }

    private static func y(_ value: Double) -> String {
        String(format: "%.1f", 19 - min(1, max(0, value)) * 18)
    }
}
