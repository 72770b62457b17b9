import AlertCore
import Foundation
import Testing

@Suite struct MatcherTests {
    func matches(_ text: String, _ labels: [String: String], score: Double = 0.5) throws -> Bool {
        let rating = Rating(score: score, priority: Priority(score: score, threshold: 0.75), urgent: score >= 0.75, factors: [])
        return try Matcher(parsing: text).matches(labels: labels, rating: rating)
    }

    @Test func labelOperators() throws {
        #expect(try matches(#"severity="critical""#, ["severity": "critical"]))
        #expect(try !matches(#"severity="critical""#, ["severity": "warning"]))
        #expect(try matches("team!=db", ["team": "web"]))
        #expect(try matches("team!=db", [:]))
        #expect(try matches(#"env=~"prod|staging""#, ["env": "staging"]))
        #expect(try !matches(#"env=~"prod""#, ["env": "production"]), "regexes are anchored")
        #expect(try matches(#"env!~"prod.*""#, ["env": "dev"]))
        #expect(try matches(#"missing="""#, [:]), "a missing label equals the empty string")
    }

    @Test func ratingComparisons() throws {
        #expect(try matches("score>=0.75", [:], score: 0.75))
        #expect(try !matches("score>=0.75", [:], score: 0.74))
        #expect(try matches("score < 0.3", [:], score: 0.2))
        #expect(try matches("priority<=P2", [:], score: 0.9))
        #expect(try matches("priority<=P2", [:], score: 0.61))
        #expect(try !matches("priority<=P2", [:], score: 0.5))
    }

    @Test(arguments: [#"severity=="x""#, "=x", "score>=high", "score>=1.5", "priority=~P1", #"env=~"(""#, "severity", #"a="unterminated"#])
    func refusesMalformedMatchers(text: String) {
        #expect(throws: ConfigProblem.self) { try Matcher(parsing: text) }
    }
}

@Suite struct RouteTests {
    func route() throws -> Route {
        Route(
            receiver: "default",
            routes: [
                Route(receiver: "pager", matchers: [try Matcher(parsing: #"severity="critical""#)], continueMatching: true),
                Route(
                    receiver: "payments", matchers: [try Matcher(parsing: #"team="payments""#)],
                    routes: [Route(receiver: "payments-urgent", matchers: [try Matcher(parsing: "score>=0.8")])]),
                Route(receiver: "web", matchers: [try Matcher(parsing: #"team=~"web|payments""#)]),
            ])
    }

    func rating(_ score: Double) -> Rating {
        Rating(score: score, priority: Priority(score: score, threshold: 0.75), urgent: score >= 0.75, factors: [])
    }

    @Test func unmatchedAlertsGoToTheRoot() throws {
        #expect(try route().receivers(labels: ["team": "db"], rating: rating(0.1)) == ["default"])
    }

    @Test func firstMatchWinsUnlessContinue() throws {
        let tree = try route()
        #expect(tree.receivers(labels: ["team": "payments"], rating: rating(0.5)) == ["payments"])
        #expect(tree.receivers(labels: ["team": "payments", "severity": "critical"], rating: rating(0.5)) == ["pager", "payments"])
        #expect(tree.receivers(labels: ["team": "web", "severity": "critical"], rating: rating(0.5)) == ["pager", "web"])
    }

    @Test func nestedRoutesUseTheScore() throws {
        #expect(try route().receivers(labels: ["team": "payments"], rating: rating(0.9)) == ["payments-urgent"])
    }
}
