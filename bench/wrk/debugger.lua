-- wrk script: Twilio Debugger (twilio-errors) webhooks, one event per request.
--
--   wrk -t2 -c64 -d20s --latency -s bench/wrk/debugger.lua http://127.0.0.1:PORT -- '/hooks/ID?token=T'
--
-- The path (with its query) comes from the first script argument, else $WEBHOOK_PATH, else the
-- URL's own path. Every request carries a unique Sid (NO + 32 hex: run nonce, thread number,
-- counter), because a repeated Sid is a duplicate by design and would open nothing.
-- The body is shaped after shared/fixtures/twilio-errors/01-error-11200.http but written here.

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")

setup = report.setup
response = report.response
done = report.done

local path
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8" }
local before_sid, after_sid

function init(args)
  path = args[1] or os.getenv("WEBHOOK_PATH") or wrk.path

  local url = "https://bench.example.com/voice/answer"
  local msg = "An attempt to retrieve content from " .. url .. " returned the HTTP status code 502"
  local payload = '{"resource_sid":"CA0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e","service_sid":null,"error_code":"11200",'
    .. '"more_info":{"Msg":"' .. msg .. '","msg":"' .. msg .. '","sourceComponent":"12000","ErrorCode":"11200",'
    .. '"httpResponse":"502","url":"' .. url .. '","LogLevel":"ERROR"},'
    .. '"webhook":{"type":"application/json","request":{"url":"' .. url .. '","method":"POST","headers":{},'
    .. '"parameters":{"CallSid":"CA0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"}},'
    .. '"response":{"status_code":502,"headers":{},"body":"Bad Gateway"}}}'

  local enc = report.form_encode
  before_sid = "AccountSid=AC5e2f9a0b1c2d3e4f5a6b7c8d9e0f1a2b"
    .. "&Level=ERROR"
    .. "&ParentAccountSid="
    .. "&Payload=" .. enc(payload)
    .. "&PayloadType=" .. enc("application/json")
    .. "&Sid=NO"
  after_sid = "&Timestamp=" .. enc(os.date("!%Y-%m-%dT%H:%M:%SZ"))
end

function request()
  return wrk.format("POST", path, headers, before_sid .. report.next_id() .. after_sid)
end
