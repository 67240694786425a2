--- mast.query: send one request to MAST's invoke endpoint and return its answer.
local core = require "mast.core"
local result = require "mast.result"
local progress = require "mast.progress"

local M = {}

local INVOKE = "/api/v0/invoke"
local FORM = "application/x-www-form-urlencoded"
local FIRST_DELAY, MAX_DELAY = 0.25, 4   -- EXECUTING backoff, seconds

-- The request keys MAST's MashupRequest understands (and astroquery's
-- camel-case cacheBreaker). Anything else is a misspelling.
local REQUEST_KEYS = {
  service = true, params = true, format = true, pagesize = true, page = true,
  removenullcolumns = true, timeout = true, clearcache = true, removecache = true,
  cachebreaker = true, cacheBreaker = true, data = true, filename = true, filetype = true,
  attachment = true, columnsconfigid = true, columnsconfig = true,
}
local FORMATS = { json = true, csv = true, votable = true, extjs = true }
local OPTS = { deadline = true, progress = true }

local function usage(msg, level)
  error(core.error("usage", "mast.query: " .. msg), (level or 1) + 1)
end

local function closest(word, set)
  local best, bestd
  for k in pairs(set) do
    -- a cheap distance: length difference plus differing letters position by position
    local d = math.abs(#k - #word)
    for i = 1, math.min(#k, #word) do
      if k:sub(i, i):lower() ~= word:sub(i, i):lower() then d = d + 1 end
    end
    if not bestd or d < bestd then best, bestd = k, d end
  end
  if bestd and bestd <= 3 then return best end
end

local function check(request, opts)
  if type(request) ~= "table" then
    usage(("the request must be a table such as {service = 'Mast.Caom.Cone', params = {...}}, got %s")
      :format(request == nil and "nil" or type(request)), 3)
  end
  local service = request.service
  if service == nil then
    usage("the request has no service (e.g. service = 'Mast.Caom.Cone')", 3)
  elseif type(service) ~= "string" or service == "" then
    usage("request.service must be a non-empty string, got " .. type(service), 3)
  end
  for k in pairs(request) do
    if type(k) ~= "string" or not REQUEST_KEYS[k] then
      local hint = type(k) == "string" and closest(k, REQUEST_KEYS)
      usage(("unknown request key '%s'%s"):format(tostring(k),
        hint and (" (did you mean '" .. hint .. "'?)") or ""), 3)
    end
  end
  if request.params ~= nil and type(request.params) ~= "table" then
    usage("request.params must be a table, got " .. type(request.params), 3)
  end
  if request.format ~= nil and not FORMATS[request.format] then
    usage(("request.format must be json, csv, votable or extjs, got '%s'"):format(tostring(request.format)), 3)
  end
  if opts ~= nil then
    if type(opts) ~= "table" then usage("options must be a table, got " .. type(opts), 3) end
    for k in pairs(opts) do
      if not OPTS[k] then usage(("unknown option '%s' (known: deadline, progress)"):format(tostring(k)), 3) end
    end
    if opts.deadline ~= nil and (type(opts.deadline) ~= "number" or opts.deadline <= 0) then
      usage("opts.deadline must be a positive number of seconds", 3)
    end
  end
  return service
end

-- Adds the service name to an error raised below us, and a hint for network trouble.
local function rethrow(e, service)
  if core.is_error(e) then
    e.service = service
    local msg = service .. ": " .. e.message
    if e.code == "network" then
      msg = msg .. " (is the network up, and is base_url " .. tostring(core.config("base_url")) .. " right?)"
    end
    e.message = msg
  end
  error(e, 0)
end

--- Encodes a request exactly as mast.query sends it: the form body bytes.
function M.encode(request)
  check(request, nil)
  local req = {}
  for k, v in pairs(request) do req[k] = v end
  if req.format == nil then req.format = "json" end
  return "request=" .. core.urlencode(core.json_encode(req, "request"))
end

--- mast.query(request [, opts]) -> result
-- request: a MAST request table ({service=..., params=..., format=..., pagesize=..., page=...}).
-- opts.deadline: seconds for the whole query, polling included (default: the deadline setting).
-- opts.progress: false to show nothing while MAST is EXECUTING.
-- A json answer comes back decoded (a mast.Result for datasets); csv and votable as text.
function M.query(request, opts)
  local service = check(request, opts)
  opts = opts or {}
  local body = M.encode(request)   -- one encoding: every poll sends identical bytes
  local format = request.format or "json"
  local url = core.config("base_url") .. INVOKE
  local deadline = opts.deadline or core.config("deadline")
  local t_end = core.now() + deadline
  local delay = FIRST_DELAY
  local waiting = opts.progress ~= false and progress.waiting(service) or nil
  local polls = 0

  local function finish(value)
    if waiting then waiting:done() end
    return value
  end
  local function fail(e)
    if waiting then waiting:done() end
    rethrow(e, service)
  end

  while true do
    local left = t_end - core.now()
    if left <= 0 then break end
    local ok, r = pcall(core.request, {
      method = "POST", url = url, body = body, content_type = FORM, label = service,
    }, { deadline = left })
    if not ok then fail(r) end
    local text = r.body
    local answer
    if format == "json" or format == "extjs" or text:match("^%s*{") then
      local dok, decoded = pcall(core.json_decode, text, "the response of " .. service)
      if dok then
        answer = decoded
      elseif format == "json" or format == "extjs" then
        fail(decoded)
      end
    end
    if type(answer) ~= "table" then return finish(text) end   -- csv, votable
    local status = answer.status
    if status == "EXECUTING" then
      polls = polls + 1
      if waiting then waiting:update(answer["percent complete"], polls) end
      if core.now() + delay > t_end then break end
      local sok, serr = pcall(core.sleep, delay)
      if not sok then fail(serr) end
      delay = math.min(delay * 2, MAX_DELAY)
    elseif status == "ERROR" then
      local msg = answer.msg
      if type(msg) ~= "string" or msg == "" then msg = "MAST gave no reason" end
      fail(core.error("mast", "MAST reported an error: " .. msg, { msg = answer.msg }))
    elseif format ~= "json" and format ~= "extjs" then
      return finish(text)
    else
      return finish(result.wrap(answer, service))
    end
  end
  fail(core.error("timeout",
    ("still EXECUTING when the %g s deadline passed (%d polls); MAST is still working on it: "
     .. "raise the deadline (mast.config{deadline = ...} or the query's opts.deadline) "
     .. "or narrow the query"):format(deadline, polls)))
end

return M
