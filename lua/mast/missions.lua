--- mast.missions: MAST's missions — the list CAOM holds (Mast.Missions.List), and
-- the Missions search API (/search/<mission>/api/v0.1/, astroquery's MastMissions):
-- search a mission's datasets by position and criteria, their columns, their
-- products, and download them.
local core = require "mast.core"
local O = require "mast.options"
local S = require "mast.service"
local transport = require "mast.transport"
local proto = require "mast.protocol.missions"

local M = { _NAME = "mast.missions" }
local V = O.validators

--- mast.missions.list([opts]) -> {"IUE", "Kepler", "HST", ...}
-- Mast.Missions.List: the `distinctValue` of every row, in MAST's order.
-- opts: deadline, progress.
M.list = S.define {
  name = "mast.missions.list", service = "Mast.Missions.List", example = "{deadline = 30}",
  request_options = {}, run_options = S.COUNT_RUN,
  result = function(_, answer)
    local names = {}
    for i, row in ipairs(answer.data) do names[i] = row.distinctValue end
    return names
  end,
}

-- ---------------------------------------------------------------- the Missions search API

-- the missions the search API serves (MAST's /search/docs)
M.SEARCHABLE = { "hst", "jwst", "roman", "roman_spectra", "classy", "ullyses", "iue", "all_missions",
                 "roman_cgi" }
local SEARCHABLE = {}
for _, m in ipairs(M.SEARCHABLE) do SEARCHABLE[m] = true end
local MAX_RADIUS_ARCSEC, MAX_TARGETS, PRODUCTS_BATCH = 30 * 60, 100, 1000

-- the options each function takes (mast.options.declare: the check, help and completion share them)
local COLUMNS_OPTS = O.declare("mast.missions.columns", { deadline = V.deadline, progress = V.progress })
local PRODUCTS_OPTS = O.declare("mast.missions.products", { column = V.string, deadline = V.deadline,
  progress = V.progress })
local DOWNLOAD_OPTS = O.declare("mast.missions.download_products", { concurrency = V.concurrency,
  overwrite = V.boolean, progress = V.callback, manifest = V.string })
local ZIP_OPTS = O.declare("mast.missions.download_zip", { structure = function(v)
    if v ~= "flat" and v ~= "nested" then return "'nested' or 'flat'" end
  end, extract = V.string, deadline = V.deadline, overwrite = V.boolean })

local function check_mission(fn, mission)
  if type(mission) ~= "string" or not SEARCHABLE[mission] then
    local hint = O.suggest(type(mission) == "string" and mission:lower() or nil, M.SEARCHABLE)
    O.usage(fn, ("unknown mission %s; the search API serves %s%s"):format(O.describe(mission),
      table.concat(M.SEARCHABLE, ", "), hint and ("; did you mean '" .. hint .. "'?") or ""))
  end
end

-- columns[mission] = the column_list answer, once per process
local column_cache = {}

--- mast.missions.columns(mission [, opts]) -> Result of {name, type, description, queryable, default_output}
-- The mission's columns (column_list), asked once per process. opts: deadline, progress.
function M.columns(mission, opts)
  local fn = "mast.missions.columns"
  check_mission(fn, mission)
  opts = O.options(fn, opts, COLUMNS_OPTS)
  if not column_cache[mission] then
    local url = proto.url("util", "column_list") .. "?mission=" .. core.urlencode(mission, "")
    local r = transport.fetch(fn, { url = url, decode = "json", label = mission .. " columns" }, opts)
    if type(r.value) ~= "table" then
      error(core.error("json", "the column list of " .. mission .. " is not a JSON list", { fn = fn }), 0)
    end
    local rows = {}
    for i, c in ipairs(r.value) do
      rows[i] = { name = c.column_name, type = c.datatype, qual_type = c.qual_type,
                  description = type(c.description) == "string" and c.description:gsub("%s+$", "") or core.null,
                  label = c.field_name, queryable = c.queryable == "yes", default_output = c.default_output == "yes" }
    end
    column_cache[mission] = rows
  end
  local fields = { { name = "name", type = "string" }, { name = "type", type = "string" },
                   { name = "qual_type", type = "string" }, { name = "description", type = "string" },
                   { name = "label", type = "string" }, { name = "queryable", type = "boolean" },
                   { name = "default_output", type = "boolean" } }
  local rows = {}
  for i, c in ipairs(column_cache[mission]) do
    local row = {}
    for k, v in pairs(c) do row[k] = v end
    rows[i] = row
  end
  return require("mast.dataset").result(rows, fields, mission .. " columns")
end

-- Checks column names against the mission's list before anything is sent.
local function check_columns(fn, mission, names, what, opts)
  local known, list = {}, {}
  if not column_cache[mission] then M.columns(mission, { deadline = opts.deadline, progress = opts.progress }) end
  for _, c in ipairs(column_cache[mission]) do
    known[c.name:lower()] = c.name
    list[#list + 1] = c.name
  end
  local out = {}
  for i, name in ipairs(names) do
    local real = known[name:lower()] or (name == "ang_sep" or name == "search_pos") and name
    if not real then
      local hint = O.suggest(name:lower(), list)
      O.usage(fn, ("%s: %s has no column '%s'%s; mast.missions.columns('%s') lists them"):format(what, mission,
        name, hint and (" (did you mean '" .. hint .. "'?)") or "", mission))
    end
    out[i] = real
  end
  return out
end

-- A radius: a number (degrees, as elsewhere in mast) or a string with units
-- ("30 arcsec", "3 arcmin", "0.1 deg"); the API gets arcseconds.
local function radius_arcsec(fn, r)
  local arcsec = type(r) == "number" and require("mast.coords").radius(fn, r) * 3600
    or require("mast.coords").angle(fn, r, "arcsec", "radius")
  if arcsec > MAX_RADIUS_ARCSEC + 1e-9 then
    O.usage(fn, ("radius %s is over the search API's limit of 30 arcmin"):format(O.describe(r)))
  end
  return arcsec
end

local function value_text(fn, col, v)
  if type(v) == "table" then
    local parts = {}
    for i, x in ipairs(v) do parts[i] = value_text(fn, col, x) end
    if #parts == 0 then O.usage(fn, ("criterion %s is an empty list"):format(col)) end
    return table.concat(parts, ",")
  end
  if type(v) == "number" then return O.number_text(v) end
  if type(v) == "string" then return v end
  if type(v) == "boolean" then return v and "true" or "false" end
  O.usage(fn, ("criterion %s: %s cannot be sent"):format(col, O.describe(v)))
end

-- A time criterion: ISO text as it is, an MJD number as ISO, and a pair {from, to}
-- (either form) as the range "from..to" the API takes [INFERRED: its date ranges
-- mirror its numeric "a..b"].
local function time_value(fn, col, v)
  local T = require "mast.time"
  local function iso(x)
    if type(x) == "number" then return T.iso(x) end
    if type(x) == "string" then return x end
    O.usage(fn, ("criterion %s: a time is ISO 8601 text or an MJD number, got %s"):format(col, O.describe(x)))
  end
  if type(v) == "table" then
    if #v ~= 2 then
      O.usage(fn, ("criterion %s: a time range is {from, to} (ISO or MJD), got %d values"):format(col, #v))
    end
    return iso(v[1]) .. ".." .. iso(v[2])
  end
  return iso(v)
end

local SEARCH_OPTS = {
  ra = V.ra, dec = V.dec, radius = function(v) if type(v) ~= "number" and type(v) ~= "string" then
    return "a number of degrees or a string with units" end end,
  target = V.string, targets = V.table, select_cols = V.columns, sort_by = V.columns, sort_desc = V.table,
  limit = V.posint,
  offset = function(v) if math.type(v) ~= "integer" or v < 0 then return "a whole number >= 0" end end,
  all = V.boolean, count = V.boolean, max_rows = V.posint, pagesize = V.posint,
  deadline = V.deadline, progress = V.progress, concurrency = V.concurrency,
}
O.declare("mast.missions.search", SEARCH_OPTS)

local list_of = O.list_of

--- mast.missions.search(mission, criteria [, opts]) -> Result (or a count)
-- Datasets of a mission (hst, jwst, ...) through the Missions search API.
-- criteria: {column = value}: a value is sent as it is ("WFC3", ">1000",
--   "J8*"), a list is any of its values ({"WFC3", "ACS"}), a number as its text;
--   on a datetime column an MJD number becomes ISO text and {from, to} a range.
-- opts: ra, dec (degrees) or target (a name, resolved) or targets ({{ra, dec}, ...},
--   at most 100); radius (degrees, or "3 arcmin"; default 3 arcmin; at most 30 arcmin);
--   select_cols, sort_by (names or comma text), sort_desc ({true, false, ...});
--   limit (default 5000), offset; all = true: every row, pages fetched concurrently
--   (max_rows: a budget); count = true: only the number of matching datasets.
--   deadline, progress, concurrency.
-- Column names are checked against mast.missions.columns(mission) (case-insensitive)
-- before anything is sent; string values come back with their padding trimmed.
function M.search(mission, criteria, opts)
  local fn = "mast.missions.search"
  check_mission(fn, mission)
  if criteria ~= nil and type(criteria) ~= "table" then O.usage(fn, "criteria must be a table {column = value}") end
  opts = O.options(fn, opts, SEARCH_OPTS)
  local body = { conditions = {} }
  local names = {}
  for k in pairs(criteria or {}) do
    if type(k) ~= "string" then O.usage(fn, "criteria must be a table {column = value}") end
    names[#names + 1] = k
  end
  table.sort(names)
  local cols = check_columns(fn, mission, names, "criteria", opts)
  local kinds = {}
  for _, c in ipairs(column_cache[mission] or {}) do kinds[c.name] = c.qual_type end
  for i, k in ipairs(names) do
    local v = criteria[k]
    if kinds[cols[i]] == "datetime" then v = time_value(fn, cols[i], v) end
    body.conditions[i] = { [cols[i]] = value_text(fn, cols[i], v) }
  end
  local targets = {}
  if opts.target then
    local ra, dec = require("mast.resolver").resolve_for(fn, opts.target, { deadline = opts.deadline })
    targets[1] = { ra, dec }
  elseif opts.ra or opts.dec then
    if not (opts.ra and opts.dec) then O.usage(fn, "ra and dec go together") end
    targets[1] = { opts.ra, opts.dec }
  elseif opts.targets then
    for i, t in ipairs(opts.targets) do
      if type(t) ~= "table" or V.ra(t[1] or t.ra) or V.dec(t[2] or t.dec) then
        O.usage(fn, ("targets[%d] must be {ra, dec} in degrees"):format(i))
      end
      targets[i] = { t[1] or t.ra, t[2] or t.dec }
    end
    if #targets > MAX_TARGETS then O.usage(fn, ("at most %d targets; got %d"):format(MAX_TARGETS, #targets)) end
  end
  if #targets > 0 then
    body.target = {}
    for i, t in ipairs(targets) do body.target[i] = O.number_text(t[1]) .. " " .. O.number_text(t[2]) end
    body.radius = radius_arcsec(fn, opts.radius or "3 arcmin")
    body.radius_units = "arcseconds"
  elseif opts.radius then
    O.usage(fn, "radius needs a position: ra and dec, target or targets")
  end
  if opts.select_cols then
    body.select_cols = check_columns(fn, mission, list_of(opts.select_cols), "select_cols", opts)
  end
  if opts.sort_by then
    body.sort_by = check_columns(fn, mission, list_of(opts.sort_by), "sort_by", opts)
    body.sort_desc = {}
    for i = 1, #body.sort_by do body.sort_desc[i] = opts.sort_desc and opts.sort_desc[i] == true or false end
  end
  body.offset = opts.offset
  body.limit = opts.limit
  local request = { mission = mission, endpoint = "search", body = body }
  local run = { deadline = opts.deadline, progress = opts.progress }
  if opts.count then
    body.count_only, body.limit = true, 0
    local ok, n = pcall(transport.one, proto, request, run)
    if not ok then error(O.within(fn, n), 0) end
    return n
  end
  local ok, r
  if opts.all then
    run.concurrency, run.max_rows, run.pagesize = opts.concurrency, opts.max_rows, opts.pagesize
    ok, r = pcall(transport.all, proto, request, run)
  else
    body.limit = body.limit or proto.DEFAULT_LIMIT
    body.offset = body.offset or 0
    ok, r = pcall(transport.one, proto, request, run)
  end
  if not ok then error(O.within(fn, r), 0) end
  return r
end

--- mast.missions.products(mission, datasets [, opts]) -> Result of products
-- datasets: names ({"Z14Z0104T", ...}), or a search Result (its sci_data_set_name,
-- or opts.column). Sent 1,000 names a request, concurrently. opts: column, deadline, progress.
function M.products(mission, datasets, opts)
  local fn = "mast.missions.products"
  check_mission(fn, mission)
  opts = O.options(fn, opts, PRODUCTS_OPTS)
  local names = {}
  if type(datasets) == "string" then datasets = { datasets } end
  if type(datasets) ~= "table" then O.usage(fn, "datasets must be a list of dataset names or a search result") end
  if type(datasets.data) == "table" then
    local col = opts.column or "sci_data_set_name"
    for i, row in ipairs(datasets.data) do
      if type(row[col]) ~= "string" then O.usage(fn, ("row %d has no %s"):format(i, col)) end
      names[i] = row[col]
    end
  else
    for i, n in ipairs(datasets) do
      if type(n) ~= "string" or n == "" then O.usage(fn, ("datasets[%d] must be a dataset name"):format(i)) end
      names[i] = n
    end
  end
  if #names == 0 then O.usage(fn, "no datasets given") end
  local list = {}
  for start = 1, #names, PRODUCTS_BATCH do
    local ids = table.move(names, start, math.min(start + PRODUCTS_BATCH - 1, #names), 1, {})
    list[#list + 1] = { mission = mission, endpoint = "post_list_products", body = { dataset_ids = ids } }
  end
  local ok, answers = pcall(transport.many, proto, list, { deadline = opts.deadline, progress = opts.progress })
  if not ok then error(O.within(fn, answers), 0) end
  for _, a in ipairs(answers) do
    if core.is_error(a) then error(O.within(fn, a), 0) end
  end
  return require("mast.dataset").join(answers)
end

--- The URL that retrieves a product (its `uri`, DATASET/file) of a mission.
function M.product_url(mission, uri)
  return proto.url(mission, "retrieve_product") .. "?product_name=" .. core.urlencode(uri, "")
end

--- mast.missions.download_products(mission, products, dir [, opts]) -> manifest
-- Every product (rows of mast.missions.products) into dir/<dataset>/<filename>
-- with mast.download's guarantees (resume, size check, .part renamed when whole),
-- through retrieve_product (its redirects followed; the token only to MAST).
-- The manifest is mast.download_products's ({local_path, status, message, url,
-- uri, bytes} per product; an unsafe name fails its product alone).
-- opts: concurrency, overwrite, progress, manifest.
function M.download_products(mission, products, dir, opts)
  local fn = "mast.missions.download_products"
  check_mission(fn, mission)
  if type(products) ~= "table" or type(products.data or products) ~= "table" then
    O.usage(fn, "products must be a result of mast.missions.products")
  end
  if type(dir) ~= "string" or dir == "" then O.usage(fn, "dir must be a directory path") end
  opts = O.options(fn, opts, DOWNLOAD_OPTS)
  local function text(v) return type(v) == "string" and v or nil end
  return require("mast.products").download_planned(products.data or products, dir, opts, function(p)
    local uri = text(p.uri)
    local parts = { { "dataset", text(p.dataset) }, { "filename", text(p.filename) } }
    return uri, uri and M.product_url(mission, uri), parts
  end, fn)
end

-- A multipart/form-data body of fields {{name, value}, ...}, as MAST's own scripts send
-- retrieve_product_zip's form (the boundary cannot occur in the values: they are checked).
local function multipart(fn, fields)
  local boundary = "mast-form-boundary-7d2c91f04b"
  local parts = {}
  for _, kv in ipairs(fields) do
    if kv[2]:find(boundary, 1, true) then O.usage(fn, "a product name holds the form's boundary text") end
    parts[#parts + 1] = ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n")
      :format(boundary, kv[1], kv[2])
  end
  parts[#parts + 1] = "--" .. boundary .. "--\r\n"
  return table.concat(parts), "multipart/form-data; boundary=" .. boundary
end

--- mast.missions.download_zip(mission, products, path [, opts]) -> {path, bytes, files}
-- Every product (rows of mast.missions.products, or their uri strings "DATASET/file")
-- as one zip from retrieve_product_zip, written to path with mast's download guarantees
-- (<path>.part, size check, renamed when whole; never resumed: each answer is a new zip).
-- opts: structure ("nested": DATASET/file, the default; or "flat"), extract (a directory:
-- the zip is unpacked there with mast's safe extraction; files lists what was written),
-- deadline, overwrite.
function M.download_zip(mission, products, path, opts)
  local fn = "mast.missions.download_zip"
  check_mission(fn, mission)
  if type(path) ~= "string" or path == "" then O.usage(fn, "path must be the zip file to write") end
  opts = O.options(fn, opts, ZIP_OPTS)
  local rows = type(products) == "table" and (products.data or products) or nil
  if type(rows) ~= "table" then O.usage(fn, "products must be a result of mast.missions.products or a list of uris") end
  local uris = {}
  for i, p in ipairs(rows) do
    local uri = type(p) == "string" and p or type(p) == "table" and p.uri or nil
    if type(uri) ~= "string" or not uri:match("^[^/,]+/[^/,]+$") then
      O.usage(fn, ("product %d has no uri of the form DATASET/file (got %s)"):format(i, O.describe(uri)))
    end
    uris[i] = uri
  end
  if #uris == 0 then O.usage(fn, "no products given") end
  local body, ctype = multipart(fn, { { "mission", mission:upper() }, { "structure", opts.structure or "nested" },
                                      { "uri", table.concat(uris, ",") } })
  local ok, r = pcall(require("mast.record").request, {
    url = proto.url(mission, "retrieve_product_zip"), method = "POST",
    body = body, content_type = ctype, dest = path, resume = false, overwrite = opts.overwrite ~= false,
    label = mission .. " products zip" }, { deadline = opts.deadline })
  if not ok then
    O.cancelled(r, ("cancelled while downloading the %s products zip (%s not written; it starts again)")
      :format(mission, path))
    error(O.within(fn, r), 0)
  end
  local out = { path = r.path or path, bytes = r.bytes }
  if opts.extract then
    local okx, files = pcall(core.extract, out.path, core.resolve_path(opts.extract))
    if not okx then
      O.cancelled(files, (core.is_error(files) and files.message or "cancelled") .. " (" .. out.path .. " is complete)")
      error(O.within(fn, files), 0)
    end
    out.files = files
  end
  return out
end

return M
