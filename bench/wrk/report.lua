-- Shared by the bench/wrk scripts (loaded with dofile from the script's own folder).
--
-- Gives every wrk thread a number and the run a random nonce (so ids built from them are unique
-- across threads and across wrk runs against the same server), counts response statuses per thread,
-- and in done() prints one machine-readable line that bench/run parses:
--
--   BENCH_RESULT requests=N duration_s=S rps=R ok_2xx=N non_2xx=N outcome_accepted=N generated=N
--                err_connect=N err_read=N err_write=N err_timeout=N p50_ms=X p90_ms=X p99_ms=X
--                max_ms=X mean_ms=X statuses=202:N,...
--
-- Latencies are wrk's (microsecond histogram), in milliseconds. non_2xx counts every response whose
-- status is not 2xx (wrk's own "Non-2xx or 3xx" line only counts status > 399). outcome_accepted
-- counts 2xx answers whose JSON says "outcome":"accepted" (the console's webhook answer; a
-- "duplicate" there would mean a Sid was reused). generated counts request bodies built, an upper
-- bound of what the server can have received: requests in flight when wrk stops are neither
-- answered nor counted by wrk, yet the server may still have stored them.

local report = {}

local threads = {}
local next_thread_id = 0
local run_nonce = nil

-- An 8-hex-digit nonce for this wrk run: SID_NONCE from the environment, else /dev/urandom.
local function make_nonce()
  local fromEnv = os.getenv("SID_NONCE")
  if fromEnv and fromEnv:match("^%x%x%x%x%x%x%x%x$") then
    return fromEnv:lower()
  end
  local f = io.open("/dev/urandom", "rb")
  if f then
    local bytes = f:read(4)
    f:close()
    if bytes and #bytes == 4 then
      return string.format("%02x%02x%02x%02x", bytes:byte(1, 4))
    end
  end
  return string.format("%08x", os.time() % 4294967296)
end

-- Main state: called once per thread before init().
function report.setup(thread)
  run_nonce = run_nonce or make_nonce()
  next_thread_id = next_thread_id + 1
  thread:set("bench_thread_id", next_thread_id)
  thread:set("bench_nonce", run_nonce)
  table.insert(threads, thread)
end

-- Thread state: per-thread counters, read back by done() through thread:get().
bench_statuses = {}
bench_outcome_accepted = 0
bench_generated = 0

function report.response(status, headers, body)
  bench_statuses[status] = (bench_statuses[status] or 0) + 1
  if status >= 200 and status < 300 and body and body:find('"outcome"%s*:%s*"accepted"') then
    bench_outcome_accepted = bench_outcome_accepted + 1
  end
end

-- Thread state: a unique id from the run nonce, the thread number and a per-thread counter.
-- 8 + 8 + 16 = 32 lowercase hex digits.
local counter = 0
function report.next_id()
  counter = counter + 1
  bench_generated = counter
  return string.format("%s%08x%08x%08x", bench_nonce, bench_thread_id, math.floor(counter / 4294967296), counter % 4294967296)
end

-- Form encoding (application/x-www-form-urlencoded): space as '+', unreserved kept, the rest %XX.
function report.form_encode(s)
  return (s:gsub("[^%w%-%._~ ]", function(c)
    return string.format("%%%02X", string.byte(c))
  end):gsub(" ", "+"))
end

-- Main state: one line for the runner, after wrk's own report.
function report.done(summary, latency, requests)
  local statuses = {}
  local ok, non2xx, accepted, generated = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    accepted = accepted + (thread:get("bench_outcome_accepted") or 0)
    generated = generated + (thread:get("bench_generated") or 0)
    local counts = thread:get("bench_statuses") or {}
    for status, n in pairs(counts) do
      statuses[status] = (statuses[status] or 0) + n
      if status >= 200 and status < 300 then
        ok = ok + n
      else
        non2xx = non2xx + n
      end
    end
  end

  local keys = {}
  for status in pairs(statuses) do
    table.insert(keys, status)
  end
  table.sort(keys)
  local parts = {}
  for _, status in ipairs(keys) do
    table.insert(parts, string.format("%d:%d", status, statuses[status]))
  end

  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_s=%.3f rps=%.1f ok_2xx=%d non_2xx=%d outcome_accepted=%d generated=%d err_connect=%d err_read=%d err_write=%d err_timeout=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f statuses=%s\n",
    summary.requests, seconds, summary.requests / seconds, ok, non2xx, accepted, generated,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000,
    #parts > 0 and table.concat(parts, ",") or "none"))
end

return report
