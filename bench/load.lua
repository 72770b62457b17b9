-- The wrk load of bench/compare, bench/postgres-statements and bench/routing: one alert per
-- request, the instance label cycling through 1,000 values. Arguments: the request kind
-- (native: POST /v1/alerts with a native alert; am: POST /api/v2/alerts with a one-element
-- array), a file of bearer tokens used in rotation (or -), a rate in requests/s (0: as fast as
-- the answers come) and, optionally, how many instance values to cycle through instead of
-- 1,000. A paced run binds pace() to wrk's delay() hook (see bench/compare).
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } compare_timespec;
int clock_gettime(int clock, compare_timespec *spec);
]]
local spec = ffi.new("compare_timespec")
local function now_ms()
    ffi.C.clock_gettime(1, spec)
    return tonumber(spec.tv_sec) * 1000 + tonumber(spec.tv_nsec) / 1e6
end

local distinct = 1000
local kind, tokens, interval, slot, counter = "native", {}, 0, nil, 0
local native = '{"labels":{"alertname":"BenchIngest","service":"bench",'
    .. '"severity":"warning","instance":"host-%d"},'
    .. '"annotations":{"summary":"ingest benchmark"},"source":"bench"}'
local am = '[{"labels":{"alertname":"BenchIngest","service":"bench",'
    .. '"severity":"warning","instance":"host-%d"},'
    .. '"annotations":{"summary":"ingest benchmark"}}]'

function init(args)
    kind = args[1] or "native"
    if args[2] and args[2] ~= "-" then
        for line in io.lines(args[2]) do
            if #line > 0 then table.insert(tokens, line) end
        end
    end
    distinct = tonumber(args[4] or "1000")
    local rate = tonumber(args[3] or "0")
    if rate > 0 then interval = 1000 / rate end
end

function request()
    counter = counter + 1
    local headers = {["Content-Type"] = "application/json"}
    if #tokens > 0 then
        headers["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1]
    end
    if kind == "am" then
        return wrk.format("POST", "/api/v2/alerts", headers, string.format(am, counter % distinct))
    end
    return wrk.format("POST", "/v1/alerts", headers, string.format(native, counter % distinct))
end

function pace()
    local now = now_ms()
    if slot == nil or slot < now - 1000 then slot = now end
    slot = slot + interval
    local wait = slot - now
    if wait < 0 then return 0 end
    return wait
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1000000
    local e = summary.errors
    io.write(string.format("RESULT %d %.3f %.1f %.3f %.3f %d %d %d %d %d\n",
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        e.status, e.connect, e.read, e.write, e.timeout))
end
