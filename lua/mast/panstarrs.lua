--- mast.panstarrs: Pan-STARRS1 (DR1, DR2) through catalogs.mast's API.
--   mast.panstarrs.cone{ra =, dec =, radius =, release = "dr2", table = "mean",
--                       criteria = {nDetections = {">", 5}, gMeanPSFMag = {14, 18}},
--                       columns = {...}, sort_by = {"-gMeanPSFMag"}, pagesize =, page =, all = true}
--   mast.panstarrs.search{criteria = {objID = ...}, ...}   (no position)
--   mast.panstarrs.columns{release =, table =}
-- Criteria: a value is equality, a list of strings any of them, {min, max} a
-- range (gte/lte), {op, x} with op one of > >= < <= = a comparison; they become
-- the API's <column>.gte=-style parameters. Column names are checked against
-- the table's metadata (once per process) before anything is sent.
local core = require "mast.core"
local O = require "mast.options"
local transport = require "mast.transport"
local proto = require "mast.protocol.catalogs"

local M = { _NAME = "mast.panstarrs" }
local V = O.validators

local TABLES = { dr1 = { mean = true, stack = true },
                 dr2 = { mean = true, stack = true, detection = true, forced_mean = true } }
local OPS = { [">"] = "gt", [">="] = "gte", ["<"] = "lt", ["<="] = "lte", ["="] = "eq" }
local meta_cache = {}
local MAX_RADIUS = 0.5

local function where(fn, opts)
  local release, tbl = opts.release or "dr2", opts.table or "mean"
  if not TABLES[release] then O.usage(fn, ("release must be 'dr1' or 'dr2', got %s"):format(O.describe(release))) end
  if not TABLES[release][tbl] then
    local names = {}
    for k in pairs(TABLES[release]) do names[#names + 1] = k end
    table.sort(names)
    O.usage(fn, ("Pan-STARRS %s has no table %s; it has %s"):format(release, O.describe(tbl),
      table.concat(names, ", ")))
  end
  return release, tbl
end

local function metadata(fn, release, tbl, opts)
  local key = release .. "/" .. tbl
  if not meta_cache[key] then
    local spec = { url = proto.url("panstarrs", release, tbl, "/metadata.json"), decode = "json",
                   label = "Pan-STARRS " .. key .. " columns" }
    local r = transport.fetch(fn, spec, opts)
    if type(r.value) ~= "table" then
      error(core.error("json", "the Pan-STARRS column list is not a JSON list", { fn = fn }), 0)
    end
    meta_cache[key] = r.value
  end
  return meta_cache[key]
end

local COLUMNS_OPTS = O.declare("mast.panstarrs.columns",
  { release = V.string, table = V.string, deadline = V.deadline })

--- mast.panstarrs.columns{release =, table =} -> Result of {name, type, unit, description}
function M.columns(opts)
  local fn = "mast.panstarrs.columns"
  opts = O.options(fn, opts, COLUMNS_OPTS)
  local release, tbl = where(fn, opts)
  local rows = {}
  for i, c in ipairs(metadata(fn, release, tbl, opts)) do
    rows[i] = { name = c.name, type = c.type or c.datatype, unit = (c.unit ~= "NULL" and c.unit) or core.null,
                description = c.description or core.null }
  end
  local fields = { { name = "name", type = "string" }, { name = "type", type = "string" },
                   { name = "unit", type = "string" }, { name = "description", type = "string" } }
  return require("mast.dataset").result(rows, fields, "Pan-STARRS " .. release .. "/" .. tbl)
end

local function check_names(fn, names, known, list, what)
  local out = {}
  for i, n in ipairs(names) do
    local real = known[n:lower()]
    if not real then
      local hint = O.suggest(n:lower(), list)
      O.usage(fn, ("%s: Pan-STARRS has no column '%s'%s"):format(what, n,
        hint and (" (did you mean '" .. known[hint] .. "'?)") or ""))
    end
    out[i] = real
  end
  return out
end

local OPTS = { ra = V.ra, dec = V.dec, radius = V.radius, release = V.string, table = V.string, criteria = V.table,
               columns = V.columns, sort_by = V.columns, pagesize = V.posint, page = V.posint, all = V.boolean,
               max_rows = V.posint, deadline = V.deadline, progress = V.progress }
O.declare("mast.panstarrs.cone", OPTS)
O.declare("mast.panstarrs.search", OPTS)

local list_of = O.list_of

local function run(fn, opts, needs_position)
  opts = O.options(fn, opts, OPTS)
  local release, tbl = where(fn, opts)
  local known, list = {}, {}
  for _, c in ipairs(metadata(fn, release, tbl, opts)) do
    known[c.name:lower()] = c.name
    list[#list + 1] = c.name:lower()
  end
  local params = {}
  if needs_position then
    if not (opts.ra and opts.dec and opts.radius) then O.usage(fn, "needs ra, dec and radius (degrees)") end
    opts.radius = require("mast.coords").radius(fn, opts.radius)
    -- catalogs.mast's cone limit [INFERRED: clients document 30 arcmin]
    if opts.radius > MAX_RADIUS then
      O.usage(fn, ("radius %s is over catalogs.mast's limit of %s degrees"):format(O.number_text(opts.radius),
        O.number_text(MAX_RADIUS)))
    end
    params.ra, params.dec, params.radius = opts.ra, opts.dec, opts.radius
  end
  local crit = opts.criteria or {}
  local cnames = {}
  for k in pairs(crit) do
    if type(k) ~= "string" then O.usage(fn, "criteria must be {column = value}") end
    cnames[#cnames + 1] = k
  end
  table.sort(cnames)
  local real = check_names(fn, cnames, known, list, "criteria")
  for i, k in ipairs(cnames) do
    local v, col = crit[k], real[i]
    if type(v) == "table" and OPS[v[1]] and #v == 2 then
      params[col .. "." .. OPS[v[1]]] = v[2]
    elseif type(v) == "table" and #v == 2 and type(v[1]) == "number" and type(v[2]) == "number" then
      params[col .. ".gte"], params[col .. ".lte"] = v[1], v[2]
    elseif type(v) == "table" and #v > 0 then
      local parts = {}
      for j, x in ipairs(v) do parts[j] = type(x) == "number" and O.number_text(x) or tostring(x) end
      params[col] = table.concat(parts, ",")
    elseif type(v) == "number" or type(v) == "string" then
      params[col] = v
    else
      O.usage(fn, ("criteria.%s: a value, a list, {min, max} or {op, value}; got %s"):format(k, O.describe(v)))
    end
  end
  if not needs_position and next(params) == nil then O.usage(fn, "give criteria (or use cone with a position)") end
  if opts.columns then params.columns = check_names(fn, list_of(opts.columns), known, list, "columns") end
  if opts.sort_by then
    local s = {}
    for i, c in ipairs(list_of(opts.sort_by)) do
      local desc = c:sub(1, 1) == "-"
      local name = check_names(fn, { desc and c:sub(2) or c }, known, list, "sort_by")[1]
      s[i] = desc and ("desc." .. name) or name
    end
    params.sort_by = s
  end
  local request = proto.first_page({ catalog = "panstarrs", release = release, table = tbl, params = params },
    { pagesize = opts.pagesize })
  if opts.page then request.params.page = opts.page end
  local runo = { deadline = opts.deadline, progress = opts.progress }
  local ok, r = pcall(transport.one, proto, request, runo)
  if not ok then error(O.within(fn, r), 0) end
  if not opts.all then return r end
  -- no total in the answer: page after page until a short one
  local pages, size = { r }, request.params.pagesize
  local n = #r.data
  while #pages[#pages].data == size do
    if opts.max_rows and n > opts.max_rows then
      error(core.error("memory", ("more than max_rows = %d rows"):format(opts.max_rows), { fn = fn }), 0)
    end
    request.params.page = request.params.page + 1
    ok, r = pcall(transport.one, proto, request, runo)
    if not ok then error(O.within(fn, r), 0) end
    pages[#pages + 1] = r
    n = n + #r.data
  end
  return require("mast.dataset").join(pages)
end

--- mast.panstarrs.cone{ra, dec, radius, ...} -> Result
function M.cone(opts) return run("mast.panstarrs.cone", opts, true) end

--- mast.panstarrs.search{criteria, ...} -> Result (no position)
function M.search(opts) return run("mast.panstarrs.search", opts, false) end

return M
