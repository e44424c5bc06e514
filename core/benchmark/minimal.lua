-- The baseline for wrk: the minimal view, counted the same way as the clinician mix.
local threads = {}
function setup(thread) table.insert(threads, thread) end
errors, requests_made, last_error = 0, 0, ""
function response(status, headers, body)
  requests_made = requests_made + 1
  if status ~= 200 then errors = errors + 1; last_error = tostring(status) end
end
function done(summary, latency, requests)
  local errs, made = 0, 0
  for _, thread in ipairs(threads) do
    errs = errs + thread:get("errors")
    made = made + thread:get("requests_made")
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "unexpected_status": %d, "socket_errors": %d, '
      .. '"non_2xx_3xx": %d, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "checked": %d, '
      .. '"sample_error": ""}\n',
    summary.requests, summary.duration / 1e6, errs,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, made))
end
