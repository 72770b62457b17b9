import AlertCore
import Foundation

/// Lays a notification out as Slack messages that each stay within Block Kit's limits: a
/// header with the group's status, the lead alert's priority, the alert name and the counts;
/// a summary of the group in the first message; one section per alert (status, priority,
/// score, top rating factors, key labels, link); and a context line. A group too large for one
/// message continues in further messages, each with its own header.
enum SlackLayout {
    /// Blocks in one message.
    static let maxBlocks = 50
    /// Characters in a section's text.
    static let maxSectionText = 3_000
    /// Characters in a header's text.
    static let maxHeaderText = 150
    /// Fields in a section, and characters in each.
    static let maxFields = 10
    static let maxFieldText = 2_000
    /// Characters in a message's top-level `text`.
    static let maxMessageText = 40_000
    /// Characters of block text in one message. Slack refuses messages whose blocks carry
    /// somewhat over 13,000 characters (`msg_blocks_too_long`) although no documented limit
    /// says so; staying under 12,000 keeps clear of it.
    static let messageTextBudget = 12_000
    /// Characters of the context line.
    static let maxContextText = 300
    /// Labels shown per alert, and the ones shown first.
    static let maxLabels = 8
    static let keyLabels = ["severity", "service", "team", "instance", "job", "namespace", "cluster"]

    /// The messages for `notification`, in the order they are to be posted.
    static func messages(for notification: AlertNotification) -> [SlackMessage] {
        let summary = summaryFields(notification)
        let summarySize = summary.size
        var pages: [[SlackMessage.Block]] = []
        var page: [SlackMessage.Block] = []
        var used = 0
        for notified in notification.alerts {
            let section = SlackMessage.Block.section(alertText(notified))
            let fixedBlocks = pages.isEmpty ? 3 : 2
            let budget = messageTextBudget - maxHeaderText - maxContextText - (pages.isEmpty ? summarySize : 0)
            if !page.isEmpty, page.count + 1 + fixedBlocks > maxBlocks || used + section.size > budget {
                pages.append(page)
                page = []
                used = 0
            }
            page.append(section)
            used += section.size
        }
        pages.append(page)

        let heading = title(notification)
        var messages: [SlackMessage] = []
        for (index, sections) in pages.enumerated() {
            let part = pages.count > 1 ? " (\(index + 1)/\(pages.count))" : ""
            var blocks = [SlackMessage.Block.header(clip(heading, to: maxHeaderText - part.utf16.count) + part)]
            if index == 0 { blocks.append(summary) }
            blocks += sections
            let context =
                "tenant \(escape(notification.tenant.rawValue)) · receiver \(escape(notification.receiver.rawValue)) · \(notification.groupID)"
                + (pages.count > 1 ? " · message \(index + 1) of \(pages.count)" : "")
            blocks.append(.context(clipMarkup(context, to: maxContextText)))
            messages.append(SlackMessage(text: fallback(notification, part: part), blocks: blocks))
        }
        return messages
    }

    /// `[FIRING] [P1] HighLatency · 3 firing, 1 resolved`.
    static func title(_ notification: AlertNotification) -> String {
        let state = notification.status == .firing ? "FIRING" : "RESOLVED"
        let name = notification.group.labels["alertname"] ?? notification.lead.alert.name
        return "[\(state)] [\(notification.lead.rating.priority.rawValue)] \(name) · \(NotificationText.counts(notification))"
    }

    /// The notification text Slack shows where blocks cannot be shown.
    static func fallback(_ notification: AlertNotification, part: String) -> String {
        let lead = notification.lead.alert
        let detail = lead.annotations["summary"] ?? lead.annotations["description"] ?? lead.labels["service"] ?? ""
        let text = escape(title(notification)) + part + (detail.isEmpty ? "" : ": " + escape(clip(detail, to: 500)))
        return clipMarkup(text, to: maxMessageText)
    }

    /// The group at a glance: the lead alert's priority and score, the counts, the group labels.
    static func summaryFields(_ notification: AlertNotification) -> SlackMessage.Block {
        let lead = notification.lead.rating
        let fields: [SlackMessage.Text] = [
            .markdown("*Priority*\n\(lead.priority.rawValue)"),
            .markdown("*Score*\n\(NotificationText.number(lead.score))"),
            .markdown("*Firing*\n\(notification.firing.count)"),
            .markdown("*Resolved*\n\(notification.resolved.count)"),
            .markdown(clipMarkup("*Group*\n\(escape(NotificationText.groupLabels(notification)))", to: maxFieldText)),
            .markdown(clipMarkup("*Tenant*\n\(escape(notification.tenant.rawValue))", to: maxFieldText)),
        ]
        return .fieldSection(Array(fields.prefix(maxFields)))
    }

    /// One alert as mrkdwn: status, priority, score and name; its summary; its key labels; the
    /// factors behind its score; its link and start.
    static func alertText(_ notified: NotifiedAlert) -> String {
        let alert = notified.alert
        let marker = notified.status == .firing ? ":red_circle: *FIRING*" : ":large_green_circle: *RESOLVED*"
        var lines = [
            "\(marker) · *\(notified.rating.priority.rawValue)* · score *\(NotificationText.number(notified.rating.score))* · *\(escape(clip(alert.name, to: 200)))*"
        ]
        if let summary = alert.annotations["summary"] ?? alert.annotations["description"] {
            lines.append(escape(clip(summary, to: 500)))
        }
        let labels = labelPairs(alert.labels).map { "\(escape(clip($0.0, to: 50)))=`\(escape(clip($0.1, to: 100)))`" }
        if !labels.isEmpty { lines.append(labels.joined(separator: " · ")) }
        let factors = notified.rating.topFactors.prefix(5).map {
            "\(escape($0.name)) \(NotificationText.number($0.value)) × \(NotificationText.number($0.weight)) = \(NotificationText.number($0.contribution)) (\(escape(clip($0.detail, to: 150))))"
        }
        if !factors.isEmpty { lines.append("_Why:_ " + factors.joined(separator: " · ")) }
        var footer = "started \(RFC3339.string(from: alert.startsAt))"
        if let url = alert.generatorURL, url.utf16.count <= 1_000 { footer = "<\(escape(url))|Source> · " + footer }
        lines.append(footer)
        return clipMarkup(lines.joined(separator: "\n"), to: maxSectionText)
    }

    /// The labels worth showing, key labels first, without `alertname`.
    static func labelPairs(_ labels: [String: String]) -> [(String, String)] {
        let key = keyLabels.filter { labels[$0] != nil }
        let rest = labels.keys.filter { $0 != "alertname" && !keyLabels.contains($0) }.sorted()
        return (key + rest).prefix(maxLabels).map { ($0, labels[$0]!) }
    }

    /// Slack's mrkdwn control characters.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `text` cut to at most `limit` UTF-16 units (Slack counts characters that way), ending in
    /// an ellipsis when cut.
    static func clip(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        var result = ""
        var used = 0
        for character in text {
            let size = character.utf16.count
            if used + size > limit - 1 { break }
            result.append(character)
            used += size
        }
        return result + "…"
    }

    /// Escaped mrkdwn cut like `clip`, never in the middle of an escape such as `&amp;`.
    static func clipMarkup(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        var result = String(clip(text, to: limit).dropLast())
        if let ampersand = result.lastIndex(of: "&"), result.distance(from: ampersand, to: result.endIndex) < 5,
            !result[ampersand...].contains(";")
        {
            result = String(result[..<ampersand])
        }
        return result + "…"
    }
}
