/// A connection handed between threads; its owner never uses it from two at once.
struct UncheckedConnection: @unchecked Sendable {
    let value: SQLiteConnection

    init(_ value: SQLiteConnection) {
        self.value = value
    }
}
