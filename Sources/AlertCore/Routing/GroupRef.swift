/// One aggregation group of a tenant, as its store keys it: the receiver it notifies and the
/// key of its grouping labels. A group's notifications go out in order, one at a time.
public struct GroupRef: Hashable, Sendable {
    public var receiver: ReceiverName
    /// `AlertGroupKey.key`.
    public var key: String

    public init(receiver: ReceiverName, key: String) {
        self.receiver = receiver
        self.key = key
    }
}
