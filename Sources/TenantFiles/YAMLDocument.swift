import AlertCore
import Foundation
import Yams

/// Turns YAML into the same tree JSON parses to, so one validator serves both.
public enum YAMLDocument {
    public static func parse(_ text: String) throws -> JSONValue {
        guard let node = try Yams.compose(yaml: text) else { return .null }
        return convert(node)
    }

    private static func convert(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            if let value = Bool.construct(from: scalar), ["true", "false", "True", "False", "TRUE", "FALSE"].contains(scalar.string) {
                return .bool(value)
            }
            if ["null", "Null", "NULL", "~", ""].contains(scalar.string) { return .null }
            if let value = Int.construct(from: scalar) { return .number(Double(value)) }
            if let value = Double.construct(from: scalar), !scalar.string.hasPrefix(".") { return .number(value) }
            return .string(scalar.string)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.string ?? ""] = convert(value) }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map(convert))
        case .alias:
            return .null
        }
    }
}
