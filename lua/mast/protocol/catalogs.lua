--- mast.protocol.catalogs: catalogs.mast (catalogs.mast.stsci.edu), as a protocol for mast.transport.
-- A request is {catalog = "panstarrs", release = "dr2", table = "mean", params = {k = v | {v...}}},
-- sent as a GET of <catalogs_url>/api/v0.1/<catalog>/<release>/<table>.json?<params>
-- (a list value is repeated: columns=a&columns=b). The answer {info = {{name, type,
-- db_type, description}}, data = {{...}, ...}} (rows as arrays) becomes a mast.Result
-- with rows keyed by name and typed by info: the service writes 64-bit columns
-- ("long") as JSON strings, which come back as exact Lua integers. Pages are
-- page/pagesize; the answer gives no total, so `all` asks page after page until one
-- comes back short. An HTTP error (422 for bad input) is the engine's "http" error
-- with the start of the server's answer.
local core = require "mast.core"
local dataset = require "mast.dataset"

local M = { _NAME = "mast.protocol.catalogs", name = "catalogs", family = "mast",
            backoff = { first = 0.25, max = 4 }, concurrency = 4 }

M.DEFAULT_PAGESIZE = 50000
local INT = { long = true, int = true, short = true, unsignedByte = true, bit = true }
local FLOAT = { float = true, double = true }

--- The URL of a catalog table's endpoint (suffix ".json" or "/metadata.json").
function M.url(catalog, release, tbl, suffix)
  local base = require("mast.config").get("catalogs_url")
  return ("%s/api/v0.1/%s/%s/%s%s"):format(base, catalog, release, tbl, suffix)
end

local function query_string(params)
  local keys, parts = {}, {}
  for k in pairs(params) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local v = params[k]
    local list = type(v) == "table" and v or { v }
    for _, x in ipairs(list) do
      local text = type(x) == "number" and require("mast.options").number_text(x) or tostring(x)
      parts[#parts + 1] = core.urlencode(k, "") .. "=" .. core.urlencode(text, "")
    end
  end
  return table.concat(parts, "&")
end

function M.build(request)
  local label = ("%s %s/%s"):format(request.catalog, request.release, request.table)
  local q = query_string(request.params)
  return {
    spec = { url = M.url(request.catalog, request.release, request.table, ".json") .. (q ~= "" and "?" .. q or ""),
             headers = { "Accept: application/json" }, decode = "json", label = label },
    label = label, context = { service = label }, request = request,
  }
end

local function typed(v, t)
  if v == nil or v == core.null then return core.null end
  if INT[t] then
    if math.type(v) == "integer" then return v end
    if type(v) == "string" and v:match("^%-?%d+$") then
      local n = math.tointeger(tonumber(v))
      if n then return n end
    end
    if type(v) == "number" and v == math.floor(v) and math.abs(v) < 2 ^ 53 then return math.tointeger(v) end
    return v
  end
  if FLOAT[t] and type(v) == "string" then return tonumber(v) or v end
  return v
end

local TYPE_WORD = { char = "string", unicodeChar = "string", boolean = "boolean" }

function M.interpret(item, r)
  if r.json_error then return "error", r.json_error end
  local a = r.value
  if type(a) ~= "table" or type(a.info) ~= "table" or type(a.data) ~= "table" then
    return "error", core.error("json", item.label .. " answered without {info, data}")
  end
  local fields, names, types = {}, {}, {}
  for i, f in ipairs(a.info) do
    names[i], types[i] = f.name, f.type
    fields[i] = { name = f.name, type = INT[f.type] and "int" or FLOAT[f.type] and "float" or TYPE_WORD[f.type]
                  or "string", datatype = f.type, description = f.description }
  end
  local rows = {}
  for k, arr in ipairs(a.data) do
    local row = {}
    if type(arr) == "table" and arr[1] == nil and next(arr) ~= nil then   -- rows as objects
      for i, n in ipairs(names) do row[n] = typed(arr[n], types[i]) end
    else
      for i, n in ipairs(names) do row[n] = typed(arr[i], types[i]) end
    end
    rows[k] = row
  end
  return "done", dataset.result(rows, fields, item.label)
end

local copy = require("mast.transport").copy

function M.first_page(request, opts)
  local r = copy(request)
  r.params = copy(request.params)
  r.params.pagesize = opts.pagesize or request.params.pagesize or M.DEFAULT_PAGESIZE
  r.params.page = request.params.page or 1
  return r
end

-- No total in the answer: the transport's all() gets the next page only; the
-- wrapper (mast.panstarrs) asks page after page until a short one.
function M.paginate() return nil end

return M
