import Foundation

/// A message for an incoming webhook or `chat.postMessage` (which also names the `channel`):
/// `text` as the notification fallback, and Block Kit `blocks`.
struct SlackMessage: Encodable {
    /// A text object: `plain_text` or `mrkdwn`.
    struct Text: Encodable {
        var type: String
        var text: String

        static func plain(_ text: String) -> Text { Text(type: "plain_text", text: text) }
        static func markdown(_ text: String) -> Text { Text(type: "mrkdwn", text: text) }
    }

    /// A layout block: `header`, `section` (with `text` or `fields`) or `context`.
    struct Block: Encodable {
        var type: String
        var text: Text?
        var fields: [Text]?
        var elements: [Text]?

        static func header(_ text: String) -> Block { Block(type: "header", text: .plain(text)) }
        static func section(_ text: String) -> Block { Block(type: "section", text: .markdown(text)) }
        static func fieldSection(_ texts: [Text]) -> Block { Block(type: "section", fields: texts) }
        static func context(_ text: String) -> Block { Block(type: "context", elements: [.markdown(text)]) }

        /// The characters of text the block carries.
        var size: Int {
            (text?.text.utf16.count ?? 0) + (fields ?? []).reduce(0) { $0 + $1.text.utf16.count }
                + (elements ?? []).reduce(0) { $0 + $1.text.utf16.count }
        }
    }

    var channel: String?
    var text: String
    var blocks: [Block]
}
