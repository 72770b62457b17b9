import AlertCore
import Foundation
import Testing

@testable import RatingAPI

@Suite struct IngestLimiterTests {
    let tenant = TenantID("acme")!
    let quotas = {
        var quotas = Quotas()
        quotas.ingestPerSecond = 10
        quotas.ingestBurst = 10
        return quotas
    }()
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aHealthyProcessAdmitsTheWholeQuota() {
        let limiter = IngestLimiter(writeLatencyTarget: .milliseconds(100))
        for _ in 0..<10 {
            limiter.observe(writeLatency: .milliseconds(5), at: start)
            #expect(limiter.admit(1, tenant: tenant, quotas: quotas, at: start) == nil)
        }
        let refusal = limiter.admit(1, tenant: tenant, quotas: quotas, at: start)
        #expect(refusal?.overloaded == false, "past the burst it is the tenant's own quota")
    }

    @Test func slowWritesShareTheOverloadAcrossTenantsWith429sInsteadOfWaits() {
        let limiter = IngestLimiter(writeLatencyTarget: .milliseconds(100))
        for second in 1...4 { limiter.observe(writeLatency: .seconds(3), at: start.addingTimeInterval(Double(second))) }
        let now = start.addingTimeInterval(4.5)
        let share = limiter.admissionShare(at: now)
        #expect(share < 0.3)
        var admitted = 0
        var refusal: IngestLimiter.Refusal?
        while refusal == nil {
            refusal = limiter.admit(1, tenant: tenant, quotas: quotas, at: now)
            if refusal == nil { admitted += 1 }
        }
        #expect(admitted == Int((10 * share).rounded(.up)), "the burst shrinks with the share")
        #expect(refusal?.overloaded == true)
        #expect((refusal?.retryAfter ?? 0) >= 1)
        let other = TenantID("globex")!
        #expect(limiter.admit(1, tenant: other, quotas: quotas, at: now) == nil, "another tenant keeps its own share")
    }
}
