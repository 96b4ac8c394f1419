-- wrk script: Prometheus Alertmanager v2 API, one alert per request.
--
--   wrk -t2 -c64 -d20s --latency -s bench/wrk/alertmanager.lua http://127.0.0.1:9093
--
-- POSTs a JSON array with one alert to /api/v2/alerts (or the first script argument / $ALERTS_PATH).
-- Each alert has a unique bench_id label, so every request is a distinct alert, not a repeat of
-- the last one; startsAt is now. The annotations carry the same Twilio text as debugger.lua so the
-- two bodies are of a similar kind.

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")

setup = report.setup
response = report.response
done = report.done

local path
local headers = { ["Content-Type"] = "application/json" }
local before_id, after_id
local last_second, starts_at

function init(args)
  path = args[1] or os.getenv("ALERTS_PATH") or "/api/v2/alerts"
  local msg = "An attempt to retrieve content from https://bench.example.com/voice/answer returned the HTTP status code 502"
  before_id = '[{"labels":{"alertname":"TwilioError11200","severity":"high","source":"bench","bench_id":"'
  after_id = '"},"annotations":{"summary":"Twilio 11200: ' .. msg .. '",'
    .. '"resource_sid":"CA0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e","error_code":"11200"},'
    .. '"generatorURL":"https://bench.example.com/voice/answer","startsAt":"'
end

function request()
  local now = os.time()
  if now ~= last_second then
    last_second = now
    starts_at = os.date("!%Y-%m-%dT%H:%M:%SZ", now)
  end
  return wrk.format("POST", path, headers, before_id .. report.next_id() .. after_id .. starts_at .. '"}]')
end
