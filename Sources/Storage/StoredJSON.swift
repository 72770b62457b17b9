import AlertCore
import Foundation

/// The JSON encoder of the stores: ratings are written without the learned features
/// (`CodingUserInfoKey.storedRating`), which only the answer to the request that rated the
/// alert carries.
enum StoredJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.userInfo[.storedRating] = true
        return encoder
    }
}
