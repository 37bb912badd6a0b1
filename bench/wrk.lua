-- wrk.lua: one wrk script for every run of the benchmark.  BENCH_MODE says
-- what each connection does (run wrk with -t N -c N: one connection per
-- thread, each a child of its own, from BENCH_CHILDREN):
--   plain     GET the path given on the command line
--   question  GET /q with the child's session
--   answer    POST an answer (CSRF token, alternating between two options,
--             so every POST writes), then GET /q: the full answer step
--   summary   GET the path (a child's summary) with the professional's
--             session (BENCH_STAFF); BENCH_DELAY ms between requests makes
--             it the steady second load beside the children's answers
-- Every run prints one JSON line at the end: requests, seconds, errors,
-- unexpected statuses, p50 and p99 latency in microseconds.
local mode = os.getenv("BENCH_MODE") or "plain"
local children = os.getenv("BENCH_CHILDREN")
local threads = {}
local n = 0

function setup(thread)
  n = n + 1
  thread:set("id", n)
  threads[#threads + 1] = thread
end

local me, step = nil, 0
bad = 0	-- global: done() reads it from each thread

function init(args)
  bad = 0
  if mode == "plain" then return end
  if mode == "summary" then
    wrk.headers["Cookie"] = "beratta_staff=" .. os.getenv("BENCH_STAFF")
    return
  end
  local i = 0
  for line in io.lines(children) do
    i = i + 1
    if i == id then
      local cookie, csrf, q, a, b = line:match("^(%S+) (%S+) (%S+) (%S+) (%S+)%s*$")
      me = { cookie = cookie, csrf = csrf, q = q, a = a, b = b }
    end
  end
  assert(me, "no child for connection " .. tostring(id))
  wrk.headers["Cookie"] = "beratta=" .. me.cookie
end

function request()
  if mode == "question" then
    return wrk.format("GET", "/q")
  elseif mode == "answer" then
    step = step + 1
    if step % 2 == 1 then
      local value = (step % 4 == 1) and me.a or me.b
      return wrk.format("POST", "/answer",
        { ["Content-Type"] = "application/x-www-form-urlencoded" },
        "csrf=" .. me.csrf .. "&q=" .. me.q .. "&answer=" .. value)
    end
    return wrk.format("GET", "/q")
  end
  return wrk.format(nil)
end

local pause = tonumber(os.getenv("BENCH_DELAY") or "")
if pause then
  function delay() return pause end
end

function response(status, headers, body)
  local want = 200
  if mode == "answer" and step % 2 == 1 then want = 303 end
  if status ~= want then bad = bad + 1 end
end

function done(summary, latency, requests)
  local unexpected = 0
  for _, t in ipairs(threads) do unexpected = unexpected + (t:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"errors":%d,"unexpected":%d,"p50":%d,"p99":%d}\n',
    summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.status + e.timeout, unexpected,
    latency:percentile(50), latency:percentile(99)))
end
