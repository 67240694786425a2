--- Data products: list them for observations, filter them, download them.
local core = require "mast.core"
local query = require "mast.query"
local result = require "mast.result"
local download = require "mast.download"

local M = {}

local BATCH = 500   -- obsids per Mast.Caom.Products request, as astroquery sends
local MRP = "Minimum Recommended Products"

local O = require "mast.options"
local usage, V = O.usage, O.validators

-- The rows of a result, or of a plain list of rows.
local function rows_of(fn, products)
  if type(products) ~= "table" then
    usage(fn, "expected a products result or a list of product rows, got " .. O.describe(products))
  end
  if type(products.data) == "table" then return products.data end
  return products
end

-- Joins answers (datasets) into the first: rows in order, fields united.
local function join(answers)
  local first = answers[1]
  local seen = {}
  for _, f in ipairs(first.fields) do seen[f.name] = true end
  for i = 2, #answers do
    local a = answers[i]
    table.move(a.data, 1, #a.data, #first.data + 1, first.data)
    for _, f in ipairs(a.fields or {}) do
      if not seen[f.name] then
        seen[f.name] = true
        first.fields[#first.fields + 1] = f
      end
    end
  end
  local n = #first.data
  first.paging = { page = 1, pageSize = n, pagesFiltered = 1, rows = n, rowsFiltered = n, rowsTotal = n }
  return first
end

local PRODUCTS_OPTS = { deadline = V.deadline, progress = V.progress, concurrency = V.concurrency }

--- mast.products(obsids [, opts]) -> one result with the products of every observation
-- obsids: an obsid (integer or string) or a list of them (the `obsid` column of a
-- CAOM search, not obs_id). Sent as Mast.Caom.Products requests of at most 500
-- comma-joined ids each, run concurrently, and joined in order.
function M.products(obsids, opts)
  local fn = "mast.products"
  opts = O.options(fn, opts, PRODUCTS_OPTS)
  if type(obsids) ~= "table" then obsids = { obsids } end
  local ids = {}
  for i, id in ipairs(obsids) do
    if V.integer_or_digits(id) then
      usage(fn, ("obsid %d must be an integer or a string of digits, got %s"):format(i, O.describe(id)))
    end
    ids[#ids + 1] = tostring(id)
  end
  if #ids == 0 then usage(fn, "no obsids given") end
  local requests = {}
  for i = 1, #ids, BATCH do
    local chunk = table.concat(ids, ",", i, math.min(i + BATCH - 1, #ids))
    local obsid = chunk
    if not chunk:find(",", 1, true) then obsid = math.tointeger(tonumber(chunk)) or chunk end
    requests[#requests + 1] = { service = "Mast.Caom.Products", format = "json",
                                params = { obsid = obsid } }
  end
  if #requests == 1 then return query.query(requests[1], opts) end
  local answers = query.query_many(requests, opts)
  for i, a in ipairs(answers) do
    if core.is_error(a) then
      a.message = ("batch %d of %d: %s"):format(i, #answers, a.message)
      error(a, 2)
    end
  end
  return join(answers)
end

local function value_or_list(v)
  if type(v) == "table" then
    if #v == 0 then return "a value or a non-empty list of values" end
    return nil
  end
  if type(v) ~= "string" and type(v) ~= "number" then return "a value or a list of values" end
end
local FILTER_KEYS = { productType = value_or_list, extension = value_or_list,
                      productSubGroupDescription = value_or_list, calib_level = value_or_list,
                      mrp_only = V.boolean }

-- A criterion as a set (a single value or a list of them).
local function set_of(v)
  local s = {}
  if type(v) == "table" then
    for _, x in ipairs(v) do s[x] = true end
  else
    s[v] = true
  end
  return s
end

local function extension_of(name)
  if type(name) ~= "string" then return nil end
  -- "x.fits.gz" has extension "fits.gz" as well as "gz"
  return name:match("^[^.]*%.(.+)$")
end

--- mast.filter_products(products, criteria) -> a result with the matching products
-- criteria (each a value or a list of values; all must match):
--   productType ("SCIENCE", "PREVIEW", ...), extension ("fits", "fits.gz", ...),
--   productSubGroupDescription ("DRZ", "FLT", ...), calib_level (1, 2, 3, ...),
--   mrp_only = true (only the Minimum Recommended Products).
-- Rows with a dataURI seen before are dropped.
function M.filter_products(products, criteria)
  local fn = "mast.filter_products"
  local rows = rows_of(fn, products)
  criteria = O.options(fn, criteria, FILTER_KEYS)
  local sets = {}
  for k, v in pairs(criteria) do
    if k ~= "mrp_only" then sets[k] = set_of(v) end
  end
  local out, seen = {}, {}
  for _, row in ipairs(rows) do
    local keep = true
    for k, set in pairs(sets) do
      if k == "extension" then
        local name = row.productFilename
        local ext = extension_of(name)
        local match = false
        for want in pairs(set) do
          local w = tostring(want):gsub("^%.", "")
          if ext and (ext == w or ext:sub(-#w - 1) == "." .. w) then match = true end
        end
        keep = keep and match
      else
        keep = keep and set[row[k]] == true
      end
    end
    if criteria.mrp_only and row.productGroupDescription ~= MRP then keep = false end
    local uri = row.dataURI
    if keep and uri ~= nil and uri ~= core.null then
      if seen[uri] then keep = false else seen[uri] = true end
    end
    if keep then out[#out + 1] = row end
  end
  local res = { status = "COMPLETE", msg = "", data = out,
                fields = type(products.fields) == "table" and products.fields or {},
                paging = { page = 1, pageSize = #out, pagesFiltered = 1, rows = #out,
                           rowsFiltered = #out, rowsTotal = #out } }
  return result.wrap(res, "filtered products")
end

local DOWNLOAD_OPTS = { flat = V.boolean, concurrency = V.concurrency, overwrite = V.boolean,
                        progress = V.callback, manifest = V.string,
                        source = function(v)
                          if v ~= "mast" and v ~= "cloud" and v ~= "auto" then return "'mast', 'cloud' or 'auto'" end
                        end }

local function field(row, k)
  local v = row[k]
  if v == nil or v == core.null then return nil end
  return tostring(v)
end

--- download_planned(rows, dir, opts, plan) -> manifest
-- The one download loop behind mast.download_products and
-- mast.missions.download_products. plan(row) gives what a row is:
--   uri     what the manifest names (a mast: URI, or a mission's product uri)
--   source  what mast.download_many fetches (a URI or an http(s) URL), nil if none
--   parts   {{key, value}, ...}: the path below dir, one safe name each
--   why     (optional) why there is no source, for the manifest
-- A part that is missing or unsafe ('', '.', '..', '/', NUL), a row without a
-- source, or two rows with the same path fail that row alone; every other row
-- is fetched concurrently. opts: concurrency, overwrite, progress, manifest
-- (a path: also written there as CSV).
function M.download_planned(rows, dir, opts, plan)
  dir = dir:gsub("/+$", "")
  if dir == "" then dir = "/" end
  local manifest, items, index = {}, {}, {}
  local taken = {}
  for i, row in ipairs(rows) do
    local uri, source, parts, no_source = plan(row)
    local entry = { uri = uri, url = source and download.url_of(source) or nil }
    manifest[i] = entry
    local names, bad = { dir }, nil
    for _, kv in ipairs(parts) do
      local k, v = kv[1], kv[2]
      local ok, why = false, "it is missing"
      if v then ok, why = core.safe_name(v) end
      if not ok then
        bad = ("refused %s %s: %s"):format(k, v and ("'" .. v:gsub("%z", "\\0") .. "'") or "", why)
        break
      end
      names[#names + 1] = v
    end
    if not source or not entry.url then
      entry.status, entry.message = "ERROR", no_source or "no usable download URI"
    elseif bad then
      entry.status, entry.message = "ERROR", bad
    else
      local path = table.concat(names, "/")
      entry.local_path = path
      if taken[path] then
        entry.status, entry.message = "ERROR", "another product has the same local path"
      else
        taken[path] = true
        local size = row.size
        if math.type(size) ~= "integer" or size < 0 then size = nil end
        items[#items + 1] = { uri = source, dest = path, size = size }
        index[#items] = i
      end
    end
  end
  local results = #items > 0 and download.download_many(items, {
    concurrency = opts.concurrency, overwrite = opts.overwrite, progress = opts.progress,
  }) or {}
  for j, r in ipairs(results) do
    local entry = manifest[index[j]]
    entry.bytes = r.bytes
    entry.url = r.url or entry.url
    if r.ok then
      entry.status = r.skipped and "SKIPPED" or "COMPLETE"
      entry.message = r.skipped and "already present with the expected size" or ""
    else
      entry.status, entry.message = "ERROR", tostring(r.error)
    end
  end
  if opts.manifest then M.write_manifest(manifest, opts.manifest) end
  return manifest
end

--- mast.download_products(products, dir [, opts]) -> manifest
-- Downloads every product (a products result or a list of rows) concurrently to
-- <dir>/mastDownload/<obs_collection>/<obs_id>/<productFilename> (opts.flat:
-- <dir>/<productFilename>), checking each file against its `size`. Names come
-- from the server: one that is empty, '.', '..', or holds '/' or NUL is refused
-- and that product fails; nothing is written outside dir.
-- Returns the manifest, one entry per product in order:
--   {local_path, status = "COMPLETE" | "SKIPPED" | "ERROR", message, url, uri, bytes}
-- opts.manifest = <path>: also write it there as CSV. opts.concurrency,
-- opts.overwrite, opts.progress: as mast.download_many. opts.source: "mast" (the
-- default), "cloud" (public files from MAST's S3 bucket over HTTPS, anonymous; the others
-- fail with the reason) or "auto" (the bucket where it has the file, MAST otherwise);
-- exclusive-access products always come from MAST. Each entry says its source.
function M.download_products(products, dir, opts)
  local fn = "mast.download_products"
  local rows = rows_of(fn, products)
  opts = O.options(fn, opts, DOWNLOAD_OPTS)
  if type(dir) ~= "string" or dir == "" then usage(fn, "dir must be a directory path") end
  local keys = opts.flat and { "productFilename" } or { "mastDownload", "obs_collection", "obs_id", "productFilename" }
  local source = opts.source or "mast"
  local in_cloud = {}
  if source ~= "mast" then
    for i, c in ipairs(require("mast.cloud").uris(rows)) do in_cloud[rows[i]] = c end
  end
  local function plan(from_mast)
    return function(row)
      local uri = field(row, "dataURI")
      local parts = {}
      for j, k in ipairs(keys) do parts[j] = { k, k == "mastDownload" and k or field(row, k) } end
      local c = not from_mast and in_cloud[row] or nil
      if c and c.url then return uri, c.url, parts end
      if c and source == "cloud" then return uri, nil, parts, "not fetched from the cloud: " .. c.reason end
      return uri, uri, parts
    end
  end
  local manifest = M.download_planned(rows, dir, opts, plan(false))
  for i, e in ipairs(manifest) do
    local c = in_cloud[rows[i]]
    e.source = (c and c.url) and "cloud" or (source == "cloud" and "none" or "mast")
  end
  if source == "auto" then
    -- a file path_lookup placed in the bucket that the bucket does not serve: from MAST instead
    local again, where = {}, {}
    for i, e in ipairs(manifest) do
      if e.source == "cloud" and e.status == "ERROR" then
        again[#again + 1] = rows[i]
        where[#where + 1] = i
      end
    end
    if #again > 0 then
      local second = M.download_planned(again, dir, { concurrency = opts.concurrency, overwrite = opts.overwrite,
                                                      progress = opts.progress }, plan(true))
      for j, e in ipairs(second) do
        e.source = "mast"
        e.cloud_error = manifest[where[j]].message
        manifest[where[j]] = e
      end
      if opts.manifest then M.write_manifest(manifest, opts.manifest) end
    end
  end
  return manifest
end

local MANIFEST_COLUMNS = { "local_path", "status", "message", "url", "uri", "bytes" }

--- Writes a manifest as CSV (via <path>.part, renamed when complete).
function M.write_manifest(manifest, path)
  local fields, data = {}, {}
  for i, name in ipairs(MANIFEST_COLUMNS) do
    fields[i] = { name = name, type = name == "bytes" and "int" or "string" }
  end
  for i, e in ipairs(manifest) do
    local row = {}
    for _, name in ipairs(MANIFEST_COLUMNS) do row[name] = e[name] == nil and core.null or e[name] end
    data[i] = row
  end
  return require("mast").json2csv({ fields = fields, data = data }, { types = false, file = path })
end

return M
