import Foundation

/// RFC 3339 timestamps, with or without fractional seconds.
public enum RFC3339 {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` strictly: every field in its range
    /// (a minute of 99 or February 30 is refused, not rolled over), `T` and `Z` in either case.
    public static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 40 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            var value = 0
            for index in start..<(start + length) {
                let byte = bytes[index]
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), bytes[4] == 0x2D, let month = number(5, 2), bytes[7] == 0x2D, let day = number(8, 2),
            bytes[10] == 0x54 || bytes[10] == 0x74, let hour = number(11, 2), bytes[13] == 0x3A, let minute = number(14, 2),
            bytes[16] == 0x3A, let second = number(17, 2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == 0x2E {
            index += 1
            let start = index
            var digits = 0
            var scale = 1.0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]), index - start < 9 {
                digits = digits * 10 + Int(bytes[index] - 0x30)
                scale *= 10
                index += 1
            }
            guard index > start else { return nil }
            fraction = Double(digits) / scale
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case 0x5A, 0x7A:
            index += 1
        case 0x2B, 0x2D:
            guard index + 6 == bytes.count, let hours = number(index + 1, 2), bytes[index + 3] == 0x3A, let minutes = number(index + 4, 2),
                hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 3_600 + minutes * 60) * (bytes[index] == 0x2B ? 1 : -1)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the date in the proleptic Gregorian calendar.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `2026-11-23T10:00:00.123Z`: the time cut to the millisecond, so that a time read from
    /// text of whole milliseconds is written as that text.
    public static func string(from date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Seconds since 1970 of 1583-01-01 and 9999-12-31T23:59:59: within them `append` writes
    /// the Gregorian date itself (a time a hair below the end still has four digits of year
    /// after counting the millisecond it is at); outside, `Date.ISO8601FormatStyle` does (Julian
    /// dates before the Gregorian reform, signed years).
    static let gregorianSeconds: Range<Double> = -12_212_553_600..<253_402_300_799

    /// Appends `string(from:)` of `date` to `bytes`. (`Date.ISO8601FormatStyle` cuts the
    /// double's fraction to milliseconds as it is, writing `.000` for a time read from `.001`.)
    public static func append(_ date: Date, to bytes: inout [UInt8]) {
        let time = date.timeIntervalSince1970
        guard gregorianSeconds.contains(time) else {
            bytes.append(contentsOf: date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)).utf8)
            return
        }
        let whole = time.rounded(.down)
        // A time a hair below a millisecond is that millisecond: a microsecond, or the double's
        // own precision where that is coarser (a few microseconds in the far future).
        let slack = max(0.001, 4_000 * time.ulp)
        let counted = Int(((time - whole) * 1_000 + slack).rounded(.down))
        let seconds = Int(whole) + counted / 1_000
        let milliseconds = counted % 1_000
        let days = (seconds >= 0 ? seconds : seconds - 86_399) / 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let ofDay = seconds - days * 86_400
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(0x30 + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(0x2D)
        digits(month, 2)
        bytes.append(0x2D)
        digits(day, 2)
        bytes.append(0x54)
        digits(ofDay / 3_600, 2)
        bytes.append(0x3A)
        digits(ofDay / 60 % 60, 2)
        bytes.append(0x3A)
        digits(ofDay % 60, 2)
        bytes.append(0x2E)
        digits(milliseconds, 3)
        bytes.append(0x5A)
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (the inverse of `daysSinceEpoch`).
    static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// A JSON encoder that writes dates as RFC 3339 strings, keys sorted, slashes unescaped.
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(string(from: date))
        }
        return encoder
    }
}
