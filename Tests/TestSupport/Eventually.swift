/// Waits until `condition` holds or `seconds` pass, looking every 200 ms; returns whether it held.
public func eventually(seconds: Int, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(200))
    }
    return try await condition()
}
