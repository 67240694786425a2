--- mast.protocol.tap: MAST's VO-TAP service (<base_url>/vo-tap/api/v0.1/<catalog>), as a
-- protocol for mast.transport. TAP 1.1 with UWS 1.1 jobs (protocol doc §7a).
-- A request is one of
--   {kind = "sync", catalog, query, maxrec}   POST <catalog>/sync, the answer a VOTable
--   {kind = "poll", catalog, job = <url>}      GET <job>?WAIT=..: "again" until the job is
--                                              COMPLETED (then its result), ERROR or ABORTED
--   {kind = "result", catalog, url}             GET a job's result VOTable
-- The form fields are named as the service's OpenAPI document names them (LANG, QUERY,
-- MAXREC, responseformat). Errors: a VOTable whose QUERY_STATUS is ERROR (the service's
-- 400), FastAPI's 422 {"detail": [{loc, msg}]}, or a job's errorSummary, each with the
-- server's own text.
local core = require "mast.core"

local M = { _NAME = "mast.protocol.tap", name = "tap", family = "mast",
            -- the WAIT of a poll does the waiting: the backoff between polls stays short
            backoff = { first = 0.05, max = 1 } }

M.MAXREC = 100000   -- the service's default and maximum (its OpenAPI document)
M.WAIT = 5          -- seconds a poll asks the server to hold the answer (UWS WAIT)
local FORM = "application/x-www-form-urlencoded"

function M.root()
  return require("mast.config").get("base_url") .. "/vo-tap/api/v0.1"
end

function M.url(catalog, sub)
  return ("%s/%s%s"):format(M.root(), catalog, sub and ("/" .. sub) or "")
end

--- form{{k, v}, ...} -> the urlencoded body (fields in the order given).
function M.form(fields)
  local parts = {}
  for i, kv in ipairs(fields) do
    parts[i] = core.urlencode(kv[1], "") .. "=" .. core.urlencode(tostring(kv[2]), "")
  end
  return table.concat(parts, "&")
end

--- The fields of a query (sync, or the creation of a job).
function M.query_fields(request)
  local f = { { "LANG", "ADQL" }, { "QUERY", request.query }, { "responseformat", "votable" } }
  if request.maxrec then f[#f + 1] = { "MAXREC", math.tointeger(request.maxrec) } end
  if request.runid then f[#f + 1] = { "RUNID", request.runid } end
  return f
end

function M.build(request)
  local label = request.catalog .. " TAP"
  local spec
  if request.kind == "sync" then
    spec = { url = M.url(request.catalog, "sync"), method = "POST", content_type = FORM,
             body = M.form(M.query_fields(request)) }
  elseif request.kind == "poll" then
    spec = { url = request.job .. "?WAIT=" .. M.WAIT }
    label = request.catalog .. " TAP job"
  else
    spec = { url = request.url }
  end
  spec.any_status, spec.label = true, label
  return { spec = spec, label = label, context = { service = label }, request = request }
end

-- The server's text of an error answer: a VOTable's QUERY_STATUS, FastAPI's detail, or the body.
function M.server_text(body)
  body = body or ""
  local ok, t = pcall(core.votable_decode, body)
  if ok and t.status_text and t.status_text ~= "" then return t.status_text end
  local okj, j = pcall(core.json_decode, body)
  if okj and type(j) == "table" and j.detail ~= nil then
    if type(j.detail) == "string" then return j.detail end
    local parts = {}
    for _, d in ipairs(type(j.detail) == "table" and j.detail or {}) do
      local loc = type(d.loc) == "table" and table.concat(d.loc, ".", 2) or nil
      parts[#parts + 1] = (loc and loc ~= "" and (loc .. ": ") or "") .. tostring(d.msg)
    end
    if #parts > 0 then return table.concat(parts, "; ") end
  end
  return (body:gsub("%s+", " "):sub(1, 300))
end

local function http_error(item, r)
  return core.error("http", ("%s answered HTTP %d: %s"):format(item.label, r.status, M.server_text(r.body)),
    { status = r.status })
end

--- The dataset of a VOTable answer (mast.votable's shape), or a mast error.
function M.table(body, label)
  local ok, t = pcall(core.votable_decode, body, label)
  if not ok then return nil, t end
  if t.status == "ERROR" then
    return nil, core.error("http", label .. " answered an ERROR: " .. (t.status_text or "(no text)"))
  end
  local r = require("mast.dataset").result(t.data, t.fields, label)
  r.info, r.votable_status, r.status_text = t.info, t.status, t.status_text
  r.overflow = t.status == "OVERFLOW"
  return r
end

--- The first child element of el (a core.xml_decode element) named name, or nil.
function M.child(el, name)
  for _, c in ipairs(el) do
    if c.name == name then return c end
  end
end
local first = M.child

--- The phase of a UWS job document, its result URL and its error message.
function M.job(body)
  local ok, doc = pcall(core.xml_decode, body, "the TAP job")
  if not ok then return nil, doc end
  if doc.name ~= "job" then
    return nil, core.error("json", "the TAP job's answer is a <" .. doc.name .. ">, not a UWS job")
  end
  local phase = first(doc, "phase")
  local out = { phase = phase and phase.text:upper() or nil, id = (first(doc, "jobId") or {}).text }
  local results = first(doc, "results")
  for _, res in ipairs(results or {}) do
    if res.attr.id == "result" or not out.result then out.result = res.attr["xlink:href"] end
  end
  local summary = first(doc, "errorSummary")
  local message = summary and first(summary, "message")
  out.message = message and message.text or nil
  return out
end

function M.interpret(item, r)
  local req = item.request
  if r.status >= 400 then return "error", http_error(item, r) end
  if req.kind == "poll" then
    local job, err = M.job(r.body)
    if not job then return "error", err end
    if job.phase == "COMPLETED" then return "done", job end
    if job.phase == "ERROR" then
      return "error", core.error("http", ("the TAP job on %s failed: %s"):format(req.catalog,
        job.message or "(no message; see the job's error document)"))
    end
    if job.phase == "ABORTED" then
      return "error", core.error("cancelled", "the TAP job on " .. req.catalog .. " was aborted")
    end
    if job.phase == "PENDING" or job.phase == "QUEUED" or job.phase == "EXECUTING" or job.phase == "HELD"
        or job.phase == "SUSPENDED" then
      return "again", { state = job.phase }
    end
    return "error", core.error("json", "the TAP job is in an unknown phase " .. tostring(job.phase))
  end
  local t, err = M.table(r.body, item.label)
  if not t then return "error", err end
  return "done", t
end

return M
