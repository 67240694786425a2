--- mast.tap: ADQL queries of MAST's VO-TAP catalogs (/vo-tap/api/v0.1/<catalog>).
--   mast.tap.catalogs()                        -> {"caom", "gaiadr3", "tic", ...}
--   mast.tap.query(catalog, adql [, opts])     -> Result (a VOTable's rows, 64-bit ids exact)
--   mast.tap.tables(catalog [, opts])          -> Result of {schema, name, description}
--   mast.tap.columns(catalog, table [, opts])  -> Result of {name, datatype, arraysize, unit, ucd, description}
--   mast.tap.cone(catalog, {ra, dec, radius [, table, columns, where, top, order_by]} [, opts])
-- A query runs synchronously, or with opts.async as a UWS job: created, polled (WAIT
-- long-polls, a short backoff) under the deadline, its result fetched, the job deleted; a
-- cancel (Ctrl-C, a host's cancel) or a failure deletes the job on the server too.
-- A result the service cut at maxrec (QUERY_STATUS OVERFLOW) is never taken silently: with
-- no maxrec given it is an error ("limit"); with an explicit maxrec it is the rows asked
-- for, marked r.overflow = true.
local core = require "mast.core"
local O = require "mast.options"
local transport = require "mast.transport"
local proto = require "mast.protocol.tap"

local M = { _NAME = "mast.tap" }
local V = O.validators

M.MAXREC = proto.MAXREC

-- per process: the catalog list, and each catalog's tables and columns
local catalog_list
local tableset = {}

local RUN_OPTS = { deadline = V.deadline, progress = V.progress }
-- (mast.options.declare: the check, help and completion share one table)
O.declare("mast.tap.catalogs", RUN_OPTS)
O.declare("mast.tap.tables", RUN_OPTS)
O.declare("mast.tap.columns", RUN_OPTS)

--- mast.tap.catalogs([opts]) -> the catalogs the service lists (its OpenAPI document's
-- CatalogName), asked once per process. opts: deadline, progress.
function M.catalogs(opts)
  local fn = "mast.tap.catalogs"
  opts = O.options(fn, opts, RUN_OPTS)
  if not catalog_list then
    local r = transport.fetch(fn, { url = proto.root() .. "/openapi.json", decode = "json",
                                    label = "TAP catalogs" }, opts)
    local enum = type(r.value) == "table" and r.value.components and r.value.components.schemas
      and r.value.components.schemas.CatalogName and r.value.components.schemas.CatalogName.enum
    if type(enum) ~= "table" or #enum == 0 then
      error(core.error("json", "the TAP service's OpenAPI document lists no catalogs (no CatalogName enum)",
        { fn = fn }), 0)
    end
    catalog_list = table.move(enum, 1, #enum, 1, {})
  end
  return table.move(catalog_list, 1, #catalog_list, 1, {})
end

local function check_catalog(fn, catalog, opts)
  if type(catalog) ~= "string" or catalog == "" then
    O.usage(fn, ("catalog must be a name such as 'tic' (mast.tap.catalogs() lists them), got %s")
      :format(O.describe(catalog)))
  end
  local list = M.catalogs({ deadline = opts.deadline, progress = opts.progress })
  for _, c in ipairs(list) do
    if c == catalog then return catalog end
  end
  for _, c in ipairs(list) do
    if c:lower() == catalog:lower() then return c end
  end
  local hint = O.suggest(catalog:lower(), list)
  O.usage(fn, ("unknown TAP catalog '%s'%s; the service has %s"):format(catalog,
    hint and (" (did you mean '" .. hint .. "'?)") or "", table.concat(list, ", ")))
end

local function run_one(fn, request, opts)
  local ok, r = pcall(transport.one, proto, request, { deadline = opts.deadline, progress = opts.progress })
  if not ok then error(O.within(fn, r), 0) end
  return r
end

local function check_overflow(fn, r, opts)
  if r.overflow and not opts.maxrec then
    error(core.error("limit", ("%s: the service cut the answer at %d rows (QUERY_STATUS OVERFLOW): more rows "
      .. "match. Narrow the query, page it (e.g. by ranges of an id), or give maxrec = <n> to take "
      .. "the first n rows knowingly"):format(fn, #r.data), { fn = fn, rows = #r.data }), 0)
  end
  return r
end

-- An asynchronous query: create the job (its address from the 303, not followed), make
-- sure a cancel deletes it, poll, fetch the result, delete the job.
local function run_async(fn, catalog, request, opts)
  local fields = proto.query_fields(request)
  fields[#fields + 1] = { "PHASE", "RUN" }
  local ok, rs = pcall(require("mast.record").perform, { { url = proto.url(catalog, "async"), method = "POST",
    content_type = "application/x-www-form-urlencoded", body = proto.form(fields), redirect = false,
    any_status = true, label = catalog .. " TAP job" } }, { deadline = opts.deadline })
  if not ok then error(O.within(fn, rs), 0) end
  local created = rs[1]
  if not created.ok then error(O.within(fn, created.error), 0) end
  if created.status >= 400 then
    error(core.error("http", ("%s: the TAP service refused the job (HTTP %d): %s"):format(fn, created.status,
      proto.server_text(created.body)), { fn = fn, status = created.status }), 0)
  end
  local job = created.url
  if created.status < 300 or created.status >= 400 or type(job) ~= "string" then
    error(core.error("json", ("%s: the TAP service answered the job's creation with HTTP %d and no "
      .. "job address"):format(fn, created.status), { fn = fn }), 0)
  end
  local delete = { url = job, method = "POST", content_type = "application/x-www-form-urlencoded",
                   body = "ACTION=DELETE", any_status = true, redirect = false, retry = false,
                   label = "delete TAP job" }
  local cleanup = core.cleanup_add(delete)
  local okr, r = pcall(function()
    local done = transport.one(proto, { kind = "poll", catalog = catalog, job = job },
      { deadline = opts.deadline, progress = opts.progress })
    local url = done.result or (job .. "/results/result")
    return transport.one(proto, { kind = "result", catalog = catalog, url = url },
      { deadline = opts.deadline, progress = opts.progress })
  end)
  -- the job is no use any more, whatever happened
  if not okr and core.is_error(r, "cancelled") then
    -- a cancel in a transfer or a wait has sent the delete already; one that stopped
    -- Lua code has not: cleanup_run sends what is still registered (held off the cancel)
    core.cleanup_run()
    local text = r.left or "cancelled while the TAP job ran"
    r.left = nil
    O.cancelled(r, text .. " (job deleted)")
  else
    core.cleanup_remove(cleanup)
    pcall(require("mast.record").perform, { delete }, { deadline = 5 })
  end
  if not okr then error(O.within(fn, r), 0) end
  r.job = job
  return r
end

local QUERY_OPTS = { maxrec = function(v)
    if math.type(v) ~= "integer" or v < 0 or v > proto.MAXREC then
      return ("a whole number from 0 to %d"):format(proto.MAXREC)
    end
  end, async = V.boolean, runid = V.string, deadline = V.deadline, progress = V.progress }

--- mast.tap.query(catalog, adql [, opts]) -> Result
-- opts: maxrec (at most 100,000: the service's limit), async (a UWS job rather than one
-- request: for long queries), runid, deadline, progress. The Result also has info (the
-- VOTable's INFO), overflow, and for a job its address (job).
O.declare("mast.tap.query", QUERY_OPTS)
function M.query(catalog, adql, opts)
  local fn = "mast.tap.query"
  opts = O.options(fn, opts, QUERY_OPTS)
  if type(adql) ~= "string" or adql:match("^%s*$") then
    O.usage(fn, "adql must be an ADQL query, e.g. \"SELECT TOP 10 * FROM dbo.catalogrecord\"")
  end
  catalog = check_catalog(fn, catalog, opts)
  local request = { kind = "sync", catalog = catalog, query = adql, maxrec = opts.maxrec, runid = opts.runid }
  local r
  if opts.async then r = run_async(fn, catalog, request, opts)
  else r = run_one(fn, request, opts) end
  return check_overflow(fn, r, opts)
end

-- The tableset of a catalog (VOSI tables, detail=max), once per process.
local function load_tables(fn, catalog, opts)
  if tableset[catalog] then return tableset[catalog] end
  local r = transport.fetch(fn, { url = proto.url(catalog, "tables") .. "?detail=max",
                                  label = catalog .. " TAP tables" }, opts)
  local ok, doc = pcall(core.xml_decode, r.body, catalog .. "'s VOSI tables")
  if not ok then error(O.within(fn, doc), 0) end
  local tables, by_name = {}, {}
  local function text_of(el, name)
    local c = proto.child(el, name)
    if c then return c.text, c end
  end
  for _, schema in ipairs(doc) do
    if schema.name == "schema" then
      local sname = text_of(schema, "name")
      for _, t in ipairs(schema) do
        if t.name == "table" then
          local entry = { schema = sname, name = text_of(t, "name"), description = text_of(t, "description"),
                          columns = {} }
          for _, c in ipairs(t) do
            if c.name == "column" then
              local datatype, el = text_of(c, "dataType")
              entry.columns[#entry.columns + 1] = { name = text_of(c, "name"), datatype = datatype,
                arraysize = el and el.attr.arraysize, unit = text_of(c, "unit"), ucd = text_of(c, "ucd"),
                description = text_of(c, "description") }
            end
          end
          tables[#tables + 1] = entry
          if entry.name then by_name[entry.name:lower()] = entry end
        end
      end
    end
  end
  tableset[catalog] = { list = tables, by_name = by_name }
  return tableset[catalog]
end

local function or_null(v) if v == nil then return core.null end return v end

--- mast.tap.tables(catalog [, opts]) -> Result of {schema, name, description, columns (a count)}
function M.tables(catalog, opts)
  local fn = "mast.tap.tables"
  opts = O.options(fn, opts, RUN_OPTS)
  catalog = check_catalog(fn, catalog, opts)
  local rows = {}
  for i, t in ipairs(load_tables(fn, catalog, opts).list) do
    rows[i] = { schema = or_null(t.schema), name = or_null(t.name), description = or_null(t.description),
                columns = #t.columns }
  end
  return require("mast.dataset").result(rows, {
    { name = "schema", type = "string" }, { name = "name", type = "string" },
    { name = "description", type = "string" }, { name = "columns", type = "int" } }, catalog .. " tables")
end

local function find_table(fn, catalog, name, opts)
  if type(name) ~= "string" or name == "" then
    O.usage(fn, ("table must be a table name such as 'dbo.catalogrecord', got %s"):format(O.describe(name)))
  end
  local set = load_tables(fn, catalog, opts)
  local t = set.by_name[name:lower()] or set.by_name[("dbo." .. name):lower()]
  if t then return t end
  local names, short = {}, {}
  for i, x in ipairs(set.list) do
    names[i] = x.name
    short[#short + 1] = x.name:match("^[^.]+%.(.+)$")
  end
  -- "catalogrecrd" is closest to "catalogrecord": suggest by the name without its schema too
  local hint = O.suggest(name:lower(), names) or O.suggest(name:lower(), short)
  if hint and not set.by_name[hint:lower()] then
    for _, x in ipairs(set.list) do
      if x.name:match("^[^.]+%.(.+)$") == hint then hint = x.name break end
    end
  end
  O.usage(fn, ("catalog %s has no table '%s'%s; mast.tap.tables('%s') lists them"):format(catalog, name,
    hint and (" (did you mean '" .. hint .. "'?)") or "", catalog))
end

--- mast.tap.columns(catalog, table [, opts]) -> Result of {name, datatype, arraysize, unit, ucd, description}
function M.columns(catalog, tbl, opts)
  local fn = "mast.tap.columns"
  opts = O.options(fn, opts, RUN_OPTS)
  catalog = check_catalog(fn, catalog, opts)
  local t = find_table(fn, catalog, tbl, opts)
  local rows = {}
  for i, c in ipairs(t.columns) do
    rows[i] = { name = or_null(c.name), datatype = or_null(c.datatype), arraysize = or_null(c.arraysize),
                unit = or_null(c.unit), ucd = or_null(c.ucd), description = or_null(c.description) }
  end
  local fields = {}
  for i, k in ipairs({ "name", "datatype", "arraysize", "unit", "ucd", "description" }) do
    fields[i] = { name = k, type = "string" }
  end
  return require("mast.dataset").result(rows, fields, t.name .. " columns")
end

-- the main table of the catalogs whose cone needs no `table` [INFERRED: from the
-- service's tableset; the others need one named]
M.CONE_TABLES = { tic = "dbo.catalogrecord", gaiadr3 = "dbo.gaia_source", ps1dr2 = "dbo.MeanObjectView",
                  ps1dr1 = "dbo.MeanObjectView" }

-- A column name checked against the table (case-insensitive), as the table spells it.
local function column_of(fn, t, name, what)
  local list = {}
  for i, c in ipairs(t.columns) do
    if c.name:lower() == tostring(name):lower() then return c.name end
    list[i] = c.name
  end
  local hint = O.suggest(tostring(name):lower(), list)
  O.usage(fn, ("%s: %s has no column '%s'%s"):format(what, t.name, tostring(name),
    hint and (" (did you mean '" .. hint .. "'?)") or ""))
end

local CONE_OPTS = { ra = V.ra, dec = V.dec, radius = V.radius, table = V.string, columns = V.columns,
                    where = V.string, top = V.posint, order_by = V.string, ra_column = V.string,
                    dec_column = V.string }

-- The ADQL text of a cone (spec as mast.tap.cone's) on table t.
local function cone_adql(spec, t, fn)
  local cols = "*"
  if spec.columns then
    local names = {}
    for i, c in ipairs(O.list_of(spec.columns)) do names[i] = column_of(fn, t, c, "columns") end
    cols = table.concat(names, ", ")
  end
  local ra = column_of(fn, t, spec.ra_column or "ra", "ra_column")
  local dec = column_of(fn, t, spec.dec_column or "dec", "dec_column")
  local n = O.number_text
  local parts = { "SELECT" }
  if spec.top then parts[#parts + 1] = "TOP " .. spec.top end
  parts[#parts + 1] = ("%s FROM %s WHERE CONTAINS(POINT('ICRS', %s, %s), CIRCLE('ICRS', %s, %s, %s)) = 1")
    :format(cols, t.name, ra, dec, n(spec.ra), n(spec.dec), n(spec.radius))
  if spec.where then parts[#parts + 1] = "AND (" .. spec.where .. ")" end
  if spec.order_by then parts[#parts + 1] = "ORDER BY " .. spec.order_by end
  return table.concat(parts, " ")
end

--- mast.tap.cone(catalog, spec [, opts]) -> Result
-- spec: ra, dec (degrees), radius (degrees, or '10 arcsec'); table (default: the catalog's main table, e.g. the TIC's
-- dbo.catalogrecord); columns (names or comma text; default all), where (more ADQL
-- conditions), top, order_by, ra_column/dec_column (default ra, dec). Column names are
-- checked against the table's VOSI columns before anything is sent. opts: as mast.tap.query.
-- The ADQL sent is r.adql.
O.declare("mast.tap.cone", CONE_OPTS)
function M.cone(catalog, spec, opts)
  local fn = "mast.tap.cone"
  if type(spec) ~= "table" then O.usage(fn, "spec must be a table {ra =, dec =, radius = [, table =, ...]}") end
  spec = O.options(fn, spec, CONE_OPTS)
  if not (spec.ra and spec.dec and spec.radius) then O.usage(fn, "needs ra, dec and radius (degrees)") end
  spec.radius = require("mast.coords").radius(fn, spec.radius)
  local qopts = O.options(fn, opts, QUERY_OPTS)
  catalog = check_catalog(fn, catalog, qopts)
  local tname = spec.table or M.CONE_TABLES[catalog]
  if not tname then
    O.usage(fn, ("name the table of catalog %s to search (table = ...); mast.tap.tables('%s') lists them")
      :format(catalog, catalog))
  end
  local t = find_table(fn, catalog, tname, qopts)
  local adql = cone_adql(spec, t, fn)
  local r = M.query(catalog, adql, opts)
  r.adql = adql
  return r
end

return M
