import AlertCore
import Testing

@testable import RatingAPI

@Suite struct ActiveAlertEstimateTests {
    let acme = TenantID("acme")!
    let start = ContinuousClock.now

    @Test func admitsOnlyWhileAFreshCountLeavesRoomAndCountsWhatItAdmits() {
        let estimate = ActiveAlertEstimate(maxAge: .seconds(1))
        #expect(!estimate.admits(1, limit: 10, tenant: acme, now: start), "no count yet")
        estimate.record(7, tenant: acme, now: start)
        #expect(estimate.admits(2, limit: 10, tenant: acme, now: start + .milliseconds(100)))
        #expect(!estimate.admits(2, limit: 10, tenant: acme, now: start + .milliseconds(200)), "the admitted two count as firing")
        #expect(estimate.admits(1, limit: 10, tenant: acme, now: start + .milliseconds(300)))
        #expect(!estimate.admits(0, limit: 10, tenant: acme, now: start + .seconds(2)), "an old count is not used")
        #expect(!estimate.admits(1, limit: 10, tenant: TenantID("globex")!, now: start), "counts are per tenant")
    }
}
