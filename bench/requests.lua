-- wrk script: sends the requests listed in the file named by BENCH_REQUESTS, one per line
-- ("METHOD<TAB>PATH<TAB>COOKIE<TAB>BODY"), in turn; a weighted mix lists a request as often as its weight.
-- Each wrk thread starts at a different line, so the threads do not move in step.
local requests = {}
local position = 0
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do table.insert(fields, field) end
  return fields
end

function init(args)
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local f = split(line)
    local headers = {}
    if f[3] ~= "" then headers["Cookie"] = f[3] end
    if f[1] == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
    table.insert(requests, wrk.format(f[1], f[2], headers, f[4] ~= "" and f[4] or nil))
  end
  position = (id * 7919) % #requests
  -- BENCH_THREADS set (the booking POST): each thread sends only its own share of the lines, so no two
  -- threads send the same booking.
  local share = tonumber(os.getenv("BENCH_THREADS") or "")
  if share then
    local own = {}
    for i, line in ipairs(requests) do
      if (i - 1) % share == id then table.insert(own, line) end
    end
    requests, position = own, 0
  end
end

function request()
  position = position % #requests + 1
  return requests[position]
end
