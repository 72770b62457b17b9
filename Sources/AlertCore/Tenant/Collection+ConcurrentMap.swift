extension Collection where Element: Sendable {
    /// `transform` of every element, in the collection's order, running at most `width` of
    /// them at a time: for the per-tenant work of a start (reading a tenant's files, opening its
    /// store) that waits on the disk, so that one tenant's wait does not hold up the next.
    public func concurrentMap<Transformed: Sendable>(
        width: Int, _ transform: @escaping @Sendable (Element) async -> Transformed
    ) async -> [Transformed] {
        let elements = Array(self)
        return await withTaskGroup(of: (Int, Transformed).self) { group in
            var results = [Transformed?](repeating: nil, count: elements.count)
            var next = 0
            for _ in 0..<Swift.min(Swift.max(1, width), elements.count) {
                let (index, element) = (next, elements[next])
                group.addTask { (index, await transform(element)) }
                next += 1
            }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < elements.count {
                    let (index, element) = (next, elements[next])
                    group.addTask { (index, await transform(element)) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }
}
