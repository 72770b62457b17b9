import Synchronization
import Testing

@testable import Storage

/// Group commit: requests that wait while a batch runs share the next one, each gets its own
/// answer, a request that fails does not fail the others, and a batch the database did not
/// answer in time fails at once.
@Suite struct GroupCommitTests {
    struct Refused: Error, Equatable { let request: Int }

    /// Submits request 0 alone, then `count - 1` more while its batch is held, then releases it;
    /// returns each request's outcome and the sizes of the batches that ran.
    func run(
        _ count: Int, batch body: @escaping @Sendable ([Int]) throws -> [Int]
    ) async throws -> (outcomes: [Int: Result<Int, any Error>], batches: [[Int]]) {
        let commit = GroupCommit<Int, Int>()
        let gate = Gate()
        let batches = Mutex<[[Int]]>([])
        let run: GroupCommit<Int, Int>.Run = { requests in
            batches.withLock { $0.append(requests) }
            if requests == [0] { await gate.pass() }
            return try body(requests)
        }
        let outcomes = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
            group.addTask { (0, await Self.outcome { try await commit.submit(0, run: run) }) }
            while !gate.started { await Task.yield() }
            for request in 1..<count {
                group.addTask { (request, await Self.outcome { try await commit.submit(request, run: run) }) }
            }
            while commit.waiting < count - 1 { await Task.yield() }
            gate.release()
            var outcomes: [Int: Result<Int, any Error>] = [:]
            for await (request, outcome) in group { outcomes[request] = outcome }
            return outcomes
        }
        return (outcomes, batches.withLock { $0 })
    }

    static func outcome(_ body: () async throws -> Int) async -> Result<Int, any Error> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }

    @Test func requestsThatWaitShareTheNextBatchAndEachGetsItsOwnAnswer() async throws {
        let (outcomes, batches) = try await run(100) { requests in requests.map { $0 * 2 } }
        #expect(batches.map(\.count) == [1, 99], "the lone first request ran at once, the 99 behind it in one batch")
        for (request, outcome) in outcomes {
            #expect((try? outcome.get()) == request * 2)
        }
    }

    @Test func aRequestThatFailsFailsAloneAndTheOthersCommit() async throws {
        let (outcomes, batches) = try await run(30) { requests in
            if let refused = requests.first(where: { $0 % 7 == 3 }) { throw Refused(request: refused) }
            return requests.map { $0 + 1 }
        }
        #expect(batches.count == 2 + 29, "the failed batch ran again one request at a time")
        for (request, outcome) in outcomes {
            switch outcome {
            case .success(let answer): #expect(request % 7 != 3 && answer == request + 1)
            case .failure(let error): #expect(error as? Refused == Refused(request: request), "only a refused request fails, with its own error")
            }
        }
    }

    @Test func aBatchTheDatabaseDidNotAnswerFailsEveryRequestAtOnce() async throws {
        let (outcomes, batches) = try await run(20) { requests in
            if requests == [0] { return [0] }
            throw StoreError(.unavailable, "the database did not answer")
        }
        #expect(batches.map(\.count) == [1, 19], "not run again request by request")
        #expect(outcomes.filter { (try? $0.value.get()) != nil }.map(\.key) == [0])
        for (request, outcome) in outcomes where request != 0 {
            #expect(throws: StoreError.self) { try outcome.get() }
        }
    }
}
