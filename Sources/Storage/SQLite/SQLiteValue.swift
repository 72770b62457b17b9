import Foundation

/// A value bound to a SQLite statement or read from a row.
enum SQLiteValue: Sendable, Equatable {
    case integer(Int)
    case float(Double)
    case text(String)
    case null

    var string: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    var integer: Int? {
        switch self {
        case .integer(let value): value
        case .float(let value): Int(exactly: value.rounded(.towardZero))
        default: nil
        }
    }

    var double: Double? {
        switch self {
        case .float(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// A time stored as seconds since 1970.
    var date: Date? { double.map { Date(timeIntervalSince1970: $0) } }
}

extension Date {
    var sqlite: SQLiteValue { .float(timeIntervalSince1970) }
}

/// One result row, its values read by column name.
struct SQLiteRow: Sendable {
    let names: SQLiteColumnNames
    let values: [SQLiteValue]

    func column(_ name: String) -> SQLiteValue? {
        names.index[name].map { values[$0] }
    }
}

/// The column names of one statement's rows, shared by its rows.
final class SQLiteColumnNames: Sendable {
    let index: [String: Int]

    init(_ names: [String]) {
        var index: [String: Int] = [:]
        for (offset, name) in names.enumerated() where index[name] == nil { index[name] = offset }
        self.index = index
    }
}
