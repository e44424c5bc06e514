-- A signed-in clinician's session for wrk: `make bench` runs one connection per thread, so each
-- thread is one clinician going round this loop: training pages, the directory, a quiz answered
-- and submitted, a screening checklist filled in and submitted, its result, the start page.
-- Arguments: a file of "sessionid csrftoken module-slug" lines, one per clinician; or
-- "--minimal" for the baseline, which only asks for the URL given to wrk, signed out.
-- An answer other than the expected status is counted as an error and reported by done(), with
-- wrk's socket errors and timeouts; `make bench` writes no report if any run has one.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("index", #threads)
end

local steps = {
  { "GET", "/training/" },
  { "GET", "/training/%s/" },
  { "GET", "/training/%s/page/1/" },
  { "GET", "/referrals/" },
  { "GET", "/training/%s/quiz/", capture = true },
  { "POST", "/training/%s/quiz/", expect = 302 },
  { "GET", "/screening/new/", capture = true },
  { "POST", "/screening/new/", expect = 302, follow = true },
  { "GET", nil },  -- the screening's result page, from the redirect
  { "GET", "/" },
}

local step, cookie, slug, form, location = 0, nil, "", nil, nil
errors, requests_made, last_error = 0, 0, ""

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

-- Fill in a form as a hurried user would: keep hidden fields, tick the first option of each
-- group of radios or checkboxes.
local function fill(body)
  local fields, seen = {}, {}
  for tag in body:gmatch("<input[^>]*>") do
    local kind = tag:match('type="([^"]*)"') or "text"
    local name = tag:match('name="([^"]*)"')
    local value = tag:match('value="([^"]*)"') or ""
    if name and (kind == "hidden" or ((kind == "radio" or kind == "checkbox") and not seen[name])) then
      seen[name] = true
      table.insert(fields, encode(name) .. "=" .. encode(value))
    end
  end
  return table.concat(fields, "&")
end

function init(args)
  if args[1] == "--minimal" then
    steps = { { "GET", wrk.path } }
    return
  end
  local lines = {}
  for line in io.lines(args[1]) do table.insert(lines, line) end
  local mine = lines[((index - 1) % #lines) + 1]
  local session, csrf
  session, csrf, slug = mine:match("(%S+) (%S+) (%S+)")
  cookie = "sessionid=" .. session .. "; csrftoken=" .. csrf
end

function request()
  step = step % #steps + 1
  local s = steps[step]
  local path = s[2] and string.format(s[2], slug) or location
  local headers = { Cookie = cookie }
  if s[1] == "POST" then
    if not form then  -- the form did not load: ask for it again rather than post nothing
      step = step - 1
      return wrk.format("GET", path, headers)
    end
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = form
    form = nil
    return wrk.format("POST", path, headers, body)
  end
  if not path then path = "/" end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  requests_made = requests_made + 1
  local s = steps[step]
  if status ~= (s.expect or 200) then
    errors = errors + 1
    last_error = status .. " " .. s[1] .. " " .. (s[2] or tostring(location))
    return
  end
  if s.capture then form = fill(body) end
  if s.follow then location = headers["Location"] end
end

function done(summary, latency, requests)
  local errs, made, sample = 0, 0, ""
  for _, thread in ipairs(threads) do
    errs = errs + thread:get("errors")
    made = made + thread:get("requests_made")
    local e = thread:get("last_error")
    if e ~= "" then sample = e end
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "unexpected_status": %d, "socket_errors": %d, '
      .. '"timeouts": %d, "non_2xx_3xx": %d, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, '
      .. '"checked": %d, "sample_error": "%s"}\n',
    summary.requests, summary.duration / 1e6, errs,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, made, sample:gsub('"', "'")))
end
