-- wrk script: the Debugger webhooks of debugger.lua, paced to a fixed request rate.
--
--   PACE_RPS=120 wrk -t1 -c16 -d40s --latency -s bench/wrk/debugger-paced.lua http://127.0.0.1:PORT -- '/hooks/ID?token=T'
--
-- Plain wrk has no rate limit (wrk2 is not packaged for this Debian), so pacing is done here with
-- wrk's delay() hook: each wrk thread hands out send slots PACE_RPS / threads apart (threads from
-- PACE_THREADS, default 1; pass wrk's -t) on the monotonic clock (LuaJIT FFI clock_gettime), and
-- every request waits for its slot. Slots missed while every connection was busy (a slow answer, a
-- GC pause) are caught up, as an arrival schedule would be, but at most PACE_CATCHUP_MS (default
-- 250) behind: a longer stall loses the rest instead of becoming a burst. The rate therefore holds
-- while the server keeps up and there are enough connections, and falls short (never overshoots)
-- when it does not. Bodies, Sids and the BENCH_RESULT line are debugger.lua's.

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "debugger.lua")

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } pace_timespec_t;
  int clock_gettime(int clock_id, pace_timespec_t *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("pace_timespec_t")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local rate = tonumber(os.getenv("PACE_RPS") or "")
local threads = tonumber(os.getenv("PACE_THREADS") or "1") or 1
if not rate or rate <= 0 then
  error("debugger-paced.lua: set PACE_RPS to the total request rate (requests per second)")
end
local interval_ms = 1000 * threads / rate
local catchup_ms = tonumber(os.getenv("PACE_CATCHUP_MS") or "250") or 250
local next_slot = nil

-- Thread state: milliseconds this connection waits before sending its next request.
function delay()
  local now = now_ms()
  if next_slot == nil then
    next_slot = now
  elseif next_slot < now - catchup_ms then
    next_slot = now - catchup_ms
  end
  local wait = math.max(0, next_slot - now)
  next_slot = next_slot + interval_ms
  return math.floor(wait + 0.5)
end
