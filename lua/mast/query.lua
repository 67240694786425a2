--- mast.query: send one request to MAST's invoke endpoint and return its answer.
local core = require "mast.core"
local hints = require "mast.hints"
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
local REQUEST_NAMES = {}
for k in pairs(REQUEST_KEYS) do REQUEST_NAMES[#REQUEST_NAMES + 1] = k end
table.sort(REQUEST_NAMES)
local FORMATS = { json = true, csv = true, votable = true, extjs = true }
local O = require "mast.options"
local V = O.validators
local OPTS = { deadline = V.deadline, progress = V.progress, concurrency = V.concurrency }

local function usage(msg)
  O.usage("mast.query", msg)
end

local function check(request)
  if type(request) ~= "table" then
    usage(("the request must be a table such as {service = 'Mast.Caom.Cone', params = {...}}, got %s")
      :format(O.describe(request)))
  end
  local service = request.service
  if service == nil then
    usage("the request has no service (e.g. service = 'Mast.Caom.Cone')")
  elseif type(service) ~= "string" or service == "" then
    usage("request.service must be a non-empty string, got " .. O.describe(service))
  end
  for k in pairs(request) do
    if type(k) ~= "string" or not REQUEST_KEYS[k] then
      local hint = O.suggest(k, REQUEST_NAMES)
      usage(("unknown request key '%s'%s"):format(tostring(k),
        hint and (" (did you mean '" .. hint .. "'?)") or ""))
    end
  end
  if request.params ~= nil and type(request.params) ~= "table" then
    usage("request.params must be a table, got " .. O.describe(request.params))
  end
  if request.format ~= nil and not FORMATS[request.format] then
    usage(("request.format must be json, csv, votable or extjs, got %s"):format(O.describe(request.format)))
  end
end

-- Adds the service name to an error from below, and a hint for network trouble.
local function annotate(e, service)
  if core.is_error(e) and not e.service then
    e.service = service
    e.message = service .. ": " .. e.message
    hints.add(e, "mast")
  end
  return e
end

--- Encodes a request exactly as mast.query sends it: the form body bytes.
function M.encode(request)
  check(request)
  local req = {}
  for k, v in pairs(request) do req[k] = v end
  if req.format == nil then req.format = "json" end
  -- MAST's schema: an empty params.filters, a filter's values, an upload's
  -- fields and data are arrays
  return "request=" .. core.urlencode(core.json_encode(req, "request", {
    empty_array_keys = { "values", "filters", "fields", "data" }, empty_array_depth = 2 }))
end

-- What one answer means: ("done", value) | ("executing", percent) | ("error", err).
-- A json or extjs answer arrives already decoded (r.value), straight from the
-- transfer's buffer; csv and votable arrive as text (r.body).
local function interpret(slot, r)
  local format = slot.format
  local answer
  if r.json_error then return "error", r.json_error end
  if r.value ~= nil then
    answer = r.value
  else
    local text = r.body
    -- a csv or votable request may still be answered with a JSON envelope
    if text:match("^%s*{") then
      local ok, decoded = pcall(core.json_decode, text, "the response of " .. slot.service)
      if ok then answer = decoded end
    end
    if type(answer) ~= "table" then return "done", text end
  end
  if type(answer) ~= "table" then return "done", answer end
  local status = answer.status
  if status == "EXECUTING" then return "executing", answer["percent complete"] end
  if status == "ERROR" then
    local msg = answer.msg
    if type(msg) ~= "string" or msg == "" then msg = "MAST gave no reason" end
    return "error", core.error("mast", "MAST reported an error: " .. msg, { msg = answer.msg })
  end
  if format ~= "json" and format ~= "extjs" then return "done", r.body end
  return "done", result.wrap(answer, slot.service)
end

-- Runs the slots ({service, body, format}) concurrently over one multi handle:
-- every slot still EXECUTING is sent again, identical bytes, after a backoff,
-- until all are done or the deadline passes. Fills slot.value or slot.err.
local function run(slots, opts)
  local url = core.config("base_url") .. INVOKE
  local deadline = opts.deadline or require("mast.config").get("deadline")
  local t_end = core.now() + deadline
  local delay = FIRST_DELAY
  local label = #slots == 1 and slots[1].service or (#slots .. " queries")
  local waiting = opts.progress ~= false and progress.waiting(label) or nil
  local pending, polls = slots, 0
  local ok, err = pcall(function()
    while #pending > 0 do
      local left = t_end - core.now()
      if left <= 0 then break end
      local specs = {}
      for i, slot in ipairs(pending) do
        specs[i] = { method = "POST", url = url, body = slot.body, content_type = FORM,
                     label = slot.service,
                     decode = (slot.format == "json" or slot.format == "extjs") and "json" or nil }
      end
      local results = core.perform(specs, { deadline = left, concurrency = opts.concurrency })
      local still, percent = {}, nil
      for i, r in ipairs(results) do
        local slot = pending[i]
        if not r.ok then
          if r.error.code == "cancelled" then error(annotate(r.error, slot.service), 0) end
          slot.err = annotate(r.error, slot.service)
        else
          local what, v = interpret(slot, r)
          if what == "done" then slot.value = v
          elseif what == "error" then slot.err = annotate(v, slot.service)
          else
            still[#still + 1] = slot
            percent = v
          end
        end
      end
      pending = still
      if #pending > 0 then
        polls = polls + 1
        if waiting then waiting:update(#slots == 1 and percent or nil, polls) end
        if core.now() + delay > t_end then break end
        core.sleep(delay)
        delay = math.min(delay * 2, MAX_DELAY)
      end
    end
  end)
  if waiting then waiting:done() end
  if not ok then error(err, 0) end
  for _, slot in ipairs(pending) do
    slot.err = annotate(core.error("timeout",
      ("still EXECUTING when the %g s deadline passed (%d polls); MAST is still working on it: "
       .. "raise the deadline (mast.config{deadline = ...} or the query's opts.deadline) "
       .. "or narrow the query"):format(deadline, polls)), slot.service)
  end
end

local function slot_of(request)
  return { service = request.service, body = M.encode(request), format = request.format or "json" }
end

--- mast.query(request [, opts]) -> result
-- request: a MAST request table ({service=..., params=..., format=..., pagesize=..., page=...}).
-- opts.deadline: seconds for the whole query, polling included (default: the deadline setting).
-- opts.progress: false to show nothing while MAST is EXECUTING.
-- A json answer comes back decoded (a mast.Result for datasets); csv and votable as text.
function M.query(request, opts)
  check(request)
  opts = O.options("mast.query", opts, OPTS)
  local slot = slot_of(request)   -- one encoding: every poll sends identical bytes
  run({ slot }, opts)
  if slot.err then error(slot.err, 0) end
  return slot.value
end

--- mast.query_many(requests [, opts]) -> list
-- Runs independent queries concurrently (opts.concurrency at once, default
-- the concurrency setting) and returns their answers in order; a query that
-- failed has its error object in its slot (test with mast.is_error).
function M.query_many(requests, opts)
  if type(requests) ~= "table" then
    O.usage("mast.query_many", "takes a list of requests, got " .. O.describe(requests))
  end
  opts = O.options("mast.query_many", opts, OPTS)
  local slots = {}
  for i, request in ipairs(requests) do
    local ok, e = pcall(check, request)
    if not ok then
      e.message = e.message:gsub("^mast%.query: ", ("mast.query_many: request %d: "):format(i))
      error(e, 2)
    end
    slots[i] = slot_of(request)
  end
  run(slots, opts)
  local out = {}
  for i, slot in ipairs(slots) do out[i] = slot.err or slot.value end
  return out
end

return M
