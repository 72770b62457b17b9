import Foundation

/// The process's limit on open files.
enum OpenFileLimit {
    /// Raises the soft limit to the hard limit, as a Go program such as Alertmanager does at
    /// start, so that a shell's default of 1,024 does not cap the tenants and connections of a
    /// process allowed more. Returns the soft limit now in effect (nil when it cannot be read).
    @discardableResult
    static func raise() -> UInt64? {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }
}
