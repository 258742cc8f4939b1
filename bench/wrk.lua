-- wrk's script for bench.run: GET the paths of a file in turn, each with its
-- session cookie if it has one, as behind the HTTPS proxy; at the end, one
-- line of JSON with the counts and the latency percentiles.
--
--   wrk -t2 -c32 -d10s -s bench/wrk.lua http://127.0.0.1:8000 -- requests.tsv
--
-- requests.tsv: one request a line, "<path>" or "<path><TAB><Cookie header>".
-- Every response that is not a 200 counts as unexpected: a lost session
-- (a redirect to the login page) must not pass for a fast page.

local threads = {}
local created = 0

function setup(thread)
  thread:set("id", created)
  created = created + 1
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]*)\t?(.*)$")
    local headers = { ["X-Forwarded-Proto"] = "https" }
    if cookie ~= "" then
      headers["Cookie"] = cookie
    end
    table.insert(requests, wrk.format("GET", path, headers))
  end
  -- Each thread starts elsewhere in the list: two threads do not send the
  -- same session's requests in step.
  position = (id * 7) % #requests
  unexpected = 0
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  if status ~= 200 then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("unexpected")
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "timeouts": %d, "unexpected": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, errors.connect + errors.read + errors.write, errors.timeout, bad,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)
  ))
end
